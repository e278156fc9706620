//! The new-bot wizard screen: the form of each step, the number picker, and the progress log.
//!
//! The screen owns a [`Wizard`] and turns keys into wizard inputs; every rule lives in the
//! wizard itself. Its keys come from the app's binding table through the context the screen
//! reports ([`WizardScreen::context`]); only typed text reaches [`WizardScreen::handle_key`].

mod manual_view;
mod picker;
mod view;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::model::PhoneNumber;
use crate::tui::keys::{Context, WizardAction};
use crate::wire::graph::NumberAssignment;
use crate::wizard::{
    Connection, Effect, Field, Form, Input, Outcome, Phase, Step, Ticket, Timing, Wizard,
};

/// Follow-up work for the app after the wizard handled a key or an outcome.
#[derive(Debug, Default)]
pub struct WizardReaction {
    /// Effects to send to the API task, each with the ticket its outcome must carry.
    pub effects: Vec<(Ticket, Effect)>,
    /// Whether the admin left the wizard.
    pub closed: bool,
    /// Whether the wizard changed the tenant, so the lists must be loaded again.
    pub changed_tenant: bool,
}

/// The wizard and the cursor state of its screen.
#[derive(Debug)]
pub struct WizardScreen {
    wizard: Wizard,
    focus: usize,
    selected: usize,
    /// Whether the wizard continues an existing instance's setup rather than a new bot's.
    continues: bool,
}

impl WizardScreen {
    /// Opens the wizard on step 1 with empty fields. The app opens it only when botline
    /// may change the tenant.
    pub fn new(timing: Timing) -> Self {
        WizardScreen {
            wizard: Wizard::new(timing),
            focus: 0,
            selected: 0,
            continues: false,
        }
    }

    /// Sets how botline signs in; see [`Wizard::with_connection`].
    pub fn with_connection(mut self, connection: Connection) -> Self {
        self.wizard = self.wizard.with_connection(connection);
        self
    }

    /// Opens the wizard with a filled form, to continue the setup of an existing instance.
    ///
    /// When step 1's fields are all filled, the step is submitted at once, so the wizard goes
    /// on to the first step that is not done. Otherwise the focus is on the first empty
    /// field.
    pub fn prefilled(form: Form, timing: Timing, connection: Connection) -> (Self, WizardReaction) {
        let empty = Field::of_step(Step::Instance)
            .iter()
            .position(|field| form.get(*field).trim().is_empty());
        let mut screen = WizardScreen {
            wizard: Wizard::with_form(form, timing).with_connection(connection),
            focus: empty.unwrap_or(0),
            selected: 0,
            continues: true,
        };
        let effects = match empty {
            None => screen.wizard.update(Input::Submit),
            Some(_) => Vec::new(),
        };
        let reaction = screen.after_update(Step::Instance, effects);
        (screen, reaction)
    }

    /// Returns the wizard's title: "New bot", or "Continue setup" for an existing instance.
    pub fn title(&self) -> &'static str {
        if self.continues {
            "Continue setup"
        } else {
            "New bot"
        }
    }

    /// Returns the wizard's state.
    pub fn wizard(&self) -> &Wizard {
        &self.wizard
    }

    /// Returns the binding context of the wizard's current phase.
    pub fn context(&self) -> Context {
        match (&self.wizard.phase, self.wizard.step) {
            (Phase::Editing { .. }, Step::Number) => Context::WizardPicker,
            (Phase::Editing { .. }, _) => Context::WizardForm,
            (Phase::Working { .. } | Phase::Waiting { .. }, _) => Context::WizardBusy,
            (Phase::Failed { .. }, _) => Context::WizardFailed,
            (Phase::Done, _) => Context::WizardDone,
        }
    }

    /// Runs a bound action.
    pub fn apply(&mut self, action: WizardAction) -> WizardReaction {
        let step = self.wizard.step;
        let fields = Field::of_step(step).len();
        let effects = match action {
            WizardAction::Submit => self.submit(),
            WizardAction::Back => self.wizard.update(Input::Back),
            WizardAction::Retry => self.wizard.update(Input::Retry),
            WizardAction::Close => self.wizard.update(Input::Submit),
            WizardAction::NextField => {
                self.focus = (self.focus + 1) % fields.max(1);
                Vec::new()
            }
            WizardAction::PreviousField => {
                self.focus = (self.focus + fields.max(1) - 1) % fields.max(1);
                Vec::new()
            }
            WizardAction::PickDown => {
                let count = self.candidates().len();
                self.selected = (self.selected + 1).min(count.saturating_sub(1));
                Vec::new()
            }
            WizardAction::PickUp => {
                self.selected = self.selected.saturating_sub(1);
                Vec::new()
            }
            WizardAction::ClearField => {
                self.edit_focused(String::clear);
                Vec::new()
            }
        };
        self.after_update(step, effects)
    }

    /// Types a key into the focused field; keys that are not text are ignored.
    pub fn handle_key(&mut self, key: KeyEvent) -> WizardReaction {
        if matches!(self.wizard.phase, Phase::Editing { .. }) {
            match key.code {
                KeyCode::Backspace => self.edit_focused(|text| {
                    text.pop();
                }),
                KeyCode::Char(c)
                    if !key
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                {
                    self.edit_focused(|text| text.push(c));
                    self.selected = 0;
                }
                _ => {}
            }
        }
        self.after_update(self.wizard.step, Vec::new())
    }

    /// Applies the outcome of an effect; outcomes with a stale ticket change nothing.
    pub fn on_outcome(&mut self, ticket: Ticket, outcome: Outcome) -> WizardReaction {
        let step = self.wizard.step;
        let effects = self.wizard.update(Input::Outcome(ticket, outcome));
        self.after_update(step, effects)
    }

    /// Returns what the wizard is doing while a call is in flight or botline is polling, such
    /// as "Creating ivr-bot@contoso.com".
    pub fn activity(&self) -> Option<String> {
        match &self.wizard.phase {
            Phase::Working { activity } | Phase::Waiting { activity, .. } => Some(activity.clone()),
            _ => None,
        }
    }

    /// Returns true while a call is in flight or botline is polling.
    pub fn is_busy(&self) -> bool {
        self.wizard.phase.is_busy()
    }

    /// Returns true while the admin types into a field, so letter keys are text.
    pub fn is_editing_text(&self) -> bool {
        matches!(self.wizard.phase, Phase::Editing { .. })
    }

    fn after_update(
        &mut self,
        step_before: Step,
        effects: Vec<(Ticket, Effect)>,
    ) -> WizardReaction {
        if self.wizard.step != step_before {
            self.focus = 0;
            self.selected = 0;
        }
        WizardReaction {
            effects,
            closed: self.wizard.closed,
            changed_tenant: self.wizard.facts.changed_tenant,
        }
    }

    fn submit(&mut self) -> Vec<(Ticket, Effect)> {
        if self.wizard.step == Step::Number {
            // A whole number typed by the admin is assigned as typed, and text that is not
            // digits is rejected by the wizard; only digits that narrow the list pick the
            // highlighted row.
            let typed = self.wizard.form.number.trim();
            let narrows_list = typed.parse::<PhoneNumber>().is_err()
                && typed
                    .chars()
                    .all(|c| c.is_ascii_digit() || " +-().".contains(c));
            let picked = self
                .candidates()
                .get(self.selected)
                .map(|record| record.telephone_number.clone())
                .filter(|_| narrows_list);
            if let Some(number) = picked {
                self.wizard.update(Input::Edit(Field::Number, number));
            }
        }
        self.wizard.update(Input::Submit)
    }

    fn edit_focused(&mut self, change: impl FnOnce(&mut String)) {
        let Some(field) = Field::of_step(self.wizard.step).get(self.focus).copied() else {
            return;
        };
        let mut text = self.wizard.form.get(field).to_owned();
        change(&mut text);
        self.wizard.update(Input::Edit(field, text));
    }

    /// Returns the free numbers that match what the admin typed: those containing the typed
    /// digits, or the one number typed with an extension. Text that cannot be part of a number
    /// matches none, so Enter checks the text itself and shows the expected form.
    pub(super) fn candidates(&self) -> Vec<&NumberAssignment> {
        let free = self.wizard.facts.numbers.free.iter();
        match picker::TypedNumber::read(&self.wizard.form.number) {
            picker::TypedNumber::Digits(typed) => free
                .filter(|record| {
                    typed.is_empty()
                        || record
                            .telephone_number
                            .parse::<PhoneNumber>()
                            .is_ok_and(|number| number.digits().contains(&typed))
                })
                .collect(),
            picker::TypedNumber::Exact(typed) => free
                .filter(|record| {
                    record
                        .telephone_number
                        .parse::<PhoneNumber>()
                        .is_ok_and(|number| number == typed)
                })
                .collect(),
            picker::TypedNumber::Invalid => Vec::new(),
        }
    }
}
