//! Placeholder of the new-bot wizard screen, with the interface the app drives.
//!
//! The app gives every key to the wizard first (except Ctrl-C, and `?` while no text field
//! is being edited), sends each returned effect to the API task as its own command, and
//! passes each outcome back through [`WizardScreen::on_outcome`].
//!
//! TODO: this placeholder does not drive [`crate::wizard::Wizard`] yet. It only shows a
//! notice and closes on Esc.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Paragraph, Wrap};
use ratatui::Frame;

use crate::tui::keys::KeyHint;
use crate::tui::theme::Theme;
use crate::wizard::{Effect, Outcome, Ticket, Timing};

/// Follow-up work for the app after the wizard handled a key or an outcome.
#[derive(Debug, Default)]
pub struct WizardReaction {
    /// Effects to send to the API task, each with the ticket its outcome must carry.
    pub effects: Vec<(Ticket, Effect)>,
    /// Whether the wizard closed.
    pub closed: bool,
    /// Whether the wizard changed the tenant, so the lists must be loaded again.
    pub changed_tenant: bool,
}

/// State of the wizard screen.
#[derive(Debug)]
pub struct WizardScreen {
    timing: Timing,
    read_only: bool,
}

impl WizardScreen {
    /// Opens a wizard with empty fields.
    pub fn new(timing: Timing, read_only: bool) -> Self {
        WizardScreen { timing, read_only }
    }

    /// Handles a key and returns the effects to send and whether the wizard closed.
    pub fn handle_key(&mut self, key: KeyEvent) -> WizardReaction {
        WizardReaction {
            closed: key.code == KeyCode::Esc,
            ..WizardReaction::default()
        }
    }

    /// Handles the outcome of an effect. Outcomes with a stale ticket change nothing.
    pub fn on_outcome(&mut self, ticket: Ticket, outcome: Outcome) -> WizardReaction {
        tracing::debug!(
            ticket = ticket.0,
            ?outcome,
            "wizard placeholder ignored an outcome"
        );
        WizardReaction::default()
    }

    /// Returns true while an effect is running, so the app shows a spinner.
    pub fn is_busy(&self) -> bool {
        false
    }

    /// Returns true while a text field takes keys, so `?` is typed instead of opening help.
    pub fn is_editing_text(&self) -> bool {
        false
    }

    /// Draws the wizard into the whole body area.
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, spinner: &str) {
        let _ = (spinner, &self.timing, self.read_only);
        let lines = vec![
            Line::from("The new-bot wizard is not available in this build."),
            Line::from("Press Esc to go back to the lists."),
        ];
        let block = Block::bordered().title(Span::styled(" New bot ", theme.title()));
        let paragraph = Paragraph::new(Text::from(lines))
            .block(block)
            .wrap(Wrap { trim: true });
        frame.render_widget(paragraph, area);
    }

    /// Returns the keys the wizard takes now, for the footer.
    pub fn hints(&self) -> Vec<KeyHint> {
        vec![KeyHint::new("Esc", "close wizard")]
    }
}
