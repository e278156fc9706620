//! Transition tests of the management machine, one situation each, with no I/O.

use std::time::Duration;

use super::*;
use crate::client::ApiError;
use crate::model::{ActivationState, AssignmentStatus, NumberType, OperationStatus};
use crate::wire::graph::{NumberAssignment, NumberOperation, NumberOperationDetails};
use crate::wizard::{Ticket, Timing};

const BOT_ID: &str = "7e5a0000-0000-4000-8000-000000000004";
const BOT_UPN: &str = "scheduling-bot@contoso.com";
const OLD: &str = "+14255550111";
const NEW: &str = "+14255550112";

fn timing() -> Timing {
    Timing {
        first_poll: Duration::from_millis(100),
        max_poll: Duration::from_millis(400),
        max_polls: 4,
    }
}

fn account() -> Account {
    Account {
        object_id: BOT_ID.into(),
        upn: BOT_UPN.into(),
    }
}

fn number(value: &str) -> NumberRef {
    NumberRef {
        telephone_number: value.into(),
        number_type: NumberType::CallingPlan,
    }
}

fn unassign() -> Operation {
    Operation::Unassign {
        holder: account(),
        number: number(OLD),
    }
}

fn change() -> Operation {
    Operation::ChangeNumber {
        account: account(),
        old: number(OLD),
        new: number(NEW),
    }
}

fn record(value: &str, holder: Option<&str>, state: ActivationState) -> NumberAssignment {
    NumberAssignment {
        telephone_number: value.into(),
        number_type: Some(NumberType::CallingPlan),
        activation_state: Some(state),
        assignment_status: Some(if holder.is_some() {
            AssignmentStatus::VoiceApplicationAssigned
        } else {
            AssignmentStatus::Unassigned
        }),
        assignment_target_id: holder.map(str::to_owned),
        ..NumberAssignment::default()
    }
}

fn operation(status: OperationStatus, detail: Option<&str>) -> NumberOperation {
    NumberOperation {
        id: "op".into(),
        created_date_time: None,
        status: status.clone(),
        numbers: vec![NumberOperationDetails {
            resource_location: None,
            status,
            status_detail: detail.map(str::to_owned),
        }],
    }
}

fn error(status: u16, message: &str) -> ApiError {
    ApiError::Status {
        status,
        code: Some("BadRequest".into()),
        message: message.into(),
        request_id: Some("req-7".into()),
    }
}

/// Feeds the outcome to the single effect in flight and returns the next effects.
fn answer(
    task: &mut Task,
    effects: &[(Ticket, Effect)],
    outcome: Outcome,
) -> Vec<(Ticket, Effect)> {
    assert_eq!(effects.len(), 1, "expected one effect, got {effects:?}");
    task.update(Input::Outcome(effects[0].0, outcome))
}

fn reason(task: &Task) -> String {
    match &task.phase {
        Phase::Failed { reason } => reason.clone(),
        other => panic!("expected a failure, got {other:?}"),
    }
}

/// Runs an unassign or assign step from its start to the confirming read.
fn through_operation(task: &mut Task, effects: Vec<(Ticket, Effect)>) -> Vec<(Ticket, Effect)> {
    let effects = answer(task, &effects, Outcome::Started("ops/1".into()));
    answer(
        task,
        &effects,
        Outcome::OperationPolled(operation(OperationStatus::Succeeded, None)),
    )
}

#[test]
fn unassign_starts_with_number_and_type() {
    let (task, effects) = Task::start(unassign(), timing());
    assert_eq!(effects.len(), 1);
    let Effect::UnassignNumber(request) = &effects[0].1 else {
        panic!("expected unassignNumber, got {effects:?}");
    };
    assert_eq!(request.telephone_number, OLD);
    assert_eq!(request.number_type, NumberType::CallingPlan);
    assert_eq!(
        task.phase,
        Phase::Working {
            activity: format!("Unassigning {OLD} from {BOT_UPN}")
        }
    );
    assert!(!task.changed_tenant);
}

#[test]
fn accepted_unassignment_polls_with_backoff() {
    let (mut task, effects) = Task::start(unassign(), timing());
    let effects = answer(&mut task, &effects, Outcome::Started("ops/1".into()));
    assert!(task.changed_tenant);
    assert_eq!(
        effects[0].1,
        Effect::PollOperation {
            location: "ops/1".into(),
            after: Duration::from_millis(100),
        }
    );
    let effects = answer(
        &mut task,
        &effects,
        Outcome::OperationPolled(operation(OperationStatus::Running, None)),
    );
    assert_eq!(effects[0].1.delay(), Duration::from_millis(200));
    assert_eq!(
        task.phase,
        Phase::Waiting {
            activity: format!("Teams is unassigning {OLD}"),
            attempt: 2,
            max_attempts: 4,
        }
    );
}

#[test]
fn unassignment_ends_when_number_is_free() {
    let (mut task, effects) = Task::start(unassign(), timing());
    let effects = through_operation(&mut task, effects);
    let Effect::ReadNumber { number, after } = &effects[0].1 else {
        panic!("expected a read, got {effects:?}");
    };
    assert_eq!(number.to_string(), OLD);
    assert_eq!(*after, Duration::from_millis(100));

    let still_held = record(OLD, Some(BOT_ID), ActivationState::AssignmentPending);
    let effects = answer(&mut task, &effects, Outcome::NumberRead(Some(still_held)));
    assert!(matches!(effects[0].1, Effect::ReadNumber { .. }));
    assert!(task.phase.is_busy());

    let free = record(OLD, None, ActivationState::Activated);
    let effects = answer(&mut task, &effects, Outcome::NumberRead(Some(free)));
    assert!(effects.is_empty());
    assert_eq!(
        task.phase,
        Phase::Done {
            summary: format!("Unassigned {OLD} from {BOT_UPN}; the number is free.")
        }
    );
    assert!(task.is_finished());
    assert!(task.log.contains(&format!("Teams unassigned {OLD}")));
}

#[test]
fn stale_outcome_is_dropped() {
    let (mut task, effects) = Task::start(unassign(), timing());
    let stale = Ticket(effects[0].0 .0 + 10);
    let next = task.update(Input::Outcome(stale, Outcome::Started("ops/1".into())));
    assert!(next.is_empty());
    assert!(matches!(task.phase, Phase::Working { .. }));
    assert!(!task.changed_tenant);
}

#[test]
fn rejected_unassignment_fails_with_request_id() {
    let (mut task, effects) = Task::start(unassign(), timing());
    let next = answer(
        &mut task,
        &effects,
        Outcome::Failed(error(400, "The number has a change in progress")),
    );
    assert!(next.is_empty());
    let reason = reason(&task);
    assert!(reason.starts_with(&format!("Unassigning {OLD} from {BOT_UPN} failed")));
    assert!(reason.contains("req-7"), "{reason}");
    assert!(!task.changed_tenant);
}

#[test]
fn failed_operation_shows_its_detail() {
    let (mut task, effects) = Task::start(unassign(), timing());
    let effects = answer(&mut task, &effects, Outcome::Started("ops/1".into()));
    let next = answer(
        &mut task,
        &effects,
        Outcome::OperationPolled(operation(OperationStatus::Failed, Some("Number is locked"))),
    );
    assert!(next.is_empty());
    assert_eq!(
        reason(&task),
        format!("Teams could not unassign {OLD}: Number is locked.")
    );
}

#[test]
fn endless_operation_gives_up_after_bound() {
    let (mut task, effects) = Task::start(unassign(), timing());
    let mut effects = answer(&mut task, &effects, Outcome::Started("ops/1".into()));
    for _ in 0..4 {
        effects = answer(
            &mut task,
            &effects,
            Outcome::OperationPolled(operation(OperationStatus::Running, None)),
        );
    }
    assert!(effects.is_empty());
    let reason = reason(&task);
    assert!(
        reason.contains("still not finished after 4 checks"),
        "{reason}"
    );
}

#[test]
fn stop_waiting_drops_late_reply() {
    let (mut task, effects) = Task::start(unassign(), timing());
    let effects = answer(&mut task, &effects, Outcome::Started("ops/1".into()));
    task.update(Input::StopWaiting);
    let Phase::Stopped { note } = &task.phase else {
        panic!("expected stopped, got {:?}", task.phase);
    };
    assert!(note.contains("Teams goes on"), "{note}");
    let late = answer(
        &mut task,
        &effects,
        Outcome::OperationPolled(operation(OperationStatus::Succeeded, None)),
    );
    assert!(late.is_empty());
    assert!(matches!(task.phase, Phase::Stopped { .. }));
}

#[test]
fn stop_waiting_when_finished_changes_nothing() {
    let (mut task, effects) = Task::start(unassign(), timing());
    answer(&mut task, &effects, Outcome::Failed(error(400, "no")));
    let before = task.phase.clone();
    task.update(Input::StopWaiting);
    assert_eq!(task.phase, before);
}

/// Drives a change of number until the new number's assignment starts.
fn change_until_assign() -> (Task, Vec<(Ticket, Effect)>) {
    let (mut task, effects) = Task::start(change(), timing());
    let Effect::UnassignNumber(request) = &effects[0].1 else {
        panic!("a change starts with the old number's unassignment, got {effects:?}");
    };
    assert_eq!(request.telephone_number, OLD);
    let effects = through_operation(&mut task, effects);
    let free = record(OLD, None, ActivationState::Activated);
    let effects = answer(&mut task, &effects, Outcome::NumberRead(Some(free)));
    let Effect::AssignNumber(request) = &effects[0].1 else {
        panic!("expected the new number's assignment, got {effects:?}");
    };
    assert_eq!(request.telephone_number, NEW);
    assert_eq!(request.assignment_target_id, BOT_ID);
    assert_eq!(request.number_type, NumberType::CallingPlan);
    (task, effects)
}

#[test]
fn change_assigns_new_after_old_is_free() {
    let (mut task, effects) = change_until_assign();
    let effects = through_operation(&mut task, effects);
    let active = record(NEW, Some(BOT_ID), ActivationState::Activated);
    let next = answer(&mut task, &effects, Outcome::NumberRead(Some(active)));
    assert!(next.is_empty());
    assert_eq!(
        task.phase,
        Phase::Done {
            summary: format!("{BOT_UPN} now holds {NEW} instead of {OLD}.")
        }
    );
}

/// Checks that the next effect assigns the old number back, then finishes the rollback and
/// returns the final reason.
fn finish_rollback(task: &mut Task, effects: Vec<(Ticket, Effect)>) -> String {
    let Effect::AssignNumber(request) = &effects[0].1 else {
        panic!("expected the old number's assignment, got {effects:?}");
    };
    assert_eq!(request.telephone_number, OLD);
    assert_eq!(request.assignment_target_id, BOT_ID);
    assert!(
        task.log.iter().any(|line| line.contains(NEW)),
        "the cause is logged: {:?}",
        task.log
    );
    let effects = through_operation(task, effects);
    let restored = record(OLD, Some(BOT_ID), ActivationState::Activated);
    let next = answer(task, &effects, Outcome::NumberRead(Some(restored)));
    assert!(next.is_empty());
    reason(task)
}

#[test]
fn rejected_new_number_puts_old_back() {
    let (mut task, effects) = change_until_assign();
    let effects = answer(
        &mut task,
        &effects,
        Outcome::Failed(error(400, "The usage location does not match")),
    );
    let reason = finish_rollback(&mut task, effects);
    assert!(reason.contains("usage location does not match"), "{reason}");
    assert!(
        reason.ends_with(&format!("{OLD} is back on {BOT_UPN}, so nothing changed.")),
        "{reason}"
    );
}

#[test]
fn failed_operation_of_new_number_puts_old_back() {
    let (mut task, effects) = change_until_assign();
    let effects = answer(&mut task, &effects, Outcome::Started("ops/2".into()));
    let effects = answer(
        &mut task,
        &effects,
        Outcome::OperationPolled(operation(OperationStatus::Failed, Some("Carrier refused"))),
    );
    let reason = finish_rollback(&mut task, effects);
    assert!(
        reason.starts_with(&format!("Teams could not assign {NEW}: Carrier refused.")),
        "{reason}"
    );
}

#[test]
fn failed_activation_of_new_number_puts_old_back() {
    let (mut task, effects) = change_until_assign();
    let effects = through_operation(&mut task, effects);
    let failed = record(NEW, Some(BOT_ID), ActivationState::AssignmentFailed);
    let effects = answer(&mut task, &effects, Outcome::NumberRead(Some(failed)));
    let reason = finish_rollback(&mut task, effects);
    assert!(reason.contains("assignmentFailed"), "{reason}");
}

#[test]
fn unknown_outcome_skips_rollback() {
    let (mut task, effects) = change_until_assign();
    let effects = answer(&mut task, &effects, Outcome::Started("ops/2".into()));
    let next = answer(
        &mut task,
        &effects,
        Outcome::Failed(error(503, "unavailable")),
    );
    assert!(next.is_empty(), "no rollback while the outcome is unknown");
    let reason = reason(&task);
    assert!(reason.contains(&format!("left {OLD} free")), "{reason}");
}

#[test]
fn failed_rollback_says_account_may_hold_nothing() {
    let (mut task, effects) = change_until_assign();
    let effects = answer(&mut task, &effects, Outcome::Failed(error(400, "refused")));
    assert!(matches!(effects[0].1, Effect::AssignNumber(_)));
    let next = answer(
        &mut task,
        &effects,
        Outcome::Failed(error(400, "also refused")),
    );
    assert!(next.is_empty());
    let reason = reason(&task);
    assert!(
        reason.contains(&format!("Putting {OLD} back also failed")),
        "{reason}"
    );
    assert!(
        reason.contains(&format!("assign {OLD} to it again")),
        "{reason}"
    );
}

#[test]
fn failed_unassignment_of_old_stops_change() {
    let (mut task, effects) = Task::start(change(), timing());
    let next = answer(&mut task, &effects, Outcome::Failed(error(400, "locked")));
    assert!(next.is_empty(), "the new number is not assigned");
    assert!(reason(&task).starts_with(&format!("Unassigning {OLD}")));
}

#[test]
fn stop_waiting_during_change_names_free_number() {
    let (mut task, effects) = change_until_assign();
    answer(&mut task, &effects, Outcome::Started("ops/2".into()));
    task.update(Input::StopWaiting);
    let Phase::Stopped { note } = &task.phase else {
        panic!("expected stopped, got {:?}", task.phase);
    };
    assert!(
        note.contains(&format!("assign {OLD} to it again")),
        "{note}"
    );
}

#[test]
fn assign_waits_for_activation_on_account() {
    let operation = Operation::Assign {
        account: account(),
        number: number(NEW),
    };
    let (mut task, effects) = Task::start(operation, timing());
    assert!(matches!(effects[0].1, Effect::AssignNumber(_)));
    let effects = through_operation(&mut task, effects);
    let pending = record(NEW, Some(BOT_ID), ActivationState::AssignmentPending);
    let effects = answer(&mut task, &effects, Outcome::NumberRead(Some(pending)));
    assert!(matches!(effects[0].1, Effect::ReadNumber { .. }));
    let active = record(NEW, Some(BOT_ID), ActivationState::Activated);
    answer(&mut task, &effects, Outcome::NumberRead(Some(active)));
    assert!(matches!(task.phase, Phase::Done { .. }));
}

#[test]
fn vanished_number_fails_assignment() {
    let operation = Operation::Assign {
        account: account(),
        number: number(NEW),
    };
    let (mut task, effects) = Task::start(operation, timing());
    let effects = through_operation(&mut task, effects);
    answer(&mut task, &effects, Outcome::NumberRead(None));
    assert!(reason(&task).contains("no longer in the number inventory"));
}

#[test]
fn location_update_is_one_call() {
    let operation = Operation::UpdateLocation {
        number: NEW.into(),
        location_id: "3f1e2d4c-5b6a-4789-8c0d-1e2f3a4b5c6d".into(),
    };
    let (mut task, effects) = Task::start(operation, timing());
    let Effect::UpdateNumber(request) = &effects[0].1 else {
        panic!("expected updateNumber, got {effects:?}");
    };
    assert_eq!(request.telephone_number, NEW);
    assert_eq!(
        request.location_id.as_deref(),
        Some("3f1e2d4c-5b6a-4789-8c0d-1e2f3a4b5c6d")
    );
    assert_eq!(request.network_site_id, None);
    answer(&mut task, &effects, Outcome::Updated);
    assert!(task.changed_tenant);
    assert_eq!(
        task.phase,
        Phase::Done {
            summary: format!(
                "The emergency location of {NEW} is 3f1e2d4c-5b6a-4789-8c0d-1e2f3a4b5c6d."
            )
        }
    );
}

#[test]
fn license_removal_is_one_call() {
    let operation = Operation::RemoveLicense {
        account: account(),
        sku_id: "sku-1".into(),
    };
    let (mut task, effects) = Task::start(operation, timing());
    assert_eq!(
        effects[0].1,
        Effect::RemoveLicense {
            object_id: BOT_ID.into(),
            sku_id: "sku-1".into(),
        }
    );
    answer(&mut task, &effects, Outcome::LicenseRemoved);
    assert!(task.changed_tenant);
    assert!(matches!(task.phase, Phase::Done { .. }));
}

#[test]
fn outcome_of_wrong_kind_fails_plainly() {
    let (mut task, effects) = Task::start(unassign(), timing());
    answer(&mut task, &effects, Outcome::LicenseRemoved);
    assert!(reason(&task).contains("did not expect"));
}
