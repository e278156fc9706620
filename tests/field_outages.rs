//! Throttling and outages: a 429 with `Retry-After`, 503 and 504, and 5xx responses whose
//! body is an HTML page, plain text or a JSON internal error. botline waits as told and shows
//! each wait, and it retries a bounded number of times. What is left is reported as one plain
//! sentence with the status and the request id, never as raw HTML.

mod cli_support;
mod field_support;
mod tui_support;

use std::time::Duration;

use botline::emulator::{self, Emulator, Fault, Timing};
use botline::wizard::{self, Phase, Step};
use serde_json::Value;

use cli_support::{is_retry_line, one_line_failure, stderr, success, Sandbox};
use field_support::*;
use tui_support::{lines, render, text};

/// Maximum wait the in-process clients honour, enough for a `Retry-After` of one second.
const RETRY_WAIT: Duration = Duration::from_secs(2);

/// Returns the retry progress lines on stderr.
fn retry_lines(output: &std::process::Output) -> Vec<String> {
    stderr(output)
        .lines()
        .filter(|line| is_retry_line(line))
        .map(str::to_owned)
        .collect()
}

/// Returns how many more requests the emulator's waiting faults apply to.
async fn pending_fault_uses(emulator: &Emulator) -> u64 {
    let url = format!("http://{}/_emulator/faults", emulator.addr());
    let faults: Vec<Value> = reqwest::get(url).await.unwrap().json().await.unwrap();
    faults
        .iter()
        .map(|fault| fault["times"].as_u64().unwrap())
        .sum()
}

#[test]
fn report_retries_html_error() {
    let tenant = Tenant::start();
    tenant.inject(Fault::html_error("numberAssignments", 2));
    let sandbox = Sandbox::new();
    tenant.configure(&sandbox, "");

    let output = run_live(&sandbox, &["report", "numbers", "--format", "json"]);
    let printed = success(&output);
    let rows: Value = serde_json::from_str(&printed).expect("stdout is JSON only");
    assert_eq!(rows.as_array().unwrap().len(), 30);
    let retries = retry_lines(&output);
    assert_eq!(retries.len(), 2, "{retries:?}");
    for line in &retries {
        assert!(
            line.starts_with("botline: service failed (HTTP 500), retrying in "),
            "{line}"
        );
        assert!(line.contains("request-id "), "{line}");
    }
    assert!(!stderr(&output).contains('<'), "{}", stderr(&output));
}

#[test]
fn report_html_outage_is_one_sentence() {
    let tenant = Tenant::start();
    tenant.inject(Fault::html_error("numberAssignments", 100));
    let sandbox = Sandbox::new();
    tenant.configure(&sandbox, "");

    let output = run_live(&sandbox, &["report", "numbers"]);
    let line = one_line_failure(&output);
    assert!(
        line.contains("HTTP 500: the service sent an HTML error page instead of a JSON error"),
        "{line}"
    );
    assert!(line.contains("request-id "), "{line}");
    assert!(!line.contains('<'), "HTML leaked into {line}");
    assert!(!stderr(&output).contains("DOCTYPE"));
    assert!(output.stdout.is_empty(), "nothing is printed on stdout");
    assert_eq!(retry_lines(&output).len(), 2);
}

#[test]
fn assign_internal_error_is_one_sentence() {
    let tenant = Tenant::start();
    tenant.inject(Fault::server_error("ApplicationInstances", 1, 500).on_method("POST"));
    let sandbox = Sandbox::new();
    tenant.configure(&sandbox, &polling_table(50));

    let output = run_live(&sandbox, &assign_ivr_bot(FREE_DIRECT_ROUTING, "US"));
    let line = one_line_failure(&output);
    assert!(
        line.starts_with("botline: Creating ivr-bot@contoso.com failed: HTTP 500 generalException"),
        "{line}"
    );
    assert!(line.contains("request-id "), "{line}");
    // A create that failed inside the service may have happened, so it is not sent again.
    assert!(retry_lines(&output).is_empty(), "{}", stderr(&output));
}

#[tokio::test]
async fn wizard_does_not_repeat_failed_create() {
    let (emulator, client) =
        start_emulator(Timing::instant(), emulator::practice_tenant(), RETRY_WAIT).await;
    emulator
        .inject(Fault::html_error("ApplicationInstances", 5).on_method("POST"))
        .await;

    let reason = wizard::run_to_completion(
        &client,
        ivr_bot_form(FREE_DIRECT_ROUTING),
        quick_polls(),
        |_| {},
    )
    .await
    .expect_err("the create fails");
    assert!(
        reason.starts_with("Creating ivr-bot@contoso.com failed: HTTP 500"),
        "{reason}"
    );
    assert!(reason.contains("request-id "), "{reason}");
    assert!(!reason.contains('<'), "{reason}");
    assert_eq!(
        pending_fault_uses(&emulator).await,
        4,
        "sent once, not retried"
    );
}

#[tokio::test]
async fn wizard_retries_failed_reads() {
    let (emulator, client) =
        start_emulator(Timing::instant(), emulator::practice_tenant(), RETRY_WAIT).await;
    emulator.inject(Fault::html_error("/domains", 2)).await;
    emulator
        .inject(Fault::server_error("subscribedSkus", 1, 502))
        .await;

    let finished = wizard::run_to_completion(
        &client,
        ivr_bot_form(FREE_DIRECT_ROUTING),
        quick_polls(),
        |_| {},
    )
    .await
    .unwrap_or_else(|reason| panic!("wizard stopped: {reason}"));
    assert_eq!(finished.phase, Phase::Done);
    assert_eq!(pending_fault_uses(&emulator).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wizard_html_error_is_one_sentence() {
    let (emulator, client) =
        start_emulator(Timing::instant(), emulator::practice_tenant(), RETRY_WAIT).await;
    let mut screens = Screens::load(client).await;
    emulator
        .inject(Fault::html_error("ApplicationInstances", 1).on_method("POST"))
        .await;

    screens.start_wizard("ivr-bot@contoso.com", IVR_BOT_APP_ID, "IVR Bot");
    screens.pump(wizard_at(Step::Instance, failed)).await;
    let screen = text(&render(&screens.app, 200, 40));
    assert!(
        screen.contains("Creating ivr-bot@contoso.com failed: HTTP 500"),
        "{screen}"
    );
    assert!(screen.contains("request-id "), "{screen}");
    assert!(screen.contains("Press r to retry"), "{screen}");
    assert!(!screen.contains('<'), "{screen}");

    // The outage is over, so the retry creates the account.
    tui_support::press_char(&mut screens.app, 'r');
    screens.pump(wizard_at(Step::License, editing)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tenant_load_failure_is_one_sentence() {
    let (emulator, client) =
        start_emulator(Timing::instant(), emulator::practice_tenant(), RETRY_WAIT).await;
    emulator
        .inject(Fault::html_error("subscribedSkus", 10))
        .await;
    let worker = botline::worker::spawn(client);
    let mut screens = Screens {
        app: tui_support::app(false),
        worker,
    };
    screens.app.reload();
    screens
        .pump(|app| matches!(app.tenant(), botline::tui::loadable::Loadable::Failed(_)))
        .await;

    let buffer = render(&screens.app, 160, 30);
    let status = lines(&buffer)[28].clone();
    assert!(
        status.starts_with("Loading the tenant failed: HTTP 500"),
        "{status}"
    );
    assert!(status.contains("request-id "), "{status}");
    assert!(!text(&buffer).contains('<'), "{}", text(&buffer));
}

#[test]
fn report_shows_throttling() {
    let tenant = Tenant::start();
    tenant.inject(Fault::throttle("numberAssignments", 2, 1));
    let sandbox = Sandbox::new();
    tenant.configure(&sandbox, "");

    let output = run_live(&sandbox, &["report", "numbers", "--format", "json"]);
    let rows: Value = serde_json::from_str(&success(&output)).expect("stdout is JSON only");
    assert_eq!(rows.as_array().unwrap().len(), 30);
    let retries = retry_lines(&output);
    assert_eq!(retries.len(), 2, "{retries:?}");
    assert!(
        retries[0].starts_with("botline: throttled, retrying in 1 s (retry 1, request-id "),
        "{retries:?}"
    );
    assert!(
        retries[1].starts_with("botline: throttled, retrying in 1 s (retry 2, request-id "),
        "{retries:?}"
    );
}

#[test]
fn report_gives_up_with_request_id() {
    let tenant = Tenant::start();
    tenant.inject(Fault::throttle("subscribedSkus", 100, 0));
    let sandbox = Sandbox::new();
    tenant.configure(&sandbox, "");

    let output = run_live(&sandbox, &["report", "licenses"]);
    let line = one_line_failure(&output);
    assert!(line.contains("HTTP 429 TooManyRequests"), "{line}");
    assert!(line.contains("(request-id "), "{line}");
    assert_eq!(
        retry_lines(&output).len(),
        botline::client::ClientOptions::default().max_retries as usize
    );
}

#[test]
fn assign_prints_retries_on_stderr() {
    let tenant = Tenant::start();
    tenant.inject(Fault::throttle("ApplicationInstances", 1, 1).on_method("POST"));
    tenant.inject(Fault::server_error("assignNumber", 1, 503));
    let sandbox = Sandbox::new();
    tenant.configure(&sandbox, &polling_table(50));

    let output = run_live(&sandbox, &assign_ivr_bot(FREE_DIRECT_ROUTING, "US"));
    let printed = success(&output);
    assert!(
        printed.contains("ivr-bot@contoso.com holds +14255550120 (Direct Routing, activated)"),
        "{printed}"
    );
    let retries = retry_lines(&output);
    assert_eq!(retries.len(), 2, "{retries:?}");
    assert!(
        retries[0].starts_with("botline: throttled, retrying in 1 s"),
        "{retries:?}"
    );
    assert!(
        retries[1].starts_with("botline: service unavailable (HTTP 503), retrying in "),
        "{retries:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_line_shows_load_throttling() {
    let (emulator, client) =
        start_emulator(Timing::instant(), emulator::practice_tenant(), RETRY_WAIT).await;
    emulator
        .inject(Fault::throttle("numberAssignments", 1, 1))
        .await;
    let worker = botline::worker::spawn(client);
    let mut screens = Screens {
        app: tui_support::app(false),
        worker,
    };
    screens.app.reload();
    screens.pump(|app| app.retry_status().is_some()).await;

    let status = lines(&render(&screens.app, 160, 30))[28].clone();
    assert!(
        status.contains("Loading the tenant: throttled, retrying in 1 s (retry 1, request-id "),
        "{status}"
    );

    screens.pump(is_loaded).await;
    let status = lines(&render(&screens.app, 160, 30))[28].clone();
    assert_eq!(status, "Loaded 8 instances, 4 licenses and 30 numbers.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_line_shows_wizard_throttling() {
    let (emulator, client) =
        start_emulator(Timing::instant(), emulator::practice_tenant(), RETRY_WAIT).await;
    let mut screens = Screens::load(client).await;
    emulator
        .inject(Fault::throttle("ApplicationInstances", 1, 1).on_method("POST"))
        .await;

    screens.start_wizard("ivr-bot@contoso.com", IVR_BOT_APP_ID, "IVR Bot");
    screens.pump(|app| app.retry_status().is_some()).await;
    let status = lines(&render(&screens.app, 160, 40))[38].clone();
    assert!(
        status.contains("Creating ivr-bot@contoso.com: throttled, retrying in 1 s (retry 1"),
        "{status}"
    );

    screens.pump(wizard_at(Step::License, editing)).await;
    let status = lines(&render(&screens.app, 160, 40))[38].clone();
    assert!(!status.contains("throttled"), "{status}");
}
