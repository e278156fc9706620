//! Management operations driven in-process against the emulator over real HTTP, the way the
//! `unassign` command and the screens drive them: the change of number with its rollback, an
//! assignment, a license removal and an emergency location.

use std::time::Duration;

use botline::client::{Client, ClientOptions};
use botline::emulator::{seed, Emulator, Fault, Options, TenantState, Timing};
use botline::manage::{self, Account, NumberRef, Operation, Phase};
use botline::model::{ActivationState, AssignmentStatus, NumberType, RESOURCE_ACCOUNT_SKU_ID};
use botline::wizard;

/// The number helpdesk-bot holds in the practice tenant.
const HELPDESK_NUMBER: &str = "+14255550110";
/// A free Calling Plan service number from the US.
const FREE_SERVICE: &str = "+14255550112";
/// A free Direct Routing number.
const FREE_DIRECT_ROUTING: &str = "+14255550120";

/// Emulator delays short enough for a test and long enough to make every wait poll.
fn slow_tenant() -> Timing {
    Timing {
        assignment_delay: Duration::from_millis(300),
        license_delay: Duration::from_millis(200),
        replication_delay: Duration::ZERO,
    }
}

fn quick_polls() -> wizard::Timing {
    wizard::Timing {
        first_poll: Duration::from_millis(40),
        max_poll: Duration::from_millis(160),
        max_polls: 60,
    }
}

async fn start() -> (Emulator, Client) {
    let options = Options {
        timing: slow_tenant(),
        ..Options::default()
    };
    let emulator = Emulator::start(options).await.unwrap();
    let client = Client::new(
        emulator.endpoints(),
        Emulator::credentials(),
        ClientOptions::default(),
    )
    .unwrap();
    (emulator, client)
}

fn helpdesk() -> Account {
    Account {
        object_id: seed::HELPDESK_BOT_ID.into(),
        upn: "helpdesk-bot@contoso.com".into(),
    }
}

fn calling_plan(number: &str) -> NumberRef {
    NumberRef {
        telephone_number: number.into(),
        number_type: NumberType::CallingPlan,
    }
}

fn holder_of(state: &TenantState, number: &str) -> Option<String> {
    let record = state
        .numbers
        .iter()
        .find(|record| record.assignment.telephone_number == number)
        .unwrap_or_else(|| panic!("{number} is in the seed"));
    record.is_held().then(|| {
        record
            .assignment
            .assignment_target_id
            .clone()
            .unwrap_or_default()
    })
}

fn activation(state: &TenantState, number: &str) -> Option<ActivationState> {
    state
        .numbers
        .iter()
        .find(|record| record.assignment.telephone_number == number)
        .and_then(|record| record.assignment.activation_state.clone())
}

async fn run(client: &Client, operation: Operation) -> (Result<manage::Task, String>, Vec<String>) {
    let mut lines = Vec::new();
    let result = manage::run_to_completion(client, operation, quick_polls(), |line| {
        lines.push(line.to_owned())
    })
    .await;
    (result, lines)
}

#[tokio::test]
async fn change_number_moves_bot_to_new_number() {
    let (emulator, client) = start().await;
    let operation = Operation::ChangeNumber {
        account: helpdesk(),
        old: calling_plan(HELPDESK_NUMBER),
        new: calling_plan(FREE_SERVICE),
    };
    let (result, lines) = run(&client, operation).await;
    let task = result.unwrap_or_else(|reason| panic!("change stopped: {reason}"));
    assert_eq!(
        task.phase,
        Phase::Done {
            summary: format!(
                "helpdesk-bot@contoso.com now holds {FREE_SERVICE} instead of {HELPDESK_NUMBER}."
            )
        }
    );
    assert!(lines
        .iter()
        .any(|line| line.starts_with("Teams is unassigning")));
    assert!(lines
        .iter()
        .any(|line| line.starts_with("Teams is assigning")));

    let state = emulator.state().await;
    assert_eq!(holder_of(&state, HELPDESK_NUMBER), None);
    assert_eq!(
        holder_of(&state, FREE_SERVICE).as_deref(),
        Some(seed::HELPDESK_BOT_ID)
    );
    assert_eq!(
        activation(&state, FREE_SERVICE),
        Some(ActivationState::Activated)
    );
}

#[tokio::test]
async fn failed_change_puts_old_number_back() {
    let (emulator, client) = start().await;
    emulator
        .inject(Fault::fail_next_assignment(
            "The carrier rejected the number",
        ))
        .await;
    let operation = Operation::ChangeNumber {
        account: helpdesk(),
        old: calling_plan(HELPDESK_NUMBER),
        new: calling_plan(FREE_SERVICE),
    };
    let (result, lines) = run(&client, operation).await;
    let reason = result.expect_err("the change fails");
    assert!(
        reason.starts_with(&format!(
            "Teams could not assign {FREE_SERVICE}: The carrier rejected the number."
        )),
        "{reason}"
    );
    assert!(
        reason.ends_with(&format!(
            "{HELPDESK_NUMBER} is back on helpdesk-bot@contoso.com, so nothing changed."
        )),
        "{reason}"
    );
    assert!(
        lines
            .iter()
            .any(|line| line.starts_with(&format!("Assigning {HELPDESK_NUMBER}"))),
        "{lines:#?}"
    );

    let state = emulator.state().await;
    assert_eq!(
        holder_of(&state, HELPDESK_NUMBER).as_deref(),
        Some(seed::HELPDESK_BOT_ID),
        "the old number is assigned again"
    );
    assert_eq!(
        activation(&state, HELPDESK_NUMBER),
        Some(ActivationState::Activated)
    );
    assert_eq!(holder_of(&state, FREE_SERVICE), None);
}

#[tokio::test]
async fn rejected_new_number_puts_old_number_back() {
    let (emulator, client) = start().await;
    // A number from another country is rejected by Teams for a US Calling Plan account.
    let operation = Operation::ChangeNumber {
        account: helpdesk(),
        old: calling_plan(HELPDESK_NUMBER),
        new: calling_plan("+442079460101"),
    };
    let (result, _) = run(&client, operation).await;
    let reason = result.expect_err("the change fails");
    assert!(reason.contains("does not match the country GB"), "{reason}");
    assert!(reason.contains("is back on"), "{reason}");
    let state = emulator.state().await;
    assert_eq!(
        holder_of(&state, HELPDESK_NUMBER).as_deref(),
        Some(seed::HELPDESK_BOT_ID)
    );
}

#[tokio::test]
async fn free_number_is_assigned_to_bot_without_one() {
    let (emulator, client) = start().await;
    let operation = Operation::Assign {
        account: Account {
            object_id: seed::SURVEY_BOT_ID.into(),
            upn: "survey-bot@contoso.com".into(),
        },
        number: NumberRef {
            telephone_number: FREE_DIRECT_ROUTING.into(),
            number_type: NumberType::DirectRouting,
        },
    };
    let (result, _) = run(&client, operation).await;
    result.unwrap_or_else(|reason| panic!("assignment stopped: {reason}"));
    let state = emulator.state().await;
    assert_eq!(
        holder_of(&state, FREE_DIRECT_ROUTING).as_deref(),
        Some(seed::SURVEY_BOT_ID)
    );
}

#[tokio::test]
async fn license_is_removed_and_seat_freed() {
    let (emulator, client) = start().await;
    let before = emulator.state().await;
    let consumed = |state: &TenantState| {
        state
            .skus
            .iter()
            .find(|sku| sku.sku_id == RESOURCE_ACCOUNT_SKU_ID)
            .unwrap()
            .consumed_units
    };
    let operation = Operation::RemoveLicense {
        account: Account {
            object_id: seed::ALERTS_BOT_ID.into(),
            upn: "alerts-bot@contoso.com".into(),
        },
        sku_id: RESOURCE_ACCOUNT_SKU_ID.into(),
    };
    let (result, _) = run(&client, operation).await;
    let task = result.unwrap_or_else(|reason| panic!("removal stopped: {reason}"));
    assert!(task.changed_tenant);
    let after = emulator.state().await;
    let alerts = after.user(seed::ALERTS_BOT_ID).unwrap();
    assert!(alerts.licenses.is_empty());
    assert_eq!(consumed(&after), consumed(&before) - 1);
}

#[tokio::test]
async fn emergency_location_is_set() {
    let (emulator, client) = start().await;
    let operation = Operation::UpdateLocation {
        number: FREE_DIRECT_ROUTING.into(),
        location_id: "3f1e2d4c-5b6a-4789-8c0d-1e2f3a4b5c6d".into(),
    };
    let (result, _) = run(&client, operation).await;
    result.unwrap_or_else(|reason| panic!("update stopped: {reason}"));
    let state = emulator.state().await;
    let record = state
        .numbers
        .iter()
        .find(|record| record.assignment.telephone_number == FREE_DIRECT_ROUTING)
        .unwrap();
    assert_eq!(
        record.assignment.location_id.as_deref(),
        Some("3f1e2d4c-5b6a-4789-8c0d-1e2f3a4b5c6d")
    );
    assert_eq!(
        record.assignment.assignment_status,
        Some(AssignmentStatus::Unassigned)
    );
}

#[tokio::test]
async fn unassign_of_free_number_names_it() {
    let (_emulator, client) = start().await;
    let operation = Operation::Unassign {
        holder: helpdesk(),
        number: calling_plan(FREE_SERVICE),
    };
    let (result, _) = run(&client, operation).await;
    let reason = result.expect_err("nothing to unassign");
    assert!(reason.contains(FREE_SERVICE), "{reason}");
    assert!(reason.contains("not assigned"), "{reason}");
}
