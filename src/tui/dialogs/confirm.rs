//! The confirmation dialog: it keeps a destructive change as a typed value and names the
//! exact account and number before the admin presses y.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use super::render_lines;
use crate::manage::Operation;
use crate::tui::theme::Theme;

/// A change that runs only when the admin confirms it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmDialog {
    /// The change.
    pub operation: Operation,
}

impl ConfirmDialog {
    /// Draws the question, what happens, and the keys.
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let mut lines: Vec<Line<'static>> = Vec::new();
        let mut sentences = self.operation.confirmation().into_iter();
        if let Some(question) = sentences.next() {
            lines.push(Line::styled(question, theme.danger()));
        }
        lines.extend(sentences.map(Line::from));
        lines.push(Line::default());
        lines.push(Line::from(vec![
            Span::styled("y", theme.key_hint()),
            Span::raw(format!(" or Enter: {}    ", self.operation.confirm_label())),
            Span::styled("n", theme.key_hint()),
            Span::raw(" or Esc: cancel"),
        ]));
        render_lines(frame, area, theme, self.operation.title(), lines);
    }
}
