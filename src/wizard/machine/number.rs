//! Step 3: pick a free number that allows voice applications, assign it with its real type,
//! and follow the operation until the number is active.

use std::time::Duration;

use super::{Phase, Step, Wizard};
use crate::model::{ActivationState, NumberType, OperationStatus, PhoneNumber};
use crate::wire::graph::{AssignNumberRequest, NumberAssignment, NumberOperation};
use crate::wizard::rules::{number_problem, NumberTarget};
use crate::wizard::{Effect, NumberChoices, Outcome, Ticket};

impl Wizard {
    /// Enters step 3 by loading the numbers to pick from.
    pub(super) fn enter_number(&mut self) -> Vec<(Ticket, Effect)> {
        self.step = Step::Number;
        let Some(object_id) = self.facts.object_id.clone() else {
            return self.fail("The resource account is not known yet.".to_owned(), None);
        };
        self.work("Loading free numbers", Effect::LoadNumbers { object_id })
    }

    pub(super) fn submit_number(&mut self) -> Vec<(Ticket, Effect)> {
        let number = match self.form.number.parse::<PhoneNumber>() {
            Ok(number) => number,
            Err(error) => {
                self.phase = Phase::rejected(error.to_string());
                return Vec::new();
            }
        };
        // Once an assignment was started, the list of free numbers is stale, so the number is
        // read again: it may now be held by this very account.
        let known = self
            .facts
            .numbers
            .free
            .iter()
            .find(|record| same_number(record, &number))
            .filter(|_| self.facts.operation.is_none())
            .cloned();
        match known {
            Some(record) => self.assign_checked(record, None),
            None => self.work(format!("Looking up {number}"), Effect::LookupNumber(number)),
        }
    }

    pub(super) fn on_number_outcome(&mut self, outcome: Outcome) -> Vec<(Ticket, Effect)> {
        match outcome {
            Outcome::NumbersLoaded(choices) => self.on_numbers_loaded(choices),
            Outcome::NumberLookedUp(lookup) => match lookup.record {
                Some(record) => self.assign_checked(record, lookup.holder),
                None => {
                    self.phase = Phase::rejected(not_in_inventory(&lookup.number.to_string()));
                    Vec::new()
                }
            },
            Outcome::AssignStarted(location) => {
                self.facts.changed_tenant = true;
                self.facts.operation = Some(location.clone());
                let number = self.chosen_text();
                self.start_waiting(format!("Teams is assigning {number}"), |after| {
                    Effect::PollOperation { location, after }
                })
            }
            Outcome::OperationPolled(operation) => self.on_operation(operation),
            Outcome::NumberConfirmed(record) => self.on_confirmed(record),
            other => self.unexpected(other),
        }
    }

    fn on_numbers_loaded(&mut self, choices: NumberChoices) -> Vec<(Ticket, Effect)> {
        let held = choices.held.clone();
        self.facts.numbers = choices;
        if let Some(record) = held {
            if let Some(reason) = self.other_number_requested(&record) {
                self.phase = Phase::rejected(reason);
                return Vec::new();
            }
            self.note(format!(
                "{} already holds {}",
                self.upn_text(),
                record.telephone_number
            ));
            self.form.number = record.telephone_number.clone();
            return self.follow_activation(record);
        }
        let error = self.facts.numbers.free.is_empty().then(|| {
            "No free number in this tenant allows voice applications. Acquire a service number \
             (toll or toll-free) or upload a Direct Routing number, then type it here."
                .to_owned()
        });
        self.phase = Phase::Editing { error };
        Vec::new()
    }

    /// Returns why the wizard stops when the account already holds `held` but the form asks
    /// for another number: botline changes a number only when the admin requests it.
    fn other_number_requested(&self, held: &NumberAssignment) -> Option<String> {
        let requested = self.form.number.trim().parse::<PhoneNumber>().ok()?;
        let held_number = held.telephone_number.parse::<PhoneNumber>().ok();
        if held_number.as_ref() == Some(&requested) {
            return None;
        }
        Some(format!(
            "{} already holds {}, so botline does not assign {requested} as well. Unassign {} \
             first to change the number, or give {} as the number to follow its activation.",
            self.upn_text(),
            held.telephone_number,
            held.telephone_number,
            held.telephone_number,
        ))
    }

    /// Checks a number against the rules Teams enforces, then starts the assignment.
    fn assign_checked(
        &mut self,
        record: NumberAssignment,
        holder: Option<String>,
    ) -> Vec<(Ticket, Effect)> {
        let number = record.telephone_number.clone();
        let object_id = self.facts.object_id.clone().unwrap_or_default();
        let held_here = !object_id.is_empty()
            && record
                .assignment_target_id
                .as_deref()
                .is_some_and(|target| target.eq_ignore_ascii_case(&object_id));
        if held_here {
            self.note(format!("{} already holds {number}", self.upn_text()));
            return self.follow_activation(record);
        }
        let real_type = match self.number_problem(&record, holder.as_deref()) {
            Ok(real_type) => real_type,
            Err(reason) => {
                self.phase = Phase::rejected(reason);
                return Vec::new();
            }
        };
        let extension = self
            .form
            .number
            .parse::<PhoneNumber>()
            .ok()
            .and_then(|typed| typed.extension().map(str::to_owned));
        let number = match extension {
            Some(_) if real_type != NumberType::DirectRouting => {
                self.phase = Phase::rejected(format!(
                    "{number} is a {} number, and only Direct Routing numbers take an \
                     extension. Leave out the ;ext= part.",
                    real_type.label()
                ));
                return Vec::new();
            }
            // NOTE: whether Graph's assignNumber takes `;ext=` is unverified.
            Some(extension) => format!("{number};ext={extension}"),
            None => number,
        };
        self.warn_country_mismatch(&record);
        let request = AssignNumberRequest {
            telephone_number: number.clone(),
            assignment_target_id: object_id,
            number_type: real_type.clone(),
            assignment_category: None,
            location_id: None,
        };
        let activity = format!(
            "Assigning {number} ({}) to {}",
            real_type.label(),
            self.upn_text()
        );
        self.facts.chosen = Some(record);
        self.attempts = 0;
        self.work(
            activity,
            Effect::AssignNumber {
                request,
                after: Duration::ZERO,
            },
        )
    }

    /// Returns why Teams would refuse to give `record` to this account, or the number's real
    /// type. A number the account itself holds is no problem.
    pub(super) fn number_problem(
        &self,
        record: &NumberAssignment,
        holder: Option<&str>,
    ) -> Result<NumberType, String> {
        let usage_location = self.usage_location();
        let target = NumberTarget {
            object_id: self.facts.object_id.as_deref().unwrap_or_default(),
            usage_location: &usage_location,
            requested_type: self.form.number_type.as_ref(),
        };
        number_problem(record, holder, target)
    }

    /// Returns the usage location the account has or is about to get, upper case.
    fn usage_location(&self) -> String {
        self.facts
            .license
            .as_ref()
            .and_then(|context| context.usage_location.clone())
            .unwrap_or_else(|| self.form.usage_location.trim().to_owned())
            .to_ascii_uppercase()
    }

    fn warn_country_mismatch(&mut self, record: &NumberAssignment) {
        let location = self.usage_location();
        let Some(country) = record.iso_country_code.as_deref() else {
            return;
        };
        if !location.is_empty() && !country.eq_ignore_ascii_case(&location) {
            self.note(format!(
                "Warning: usage location {location} differs from the number's country \
                 {country}; set the usage location to {country} if the bot serves {country}."
            ));
        }
    }

    fn on_operation(&mut self, operation: NumberOperation) -> Vec<(Ticket, Effect)> {
        let number = self.chosen_text();
        match operation.status {
            OperationStatus::Succeeded => {
                self.note(format!("Teams assigned {number}"));
                let Ok(parsed) = number.parse::<PhoneNumber>() else {
                    return self.fail(format!("{number} is not a valid number"), None);
                };
                self.start_waiting(format!("Waiting for {number} to activate"), |after| {
                    Effect::ConfirmNumber {
                        number: parsed,
                        after,
                    }
                })
            }
            OperationStatus::Failed | OperationStatus::Skipped => {
                let detail = operation.failure_detail();
                let retry = self.assign_effect();
                self.fail(format!("Teams could not assign {number}: {detail}"), retry)
            }
            _ => {
                let location = self.facts.operation.clone().unwrap_or_default();
                self.keep_waiting(format!("Teams is assigning {number}"), |after| {
                    Effect::PollOperation { location, after }
                })
            }
        }
    }

    fn on_confirmed(&mut self, record: Option<NumberAssignment>) -> Vec<(Ticket, Effect)> {
        let number = self.chosen_text();
        let Some(record) = record else {
            return self.fail(
                format!("{number} is no longer in the number inventory."),
                None,
            );
        };
        self.facts.chosen = Some(record.clone());
        match record.activation_state {
            Some(ActivationState::Activated) => {
                self.note(format!("{number} is active"));
                self.step = Step::Summary;
                self.phase = Phase::Done;
                Vec::new()
            }
            Some(ActivationState::AssignmentFailed) => {
                let retry = self.assign_effect();
                self.fail(
                    format!(
                        "Teams reports the assignment of {number} as failed (assignmentFailed)."
                    ),
                    retry,
                )
            }
            _ => self.follow_activation_again(record),
        }
    }

    /// Polls a number the account already holds until Teams activates it.
    fn follow_activation(&mut self, record: NumberAssignment) -> Vec<(Ticket, Effect)> {
        self.facts.chosen = Some(record.clone());
        if record.activation_state == Some(ActivationState::Activated) {
            self.step = Step::Summary;
            self.phase = Phase::Done;
            return Vec::new();
        }
        self.attempts = 0;
        self.follow_activation_again(record)
    }

    fn follow_activation_again(&mut self, record: NumberAssignment) -> Vec<(Ticket, Effect)> {
        let number = record.telephone_number.clone();
        let Ok(parsed) = number.parse::<PhoneNumber>() else {
            return self.fail(format!("{number} is not a valid number"), None);
        };
        self.keep_waiting(format!("Waiting for {number} to activate"), |after| {
            Effect::ConfirmNumber {
                number: parsed,
                after,
            }
        })
    }

    fn assign_effect(&self) -> Option<Effect> {
        let record = self.facts.chosen.as_ref()?;
        Some(Effect::AssignNumber {
            request: AssignNumberRequest {
                telephone_number: record.telephone_number.clone(),
                assignment_target_id: self.facts.object_id.clone()?,
                number_type: record.number_type.clone()?,
                assignment_category: None,
                location_id: None,
            },
            after: Duration::ZERO,
        })
    }

    fn chosen_text(&self) -> String {
        self.facts.chosen.as_ref().map_or_else(
            || self.form.number.trim().to_owned(),
            |record| record.telephone_number.clone(),
        )
    }
}

/// Returns the reason for a number the tenant does not have.
pub(super) fn not_in_inventory(number: &str) -> String {
    format!(
        "{number} is not in this tenant's number inventory. Acquire it in the Teams admin \
         center (or upload it for Direct Routing), or pick a number from the list."
    )
}

/// Returns true when a record is the given number, ignoring formatting.
fn same_number(record: &NumberAssignment, number: &PhoneNumber) -> bool {
    record
        .telephone_number
        .parse::<PhoneNumber>()
        .is_ok_and(|parsed| parsed == *number)
}
