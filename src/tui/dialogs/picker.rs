//! The picker dialog: a short list to pick one row from, narrowed by typing.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use super::render_lines;
use crate::tui::theme::Theme;

/// Rows of the list shown at once.
const VISIBLE_ROWS: usize = 12;

/// The purpose of a pick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickPurpose {
    /// A new number for the instance with this object id.
    NewNumber {
        /// Object id of the instance.
        object_id: String,
    },
    /// The instance that gets this free number.
    Instance {
        /// The number.
        number: String,
    },
}

/// One row of the picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickItem {
    /// The row's value: a number, or an instance's object id.
    pub key: String,
    /// The text shown and searched.
    pub label: String,
}

/// A list to pick one row from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickerDialog {
    /// The purpose of the pick.
    pub purpose: PickPurpose,
    /// The dialog's title.
    pub title: String,
    /// All rows.
    pub items: Vec<PickItem>,
    /// Text typed to narrow the list.
    pub filter: String,
    /// Position of the selected row among the matching ones.
    pub selected: usize,
    /// The reason the last pick was rejected.
    pub error: Option<String>,
}

impl PickerDialog {
    /// Opens a picker on its first row.
    pub fn new(purpose: PickPurpose, title: impl Into<String>, items: Vec<PickItem>) -> Self {
        PickerDialog {
            purpose,
            title: title.into(),
            items,
            filter: String::new(),
            selected: 0,
            error: None,
        }
    }

    /// Returns the rows that contain the typed text, ignoring case.
    pub fn matches(&self) -> Vec<&PickItem> {
        let needle = self.filter.to_lowercase();
        self.items
            .iter()
            .filter(|item| item.label.to_lowercase().contains(&needle))
            .collect()
    }

    /// Returns the selected row, if any row matches.
    pub fn selected_item(&self) -> Option<&PickItem> {
        self.matches().get(self.selected).copied()
    }

    /// Moves the selection by `delta` rows, stopping at either end.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.matches().len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
        self.error = None;
    }

    /// Empties the typed text.
    pub fn clear_filter(&mut self) {
        self.filter.clear();
        self.after_filter_change();
    }

    pub(super) fn after_filter_change(&mut self) {
        self.selected = 0;
        self.error = None;
    }

    /// Draws the typed text, the matching rows around the selection, and any error.
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let matches = self.matches();
        let mut lines = vec![Line::from(vec![
            Span::styled("Type to narrow: ", theme.key_hint()),
            Span::raw(self.filter.clone()),
        ])];
        if matches.is_empty() {
            lines.push(Line::styled(
                "Nothing matches; Ctrl-U empties the text.",
                theme.muted(),
            ));
        }
        let start = self.selected.saturating_sub(VISIBLE_ROWS - 1);
        for (position, item) in matches.iter().enumerate().skip(start).take(VISIBLE_ROWS) {
            let line = if position == self.selected {
                Line::styled(
                    format!("{} {}", theme.selection_marker(), item.label),
                    theme.selected(),
                )
            } else {
                Line::from(format!("  {}", item.label))
            };
            lines.push(line);
        }
        if let Some(error) = &self.error {
            lines.push(Line::default());
            lines.push(Line::styled(error.clone(), theme.danger()));
        }
        let title = format!("{} ({} of {})", self.title, matches.len(), self.items.len());
        render_lines(frame, area, theme, &title, lines);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picker() -> PickerDialog {
        let items = [
            "+14255550112 Calling Plan",
            "+14255550120 Direct Routing",
            "+442079460101 Calling Plan",
        ]
        .iter()
        .map(|label| PickItem {
            key: label.split(' ').next().unwrap().to_owned(),
            label: (*label).to_owned(),
        })
        .collect();
        PickerDialog::new(
            PickPurpose::NewNumber {
                object_id: "id".into(),
            },
            "New number",
            items,
        )
    }

    #[test]
    fn typing_narrows_and_resets_selection() {
        let mut picker = picker();
        picker.move_by(2);
        assert_eq!(picker.selected_item().unwrap().key, "+442079460101");
        picker.filter.push_str("direct");
        picker.after_filter_change();
        assert_eq!(picker.matches().len(), 1);
        assert_eq!(picker.selected_item().unwrap().key, "+14255550120");
        picker.clear_filter();
        assert_eq!(picker.matches().len(), 3);
    }

    #[test]
    fn selection_stops_at_ends() {
        let mut picker = picker();
        picker.move_by(-3);
        assert_eq!(picker.selected, 0);
        picker.move_by(10);
        assert_eq!(picker.selected, 2);
        picker.filter.push_str("nothing");
        picker.after_filter_change();
        assert_eq!(picker.selected_item(), None);
    }
}
