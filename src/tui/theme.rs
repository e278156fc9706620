//! Semantic styles, so that call sites say what a thing is (`theme.danger()`) and never which
//! colour it has.
//!
//! With `NO_COLOR` set to a non-empty value (<https://no-color.org>) no style carries a colour:
//! selection is reversed and bold, and every state also has a text or symbol marker at the
//! call site, so nothing depends on colour alone.

use std::ffi::OsStr;

use ratatui::style::{Color, Modifier, Style};

/// The styles of one run of the TUI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    color: bool,
}

impl Theme {
    /// Returns the theme the environment asks for: plain when `NO_COLOR` is set and not empty.
    pub fn from_env() -> Self {
        Self::from_no_color(std::env::var_os("NO_COLOR").as_deref())
    }

    /// Returns the theme for a given value of `NO_COLOR`.
    pub fn from_no_color(value: Option<&OsStr>) -> Self {
        let no_color = value.is_some_and(|value| !value.is_empty());
        Theme { color: !no_color }
    }

    /// Returns the theme with colours.
    pub fn colored() -> Self {
        Theme { color: true }
    }

    /// Returns the theme without any colour.
    pub fn plain() -> Self {
        Theme { color: false }
    }

    /// Returns true when styles may carry colours.
    pub fn uses_color(&self) -> bool {
        self.color
    }

    fn paint(&self, color: Color, modifiers: Modifier) -> Style {
        let style = Style::new().add_modifier(modifiers);
        if self.color {
            style.fg(color)
        } else {
            style
        }
    }

    /// Screen and pane titles, and the active tab.
    pub fn title(&self) -> Style {
        self.paint(Color::Cyan, Modifier::BOLD)
    }

    /// The selected row. Reversed and bold in both themes, so it shows without colour.
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    /// Errors and broken records.
    pub fn danger(&self) -> Style {
        self.paint(Color::Red, Modifier::BOLD)
    }

    /// Finished, healthy states.
    pub fn ok(&self) -> Style {
        self.paint(Color::Green, Modifier::empty())
    }

    /// Something missing or pending that the admin should look at.
    pub fn warning(&self) -> Style {
        self.paint(Color::Yellow, Modifier::empty())
    }

    /// Secondary text such as column headers and empty values.
    pub fn muted(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    /// A row that matters most on its screen, such as the resource-account license.
    pub fn highlight(&self) -> Style {
        self.paint(Color::Magenta, Modifier::BOLD)
    }

    /// Keys in the footer and the help overlay.
    pub fn key_hint(&self) -> Style {
        self.paint(Color::Cyan, Modifier::BOLD)
    }

    /// Column headers of a table.
    pub fn header(&self) -> Style {
        self.muted().add_modifier(Modifier::BOLD)
    }

    /// Returns the marker in front of the selected row.
    pub fn selection_marker(&self) -> &'static str {
        if self.color {
            "▶"
        } else {
            ">"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_rules() {
        assert!(Theme::from_no_color(None).uses_color());
        assert!(Theme::from_no_color(Some(OsStr::new(""))).uses_color());
        assert!(!Theme::from_no_color(Some(OsStr::new("1"))).uses_color());
    }

    #[test]
    fn plain_theme_has_no_colour() {
        let theme = Theme::plain();
        for style in [
            theme.title(),
            theme.selected(),
            theme.danger(),
            theme.ok(),
            theme.warning(),
            theme.muted(),
            theme.highlight(),
            theme.key_hint(),
            theme.header(),
        ] {
            assert_eq!(style.fg, None, "{style:?}");
            assert_eq!(style.bg, None, "{style:?}");
        }
    }
}
