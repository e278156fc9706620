//! The states and transitions of one management [`Operation`].
//!
//! An operation runs as a list of steps: unassign a number, assign one, update a number or
//! remove a license. A number step starts Teams' asynchronous operation, polls it, then reads
//! the number until it is free or active. Changing a number is "unassign old, assign new";
//! when the assignment of the new number certainly failed, the old number is assigned again
//! and the task ends failed, saying that the old number is back.

use std::collections::VecDeque;
use std::time::Duration;

use super::step::{describe, Step};
use super::{Effect, Operation, Outcome};
use crate::model::PhoneNumber;
use crate::wizard::{Ticket, Timing};

mod outcomes;

/// The state of a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// One call is in flight.
    Working {
        /// The running action, such as "Unassigning +14255550111 from survey-bot@contoso.com".
        activity: String,
    },
    /// botline polls Teams until an asynchronous step finishes.
    Waiting {
        /// The change botline waits for.
        activity: String,
        /// Polls so far.
        attempt: u32,
        /// Polls before giving up.
        max_attempts: u32,
    },
    /// Every step finished.
    Done {
        /// The change made, in one sentence.
        summary: String,
    },
    /// A step failed. The reason names what failed, the state the tenant is left in, and
    /// the next step for the admin.
    Failed {
        /// One or two plain sentences.
        reason: String,
    },
    /// The admin stopped waiting; Teams goes on with what it started.
    Stopped {
        /// The changes that may still happen, and how to see them.
        note: String,
    },
}

impl Phase {
    /// Returns true while a call is in flight or botline is polling.
    pub fn is_busy(&self) -> bool {
        matches!(self, Phase::Working { .. } | Phase::Waiting { .. })
    }
}

/// Something that happens to a task.
#[derive(Debug, Clone, PartialEq)]
#[expect(
    clippy::large_enum_variant,
    reason = "one input is moved per key or HTTP reply, so its size costs nothing measurable"
)]
pub enum Input {
    /// The outcome of an effect.
    Outcome(Ticket, Outcome),
    /// Esc: stop following the change.
    StopWaiting,
}

/// How far a number step has come.
#[derive(Debug, Clone, PartialEq)]
enum Stage {
    /// The request is sent.
    Starting,
    /// Teams accepted it; botline polls the operation at `location`.
    Polling { location: String },
    /// The operation finished; botline reads the number until it shows the change.
    Confirming,
}

/// Whether a failed step certainly changed nothing, which decides whether a rollback is safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Certainty {
    /// Teams rejected the request or reported the change as failed.
    Failed,
    /// botline lost track: a read failed or the polls ran out, and Teams may still finish.
    Unknown,
}

/// One running operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    /// The change being made.
    pub operation: Operation,
    /// Its state.
    pub phase: Phase,
    /// Finished actions, oldest first.
    pub log: Vec<String>,
    /// Whether any write went through, so the lists need a reload.
    pub changed_tenant: bool,
    timing: Timing,
    ticket: Ticket,
    in_flight: bool,
    attempts: u32,
    steps: VecDeque<Step>,
    current: Option<(Step, Stage)>,
    /// The step that undoes a finished unassignment, armed while a change of number assigns
    /// the new one.
    rollback: Option<Step>,
    /// The reason the rollback runs, while it runs.
    rollback_cause: Option<String>,
}

impl Task {
    /// Starts an operation and returns the task with its first effect.
    pub fn start(operation: Operation, timing: Timing) -> (Task, Vec<(Ticket, Effect)>) {
        let steps: VecDeque<Step> = match operation.clone() {
            Operation::Unassign { holder, number } => [Step::Unassign { holder, number }].into(),
            Operation::ChangeNumber { account, old, new } => [
                Step::Unassign {
                    holder: account.clone(),
                    number: old,
                },
                Step::Assign {
                    account,
                    number: new,
                },
            ]
            .into(),
            Operation::Assign { account, number } => [Step::Assign { account, number }].into(),
            Operation::UpdateLocation {
                number,
                location_id,
            } => [Step::Update {
                number,
                location_id,
            }]
            .into(),
            Operation::RemoveLicense { account, sku_id } => {
                [Step::RemoveLicense { account, sku_id }].into()
            }
        };
        let mut task = Task {
            operation,
            phase: Phase::Working {
                activity: String::new(),
            },
            log: Vec::new(),
            changed_tenant: false,
            timing,
            ticket: Ticket(0),
            in_flight: false,
            attempts: 0,
            steps,
            current: None,
            rollback: None,
            rollback_cause: None,
        };
        let effects = task.next_step();
        (task, effects)
    }

    /// Returns the ticket that the next outcome must carry.
    pub fn ticket(&self) -> Ticket {
        self.ticket
    }

    /// Returns true once the task will not change any more.
    pub fn is_finished(&self) -> bool {
        !self.phase.is_busy()
    }

    /// Applies one input and returns the effects to run, each with its ticket.
    pub fn update(&mut self, input: Input) -> Vec<(Ticket, Effect)> {
        match input {
            Input::StopWaiting => {
                self.stop_waiting();
                Vec::new()
            }
            Input::Outcome(ticket, outcome) => {
                if ticket != self.ticket || !self.in_flight {
                    tracing::debug!(?ticket, current = ?self.ticket, "dropped a stale outcome");
                    return Vec::new();
                }
                self.in_flight = false;
                self.on_outcome(outcome)
            }
        }
    }

    fn stop_waiting(&mut self) {
        if !self.phase.is_busy() {
            return;
        }
        self.ticket = Ticket(self.ticket.0 + 1);
        self.in_flight = false;
        let note = match (&self.rollback, &self.current) {
            (Some(Step::Assign { account, number }), _) => format!(
                "Stopped waiting. {} is free and {} gets the new number if Teams finishes; \
                 if it does not, assign {} to it again.",
                number.telephone_number, account.upn, number.telephone_number
            ),
            (_, Some((_, Stage::Polling { .. } | Stage::Confirming))) => {
                "Stopped waiting. Teams goes on with the change; press r on a list to see \
                 the result."
                    .to_owned()
            }
            _ => "Stopped waiting. The request may still take effect; press r on a list to \
                  see the result."
                .to_owned(),
        };
        self.current = None;
        self.phase = Phase::Stopped { note };
    }

    /// Starts the next step, or finishes the task when none is left.
    fn next_step(&mut self) -> Vec<(Ticket, Effect)> {
        let Some(step) = self.steps.pop_front() else {
            self.current = None;
            self.phase = match self.rollback_cause.take() {
                Some(cause) => Phase::Failed {
                    reason: format!("{cause} {}", self.restored_text()),
                },
                None => Phase::Done {
                    summary: self.operation.summary(),
                },
            };
            return Vec::new();
        };
        self.begin(step)
    }

    fn begin(&mut self, step: Step) -> Vec<(Ticket, Effect)> {
        let activity = describe(&step);
        let effect = step.effect();
        self.current = Some((step, Stage::Starting));
        self.attempts = 0;
        self.phase = Phase::Working { activity };
        self.emit(effect)
    }

    fn step_done(&mut self, step: &Step, line: String) -> Vec<(Ticket, Effect)> {
        self.note(line);
        if let (Operation::ChangeNumber { account, old, .. }, Step::Unassign { .. }) =
            (&self.operation, step)
        {
            if self.rollback_cause.is_none() {
                self.rollback = Some(Step::Assign {
                    account: account.clone(),
                    number: old.clone(),
                });
            }
        }
        if let Step::Assign { .. } = step {
            self.rollback = None;
        }
        self.next_step()
    }

    fn step_failed(&mut self, reason: String, certainty: Certainty) -> Vec<(Ticket, Effect)> {
        self.current = None;
        if let Some(cause) = self.rollback_cause.take() {
            let Operation::ChangeNumber { account, old, .. } = &self.operation else {
                return self.finish_failed(format!("{cause} {reason}"));
            };
            let reason = format!(
                "{cause} Putting {} back also failed: {reason} {} may hold no number now: \
                 assign {} to it again.",
                old.telephone_number, account.upn, old.telephone_number
            );
            return self.finish_failed(reason);
        }
        match (self.rollback.take(), certainty) {
            (Some(rollback), Certainty::Failed) => {
                self.note(reason.clone());
                self.rollback_cause = Some(reason);
                self.steps.clear();
                self.begin(rollback)
            }
            (Some(Step::Assign { account, number }), Certainty::Unknown) => {
                let reason = format!(
                    "{reason} botline cannot tell whether the new number was assigned, so it \
                     left {} free; if {} holds no number, assign {} to it again.",
                    number.telephone_number, account.upn, number.telephone_number
                );
                self.finish_failed(reason)
            }
            _ => self.finish_failed(reason),
        }
    }

    fn finish_failed(&mut self, reason: String) -> Vec<(Ticket, Effect)> {
        self.current = None;
        self.steps.clear();
        self.phase = Phase::Failed { reason };
        Vec::new()
    }

    fn restored_text(&self) -> String {
        match &self.operation {
            Operation::ChangeNumber { account, old, .. } => format!(
                "{} is back on {}, so nothing changed.",
                old.telephone_number, account.upn
            ),
            _ => String::new(),
        }
    }

    /// Polls the operation once more with backoff.
    fn poll(&mut self, step: &Step) -> Vec<(Ticket, Effect)> {
        let Some((_, Stage::Polling { location })) = &self.current else {
            return self.unexpected(step);
        };
        let location = location.clone();
        let activity = match step {
            Step::Unassign { number, .. } => {
                format!("Teams is unassigning {}", number.telephone_number)
            }
            _ => format!("Teams is assigning {}", step.telephone_number()),
        };
        self.keep_waiting(activity, |after| Effect::PollOperation { location, after })
    }

    /// Reads the number once more with backoff.
    fn confirm(&mut self, step: &Step) -> Vec<(Ticket, Effect)> {
        let number = step.telephone_number().to_owned();
        let Ok(parsed) = number.parse::<PhoneNumber>() else {
            return self.finish_failed(format!(
                "{number} is not a valid number, so botline cannot read it back."
            ));
        };
        let activity = match step {
            Step::Unassign { .. } => format!("Waiting for {number} to be free"),
            _ => format!("Waiting for {number} to activate"),
        };
        self.keep_waiting(activity, |after| Effect::ReadNumber {
            number: parsed,
            after,
        })
    }

    fn keep_waiting(
        &mut self,
        activity: String,
        effect: impl FnOnce(Duration) -> Effect,
    ) -> Vec<(Ticket, Effect)> {
        let max_attempts = self.timing.max_polls;
        if self.attempts >= max_attempts {
            return self.step_failed(
                format!(
                    "{activity}: still not finished after {max_attempts} checks. Teams may \
                     finish it later; press r on a list to see the result."
                ),
                Certainty::Unknown,
            );
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

    fn emit(&mut self, effect: Effect) -> Vec<(Ticket, Effect)> {
        self.ticket = Ticket(self.ticket.0 + 1);
        self.in_flight = true;
        vec![(self.ticket, effect)]
    }

    fn unexpected(&mut self, step: &Step) -> Vec<(Ticket, Effect)> {
        tracing::error!(?step, phase = ?self.phase, "outcome does not fit the operation's step");
        self.finish_failed(format!(
            "botline got an answer it did not expect while {}; press r on a list to see the \
             tenant as it is.",
            describe(step).to_lowercase()
        ))
    }

    fn note(&mut self, line: impl Into<String>) {
        self.log.push(line.into());
    }
}
