//! The wizard's states and transitions.

use std::time::Duration;

use super::{Effect, Outcome, Ticket};

/// The three steps and the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Create the instance and map it to the bot.
    Instance,
    /// Usage location and license.
    License,
    /// Phone number.
    Number,
    /// Everything done.
    Summary,
}

/// A text field of the wizard's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The instance's UPN.
    Upn,
    /// The bot's application id.
    AppId,
    /// The instance's display name.
    DisplayName,
    /// Two-letter usage location.
    UsageLocation,
    /// The number, typed or picked.
    Number,
}

/// What the admin typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Form {
    /// The instance's UPN.
    pub upn: String,
    /// The bot's application id.
    pub app_id: String,
    /// The instance's display name.
    pub display_name: String,
    /// Two-letter usage location.
    pub usage_location: String,
    /// The number.
    pub number: String,
    /// A number type the admin insists on; checked against the inventory.
    pub number_type: Option<crate::model::NumberType>,
}

/// Where the current step stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    /// Waiting for the admin.
    Editing,
}

/// Poll intervals and bounds.
#[derive(Debug, Clone, PartialEq)]
pub struct Timing {
    /// First wait between two polls.
    pub first_poll: Duration,
    /// Longest wait between two polls.
    pub max_poll: Duration,
    /// Polls before giving up.
    pub max_polls: u32,
}

/// Something that happens to the wizard.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// Enter on the current step.
    Submit,
    /// The outcome of an effect.
    Outcome(Ticket, Outcome),
}

/// The wizard's whole state.
#[derive(Debug, Clone, PartialEq)]
pub struct Wizard {
    /// Current step.
    pub step: Step,
    /// Where that step stands.
    pub phase: Phase,
    /// What the admin typed.
    pub form: Form,
}

impl Wizard {
    /// Applies one input and returns the effects to run.
    pub fn update(&mut self, input: Input) -> Vec<(Ticket, Effect)> {
        todo!("{input:?}")
    }
}
