//! The emulator's state file: seeding, persistence across restarts, and atomic writes.

mod emulator_support;

use std::path::Path;
use std::time::Duration;

use botline::emulator::seed::{RECEPTION_BOT_ID, SURVEY_BOT_ID};
use botline::emulator::{practice_tenant, Emulator, Options, TenantState, Timing};
use emulator_support::{Harness, NUMBERS};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn options_with_file(path: &Path, timing: Timing) -> Options {
    Options {
        state_file: Some(path.to_owned()),
        timing,
        ..Options::default()
    }
}

fn read_file(path: &Path) -> TenantState {
    serde_json::from_slice(&std::fs::read(path).unwrap()).expect("state file parses")
}

#[tokio::test]
async fn missing_file_is_seeded() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("tenant.json");
    let emulator = Emulator::start(options_with_file(&path, Timing::instant()))
        .await
        .unwrap();
    assert_eq!(read_file(&path), practice_tenant());
    emulator.shutdown().await;
}

#[tokio::test]
async fn change_survives_restart() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("tenant.json");
    let first = Emulator::start(options_with_file(&path, Timing::instant()))
        .await
        .unwrap();
    let harness = Harness::around(first).await;
    let response = harness
        .graph_patch(
            &format!("/v1.0/users/{RECEPTION_BOT_ID}"),
            &json!({"usageLocation": "DE"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    harness.emulator.shutdown().await;

    let second = Emulator::start(options_with_file(&path, Timing::instant()))
        .await
        .unwrap();
    let harness = Harness::around(second).await;
    let user = harness
        .graph_json(&format!("/v1.0/users/{RECEPTION_BOT_ID}"))
        .await;
    assert_eq!(user["usageLocation"], "DE");
}

#[tokio::test]
async fn pending_operation_survives_restart() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("tenant.json");
    let timing = Timing {
        assignment_delay: Duration::from_secs(600),
        ..Timing::instant()
    };
    let first = Emulator::start(options_with_file(&path, timing.clone()))
        .await
        .unwrap();
    let harness = Harness::around(first).await;
    let body = json!({
        "telephoneNumber": "+14255550112",
        "assignmentTargetId": SURVEY_BOT_ID,
        "numberType": "callingPlan",
    });
    let response = harness
        .graph_post(&format!("{NUMBERS}/numberAssignments/assignNumber"), &body)
        .await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let operation_key = location.rsplit('/').next().unwrap().to_owned();
    harness.emulator.shutdown().await;

    let second = Emulator::start(options_with_file(&path, timing))
        .await
        .unwrap();
    let harness = Harness::around(second).await;
    let operation_path = format!("{NUMBERS}/{operation_key}");
    assert_eq!(
        harness.graph_json(&operation_path).await["status"],
        "running"
    );
    assert_eq!(
        harness.number("+14255550112").await["activationState"],
        "assignmentPending"
    );
    harness.emulator.advance_clock(Duration::from_secs(600));
    assert_eq!(
        harness.graph_json(&operation_path).await["status"],
        "succeeded"
    );
    assert_eq!(
        harness.number("+14255550112").await["activationState"],
        "activated"
    );
}

#[tokio::test]
async fn concurrent_changes_write_latest_state() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("tenant.json");
    let emulator = Emulator::start(options_with_file(&path, Timing::instant()))
        .await
        .unwrap();
    let harness = Harness::around(emulator).await;
    let requests = ["US", "GB", "DE", "FR", "NL", "SE", "NO", "DK", "FI", "IE"]
        .iter()
        .enumerate()
        .map(|(index, location)| {
            let target = if index % 2 == 0 {
                RECEPTION_BOT_ID
            } else {
                SURVEY_BOT_ID
            };
            let path = format!("/v1.0/users/{target}");
            let body = json!({"usageLocation": location});
            let harness = &harness;
            async move { harness.graph_patch(&path, &body).await }
        });
    for response in futures::future::join_all(requests).await {
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
    }
    assert_eq!(read_file(&path), harness.emulator.state().await);
    let mut entries: Vec<String> = std::fs::read_dir(folder.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    assert_eq!(
        entries,
        vec!["tenant.json", "tenant.json.lock"],
        "no temporary file is left"
    );
}

#[tokio::test]
async fn invalid_file_stops_start_with_reason() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("tenant.json");
    std::fs::write(&path, "{\"tenant\": 5}").unwrap();
    let error = match Emulator::start(options_with_file(&path, Timing::instant())).await {
        Ok(_) => panic!("an invalid state file must not start"),
        Err(error) => error,
    };
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidData);
    assert!(error.to_string().contains("tenant.json"), "{error}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "{\"tenant\": 5}");
}

#[tokio::test]
async fn start_with_state_replaces_file() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("tenant.json");
    std::fs::write(&path, "{}").unwrap();
    let state = practice_tenant().with_generated_numbers(5);
    let emulator =
        Emulator::start_with_state(options_with_file(&path, Timing::instant()), state.clone())
            .await
            .unwrap();
    assert_eq!(read_file(&path), state);
    emulator.shutdown().await;
}

#[tokio::test]
async fn state_hook_matches_rust_api() {
    let harness = Harness::start().await;
    let over_http: Value = harness
        .http
        .get(harness.url("/_emulator/state"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let expected = serde_json::to_value(harness.emulator.state().await).unwrap();
    assert_eq!(over_http, expected);
}

#[tokio::test]
async fn clock_hook_finishes_operations() {
    let timing = Timing {
        assignment_delay: Duration::from_secs(300),
        ..Timing::instant()
    };
    let harness = Harness::start_with(practice_tenant(), timing).await;
    let body = json!({
        "telephoneNumber": "+14255550125",
        "assignmentTargetId": SURVEY_BOT_ID,
        "numberType": "directRouting",
    });
    let response = harness
        .graph_post(&format!("{NUMBERS}/numberAssignments/assignNumber"), &body)
        .await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let advanced = harness
        .http
        .post(harness.url("/_emulator/clock"))
        .json(&json!({"advanceSeconds": 300}))
        .send()
        .await
        .unwrap();
    assert_eq!(advanced.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        harness.number("+14255550125").await["activationState"],
        "activated"
    );
}

#[tokio::test]
async fn second_emulator_on_same_state_file_is_refused() {
    let folder = tempfile::tempdir().unwrap();
    let state_file = folder.path().join("tenant.json");
    let options = || Options {
        state_file: Some(state_file.clone()),
        timing: Timing::instant(),
        ..Options::default()
    };
    let first = Emulator::start(options()).await.unwrap();
    let error = Emulator::start(options())
        .await
        .err()
        .expect("the file is locked");
    assert_eq!(error.kind(), std::io::ErrorKind::WouldBlock);
    assert!(
        error.to_string().contains("in use by another botline"),
        "{error}"
    );
    first.shutdown().await;
    let again = Emulator::start(options()).await;
    assert!(again.is_ok(), "the lock ends with the first emulator");
}
