//! The wizard's states and transitions.
//!
//! Steps run in order: [`Step::Instance`], [`Step::License`], [`Step::Number`], then the
//! [`Step::Summary`]. Within a step the [`Phase`] says whether the admin is typing, a call is
//! in flight, botline is polling Microsoft, or the step failed with a reason and maybe a retry.

use std::time::Duration;

use super::{Connection, Effect, Outcome, Ticket};
use crate::model::NumberType;

mod instance;
mod license;
mod manual;
mod number;
mod replication;

pub use manual::ManualSetup;

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

impl Step {
    /// Returns the step's title as the wizard shows it.
    pub fn title(self) -> &'static str {
        match self {
            Step::Instance => "1 Resource account",
            Step::License => "2 License",
            Step::Number => "3 Phone number",
            Step::Summary => "Done",
        }
    }
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

impl Field {
    /// Returns the fields the admin edits in a step, in tab order.
    pub fn of_step(step: Step) -> &'static [Field] {
        match step {
            Step::Instance => &[Field::Upn, Field::AppId, Field::DisplayName],
            Step::License => &[Field::UsageLocation],
            Step::Number => &[Field::Number],
            Step::Summary => &[],
        }
    }

    /// Returns the field's label.
    pub fn label(self) -> &'static str {
        match self {
            Field::Upn => "User principal name",
            Field::AppId => "Bot application id",
            Field::DisplayName => "Display name",
            Field::UsageLocation => "Usage location",
            Field::Number => "Phone number",
        }
    }
}

/// Text the admin typed into the wizard's fields.
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
    pub number_type: Option<NumberType>,
}

impl Form {
    /// Returns the text of a field.
    pub fn get(&self, field: Field) -> &str {
        match field {
            Field::Upn => &self.upn,
            Field::AppId => &self.app_id,
            Field::DisplayName => &self.display_name,
            Field::UsageLocation => &self.usage_location,
            Field::Number => &self.number,
        }
    }

    fn set(&mut self, field: Field, value: String) {
        match field {
            Field::Upn => self.upn = value,
            Field::AppId => self.app_id = value,
            Field::DisplayName => self.display_name = value,
            Field::UsageLocation => self.usage_location = value,
            Field::Number => self.number = value,
        }
    }
}

/// State of the current step.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    /// Waiting for the admin; `error` gives the reason the last submit was rejected.
    Editing {
        /// Reason the last submit was rejected, naming the value and the fix.
        error: Option<String>,
    },
    /// One call is in flight.
    Working {
        /// The running action, such as "Creating ivr-bot@contoso.com".
        activity: String,
    },
    /// botline polls Microsoft until an asynchronous step finishes.
    Waiting {
        /// The change botline waits for.
        activity: String,
        /// Polls so far.
        attempt: u32,
        /// Polls before giving up.
        max_attempts: u32,
    },
    /// The step failed.
    Failed {
        /// One plain sentence: what failed, on which value, and what to do.
        reason: String,
        /// Whether [`Input::Retry`] can run the failed call again.
        can_retry: bool,
    },
    /// All steps are done.
    Done,
}

impl Phase {
    /// Returns true while a call is in flight or botline is polling.
    pub fn is_busy(&self) -> bool {
        matches!(self, Phase::Working { .. } | Phase::Waiting { .. })
    }

    fn editing() -> Phase {
        Phase::Editing { error: None }
    }

    fn rejected(error: impl Into<String>) -> Phase {
        Phase::Editing {
            error: Some(error.into()),
        }
    }
}

/// Poll intervals and bounds.
#[derive(Debug, Clone, PartialEq)]
pub struct Timing {
    /// First wait between two polls.
    pub first_poll: Duration,
    /// Maximum wait between two polls; waits double up to it.
    pub max_poll: Duration,
    /// Polls before a wait is reported as failed with a retry.
    pub max_polls: u32,
}

impl Default for Timing {
    /// Two seconds doubling to fifteen, forty polls: about nine minutes in all.
    fn default() -> Self {
        Timing {
            first_poll: Duration::from_secs(2),
            max_poll: Duration::from_secs(15),
            max_polls: 40,
        }
    }
}

impl Timing {
    /// Returns the wait before poll number `attempt` (0-based).
    pub fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u32 << attempt.min(16);
        self.first_poll.saturating_mul(factor).min(self.max_poll)
    }
}

/// Something that happens to the wizard.
#[derive(Debug, Clone, PartialEq)]
#[expect(
    clippy::large_enum_variant,
    reason = "one input is moved per key or HTTP reply, so its size costs nothing measurable"
)]
pub enum Input {
    /// The admin changed a field's text.
    Edit(Field, String),
    /// Enter on the current step.
    Submit,
    /// Esc: stop waiting, leave a failure, or go one step back.
    Back,
    /// Run the failed call again.
    Retry,
    /// The outcome of an effect.
    Outcome(Ticket, Outcome),
}

/// Facts the wizard read from the tenant.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// The instance's UPN, once accepted.
    pub upn: Option<crate::model::Upn>,
    /// The bot's application id, once accepted.
    pub app_id: Option<crate::model::AppId>,
    /// Display name of the application.
    pub app_name: Option<String>,
    /// Object id of the instance, once created or found.
    pub object_id: Option<String>,
    /// Whether this run created the instance, so a "not found" means "not replicated yet".
    pub created: bool,
    /// Usage location, license state and seats.
    pub license: Option<super::LicenseContext>,
    /// Free numbers and the one the instance holds.
    pub numbers: super::NumberChoices,
    /// The number being assigned, or assigned.
    pub chosen: Option<crate::wire::graph::NumberAssignment>,
    /// Address of the assignment's operation.
    pub operation: Option<String>,
    /// Whether any write succeeded, so lists need a reload.
    pub changed_tenant: bool,
    /// PowerShell commands the admin runs because botline cannot create or map the
    /// resource account itself.
    pub manual: Option<ManualSetup>,
}

/// The wizard's whole state.
#[derive(Debug, Clone, PartialEq)]
pub struct Wizard {
    /// Current step.
    pub step: Step,
    /// State of that step.
    pub phase: Phase,
    /// Text the admin typed.
    pub form: Form,
    /// Facts read from the tenant.
    pub facts: Facts,
    /// Finished actions and warnings, oldest first.
    pub log: Vec<String>,
    /// Whether the admin left the wizard.
    pub closed: bool,
    timing: Timing,
    connection: Connection,
    ticket: Ticket,
    attempts: u32,
    in_flight: Option<Effect>,
    last_failed: Option<Effect>,
}

impl Wizard {
    /// Starts a wizard on step 1 with an empty form.
    pub fn new(timing: Timing) -> Self {
        Wizard::with_form(Form::default(), timing)
    }

    /// Starts a wizard on step 1 with a filled form, as the `assign` command does.
    pub fn with_form(form: Form, timing: Timing) -> Self {
        Wizard {
            step: Step::Instance,
            phase: Phase::editing(),
            form,
            facts: Facts::default(),
            log: Vec::new(),
            closed: false,
            timing,
            connection: Connection::default(),
            ticket: Ticket(0),
            attempts: 0,
            in_flight: None,
            last_failed: None,
        }
    }

    /// Sets how botline signs in. With app-only sign-in, step 1 warns that Microsoft is
    /// known to refuse creating the resource account before it tries.
    pub fn with_connection(mut self, connection: Connection) -> Self {
        self.connection = connection;
        self
    }

    /// Returns how botline signs in.
    pub fn connection(&self) -> &Connection {
        &self.connection
    }

    /// Returns the ticket that the next outcome must carry.
    pub fn ticket(&self) -> Ticket {
        self.ticket
    }

    /// Applies one input and returns the effects to run, each with its ticket.
    pub fn update(&mut self, input: Input) -> Vec<(Ticket, Effect)> {
        match input {
            Input::Edit(field, value) => {
                if matches!(self.phase, Phase::Editing { .. }) {
                    self.form.set(field, value);
                }
                Vec::new()
            }
            Input::Submit => self.submit(),
            Input::Back => {
                self.back();
                Vec::new()
            }
            Input::Retry => self.retry(),
            Input::Outcome(ticket, outcome) => {
                if ticket != self.ticket || self.in_flight.is_none() {
                    tracing::debug!(?ticket, current = ?self.ticket, "dropped a stale outcome");
                    return Vec::new();
                }
                let effect = self.in_flight.take();
                self.on_outcome(outcome, effect)
            }
        }
    }

    fn submit(&mut self) -> Vec<(Ticket, Effect)> {
        if self.step == Step::Summary {
            self.closed = true;
            return Vec::new();
        }
        if !matches!(self.phase, Phase::Editing { .. }) {
            return Vec::new();
        }
        match self.step {
            Step::Instance => self.submit_instance(),
            Step::License => self.submit_license(),
            Step::Number => self.submit_number(),
            Step::Summary => Vec::new(),
        }
    }

    fn back(&mut self) {
        match &self.phase {
            Phase::Working { .. } | Phase::Waiting { .. } => {
                self.cancel();
                self.leave_manual_setup();
                let note = if self.facts.operation.is_some() && self.step == Step::Number {
                    format!(
                        "Stopped waiting. Teams goes on with the assignment: the Instances \
                         screen shows when it is active, and the wizard for {} picks up the \
                         wait when opened again.",
                        self.upn_text()
                    )
                } else {
                    "Stopped waiting. Press Enter to try this step again.".to_owned()
                };
                self.phase = Phase::rejected(note);
            }
            Phase::Failed { reason, .. } => {
                let reason = reason.clone();
                self.cancel();
                self.leave_manual_setup();
                self.phase = Phase::rejected(reason);
            }
            Phase::Done => self.closed = true,
            Phase::Editing { .. } => match self.step {
                Step::Instance | Step::Summary => self.closed = true,
                Step::License => self.enter_editing(Step::Instance),
                Step::Number => self.enter_editing(Step::License),
            },
        }
    }

    fn retry(&mut self) -> Vec<(Ticket, Effect)> {
        let Phase::Failed {
            can_retry: true, ..
        } = self.phase
        else {
            return Vec::new();
        };
        let Some(effect) = self.last_failed.take() else {
            return Vec::new();
        };
        self.attempts = 0;
        self.phase = Phase::Working {
            activity: "Retrying".to_owned(),
        };
        self.emit(effect)
    }

    fn on_outcome(&mut self, outcome: Outcome, effect: Option<Effect>) -> Vec<(Ticket, Effect)> {
        match (self.step, outcome) {
            (_, Outcome::Failed(error)) => self.on_failure(error, effect),
            (Step::Instance, outcome) => self.on_instance_outcome(outcome),
            (Step::License, outcome) => self.on_license_outcome(outcome),
            (Step::Number, outcome) => self.on_number_outcome(outcome),
            (Step::Summary, _) => Vec::new(),
        }
    }

    fn on_failure(
        &mut self,
        error: crate::client::ApiError,
        effect: Option<Effect>,
    ) -> Vec<(Ticket, Effect)> {
        if let Some(effect) = &effect {
            if let Some(effects) = self.wait_for_replication(&error, effect) {
                return effects;
            }
            if let Some(effects) = self.manual_fallback(&error, effect) {
                return effects;
            }
        }
        let action = effect
            .as_ref()
            .map_or("The request".to_owned(), describe_effect);
        self.fail(format!("{action} failed: {error}"), effect)
    }

    /// Moves to a step's form with no error.
    fn enter_editing(&mut self, step: Step) {
        self.step = step;
        self.phase = Phase::editing();
    }

    /// Sends one effect as the only one in flight, with a fresh ticket.
    fn emit(&mut self, effect: Effect) -> Vec<(Ticket, Effect)> {
        self.ticket = Ticket(self.ticket.0 + 1);
        self.in_flight = Some(effect.clone());
        vec![(self.ticket, effect)]
    }

    /// Runs one call, showing what it does. A new call starts a new count of polls.
    fn work(&mut self, activity: impl Into<String>, effect: Effect) -> Vec<(Ticket, Effect)> {
        self.attempts = 0;
        self.phase = Phase::Working {
            activity: activity.into(),
        };
        self.emit(effect)
    }

    /// Starts polling from the first attempt.
    fn start_waiting(
        &mut self,
        activity: impl Into<String>,
        effect: impl FnOnce(Duration) -> Effect,
    ) -> Vec<(Ticket, Effect)> {
        self.attempts = 0;
        self.keep_waiting(activity, effect)
    }

    /// Polls once more with backoff, or fails once the bound is reached.
    fn keep_waiting(
        &mut self,
        activity: impl Into<String>,
        effect: impl FnOnce(Duration) -> Effect,
    ) -> Vec<(Ticket, Effect)> {
        let activity = activity.into();
        let max_attempts = self.timing.max_polls;
        if self.attempts >= max_attempts {
            let reason = format!(
                "{activity}: still not finished after {max_attempts} checks. Microsoft may \
                 finish it later: retry to keep waiting, or run the same steps for {} again \
                 later to pick up where this stopped.",
                self.upn_text()
            );
            let retry = effect(Duration::ZERO);
            return self.fail(reason, Some(retry));
        }
        let wait = self.timing.backoff(self.attempts);
        self.attempts += 1;
        self.phase = Phase::Waiting {
            activity,
            attempt: self.attempts,
            max_attempts,
        };
        self.emit(effect(wait))
    }

    /// Ends the step with a reason; the effect, when given, is what `r` runs again.
    fn fail(&mut self, reason: String, retry: Option<Effect>) -> Vec<(Ticket, Effect)> {
        self.phase = Phase::Failed {
            reason,
            can_retry: retry.is_some(),
        };
        self.last_failed = retry;
        Vec::new()
    }

    /// Forgets the call in flight, so its outcome is dropped when it arrives.
    fn cancel(&mut self) {
        self.ticket = Ticket(self.ticket.0 + 1);
        self.in_flight = None;
        self.last_failed = None;
    }

    fn note(&mut self, line: impl Into<String>) {
        self.log.push(line.into());
    }
}

/// Returns a short description of what an effect does, for failure messages.
fn describe_effect(effect: &Effect) -> String {
    match effect {
        Effect::CheckInstance { upn, .. } => format!("Checking {upn}"),
        Effect::CreateInstance(request) => format!("Creating {}", request.user_principal_name),
        Effect::WaitForInstance { .. } => "Reading the new resource account".to_owned(),
        Effect::FindInstance { upn, .. } => format!("Looking for {upn} in Teams"),
        Effect::SyncInstance { app_id, .. } => format!("Mapping the account to {app_id}"),
        Effect::LoadLicenseContext { .. } => "Reading licenses".to_owned(),
        Effect::SetUsageLocation { location, .. } => format!("Setting usage location {location}"),
        Effect::AssignLicense { .. } => "Assigning the resource-account license".to_owned(),
        Effect::CheckLicense { .. } => "Reading the license state".to_owned(),
        Effect::LoadNumbers { .. } => "Loading free numbers".to_owned(),
        Effect::LookupNumber(number) => format!("Looking up {number}"),
        Effect::AssignNumber { request, .. } => {
            format!("Assigning {}", request.telephone_number)
        }
        Effect::PollOperation { .. } => "Reading the assignment's progress".to_owned(),
        Effect::ConfirmNumber { number, .. } => format!("Reading {number}"),
        Effect::Delayed { effect, .. } => describe_effect(effect),
    }
}
