//! One key of a binding, how it matches a terminal key event, and how it is shown.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// One key: a key code, with or without Ctrl. Shift is part of the character (`G`, `?`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyPattern {
    /// The key.
    pub code: KeyCode,
    /// Whether Ctrl must be held.
    pub ctrl: bool,
}

impl KeyPattern {
    /// Returns true when the event is this key. Alt never matches, and Shift-Tab counts as
    /// Back-Tab because terminals send either.
    pub fn matches(&self, event: &KeyEvent) -> bool {
        if event.modifiers.contains(KeyModifiers::ALT) {
            return false;
        }
        let shift = event.modifiers.contains(KeyModifiers::SHIFT);
        let code = match event.code {
            KeyCode::Tab if shift => KeyCode::BackTab,
            code => code,
        };
        code == self.code && event.modifiers.contains(KeyModifiers::CONTROL) == self.ctrl
    }

    /// Returns the key as the footer and the help overlay show it.
    pub fn label(&self) -> String {
        let name = match self.code {
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".to_owned(),
            KeyCode::Down => "↓".to_owned(),
            KeyCode::PageUp => "PgUp".to_owned(),
            KeyCode::PageDown => "PgDn".to_owned(),
            KeyCode::BackTab => "Shift-Tab".to_owned(),
            other => other.to_string(),
        };
        if self.ctrl {
            format!("Ctrl-{}", name.to_uppercase())
        } else {
            name
        }
    }
}
