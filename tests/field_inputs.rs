//! Values admins type that Teams would reject, checked before botline changes anything, in
//! `assign` and in the wizard screen alike. The values are a domain the tenant has not
//! verified, an application id that is no GUID or names no application, a user-only number and
//! a number type that contradicts the inventory. Numbers written as `tel:` URIs, without `+`
//! or with an extension are normalised, and garbage is rejected with the expected form.

mod cli_support;
mod field_support;
mod tui_support;

use std::time::Duration;

use botline::emulator::{self, Timing};
use botline::wizard::{Phase, Step};
use crossterm::event::KeyCode;
use serde_json::Value;

use cli_support::{one_line_failure, success, Sandbox};
use field_support::*;
use tui_support::{press, press_ctrl, render, text, type_text};

/// Maximum wait the in-process clients honour.
const RETRY_WAIT: Duration = Duration::from_millis(50);
/// A well-formed application id that no application of the practice tenant has.
const UNKNOWN_APP_ID: &str = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";

/// Runs `assign` on the practice tenant with `--demo`.
fn demo_assign(sandbox: &Sandbox, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--demo"];
    all.extend_from_slice(args);
    sandbox.run(&all)
}

/// `assign` arguments for the IVR bot with one argument replaced.
fn ivr_args_with<'a>(name: &str, value: &'a str) -> Vec<&'a str> {
    let mut args = assign_ivr_bot(FREE_DIRECT_ROUTING, "US");
    let at = args
        .iter()
        .position(|arg| *arg == name)
        .unwrap_or_else(|| panic!("no {name} in the arguments"));
    args[at + 1] = value;
    args
}

/// Returns the instances of the demo tenant after a run, as `report` prints them.
fn demo_instances(sandbox: &Sandbox) -> Vec<Value> {
    let printed = success(&sandbox.run(&["--demo", "report", "--format", "json"]));
    serde_json::from_str::<Value>(&printed)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// Starts the practice tenant and the screens on it; the emulator stops when dropped.
async fn screens_on_practice_tenant() -> (emulator::Emulator, Screens) {
    let (emulator, client) =
        start_emulator(Timing::instant(), emulator::practice_tenant(), RETRY_WAIT).await;
    (emulator, Screens::load(client).await)
}

fn rejection(screens: &Screens) -> String {
    match wizard_phase(&screens.app) {
        Phase::Editing { error: Some(error) } => error,
        other => panic!("expected a rejected step, got {other:?}"),
    }
}

#[test]
fn assign_rejects_unverified_domain() {
    let sandbox = Sandbox::new();
    let output = demo_assign(&sandbox, &ivr_args_with("--upn", "bot@corp.contoso.local"));
    let line = one_line_failure(&output);
    assert!(
        line.contains("corp.contoso.local is not a verified domain of this tenant"),
        "{line}"
    );
    assert!(
        line.contains("such as bot@contoso.onmicrosoft.com"),
        "{line}"
    );
    let instances = demo_instances(&sandbox);
    assert_eq!(instances.len(), 8, "nothing was created");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wizard_rejects_unverified_domain() {
    let (_emulator, mut screens) = screens_on_practice_tenant().await;
    screens.start_wizard("bot@corp.contoso.local", IVR_BOT_APP_ID, "Bot");
    screens.pump(wizard_at(Step::Instance, rejected)).await;
    let reason = rejection(&screens);
    assert!(
        reason.contains("corp.contoso.local is not a verified domain"),
        "{reason}"
    );
    assert!(reason.contains("bot@contoso.onmicrosoft.com"), "{reason}");
    let screen = text(&render(&screens.app, 200, 40));
    assert!(screen.contains("bot@contoso.onmicrosoft.com"), "{screen}");
}

#[test]
fn assign_rejects_malformed_app_id() {
    let sandbox = Sandbox::new();
    let output = demo_assign(&sandbox, &ivr_args_with("--app-id", "1234"));
    assert_eq!(output.status.code(), Some(2), "a usage error");
    let line = one_line_failure(&output);
    assert!(line.contains("\"1234\""), "{line}");
    assert!(line.contains("expected a GUID such as"), "{line}");
    assert!(
        !sandbox.demo_state_file().exists(),
        "no tenant is touched for a value that cannot be right"
    );
}

#[test]
fn assign_names_unknown_app_id() {
    let sandbox = Sandbox::new();
    let output = demo_assign(&sandbox, &ivr_args_with("--app-id", UNKNOWN_APP_ID));
    let line = one_line_failure(&output);
    assert!(
        line.contains(&format!("No application with id {UNKNOWN_APP_ID} exists")),
        "{line}"
    );
    assert_eq!(demo_instances(&sandbox).len(), 8, "nothing was created");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wizard_rejects_bad_app_ids() {
    let (_emulator, mut screens) = screens_on_practice_tenant().await;
    screens.start_wizard("ivr-bot@contoso.com", "1234", "IVR Bot");
    assert!(
        screens.app.take_commands().is_empty(),
        "a malformed id sends nothing"
    );
    let reason = rejection(&screens);
    assert!(reason.contains("\"1234\""), "{reason}");
    assert!(reason.contains("expected a GUID"), "{reason}");

    // Replace the application id: back from the display name, empty it, type a GUID of no
    // application.
    press(&mut screens.app, KeyCode::BackTab);
    press_ctrl(&mut screens.app, 'u');
    type_text(&mut screens.app, UNKNOWN_APP_ID);
    press(&mut screens.app, KeyCode::Enter);
    screens
        .pump(wizard_at(Step::Instance, |phase| {
            matches!(phase, Phase::Editing { error: Some(error) }
                if error.contains("No application"))
        }))
        .await;
    let screen = text(&render(&screens.app, 200, 40));
    assert!(
        screen.contains(&format!("No application with id {UNKNOWN_APP_ID}")),
        "{screen}"
    );
}

#[test]
fn assign_rejects_user_only_number() {
    let sandbox = Sandbox::new();
    let output = demo_assign(&sandbox, &ivr_args_with("--number", USER_ONLY_NUMBER));
    let line = one_line_failure(&output);
    assert!(
        line.contains("+14255550102 can only be assigned to users (capabilities: userAssignment)"),
        "{line}"
    );
    assert!(line.contains("service number"), "{line}");
    assert!(line.contains("voiceApplicationAssignment"), "{line}");
    assert_eq!(demo_instances(&sandbox).len(), 8, "nothing was created");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wizard_rejects_user_only_number() {
    let (_emulator, mut screens) = screens_on_practice_tenant().await;
    screens.start_wizard("ivr-bot@contoso.com", IVR_BOT_APP_ID, "IVR Bot");
    screens.pump(wizard_at(Step::License, editing)).await;
    type_text(&mut screens.app, "US");
    press(&mut screens.app, KeyCode::Enter);
    screens.pump(wizard_at(Step::Number, editing)).await;

    let picker = text(&render(&screens.app, 160, 60));
    assert!(picker.contains(FREE_DIRECT_ROUTING), "{picker}");
    assert!(!picker.contains(USER_ONLY_NUMBER), "{picker}");

    type_text(&mut screens.app, USER_ONLY_NUMBER);
    press(&mut screens.app, KeyCode::Enter);
    screens.pump(wizard_at(Step::Number, rejected)).await;
    let reason = rejection(&screens);
    assert!(reason.contains("can only be assigned to users"), "{reason}");
    assert!(reason.contains("service number"), "{reason}");
}

#[test]
fn assign_rejects_contradicting_number_type() {
    let sandbox = Sandbox::new();
    let mut args = assign_ivr_bot(FREE_DIRECT_ROUTING, "US");
    args.extend(["--number-type", "callingPlan"]);
    let line = one_line_failure(&demo_assign(&sandbox, &args));
    assert!(
        line.contains("+14255550120 is a Direct Routing number (directRouting), not Calling Plan"),
        "{line}"
    );
    assert!(line.contains("leave the type out"), "{line}");
    assert_eq!(demo_instances(&sandbox).len(), 8, "nothing was created");
}

/// Runs `assign` for the IVR bot with `number` as typed and returns the summary line.
fn assign_number_as_typed(tenant: &Tenant, number: &str) -> String {
    let sandbox = Sandbox::new();
    tenant.configure(&sandbox, &polling_table(50));
    let printed = success(&run_live(&sandbox, &assign_ivr_bot(number, "US")));
    printed.lines().last().unwrap().to_owned()
}

#[test]
fn assign_normalises_number_forms() {
    let summary = assign_number_as_typed(&Tenant::start(), "tel:+14255550120");
    assert_eq!(
        summary,
        "ivr-bot@contoso.com holds +14255550120 (Direct Routing, activated)"
    );
    let summary = assign_number_as_typed(&Tenant::start(), "14255550121");
    assert_eq!(
        summary,
        "ivr-bot@contoso.com holds +14255550121 (Direct Routing, activated)"
    );
}

#[test]
fn assign_keeps_extension() {
    let tenant = Tenant::start_with(
        Timing::instant(),
        with_extension_number(emulator::practice_tenant()),
    );
    let summary = assign_number_as_typed(&tenant, "tel:+1 425 555 0140;ext=123");
    assert_eq!(
        summary,
        "ivr-bot@contoso.com holds +14255550140;ext=123 (Direct Routing, activated)"
    );
    let held = tenant
        .state()
        .numbers
        .into_iter()
        .find(|number| number.assignment.telephone_number == EXTENSION_NUMBER)
        .unwrap();
    assert!(held.assignment.assignment_target_id.is_some());
}

#[test]
fn assign_rejects_garbage_number() {
    for garbage in ["425-CALL-BOT", "+14255550120;ext=12a", "tel:", "1"] {
        let sandbox = Sandbox::new();
        let output = demo_assign(&sandbox, &ivr_args_with("--number", garbage));
        assert_eq!(output.status.code(), Some(2), "{garbage}");
        let line = one_line_failure(&output);
        assert!(line.contains(&format!("{garbage:?}")), "{line}");
        assert!(
            line.contains("expected E.164 such as +14255550100, optionally with ;ext=123"),
            "{line}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wizard_keeps_extension_rejects_garbage() {
    let (emulator, client) = start_emulator(
        Timing::instant(),
        with_extension_number(emulator::practice_tenant()),
        RETRY_WAIT,
    )
    .await;
    let mut screens = Screens::load(client).await;
    screens.start_wizard("ivr-bot@contoso.com", IVR_BOT_APP_ID, "IVR Bot");
    screens.pump(wizard_at(Step::License, editing)).await;
    type_text(&mut screens.app, "US");
    press(&mut screens.app, KeyCode::Enter);
    screens.pump(wizard_at(Step::Number, editing)).await;

    // Garbage matches no free number, so Enter checks the text and shows the expected form.
    type_text(&mut screens.app, "call-me");
    let picker = text(&render(&screens.app, 160, 60));
    assert!(
        picker.contains("Free numbers for voice applications: 0 of"),
        "{picker}"
    );
    press(&mut screens.app, KeyCode::Enter);
    assert!(
        screens.app.take_commands().is_empty(),
        "garbage sends nothing"
    );
    let reason = rejection(&screens);
    assert!(
        reason.contains("expected E.164 such as +14255550100, optionally with ;ext=123"),
        "{reason}"
    );

    // A number with an extension picks exactly that number, extension kept.
    press_ctrl(&mut screens.app, 'u');
    type_text(&mut screens.app, "tel:+14255550140;ext=123");
    let picker = text(&render(&screens.app, 160, 60));
    assert!(
        picker.contains("Free numbers for voice applications: 1 of"),
        "{picker}"
    );
    press(&mut screens.app, KeyCode::Enter);
    screens.pump(wizard_at(Step::Summary, done)).await;
    let summary = text(&render(&screens.app, 160, 40));
    assert!(summary.contains(EXTENSION_NUMBER), "{summary}");
    let held = emulator
        .state()
        .await
        .numbers
        .into_iter()
        .find(|number| number.assignment.telephone_number == EXTENSION_NUMBER)
        .unwrap();
    assert!(held.assignment.assignment_target_id.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wizard_normalises_number_forms() {
    for typed in ["tel:+14255550113", "14255550113"] {
        let (_emulator, mut screens) = screens_on_practice_tenant().await;
        screens.start_wizard("ivr-bot@contoso.com", IVR_BOT_APP_ID, "IVR Bot");
        screens.pump(wizard_at(Step::License, editing)).await;
        type_text(&mut screens.app, "US");
        press(&mut screens.app, KeyCode::Enter);
        screens.pump(wizard_at(Step::Number, editing)).await;
        type_text(&mut screens.app, typed);
        press(&mut screens.app, KeyCode::Enter);
        screens.pump(wizard_at(Step::Summary, done)).await;
        let chosen = screens
            .app
            .wizard_screen()
            .unwrap()
            .wizard()
            .facts
            .chosen
            .clone()
            .unwrap();
        assert_eq!(chosen.telephone_number, FREE_CALLING_PLAN, "{typed}");
    }
}
