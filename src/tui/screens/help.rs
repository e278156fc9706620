//! The `?` help overlay: every binding of the key table with where it works, plus the keys
//! the wizard takes now when it is open.

use std::cell::Cell;

use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

use crate::tui::keys::{listed_bindings, KeyHint};
use crate::tui::theme::Theme;

/// Widest the overlay gets, in columns.
const MAX_WIDTH: u16 = 96;
/// Width of the keys column, in columns.
const KEYS_WIDTH: usize = 16;

/// Lines a page key scrolls before the overlay has been drawn once.
const DEFAULT_PAGE_LINES: usize = 10;

/// State of the help overlay.
#[derive(Debug, Default)]
pub struct HelpOverlay {
    /// Lines scrolled off the top.
    scroll: usize,
    /// Text lines the overlay showed when it was last drawn.
    visible_lines: Cell<usize>,
}

impl HelpOverlay {
    /// Scrolls by `delta` lines, stopping where the last of `line_count` lines is at the
    /// bottom.
    pub fn scroll_by(&mut self, delta: isize, line_count: usize) {
        let max_scroll = line_count.saturating_sub(self.visible_lines.get());
        self.scroll = self.scroll.saturating_add_signed(delta).min(max_scroll);
    }

    /// Returns the lines a page key scrolls: the height the overlay was last drawn with.
    pub fn page_lines(&self) -> usize {
        match self.visible_lines.get() {
            0 => DEFAULT_PAGE_LINES,
            lines => lines,
        }
    }

    /// Scrolls to the top.
    pub fn scroll_to_top(&mut self) {
        self.scroll = 0;
    }

    /// Returns the lines scrolled off the top.
    pub fn scroll(&self) -> usize {
        self.scroll
    }

    /// Draws the overlay centred over `area`.
    pub fn render(
        &self,
        frame: &mut Frame,
        area: Rect,
        theme: &Theme,
        read_only: bool,
        wizard_hints: &[KeyHint],
    ) {
        let lines = help_lines(theme, read_only, wizard_hints);
        let height = (lines.len() as u16).saturating_add(2).min(area.height);
        let width = MAX_WIDTH.min(area.width);
        let popup = area.centered(Constraint::Length(width), Constraint::Length(height));
        let visible_lines = usize::from(height.saturating_sub(2));
        self.visible_lines.set(visible_lines);
        let scroll = self.scroll.min(lines.len().saturating_sub(visible_lines));
        let title = Span::styled(" Keys (Esc or ? closes) ", theme.title());
        let paragraph = Paragraph::new(Text::from(lines))
            .block(Block::bordered().title(title))
            .scroll((scroll as u16, 0));
        frame.render_widget(Clear, popup);
        frame.render_widget(paragraph, popup);
    }
}

/// Returns the number of lines the overlay has, for scrolling.
pub fn line_count(read_only: bool, wizard_hints: &[KeyHint]) -> usize {
    help_lines(&Theme::plain(), read_only, wizard_hints).len()
}

fn key_line(theme: &Theme, keys: &str, text: String) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!(" {keys:<KEYS_WIDTH$}"), theme.key_hint()),
        Span::raw(text),
    ])
}

fn help_lines(theme: &Theme, read_only: bool, wizard_hints: &[KeyHint]) -> Vec<Line<'static>> {
    let mut lines: Vec<Line> = listed_bindings(read_only)
        .map(|binding| {
            let places: Vec<&str> = binding
                .contexts
                .iter()
                .map(|context| context.describe())
                .collect();
            let text = format!("{} ({})", binding.description, places.join(", "));
            key_line(theme, &binding.keys_label(), text)
        })
        .collect();
    if !wizard_hints.is_empty() {
        lines.push(Line::default());
        lines.push(Line::styled(" In the wizard now:", theme.title()));
        for hint in wizard_hints {
            lines.push(key_line(theme, &hint.keys, hint.label.to_string()));
        }
    }
    lines
}
