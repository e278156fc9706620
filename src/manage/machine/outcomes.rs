//! The task's reactions to the outcome of each effect: an accepted request, a polled
//! operation, a number read back, or a failure.

use super::{Certainty, Stage, Task};
use crate::client::ApiError;
use crate::manage::step::{describe, Step};
use crate::manage::{Effect, Outcome};
use crate::model::{ActivationState, OperationStatus, RESOURCE_ACCOUNT_SKU};
use crate::wire::graph::{NumberAssignment, NumberOperation};
use crate::wizard::Ticket;

impl Task {
    pub(super) fn on_outcome(&mut self, outcome: Outcome) -> Vec<(Ticket, Effect)> {
        let Some((step, stage)) = self.current.clone() else {
            return Vec::new();
        };
        match (outcome, &stage) {
            (Outcome::Failed(error), _) => self.on_error(&step, &stage, &error),
            (Outcome::Started(location), Stage::Starting) => {
                self.changed_tenant = true;
                self.current = Some((step.clone(), Stage::Polling { location }));
                self.attempts = 0;
                self.poll(&step)
            }
            (Outcome::OperationPolled(operation), Stage::Polling { .. }) => {
                self.on_operation(&step, operation)
            }
            (Outcome::NumberRead(record), Stage::Confirming) => {
                self.on_number(&step, record.as_ref())
            }
            (Outcome::Updated, Stage::Starting) => {
                self.changed_tenant = true;
                let Step::Update {
                    number,
                    location_id,
                } = &step
                else {
                    return self.unexpected(&step);
                };
                let line = if location_id.is_empty() {
                    format!("Removed the emergency location of {number}")
                } else {
                    format!("Set the emergency location of {number} to {location_id}")
                };
                self.step_done(&step, line)
            }
            (Outcome::LicenseRemoved, Stage::Starting) => {
                self.changed_tenant = true;
                let Step::RemoveLicense { account, .. } = &step else {
                    return self.unexpected(&step);
                };
                let line = format!("Removed {RESOURCE_ACCOUNT_SKU} from {}", account.upn);
                self.step_done(&step, line)
            }
            _ => self.unexpected(&step),
        }
    }

    fn on_error(&mut self, step: &Step, stage: &Stage, error: &ApiError) -> Vec<(Ticket, Effect)> {
        let (action, certainty) = match stage {
            Stage::Starting => (describe(step), Certainty::Failed),
            Stage::Polling { .. } => (
                format!("Reading the progress of {}", step.telephone_number()),
                Certainty::Unknown,
            ),
            Stage::Confirming => (
                format!("Reading {}", step.telephone_number()),
                Certainty::Unknown,
            ),
        };
        self.step_failed(format!("{action} failed: {error}."), certainty)
    }

    fn on_operation(&mut self, step: &Step, operation: NumberOperation) -> Vec<(Ticket, Effect)> {
        let number = step.telephone_number().to_owned();
        match operation.status {
            OperationStatus::Succeeded => {
                let verb = match step {
                    Step::Unassign { .. } => "unassigned",
                    _ => "assigned",
                };
                self.note(format!("Teams {verb} {number}"));
                self.current = Some((step.clone(), Stage::Confirming));
                self.attempts = 0;
                self.confirm(step)
            }
            OperationStatus::Failed | OperationStatus::Skipped => {
                let detail = operation.failure_detail();
                let verb = match step {
                    Step::Unassign { .. } => "unassign",
                    _ => "assign",
                };
                self.step_failed(
                    format!("Teams could not {verb} {number}: {detail}."),
                    Certainty::Failed,
                )
            }
            _ => self.poll(step),
        }
    }

    fn on_number(
        &mut self,
        step: &Step,
        record: Option<&NumberAssignment>,
    ) -> Vec<(Ticket, Effect)> {
        match step {
            Step::Unassign { number, holder } => {
                let free = record.is_none_or(|record| {
                    record.is_unassigned()
                        || !record
                            .assignment_target_id
                            .as_deref()
                            .is_some_and(|id| id.eq_ignore_ascii_case(&holder.object_id))
                });
                if free {
                    let line = format!("{} is free", number.telephone_number);
                    return self.step_done(step, line);
                }
                self.confirm(step)
            }
            Step::Assign { number, account } => {
                let Some(record) = record else {
                    return self.step_failed(
                        format!(
                            "{} is no longer in the number inventory.",
                            number.telephone_number
                        ),
                        Certainty::Failed,
                    );
                };
                let held_here = record
                    .assignment_target_id
                    .as_deref()
                    .is_some_and(|id| id.eq_ignore_ascii_case(&account.object_id));
                match &record.activation_state {
                    Some(ActivationState::Activated) if held_here => {
                        let line =
                            format!("{} is active on {}", number.telephone_number, account.upn);
                        self.step_done(step, line)
                    }
                    Some(ActivationState::AssignmentFailed) => self.step_failed(
                        format!(
                            "Teams reports the assignment of {} as failed (assignmentFailed).",
                            number.telephone_number
                        ),
                        Certainty::Failed,
                    ),
                    _ => self.confirm(step),
                }
            }
            Step::Update { .. } | Step::RemoveLicense { .. } => self.unexpected(step),
        }
    }
}
