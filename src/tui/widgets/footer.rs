//! The footer: the keys that work now, each with a short label.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::tui::keys::KeyHint;
use crate::tui::theme::Theme;

/// Draws the hints on one line, such as `q quit  ? help  / filter`.
pub fn render(frame: &mut Frame, area: Rect, theme: &Theme, hints: &[KeyHint]) {
    let mut spans = Vec::with_capacity(hints.len() * 3);
    for (index, hint) in hints.iter().enumerate() {
        if index > 0 {
            spans.push(Span::raw("  "));
        }
        spans.push(Span::styled(hint.keys.clone(), theme.key_hint()));
        spans.push(Span::raw(format!(" {}", hint.label)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
