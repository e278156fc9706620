//! The text input dialog: a prompt, the typed text with a cursor, and the reason the last
//! text was rejected.

use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::Frame;

use super::render_lines;
use crate::tui::theme::Theme;

/// The purpose of the typed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputPurpose {
    /// The prefix the Numbers screen shows numbers for.
    NumberPrefix,
    /// A number's emergency location id.
    EmergencyLocation {
        /// The number.
        number: String,
    },
}

/// A dialog with one text field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputDialog {
    /// The purpose of the text.
    pub purpose: InputPurpose,
    /// The text typed so far.
    pub value: String,
    /// The reason the last submitted text was rejected.
    pub error: Option<String>,
}

impl InputDialog {
    /// Opens the dialog with `value` already typed.
    pub fn new(purpose: InputPurpose, value: impl Into<String>) -> Self {
        InputDialog {
            purpose,
            value: value.into(),
            error: None,
        }
    }

    fn title(&self) -> &'static str {
        match self.purpose {
            InputPurpose::NumberPrefix => "Number prefix",
            InputPurpose::EmergencyLocation { .. } => "Emergency location",
        }
    }

    fn prompt(&self) -> String {
        match &self.purpose {
            InputPurpose::NumberPrefix => {
                "Show numbers that start with (such as +1425; empty shows all):".to_owned()
            }
            InputPurpose::EmergencyLocation { number } => format!(
                "Emergency location id of {number} (a GUID from the Teams admin center; empty \
                 removes it):"
            ),
        }
    }

    /// Draws the prompt, the field with the cursor at its end, and any error.
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        const FIELD_MARKER: &str = "> ";
        let mut lines = vec![
            Line::from(self.prompt()),
            Line::from(vec![
                Span::styled(FIELD_MARKER, theme.key_hint()),
                Span::styled(self.value.clone(), theme.selected()),
            ]),
        ];
        if let Some(error) = &self.error {
            lines.push(Line::styled(error.clone(), theme.danger()));
        }
        lines.push(Line::styled(
            "Enter accepts, Esc cancels, Ctrl-U empties the field.",
            theme.muted(),
        ));
        let popup = render_lines(frame, area, theme, self.title(), lines);
        let prompt_rows = {
            let inner_width = usize::from(popup.width.saturating_sub(2)).max(1);
            self.prompt().chars().count().max(1).div_ceil(inner_width)
        };
        let typed = (FIELD_MARKER.len() + self.value.chars().count()) as u16;
        let x = popup
            .x
            .saturating_add(1)
            .saturating_add(typed)
            .min(popup.right().saturating_sub(2));
        let y = popup.y.saturating_add(1).saturating_add(prompt_rows as u16);
        if y < popup.bottom() {
            frame.set_cursor_position(Position::new(x, y));
        }
    }
}
