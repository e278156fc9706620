//! Fault injection on the emulator, through the Rust API and through `/_emulator/faults`.

mod emulator_support;

use std::time::{Duration, Instant};

use botline::emulator::seed::SURVEY_BOT_ID;
use botline::emulator::{practice_tenant, Fault, Timing};
use emulator_support::{graph_error, Harness, INSTANCES, NUMBERS};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn numbers_path() -> String {
    format!("{NUMBERS}/numberAssignments")
}

async fn post_fault(harness: &Harness, fault: Value) -> reqwest::Response {
    harness
        .http
        .post(harness.url("/_emulator/faults"))
        .json(&fault)
        .send()
        .await
        .unwrap()
}

async fn pending_faults(harness: &Harness) -> Vec<Value> {
    harness
        .http
        .get(harness.url("/_emulator/faults"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn throttle_answers_429_then_recovers() {
    let harness = Harness::start().await;
    harness
        .emulator
        .inject(Fault::throttle("numberAssignments", 2, 7))
        .await;
    for _ in 0..2 {
        let response = harness.graph_get(&numbers_path()).await;
        assert_eq!(response.headers().get("retry-after").unwrap(), "7");
        let (status, code, _) = graph_error(response).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(code, "TooManyRequests");
    }
    assert_eq!(
        harness.graph_get(&numbers_path()).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn fault_applies_only_to_its_route() {
    let harness = Harness::start().await;
    harness
        .emulator
        .inject(Fault::throttle("numberAssignments", 1, 1))
        .await;
    assert_eq!(
        harness.graph_get("/v1.0/users").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        harness.graph_get(&numbers_path()).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn fault_applies_only_to_its_method() {
    let harness = Harness::start().await;
    harness
        .emulator
        .inject(Fault::server_error("numberAssignments", 1, 503).on_method("POST"))
        .await;
    assert_eq!(
        harness.graph_get(&numbers_path()).await.status(),
        StatusCode::OK
    );
    let body = json!({"telephoneNumber": "+14255550112", "numberType": "callingPlan"});
    let response = harness
        .graph_post(&format!("{}/unassignNumber", numbers_path()), &body)
        .await;
    let (status, code, _) = graph_error(response).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(code, "serviceNotAvailable");
}

#[tokio::test]
async fn gateway_timeout_has_graph_body() {
    let harness = Harness::start().await;
    harness
        .emulator
        .inject(Fault::server_error("users", 1, 504))
        .await;
    let (status, code, _) = graph_error(harness.graph_get("/v1.0/users").await).await;
    assert_eq!(status, StatusCode::GATEWAY_TIMEOUT);
    assert_eq!(code, "gatewayTimeout");
}

#[tokio::test]
async fn html_error_page() {
    let harness = Harness::start().await;
    harness
        .emulator
        .inject(Fault::html_error(INSTANCES, 1))
        .await;
    let response = harness.teams_get(INSTANCES).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let content_type = response.headers().get("content-type").unwrap();
    assert!(content_type.to_str().unwrap().starts_with("text/html"));
    assert!(response.headers().get("request-id").is_some());
    let body = response.text().await.unwrap();
    assert!(body.starts_with("<!DOCTYPE html>"), "{body}");
}

#[tokio::test]
async fn delay_answers_normally_after_waiting() {
    let harness = Harness::start().await;
    harness
        .emulator
        .inject(Fault::delay("domains", 1, Duration::from_millis(300)))
        .await;
    let started = Instant::now();
    let response = harness.graph_get("/v1.0/domains").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert!(pending_faults(&harness).await.is_empty());
}

#[tokio::test]
async fn malformed_number_record_once() {
    let harness = Harness::start().await;
    harness
        .emulator
        .inject(Fault::malformed_record("numberAssignments"))
        .await;
    let page = harness.graph_json(&numbers_path()).await;
    let records = page["value"].as_array().unwrap();
    assert_eq!(records.len(), 31);
    assert_eq!(records[1]["telephoneNumber"], "1");
    assert_eq!(records[1]["numberType"], "futureNumberType");
    let again = harness.graph_json(&numbers_path()).await;
    assert_eq!(again["value"].as_array().unwrap().len(), 30);
}

#[tokio::test]
async fn malformed_user_and_instance_records() {
    let harness = Harness::start().await;
    harness
        .emulator
        .inject(Fault::malformed_record("/v1.0/users"))
        .await;
    harness
        .emulator
        .inject(Fault::malformed_record(INSTANCES))
        .await;
    let users = harness.graph_json("/v1.0/users").await;
    assert_eq!(users["value"][1]["id"], 17);
    let instances: Value = harness.teams_get(INSTANCES).await.json().await.unwrap();
    assert_eq!(instances["applicationInstances"][1]["objectId"], 17);
}

#[tokio::test]
async fn faults_over_http() {
    let harness = Harness::start().await;
    let added = post_fault(
        &harness,
        json!([
            {"route": "subscribedSkus", "kind": "throttle", "retryAfterSeconds": 3, "times": 2},
            {"route": "domains", "kind": "htmlError", "status": 502}
        ]),
    )
    .await;
    assert_eq!(added.status(), StatusCode::NO_CONTENT);
    assert_eq!(pending_faults(&harness).await.len(), 2);

    let throttled = harness.graph_get("/v1.0/subscribedSkus").await;
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(throttled.headers().get("retry-after").unwrap(), "3");
    let html = harness.graph_get("/v1.0/domains").await;
    assert_eq!(html.status(), StatusCode::BAD_GATEWAY);

    let remaining = pending_faults(&harness).await;
    assert_eq!(remaining.len(), 1);
    assert_eq!(remaining[0]["times"], 1);

    let cleared = harness
        .http
        .delete(harness.url("/_emulator/faults"))
        .send()
        .await
        .unwrap();
    assert_eq!(cleared.status(), StatusCode::NO_CONTENT);
    assert!(pending_faults(&harness).await.is_empty());
    assert_eq!(
        harness.graph_get("/v1.0/subscribedSkus").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn failed_operation_over_http() {
    let timing = Timing {
        assignment_delay: Duration::from_secs(60),
        ..Timing::instant()
    };
    let harness = Harness::start_with(practice_tenant(), timing).await;
    let added = post_fault(
        &harness,
        json!({
            "route": "assignNumber",
            "kind": "failOperation",
            "statusDetail": "Number is being ported.",
        }),
    )
    .await;
    assert_eq!(added.status(), StatusCode::NO_CONTENT);

    let body = json!({
        "telephoneNumber": "+14255550114",
        "assignmentTargetId": SURVEY_BOT_ID,
        "numberType": "callingPlan",
    });
    let response = harness
        .graph_post(&format!("{}/assignNumber", numbers_path()), &body)
        .await;
    let location = response.headers()["location"].to_str().unwrap().to_owned();

    harness.emulator.advance_clock(Duration::from_secs(60));
    let operation: Value = harness
        .http
        .get(&location)
        .bearer_auth(&harness.graph_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(operation["status"], "failed");
    assert_eq!(
        operation["numbers"][0]["statusDetail"],
        "Number is being ported."
    );
}

#[tokio::test]
async fn invalid_fault_is_rejected() {
    let harness = Harness::start().await;
    let not_server_error = post_fault(
        &harness,
        json!({"route": "users", "kind": "serverError", "status": 404}),
    )
    .await;
    let (status, _, message) = graph_error(not_server_error).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message.contains("404"), "{message}");
    let unknown_kind = post_fault(&harness, json!({"route": "users", "kind": "explode"})).await;
    assert_eq!(unknown_kind.status(), StatusCode::BAD_REQUEST);
    assert!(pending_faults(&harness).await.is_empty());
}

#[tokio::test]
async fn test_hooks_are_never_faulted() {
    let harness = Harness::start().await;
    harness
        .emulator
        .inject(Fault::server_error("", 5, 503))
        .await;
    assert_eq!(pending_faults(&harness).await.len(), 1);
    let login = harness
        .token_request(&[("grant_type", "client_credentials")])
        .await;
    assert_eq!(login.status(), StatusCode::SERVICE_UNAVAILABLE);
}
