//! The footer: the keys that work now, each with a short label.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::tui::keys::KeyHint;
use crate::tui::theme::Theme;

/// Columns between two hints.
const HINT_GAP: usize = 2;

/// Draws the hints on one line, such as `q quit  ? help  / filter`. Hints that do not fit
/// whole are left out; the help overlay lists every key.
pub fn render(frame: &mut Frame, area: Rect, theme: &Theme, hints: &[KeyHint]) {
    let mut spans = Vec::with_capacity(hints.len() * 3);
    let mut used = 0;
    for hint in hints {
        let width = hint.keys.chars().count() + 1 + hint.label.chars().count();
        let gap = if used == 0 { 0 } else { HINT_GAP };
        if used + gap + width > usize::from(area.width) {
            continue;
        }
        if gap > 0 {
            spans.push(Span::raw("  "));
        }
        used += gap + width;
        spans.push(Span::styled(hint.keys.clone(), theme.key_hint()));
        spans.push(Span::raw(format!(" {}", hint.label)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
