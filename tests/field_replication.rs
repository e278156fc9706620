//! Accounts that Microsoft has not provisioned everywhere yet, and number assignments that stay
//! pending or fail. botline waits with bounded backoff and shows the wait. The admin can leave
//! and pick the wait up again, and a failure names Teams' own reason.

mod cli_support;
mod field_support;
mod tui_support;

use std::time::Duration;

use botline::emulator::{self, Fault, Timing};
use botline::model::ActivationState;
use botline::wizard::{self, Phase, Step};
use crossterm::event::KeyCode;

use cli_support::{one_line_failure, success, Running, Sandbox};
use field_support::*;
use tui_support::{press, render, row_with, text};

/// How long the emulated Teams takes to finish an assignment in the pending tests.
const SLOW_ASSIGNMENT: Duration = Duration::from_secs(600);

/// Emulator delays that make a new account invisible to Teams for a moment.
fn replicating_tenant() -> Timing {
    Timing {
        replication_delay: Duration::from_millis(150),
        ..Timing::instant()
    }
}

fn slow_assignments() -> Timing {
    Timing {
        assignment_delay: SLOW_ASSIGNMENT,
        ..Timing::instant()
    }
}

/// Runs the wizard for the IVR bot to the end and returns its lines, or the reason it stopped.
async fn run_ivr_bot(
    client: &botline::client::Client,
    timing: wizard::Timing,
) -> (Result<wizard::Wizard, String>, Vec<String>) {
    let mut lines = Vec::new();
    let result =
        wizard::run_to_completion(client, ivr_bot_form(FREE_DIRECT_ROUTING), timing, |line| {
            lines.push(line.to_owned())
        })
        .await;
    (result, lines)
}

fn assert_no_not_found(lines: &[String]) {
    for line in lines {
        let lower = line.to_ascii_lowercase();
        assert!(!lower.contains("not found"), "{line}");
        assert!(!lower.contains("404"), "{line}");
    }
}

#[tokio::test]
async fn new_account_sync_waits_for_teams() {
    let (emulator, client) = start_emulator(
        replicating_tenant(),
        emulator::practice_tenant(),
        Duration::from_millis(50),
    )
    .await;
    emulator
        .inject(Fault::not_found("/sync", 2).on_method("POST"))
        .await;

    let (result, lines) = run_ivr_bot(&client, quick_polls()).await;
    let wizard = result.unwrap_or_else(|reason| panic!("wizard stopped: {reason}"));
    assert_eq!(wizard.phase, Phase::Done);
    assert!(
        lines.iter().any(|line| line.contains(
            "ivr-bot@contoso.com is not provisioned everywhere yet; waiting to retry: Mapping"
        )),
        "{lines:#?}"
    );
    assert_no_not_found(&lines);
}

#[tokio::test]
async fn new_account_license_waits_for_graph() {
    let (emulator, client) = start_emulator(
        Timing::instant(),
        emulator::practice_tenant(),
        Duration::from_millis(50),
    )
    .await;
    // Every GET of one user (its usage location, then its licenses) misses twice.
    emulator
        .inject(Fault::not_found("/v1.0/users/", 2).on_method("GET"))
        .await;

    let (result, lines) = run_ivr_bot(&client, quick_polls()).await;
    result.unwrap_or_else(|reason| panic!("wizard stopped: {reason}"));
    assert!(
        lines
            .iter()
            .any(|line| line.contains("waiting to retry: Reading licenses")),
        "{lines:#?}"
    );
    assert_no_not_found(&lines);
}

#[tokio::test]
async fn new_account_assignment_waits() {
    let (emulator, client) = start_emulator(
        replicating_tenant(),
        emulator::practice_tenant(),
        Duration::from_millis(50),
    )
    .await;
    emulator
        .inject(Fault::not_found("assignNumber", 3).on_method("POST"))
        .await;

    let (result, lines) = run_ivr_bot(&client, quick_polls()).await;
    let wizard = result.unwrap_or_else(|reason| panic!("wizard stopped: {reason}"));
    let number = wizard.facts.chosen.expect("a number was assigned");
    assert_eq!(number.telephone_number, FREE_DIRECT_ROUTING);
    assert_eq!(number.activation_state, Some(ActivationState::Activated));
    assert!(
        lines
            .iter()
            .any(|line| line.contains("waiting to retry: Assigning +14255550120")),
        "{lines:#?}"
    );
    assert_no_not_found(&lines);
}

#[tokio::test]
async fn replication_wait_is_bounded() {
    let (emulator, client) = start_emulator(
        Timing::instant(),
        emulator::practice_tenant(),
        Duration::from_millis(50),
    )
    .await;
    emulator
        .inject(Fault::not_found("/sync", 100).on_method("POST"))
        .await;
    let bounded = wizard::Timing {
        max_polls: 3,
        ..quick_polls()
    };

    let (result, lines) = run_ivr_bot(&client, bounded).await;
    let reason = result.expect_err("the wait gives up after three checks");
    assert!(
        reason.contains("not provisioned everywhere yet"),
        "{reason}"
    );
    assert!(
        reason.contains("still not finished after 3 checks"),
        "{reason}"
    );
    assert!(
        reason.contains("run the same steps for ivr-bot@contoso.com again"),
        "{reason}"
    );
    assert!(
        !reason.to_ascii_lowercase().contains("not found"),
        "{reason}"
    );
    assert_no_not_found(&lines);
}

#[test]
fn assign_prints_replication_wait() {
    let tenant = Tenant::start_with(replicating_tenant(), emulator::practice_tenant());
    tenant.inject(Fault::not_found("/sync", 2).on_method("POST"));
    let sandbox = Sandbox::new();
    tenant.configure(&sandbox, &polling_table(50));

    let output = run_live(&sandbox, &assign_ivr_bot(FREE_DIRECT_ROUTING, "US"));
    let printed = success(&output);
    assert!(
        printed.contains("ivr-bot@contoso.com is not provisioned everywhere yet"),
        "{printed}"
    );
    assert!(
        printed.contains("ivr-bot@contoso.com holds +14255550120 (Direct Routing, activated)"),
        "{printed}"
    );
    assert!(
        !printed.to_ascii_lowercase().contains("not found"),
        "{printed}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wizard_shows_replication_wait() {
    let (emulator, client) = start_emulator(
        replicating_tenant(),
        emulator::practice_tenant(),
        Duration::from_millis(50),
    )
    .await;
    emulator
        .inject(Fault::not_found("/sync", 2).on_method("POST"))
        .await;
    let mut screens = Screens::load(client).await;

    screens.start_wizard("ivr-bot@contoso.com", IVR_BOT_APP_ID, "IVR Bot");
    screens
        .pump(wizard_at(Step::Instance, |phase| {
            matches!(phase, Phase::Waiting { activity, .. } if activity.contains("not provisioned"))
        }))
        .await;
    let screen = text(&render(&screens.app, 160, 40));
    assert!(
        screen.contains("ivr-bot@contoso.com is not provisioned everywhere yet"),
        "{screen}"
    );
    assert!(screen.contains("(check 1 of 200;"), "{screen}");

    screens.pump(wizard_at(Step::License, editing)).await;
    let screen = text(&render(&screens.app, 160, 40));
    assert!(
        screen.contains(
            "Mapped to Contoso IVR Bot (0b5c7a53-5c1e-4a8e-9d0f-3e7b2a9c1d44) when it was created"
        ),
        "{screen}"
    );
    assert!(
        !screen.to_ascii_lowercase().contains("not found"),
        "{screen}"
    );
}

#[test]
fn assign_shows_failed_status_detail() {
    let tenant = Tenant::start();
    let detail = "The number is reserved by the carrier until its port completes.";
    tenant.inject(Fault::fail_next_assignment(detail));
    let sandbox = Sandbox::new();
    tenant.configure(&sandbox, &polling_table(50));

    let output = run_live(&sandbox, &assign_ivr_bot(FREE_DIRECT_ROUTING, "US"));
    let line = one_line_failure(&output);
    assert!(
        line.contains("Teams could not assign +14255550120"),
        "{line}"
    );
    assert!(line.contains(detail), "{line}");
}

#[test]
fn assign_again_resumes_pending_assignment() {
    let tenant = Tenant::start_with(slow_assignments(), emulator::practice_tenant());
    let sandbox = Sandbox::new();
    let args = assign_ivr_bot(FREE_DIRECT_ROUTING, "US");

    // The first run gives up waiting after two checks, as an admin would leave.
    tenant.configure(&sandbox, &polling_table(2));
    let first = run_live(&sandbox, &args);
    let line = one_line_failure(&first);
    assert!(
        line.contains("Teams is assigning +14255550120: still not finished after 2 checks"),
        "{line}"
    );
    assert!(
        line.contains("run the same steps for ivr-bot@contoso.com again"),
        "{line}"
    );

    // The second run finds the pending number and follows it until Teams finishes.
    tenant.configure(&sandbox, &polling_table(5000));
    let mut second = Running::spawn(live_command(&sandbox, &args));
    second.wait_for_line(|line| line.contains("ivr-bot@contoso.com already holds +14255550120"));
    second.wait_for_line(|line| line.starts_with("Waiting for +14255550120 to activate"));
    tenant.advance_clock(SLOW_ASSIGNMENT);
    second.wait_for_line(|line| {
        line == "ivr-bot@contoso.com holds +14255550120 (Direct Routing, activated)"
    });
    let status = second.wait();
    assert!(status.success(), "{status}");

    let number = tenant
        .state()
        .numbers
        .into_iter()
        .find(|number| number.assignment.telephone_number == FREE_DIRECT_ROUTING)
        .unwrap();
    assert_eq!(
        number.assignment.activation_state,
        Some(ActivationState::Activated)
    );
    let instances = tenant.state().instances.len();
    assert_eq!(instances, emulator::practice_tenant().instances.len() + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wizard_reopened_resumes_pending_assignment() {
    let (emulator, client) = start_emulator(
        slow_assignments(),
        emulator::practice_tenant(),
        Duration::from_millis(50),
    )
    .await;
    let mut screens = Screens::load(client).await;

    screens.start_wizard("ivr-bot@contoso.com", IVR_BOT_APP_ID, "IVR Bot");
    screens.pump(wizard_at(Step::License, editing)).await;
    tui_support::type_text(&mut screens.app, "US");
    press(&mut screens.app, KeyCode::Enter);
    screens.pump(wizard_at(Step::Number, editing)).await;
    tui_support::type_text(&mut screens.app, "0120");
    press(&mut screens.app, KeyCode::Enter);
    screens
        .pump(wizard_at(Step::Number, |phase| {
            matches!(phase, Phase::Waiting { activity, .. }
                if activity.contains("Teams is assigning"))
        }))
        .await;

    // Esc stops waiting and explains how to come back. Three more leave the wizard.
    press(&mut screens.app, KeyCode::Esc);
    let screen = text(&render(&screens.app, 160, 40));
    assert!(
        screen.contains("the wizard for ivr-bot@contoso.com picks up the wait"),
        "{screen}"
    );
    for _ in 0..3 {
        press(&mut screens.app, KeyCode::Esc);
    }
    assert!(!screens.app.is_wizard_open());
    screens.pump(is_loaded).await;
    let view = screens.app.tenant().data().unwrap();
    let row = view
        .instances
        .iter()
        .find(|row| row.user_principal_name == "ivr-bot@contoso.com")
        .expect("the new instance is listed");
    assert_eq!(
        row.activation_state,
        Some(ActivationState::AssignmentPending)
    );

    // Opening the wizard for the same bot again goes straight back to the wait.
    screens.start_wizard("ivr-bot@contoso.com", IVR_BOT_APP_ID, "IVR Bot");
    screens
        .pump(wizard_at(Step::Number, |phase| {
            matches!(phase, Phase::Waiting { activity, .. }
                if activity == "Waiting for +14255550120 to activate")
        }))
        .await;
    let screen = text(&render(&screens.app, 160, 40));
    assert!(
        screen.contains("ivr-bot@contoso.com already holds +14255550120"),
        "{screen}"
    );
    emulator.advance_clock(SLOW_ASSIGNMENT);
    screens.pump(wizard_at(Step::Summary, done)).await;
    let summary = render(&screens.app, 160, 40);
    let activation = row_with(&summary, "Activation");
    assert!(activation.contains("activated"), "{activation}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wizard_shows_failed_status_detail() {
    let (emulator, client) = start_emulator(
        Timing::instant(),
        emulator::practice_tenant(),
        Duration::from_millis(50),
    )
    .await;
    let detail = "Emergency address validation failed for this number.";
    emulator.inject(Fault::fail_next_assignment(detail)).await;
    let mut screens = Screens::load(client).await;

    screens.start_wizard("ivr-bot@contoso.com", IVR_BOT_APP_ID, "IVR Bot");
    screens.pump(wizard_at(Step::License, editing)).await;
    tui_support::type_text(&mut screens.app, "US");
    press(&mut screens.app, KeyCode::Enter);
    screens.pump(wizard_at(Step::Number, editing)).await;
    tui_support::type_text(&mut screens.app, "0120");
    press(&mut screens.app, KeyCode::Enter);
    screens.pump(wizard_at(Step::Number, failed)).await;

    let screen = text(&render(&screens.app, 200, 40));
    assert!(
        screen.contains("Teams could not assign +14255550120"),
        "{screen}"
    );
    assert!(screen.contains(detail), "{screen}");
    assert!(screen.contains("Press r to retry"), "{screen}");

    // The fault is used up, so the retry assigns the number.
    tui_support::press_char(&mut screens.app, 'r');
    screens.pump(wizard_at(Step::Summary, done)).await;
}
