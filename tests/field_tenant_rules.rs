//! Tenant rules that make Teams refuse a step: an account already mapped to the bot (or to
//! another one), a missing or foreign usage location, no free license seat, and a number held
//! by an account that no longer exists. botline treats what is already done as done, checks
//! the rest before it sends the call that would fail, and says what to do.

mod cli_support;
mod field_support;
mod tui_support;

use std::time::Duration;

use botline::emulator::{self, seed, Emulator, TenantState, Timing};
use botline::model::{AssignmentStatus, RESOURCE_ACCOUNT_SKU, RESOURCE_ACCOUNT_SKU_ID};
use botline::wizard::{Phase, Step};
use crossterm::event::KeyCode;
use serde_json::Value;

use cli_support::{one_line_failure, success, Sandbox};
use field_support::*;
use tui_support::{lines, press, press_char, render, row_with, text, type_text};

/// Maximum wait the in-process clients honour.
const RETRY_WAIT: Duration = Duration::from_millis(50);
/// A free Direct Routing number other than [`FREE_DIRECT_ROUTING`].
const OTHER_DIRECT_ROUTING: &str = "+14255550121";

/// `assign` arguments for the reception bot, which has no usage location and no license.
fn assign_reception_bot<'a>(number: &'a str, usage_location: &'a str) -> Vec<&'a str> {
    vec![
        "assign",
        "--upn",
        "reception-bot@contoso.com",
        "--app-id",
        seed::RECEPTION_BOT_APP_ID,
        "--display-name",
        "Reception",
        "--usage-location",
        usage_location,
        "--number",
        number,
    ]
}

/// Returns the tenant with every resource-account seat in use.
fn no_free_seat(mut state: TenantState) -> TenantState {
    let sku = state
        .skus
        .iter_mut()
        .find(|sku| sku.sku_id == RESOURCE_ACCOUNT_SKU_ID)
        .expect("the practice tenant has the resource-account SKU");
    sku.enabled_units = sku.consumed_units;
    state
}

/// Returns the tenant with [`OTHER_DIRECT_ROUTING`] held by an account that does not exist.
fn held_by_deleted_account(mut state: TenantState) -> TenantState {
    let number = state
        .numbers
        .iter_mut()
        .find(|number| number.assignment.telephone_number == OTHER_DIRECT_ROUTING)
        .unwrap();
    number.assignment.assignment_target_id = Some(seed::MISSING_HOLDER_ID.to_owned());
    number.assignment.assignment_status = Some(AssignmentStatus::VoiceApplicationAssigned);
    state
}

fn user_of(state: &TenantState, upn: &str) -> emulator::state::UserRecord {
    state
        .users
        .iter()
        .find(|user| user.user_principal_name == upn)
        .unwrap_or_else(|| panic!("no user {upn}"))
        .clone()
}

fn rejection(screens: &Screens) -> String {
    match wizard_phase(&screens.app) {
        Phase::Editing { error: Some(error) } => error,
        other => panic!("expected a rejected step, got {other:?}"),
    }
}

async fn screens_on(state: TenantState) -> (Emulator, Screens) {
    let (emulator, client) = start_emulator(Timing::instant(), state, RETRY_WAIT).await;
    (emulator, Screens::load(client).await)
}

#[test]
fn second_assign_for_same_bot_succeeds() {
    let tenant = Tenant::start();
    let sandbox = Sandbox::new();
    tenant.configure(&sandbox, &polling_table(50));
    let args = assign_ivr_bot(FREE_DIRECT_ROUTING, "US");
    success(&run_live(&sandbox, &args));

    let again = success(&run_live(&sandbox, &args));
    for expected in [
        "ivr-bot@contoso.com already exists for this bot; reusing it",
        "Already mapped to Contoso IVR Bot (0b5c7a53-5c1e-4a8e-9d0f-3e7b2a9c1d44)",
        "PHONESYSTEM_VIRTUALUSER is already assigned and active",
        "ivr-bot@contoso.com already holds +14255550120",
        "ivr-bot@contoso.com holds +14255550120 (Direct Routing, activated)",
    ] {
        assert!(
            again.contains(expected),
            "{expected:?} missing in:\n{again}"
        );
    }
    let state = tenant.state();
    let created = state
        .users
        .iter()
        .filter(|user| user.user_principal_name == "ivr-bot@contoso.com")
        .count();
    assert_eq!(created, 1, "the second run created nothing");
}

#[test]
fn assign_rejects_rebinding_existing_account() {
    let tenant = Tenant::start();
    let sandbox = Sandbox::new();
    tenant.configure(&sandbox, &polling_table(50));
    success(&run_live(
        &sandbox,
        &assign_ivr_bot(FREE_DIRECT_ROUTING, "US"),
    ));

    let mut args = assign_ivr_bot(FREE_DIRECT_ROUTING, "US");
    args[4] = HELPDESK_BOT_APP_ID;
    let line = one_line_failure(&run_live(&sandbox, &args));
    assert!(
        line.contains(&format!(
            "ivr-bot@contoso.com already exists and is bound to application {IVR_BOT_APP_ID}"
        )),
        "{line}"
    );
    assert!(line.contains("does not move an existing account"), "{line}");
    let state = tenant.state();
    let object_id = user_of(&state, "ivr-bot@contoso.com").id;
    let instance = state.instance(&object_id).unwrap();
    assert_eq!(instance.application_id.as_deref(), Some(IVR_BOT_APP_ID));
}

#[test]
fn assign_keeps_the_number_already_held() {
    let tenant = Tenant::start();
    let sandbox = Sandbox::new();
    tenant.configure(&sandbox, &polling_table(50));
    success(&run_live(
        &sandbox,
        &assign_ivr_bot(FREE_DIRECT_ROUTING, "US"),
    ));

    let output = run_live(&sandbox, &assign_ivr_bot(OTHER_DIRECT_ROUTING, "US"));
    let line = one_line_failure(&output);
    assert!(
        line.contains(
            "ivr-bot@contoso.com already holds +14255550120, so botline does not assign \
             +14255550121 as well"
        ),
        "{line}"
    );
    assert!(line.contains("Unassign +14255550120 first"), "{line}");
    let state = tenant.state();
    let other = state
        .numbers
        .iter()
        .find(|number| number.assignment.telephone_number == OTHER_DIRECT_ROUTING)
        .unwrap();
    assert!(other.assignment.assignment_target_id.is_none(), "not taken");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wizard_second_run_finishes() {
    let (_emulator, mut screens) = screens_on(emulator::practice_tenant()).await;
    for _ in 0..2 {
        screens.start_wizard("ivr-bot@contoso.com", IVR_BOT_APP_ID, "IVR Bot");
        screens
            .pump(|app| {
                wizard_at(Step::License, editing)(app) || wizard_at(Step::Summary, done)(app)
            })
            .await;
        if wizard_at(Step::License, editing)(&screens.app) {
            type_text(&mut screens.app, "US");
            press(&mut screens.app, KeyCode::Enter);
            screens.pump(wizard_at(Step::Number, editing)).await;
            type_text(&mut screens.app, "0120");
            press(&mut screens.app, KeyCode::Enter);
            screens.pump(wizard_at(Step::Summary, done)).await;
        }
        let screen = text(&render(&screens.app, 160, 50));
        assert!(screen.contains("The bot can be reached"), "{screen}");
        press(&mut screens.app, KeyCode::Enter);
        screens.pump(is_loaded).await;
    }
    // The second run found everything done: only the summary of what already held.
    let view = screens.app.tenant().data().unwrap();
    let bots = view
        .instances
        .iter()
        .filter(|row| row.user_principal_name == "ivr-bot@contoso.com")
        .count();
    assert_eq!(bots, 1);
}

#[test]
fn assign_sets_usage_location_before_license() {
    let tenant = Tenant::start();
    let sandbox = Sandbox::new();
    tenant.configure(&sandbox, &polling_table(50));
    let printed = success(&run_live(
        &sandbox,
        &assign_reception_bot(OTHER_DIRECT_ROUTING, "US"),
    ));
    let position = |needle: &str| {
        printed
            .lines()
            .position(|line| line.contains(needle))
            .unwrap_or_else(|| panic!("{needle:?} missing in:\n{printed}"))
    };
    assert!(position("Usage location set to US") < position("Assigned PHONESYSTEM_VIRTUALUSER"));
    let reception = user_of(&tenant.state(), "reception-bot@contoso.com");
    assert_eq!(reception.usage_location.as_deref(), Some("US"));
    assert_eq!(reception.licenses.len(), 1);
}

#[test]
fn assign_checks_number_country() {
    let tenant = Tenant::start();
    let sandbox = Sandbox::new();
    tenant.configure(&sandbox, &polling_table(50));
    let printed = success(&run_live(
        &sandbox,
        &assign_reception_bot(OTHER_DIRECT_ROUTING, "GB"),
    ));
    assert!(
        printed.contains("Warning: usage location GB differs from the number's country US"),
        "{printed}"
    );

    let other = Tenant::start();
    let sandbox = Sandbox::new();
    other.configure(&sandbox, &polling_table(50));
    let line = one_line_failure(&run_live(
        &sandbox,
        &assign_reception_bot(FREE_CALLING_PLAN, "GB"),
    ));
    assert!(
        line.contains(
            "+14255550113 is a Calling Plan number from US, but the usage location is GB"
        ),
        "{line}"
    );
    let reception = user_of(&other.state(), "reception-bot@contoso.com");
    assert_eq!(reception.usage_location, None, "nothing was changed");
    assert!(reception.licenses.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wizard_requires_usage_location() {
    let (emulator, mut screens) = screens_on(emulator::practice_tenant()).await;
    screens.start_wizard(
        "reception-bot@contoso.com",
        seed::RECEPTION_BOT_APP_ID,
        "Reception",
    );
    screens.pump(wizard_at(Step::License, editing)).await;
    let screen = text(&render(&screens.app, 160, 40));
    assert!(screen.contains("Usage location now not set"), "{screen}");

    press(&mut screens.app, KeyCode::Enter);
    assert!(screens.app.take_commands().is_empty(), "nothing is sent");
    let reason = rejection(&screens);
    assert!(reason.contains("usage location"), "{reason}");

    type_text(&mut screens.app, "US");
    press(&mut screens.app, KeyCode::Enter);
    screens.pump(wizard_at(Step::Number, editing)).await;
    let state = emulator.state().await;
    let reception = user_of(&state, "reception-bot@contoso.com");
    assert_eq!(reception.usage_location.as_deref(), Some("US"));
    assert_eq!(reception.licenses.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wizard_warns_about_foreign_number() {
    let (_emulator, mut screens) = screens_on(emulator::practice_tenant()).await;
    screens.start_wizard(
        "reception-bot@contoso.com",
        seed::RECEPTION_BOT_APP_ID,
        "Reception",
    );
    screens.pump(wizard_at(Step::License, editing)).await;
    type_text(&mut screens.app, "GB");
    press(&mut screens.app, KeyCode::Enter);
    screens.pump(wizard_at(Step::Number, editing)).await;
    type_text(&mut screens.app, OTHER_DIRECT_ROUTING);
    press(&mut screens.app, KeyCode::Enter);
    screens.pump(wizard_at(Step::Summary, done)).await;
    let screen = text(&render(&screens.app, 200, 50));
    assert!(
        screen.contains("! Warning: usage location GB differs from the number's country US"),
        "{screen}"
    );
}

#[test]
fn assign_stops_without_free_seat() {
    let tenant = Tenant::start_with(Timing::instant(), no_free_seat(emulator::practice_tenant()));
    let sandbox = Sandbox::new();
    tenant.configure(&sandbox, &polling_table(50));
    let line = one_line_failure(&run_live(
        &sandbox,
        &assign_ivr_bot(FREE_DIRECT_ROUTING, "US"),
    ));
    assert!(
        line.contains(&format!(
            "No free seat of Microsoft Teams Phone Resource Account ({RESOURCE_ACCOUNT_SKU}): \
             6 enabled, 6 in use"
        )),
        "{line}"
    );
    assert!(line.contains("The license costs nothing"), "{line}");
    assert!(line.contains("Microsoft 365 admin center"), "{line}");
    let state = tenant.state();
    assert!(
        state
            .users
            .iter()
            .all(|user| user.user_principal_name != "ivr-bot@contoso.com"),
        "no account is created for a bot that cannot get a license"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wizard_explains_missing_seats() {
    let (_emulator, mut screens) = screens_on(no_free_seat(emulator::practice_tenant())).await;
    screens.start_wizard("ivr-bot@contoso.com", IVR_BOT_APP_ID, "IVR Bot");
    screens
        .pump(wizard_at(Step::Instance, |phase| {
            matches!(phase, Phase::Editing { error: Some(_) })
        }))
        .await;
    let reason = rejection(&screens);
    assert!(
        reason.contains("No free seat"),
        "a new account is not created: {reason}"
    );
    press(&mut screens.app, KeyCode::Esc);

    screens.start_wizard(
        "reception-bot@contoso.com",
        seed::RECEPTION_BOT_APP_ID,
        "Reception",
    );
    screens.pump(wizard_at(Step::License, editing)).await;
    let screen = text(&render(&screens.app, 160, 40));
    assert!(
        screen.contains("0 free of 6 (6 in use), PHONESYSTEM_VIRTUALUSER"),
        "{screen}"
    );

    type_text(&mut screens.app, "US");
    press(&mut screens.app, KeyCode::Enter);
    assert!(screens.app.take_commands().is_empty(), "nothing is sent");
    let reason = rejection(&screens);
    assert!(reason.contains("No free seat"), "{reason}");
    assert!(
        reason.contains("Billing > Purchase services > Add-ons"),
        "{reason}"
    );
}

#[test]
fn assign_rejects_number_of_deleted_holder() {
    let tenant = Tenant::start_with(
        Timing::instant(),
        held_by_deleted_account(emulator::practice_tenant()),
    );
    let sandbox = Sandbox::new();
    tenant.configure(&sandbox, &polling_table(50));
    let line = one_line_failure(&run_live(
        &sandbox,
        &assign_ivr_bot(OTHER_DIRECT_ROUTING, "US"),
    ));
    assert!(
        line.contains(&format!(
            "+14255550121 is already assigned to unknown account {}",
            seed::MISSING_HOLDER_ID
        )),
        "{line}"
    );
    assert!(line.contains("Unassign it there first"), "{line}");
    let state = tenant.state();
    let number = state
        .numbers
        .iter()
        .find(|number| number.assignment.telephone_number == OTHER_DIRECT_ROUTING)
        .unwrap();
    assert_eq!(
        number.assignment.assignment_target_id.as_deref(),
        Some(seed::MISSING_HOLDER_ID),
        "the number was not taken"
    );
    assert!(state
        .users
        .iter()
        .all(|user| user.user_principal_name != "ivr-bot@contoso.com"));
}

#[test]
fn report_names_unknown_holder() {
    let sandbox = Sandbox::new();
    let table = success(&sandbox.run(&["--demo", "report", "numbers"]));
    let row = table
        .lines()
        .find(|line| line.starts_with("+14255550105 "))
        .unwrap();
    assert!(
        row.contains(&format!("unknown account {}", seed::MISSING_HOLDER_ID)),
        "{row}"
    );

    let json = success(&sandbox.run(&["--demo", "report", "numbers", "--format", "json"]));
    let rows: Vec<Value> = serde_json::from_str(&json).unwrap();
    let orphan = rows
        .iter()
        .find(|row| row["telephoneNumber"] == "+14255550105")
        .unwrap();
    assert!(orphan["assignedTo"].is_null());
    assert_eq!(orphan["assignmentTargetId"], seed::MISSING_HOLDER_ID);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screens_name_unknown_holder() {
    let (_emulator, mut screens) =
        screens_on(held_by_deleted_account(emulator::practice_tenant())).await;
    press_char(&mut screens.app, '3');
    let buffer = render(&screens.app, 160, 50);
    let row = row_with(&buffer, OTHER_DIRECT_ROUTING);
    assert!(row.contains("unknown account 0badf00d"), "{row}");

    press_char(&mut screens.app, '1');
    screens.start_wizard("ivr-bot@contoso.com", IVR_BOT_APP_ID, "IVR Bot");
    screens.pump(wizard_at(Step::License, editing)).await;
    type_text(&mut screens.app, "US");
    press(&mut screens.app, KeyCode::Enter);
    screens.pump(wizard_at(Step::Number, editing)).await;
    let picker = text(&render(&screens.app, 160, 60));
    assert!(!picker.contains(OTHER_DIRECT_ROUTING), "{picker}");

    type_text(&mut screens.app, OTHER_DIRECT_ROUTING);
    press(&mut screens.app, KeyCode::Enter);
    screens.pump(wizard_at(Step::Number, rejected)).await;
    let reason = rejection(&screens);
    assert!(
        reason.contains(&format!(
            "is already assigned to unknown account {}",
            seed::MISSING_HOLDER_ID
        )),
        "{reason}"
    );
    let screen = lines(&render(&screens.app, 200, 60)).join("\n");
    assert!(screen.contains("unknown account"), "{screen}");
}
