//! The Teams admin API's application instances on the emulator.

mod emulator_support;

use std::collections::HashSet;
use std::time::Duration;

use botline::emulator::seed::{
    HELPDESK_BOT_APP_ID, HELPDESK_BOT_ID, IVR_BOT_APP_ID, SURVEY_BOT_APP_ID, UNMAPPED_BOT_ID,
};
use botline::emulator::{practice_tenant, Timing};
use emulator_support::{graph_error, Harness, INSTANCES};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn ivr_bot() -> Value {
    json!({
        "userPrincipalName": "ivr-bot@contoso.com",
        "applicationId": IVR_BOT_APP_ID,
        "displayName": "Contoso IVR Bot",
    })
}

async fn teams_json(harness: &Harness, path: &str) -> Value {
    let response = harness.teams_get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    response.json().await.unwrap()
}

/// Lists every instance by following `skipToken`; returns UPNs and the number of pages.
async fn all_instances(harness: &Harness, page_size: Option<usize>) -> (Vec<String>, usize) {
    let mut upns = Vec::new();
    let mut pages = 0;
    let mut token: Option<String> = None;
    loop {
        let mut query = Vec::new();
        if let Some(size) = page_size {
            query.push(format!("pageSize={size}"));
        }
        if let Some(token) = &token {
            query.push(format!("skipToken={token}"));
        }
        let page = teams_json(harness, &format!("{INSTANCES}?{}", query.join("&"))).await;
        pages += 1;
        for instance in page["applicationInstances"].as_array().unwrap() {
            upns.push(instance["userPrincipalName"].as_str().unwrap().to_owned());
        }
        match page["skipToken"].as_str() {
            Some(next) => token = Some(next.to_owned()),
            None => return (upns, pages),
        }
    }
}

async fn create(harness: &Harness, body: &Value) -> reqwest::Response {
    harness.teams_post(INSTANCES, body).await
}

async fn sync(harness: &Harness, object_id: &str, app_id: &str) -> reqwest::Response {
    harness
        .teams_post(
            &format!("{INSTANCES}/{object_id}/sync"),
            &json!({"applicationId": app_id}),
        )
        .await
}

#[tokio::test]
async fn list_shows_seeded_instances() {
    let harness = Harness::start().await;
    let page = teams_json(&harness, INSTANCES).await;
    let instances = page["applicationInstances"].as_array().unwrap();
    assert_eq!(instances.len(), 8);
    assert!(page.get("skipToken").is_none());
    let helpdesk = instances
        .iter()
        .find(|instance| instance["objectId"] == HELPDESK_BOT_ID)
        .unwrap();
    assert_eq!(helpdesk["userPrincipalName"], "helpdesk-bot@contoso.com");
    assert_eq!(helpdesk["applicationId"], HELPDESK_BOT_APP_ID);
    assert_eq!(helpdesk["phoneNumber"], "+14255550110");
}

#[tokio::test]
async fn list_pages_with_skip_token() {
    let harness = Harness::start().await;
    let (upns, pages) = all_instances(&harness, Some(3)).await;
    assert_eq!(upns.len(), 8);
    assert_eq!(upns.iter().collect::<HashSet<_>>().len(), 8);
    assert_eq!(pages, 3);
}

#[tokio::test]
async fn list_default_page_is_100() {
    let state = practice_tenant().with_generated_instances(250);
    let harness = Harness::start_with(state, Timing::instant()).await;
    let (upns, pages) = all_instances(&harness, None).await;
    assert_eq!(upns.len(), 258);
    assert_eq!(pages, 3);
}

#[tokio::test]
async fn bad_page_size_is_rejected() {
    let harness = Harness::start().await;
    let response = harness.teams_get(&format!("{INSTANCES}?pageSize=0")).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = harness
        .teams_get(&format!("{INSTANCES}?skipToken=garbage"))
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn get_one_instance() {
    let harness = Harness::start().await;
    let instance = teams_json(&harness, &format!("{INSTANCES}/{UNMAPPED_BOT_ID}")).await;
    assert_eq!(instance["userPrincipalName"], "unmapped-bot@contoso.com");
    assert_eq!(instance["applicationId"], Value::Null);
    let missing = harness
        .teams_get(&format!("{INSTANCES}/00000000-1111-4000-8000-000000000000"))
        .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn create_makes_disabled_unlicensed_user() {
    let harness = Harness::start().await;
    let response = create(&harness, &ivr_bot()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    let object_id = created["objectId"].as_str().unwrap();
    assert!(uuid::Uuid::parse_str(object_id).is_ok());
    assert_eq!(created["userPrincipalName"], "ivr-bot@contoso.com");
    assert_eq!(created["applicationId"], IVR_BOT_APP_ID);

    let user = harness
        .graph_json(&format!("/v1.0/users/{object_id}"))
        .await;
    assert_eq!(user["accountEnabled"], false);
    assert_eq!(user["usageLocation"], Value::Null);
    assert_eq!(user["assignedLicenses"], json!([]));
    assert_eq!(user["displayName"], "Contoso IVR Bot");

    let read = teams_json(&harness, &format!("{INSTANCES}/{object_id}")).await;
    assert_eq!(read["applicationId"], IVR_BOT_APP_ID);
}

#[tokio::test]
async fn create_rejects_unverified_domain() {
    let harness = Harness::start().await;
    for upn in ["bot@fabrikam-test.com", "bot@corp.contoso.local"] {
        let body = json!({
            "userPrincipalName": upn,
            "applicationId": IVR_BOT_APP_ID,
            "displayName": "Bot",
        });
        let (status, _, message) = graph_error(create(&harness, &body).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{upn}");
        let domain = upn.split('@').nth(1).unwrap();
        assert!(message.contains(&format!("'{domain}'")), "{message}");
        assert!(message.contains("contoso.onmicrosoft.com"), "{message}");
    }
}

#[tokio::test]
async fn create_rejects_duplicate_upn() {
    let harness = Harness::start().await;
    let body = json!({
        "userPrincipalName": "Helpdesk-Bot@contoso.com",
        "applicationId": IVR_BOT_APP_ID,
        "displayName": "Duplicate",
    });
    let (status, code, message) = graph_error(create(&harness, &body).await).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(code, "Conflict");
    assert!(message.contains("helpdesk-bot@contoso.com"), "{message}");
}

#[tokio::test]
async fn create_rejects_bad_application_id() {
    let harness = Harness::start().await;
    let body = json!({
        "userPrincipalName": "bot@contoso.com",
        "applicationId": "1234",
        "displayName": "Bot",
    });
    let (status, _, message) = graph_error(create(&harness, &body).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message.contains("\"1234\""), "{message}");
}

#[tokio::test]
async fn create_rejects_blank_display_name() {
    let harness = Harness::start().await;
    let body = json!({
        "userPrincipalName": "bot@contoso.com",
        "applicationId": IVR_BOT_APP_ID,
        "displayName": "  ",
    });
    let (status, _, message) = graph_error(create(&harness, &body).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message.contains("displayName"), "{message}");
}

#[tokio::test]
async fn new_instance_appears_after_replication() {
    let timing = Timing {
        replication_delay: Duration::from_secs(60),
        ..Timing::instant()
    };
    let harness = Harness::start_with(practice_tenant(), timing).await;
    let created: Value = create(&harness, &ivr_bot()).await.json().await.unwrap();
    let object_id = created["objectId"].as_str().unwrap();
    let path = format!("{INSTANCES}/{object_id}");
    assert_eq!(
        harness.teams_get(&path).await.status(),
        StatusCode::NOT_FOUND
    );
    let (upns, _) = all_instances(&harness, None).await;
    assert!(!upns.contains(&"ivr-bot@contoso.com".to_owned()));
    let early_sync = sync(&harness, object_id, SURVEY_BOT_APP_ID).await;
    assert_eq!(early_sync.status(), StatusCode::NOT_FOUND);

    harness.emulator.advance_clock(Duration::from_secs(60));
    assert_eq!(harness.teams_get(&path).await.status(), StatusCode::OK);
    let (upns, _) = all_instances(&harness, None).await;
    assert!(upns.contains(&"ivr-bot@contoso.com".to_owned()));
}

#[tokio::test]
async fn sync_same_mapping_is_conflict() {
    let harness = Harness::start().await;
    let created: Value = create(&harness, &ivr_bot()).await.json().await.unwrap();
    let object_id = created["objectId"].as_str().unwrap();
    let (status, _, message) = graph_error(sync(&harness, object_id, IVR_BOT_APP_ID).await).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(message, "An item with the same key has already been added.");
}

#[tokio::test]
async fn sync_changes_and_removes_mapping() {
    let harness = Harness::start().await;
    let path = format!("{INSTANCES}/{UNMAPPED_BOT_ID}");
    let mapped = sync(&harness, UNMAPPED_BOT_ID, SURVEY_BOT_APP_ID).await;
    assert_eq!(mapped.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        teams_json(&harness, &path).await["applicationId"],
        SURVEY_BOT_APP_ID
    );

    let removed = sync(
        &harness,
        UNMAPPED_BOT_ID,
        "00000000-0000-0000-0000-000000000000",
    )
    .await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        teams_json(&harness, &path).await["applicationId"],
        Value::Null
    );
}

#[tokio::test]
async fn sync_rules() {
    let harness = Harness::start().await;
    let unknown = sync(
        &harness,
        "00000000-1111-4000-8000-000000000000",
        IVR_BOT_APP_ID,
    )
    .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let bad = sync(&harness, UNMAPPED_BOT_ID, "not-a-guid").await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
}
