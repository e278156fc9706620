//! Graph users, domains, service principals and licenses on the emulator.

mod emulator_support;

use std::collections::HashSet;
use std::time::Duration;

use botline::emulator::seed::{
    ADELE_ID, HELPDESK_BOT_ID, IVR_BOT_APP_ID, MEGAN_ID, RECEPTION_BOT_ID, SURVEY_BOT_ID,
};
use botline::emulator::{practice_tenant, Timing};
use botline::model::{RESOURCE_ACCOUNT_PLAN_ID, RESOURCE_ACCOUNT_SKU, RESOURCE_ACCOUNT_SKU_ID};
use emulator_support::{encode, graph_error, Harness};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn upns(page: &Value) -> Vec<String> {
    page["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|user| user["userPrincipalName"].as_str().unwrap().to_owned())
        .collect()
}

/// Follows `@odata.nextLink` from `first` and returns every UPN and the number of pages.
async fn all_user_pages(harness: &Harness, first: &str) -> (Vec<String>, usize) {
    let mut page = harness.graph_json(first).await;
    let mut names = upns(&page);
    let mut pages = 1;
    while let Some(next) = page["@odata.nextLink"].as_str() {
        let prefix = harness.url("/v1.0/users?");
        assert!(next.starts_with(&prefix), "absolute next link: {next}");
        page = harness.graph_json(&next[harness.url("").len()..]).await;
        names.extend(upns(&page));
        pages += 1;
    }
    (names, pages)
}

#[tokio::test]
async fn users_list_all_without_next_link() {
    let harness = Harness::start().await;
    let page = harness.graph_json("/v1.0/users").await;
    assert_eq!(upns(&page).len(), practice_tenant().users.len());
    assert!(page.get("@odata.nextLink").is_none());
}

#[tokio::test]
async fn users_page_with_next_link() {
    let harness = Harness::start().await;
    let (names, pages) = all_user_pages(&harness, "/v1.0/users?$top=5").await;
    let total = practice_tenant().users.len();
    assert_eq!(names.len(), total);
    assert_eq!(names.iter().collect::<HashSet<_>>().len(), total);
    assert_eq!(pages, total.div_ceil(5));
}

#[tokio::test]
async fn users_filter_survives_paging() {
    let harness = Harness::start().await;
    let filter = format!("assignedLicenses/any(l:l/skuId eq '{RESOURCE_ACCOUNT_SKU_ID}')");
    let first = format!("/v1.0/users?$filter={}&$top=2", encode(&filter));
    let (names, pages) = all_user_pages(&harness, &first).await;
    assert_eq!(names.len(), 6);
    assert_eq!(pages, 3);
    assert!(names.contains(&"helpdesk-bot@contoso.com".to_owned()));
    assert!(!names.contains(&"reception-bot@contoso.com".to_owned()));
}

#[tokio::test]
async fn users_top_above_999_is_rejected() {
    let harness = Harness::start().await;
    let response = harness.graph_get("/v1.0/users?$top=1000").await;
    let (status, _, message) = graph_error(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message.contains("999"), "{message}");
}

#[tokio::test]
async fn user_filter_by_upn_ignores_case() {
    let harness = Harness::start().await;
    let filter = encode("userPrincipalName eq 'HELPDESK-Bot@Contoso.com'");
    let page = harness
        .graph_json(&format!("/v1.0/users?$filter={filter}&$select=id"))
        .await;
    assert_eq!(upns(&page), vec!["helpdesk-bot@contoso.com"]);
    assert_eq!(page["value"][0]["id"], HELPDESK_BOT_ID);
}

#[tokio::test]
async fn user_filter_by_id_list() {
    let harness = Harness::start().await;
    let filter = encode(&format!("id in ('{ADELE_ID}', '{MEGAN_ID}', 'nobody')"));
    let page = harness
        .graph_json(&format!("/v1.0/users?$filter={filter}"))
        .await;
    let mut names = upns(&page);
    names.sort();
    assert_eq!(
        names,
        vec!["adele.vance@contoso.com", "megan.bowen@contoso.com"]
    );
}

#[tokio::test]
async fn user_filter_in_takes_at_most_15() {
    let harness = Harness::start().await;
    let ids: Vec<String> = (0..16).map(|i| format!("'id-{i}'")).collect();
    let filter = encode(&format!("id in ({})", ids.join(",")));
    let response = harness
        .graph_get(&format!("/v1.0/users?$filter={filter}"))
        .await;
    let (status, code, message) = graph_error(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(code, "Request_UnsupportedQuery");
    assert!(message.contains("16"), "{message}");
}

#[tokio::test]
async fn user_filter_unsupported_part_is_named() {
    let harness = Harness::start().await;
    let filter = encode("city eq 'Redmond'");
    let response = harness
        .graph_get(&format!("/v1.0/users?$filter={filter}"))
        .await;
    let (status, _, message) = graph_error(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message.contains("city eq 'Redmond'"), "{message}");
}

#[tokio::test]
async fn user_filter_syntax_error_is_400() {
    let harness = Harness::start().await;
    let filter = encode("userPrincipalName eq 'a' or id eq 'b'");
    let response = harness
        .graph_get(&format!("/v1.0/users?$filter={filter}"))
        .await;
    let (status, _, message) = graph_error(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message.contains("'or'"), "{message}");
}

#[tokio::test]
async fn user_by_id_and_by_upn() {
    let harness = Harness::start().await;
    let by_id = harness
        .graph_json(&format!("/v1.0/users/{SURVEY_BOT_ID}"))
        .await;
    assert_eq!(by_id["userPrincipalName"], "survey-bot@contoso.com");
    assert_eq!(by_id["accountEnabled"], false);
    assert_eq!(by_id["usageLocation"], "US");
    let by_upn = harness
        .graph_json("/v1.0/users/Survey-Bot@contoso.com")
        .await;
    assert_eq!(by_upn["id"], SURVEY_BOT_ID);
}

#[tokio::test]
async fn unknown_user_is_404() {
    let harness = Harness::start().await;
    let response = harness.graph_get("/v1.0/users/nobody@contoso.com").await;
    let (status, code, message) = graph_error(response).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(code, "Request_ResourceNotFound");
    assert!(message.contains("nobody@contoso.com"), "{message}");
}

#[tokio::test]
async fn patch_sets_usage_location() {
    let harness = Harness::start().await;
    let path = format!("/v1.0/users/{RECEPTION_BOT_ID}");
    let response = harness
        .graph_patch(&path, &json!({"usageLocation": "gb"}))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let user = harness.graph_json(&path).await;
    assert_eq!(user["usageLocation"], "GB");
}

#[tokio::test]
async fn patch_rejects_bad_usage_location() {
    let harness = Harness::start().await;
    let path = format!("/v1.0/users/{RECEPTION_BOT_ID}");
    let response = harness
        .graph_patch(&path, &json!({"usageLocation": "USA"}))
        .await;
    let (status, code, message) = graph_error(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(code, "Request_BadRequest");
    assert!(message.contains("usageLocation"), "{message}");
    let user = harness.graph_json(&path).await;
    assert_eq!(user["usageLocation"], Value::Null);
}

#[tokio::test]
async fn patch_rejects_unknown_property() {
    let harness = Harness::start().await;
    let path = format!("/v1.0/users/{RECEPTION_BOT_ID}");
    let response = harness
        .graph_patch(&path, &json!({"jobTitle": "Bot"}))
        .await;
    let (status, _, message) = graph_error(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message.contains("jobTitle"), "{message}");
}

#[tokio::test]
async fn client_request_id_is_echoed() {
    let harness = Harness::start().await;
    let response = harness
        .http
        .get(harness.url("/v1.0/users/nobody"))
        .bearer_auth(&harness.graph_token)
        .header("client-request-id", "test-correlation-1")
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers().get("client-request-id").unwrap(),
        "test-correlation-1"
    );
    let request_id = response
        .headers()
        .get("request-id")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(uuid::Uuid::parse_str(&request_id).is_ok());
    let body: Value = response.json().await.unwrap();
    let inner = &body["error"]["innerError"];
    assert_eq!(inner["client-request-id"], "test-correlation-1");
    assert_eq!(inner["request-id"], request_id.as_str());
    assert!(inner["date"].as_str().unwrap().ends_with('Z'));
}

#[tokio::test]
async fn request_ids_are_fresh() {
    let harness = Harness::start().await;
    let first = harness.graph_get("/v1.0/domains").await;
    let second = harness.graph_get("/v1.0/domains").await;
    assert_ne!(
        first.headers().get("request-id").unwrap(),
        second.headers().get("request-id").unwrap()
    );
}

#[tokio::test]
async fn domains_include_unverified_one() {
    let harness = Harness::start().await;
    let page = harness.graph_json("/v1.0/domains").await;
    let domains = page["value"].as_array().unwrap();
    let find = |id: &str| domains.iter().find(|d| d["id"] == id).unwrap().clone();
    assert_eq!(find("contoso.com")["isDefault"], true);
    assert_eq!(find("contoso.onmicrosoft.com")["isInitial"], true);
    assert_eq!(find("fabrikam-test.com")["isVerified"], false);
}

#[tokio::test]
async fn service_principal_by_app_id() {
    let harness = Harness::start().await;
    let filter = encode(&format!("appId eq '{IVR_BOT_APP_ID}'"));
    let page = harness
        .graph_json(&format!("/v1.0/servicePrincipals?$filter={filter}"))
        .await;
    assert_eq!(page["value"].as_array().unwrap().len(), 1);
    assert_eq!(page["value"][0]["displayName"], "Contoso IVR Bot");

    let none = encode("appId eq 'deadbeef-0000-4000-8000-000000000000'");
    let page = harness
        .graph_json(&format!("/v1.0/servicePrincipals?$filter={none}"))
        .await;
    assert!(page["value"].as_array().unwrap().is_empty());
}

async fn resource_sku(harness: &Harness) -> Value {
    let page = harness.graph_json("/v1.0/subscribedSkus").await;
    page["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|sku| sku["skuPartNumber"] == RESOURCE_ACCOUNT_SKU)
        .unwrap()
        .clone()
}

fn add_resource_license() -> Value {
    json!({
        "addLicenses": [{"skuId": RESOURCE_ACCOUNT_SKU_ID, "disabledPlans": []}],
        "removeLicenses": [],
    })
}

#[tokio::test]
async fn subscribed_skus_show_seats_and_plans() {
    let harness = Harness::start().await;
    let sku = resource_sku(&harness).await;
    assert_eq!(sku["skuId"], RESOURCE_ACCOUNT_SKU_ID);
    assert_eq!(sku["prepaidUnits"]["enabled"], 25);
    assert_eq!(sku["consumedUnits"], 6);
    assert_eq!(
        sku["servicePlans"][0]["servicePlanName"],
        "MCOEV_VIRTUALUSER"
    );
}

#[tokio::test]
async fn license_needs_usage_location() {
    let harness = Harness::start().await;
    let path = format!("/v1.0/users/{RECEPTION_BOT_ID}/assignLicense");
    let response = harness.graph_post(&path, &add_resource_license()).await;
    let (status, code, message) = graph_error(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(code, "Request_BadRequest");
    assert_eq!(
        message,
        "License assignment cannot be done for user with invalid usage location."
    );
    assert_eq!(resource_sku(&harness).await["consumedUnits"], 6);
}

#[tokio::test]
async fn license_provisions_after_delay() {
    let timing = Timing {
        license_delay: Duration::from_secs(600),
        ..Timing::instant()
    };
    let harness = Harness::start_with(practice_tenant(), timing).await;
    let user_path = format!("/v1.0/users/{RECEPTION_BOT_ID}");
    harness
        .graph_patch(&user_path, &json!({"usageLocation": "US"}))
        .await;
    let response = harness
        .graph_post(
            &format!("{user_path}/assignLicense"),
            &add_resource_license(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let user: Value = response.json().await.unwrap();
    assert_eq!(
        user["assignedLicenses"][0]["skuId"],
        RESOURCE_ACCOUNT_SKU_ID
    );
    assert_eq!(user["assignedPlans"], json!([]));
    assert_eq!(resource_sku(&harness).await["consumedUnits"], 7);

    let details = harness
        .graph_json(&format!("{user_path}/licenseDetails"))
        .await;
    let plan = &details["value"][0]["servicePlans"][0];
    assert_eq!(plan["servicePlanName"], "MCOEV_VIRTUALUSER");
    assert_eq!(plan["provisioningStatus"], "PendingProvisioning");

    harness.emulator.advance_clock(Duration::from_secs(600));
    let details = harness
        .graph_json(&format!("{user_path}/licenseDetails"))
        .await;
    assert_eq!(
        details["value"][0]["servicePlans"][0]["provisioningStatus"],
        "Success"
    );
    let user = harness.graph_json(&user_path).await;
    let plan = &user["assignedPlans"][0];
    assert_eq!(plan["servicePlanId"], RESOURCE_ACCOUNT_PLAN_ID);
    assert_eq!(plan["capabilityStatus"], "Enabled");
    assert_eq!(plan["service"], "MicrosoftCommunicationsOnline");
}

#[tokio::test]
async fn license_with_unknown_sku_is_rejected() {
    let harness = Harness::start().await;
    let body = json!({
        "addLicenses": [{"skuId": "00000000-1111-2222-3333-444444444444"}],
        "removeLicenses": [],
    });
    let response = harness
        .graph_post(&format!("/v1.0/users/{SURVEY_BOT_ID}/assignLicense"), &body)
        .await;
    let (status, code, message) = graph_error(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(code, "Request_BadRequest");
    assert!(message.contains("00000000-1111"), "{message}");
}

#[tokio::test]
async fn license_without_free_seat_is_rejected() {
    let harness = Harness::start().await;
    harness
        .emulator
        .edit_state(|state| {
            let sku = state.sku_by_part_number(RESOURCE_ACCOUNT_SKU).unwrap();
            sku.enabled_units = sku.consumed_units;
        })
        .await;
    let user_path = format!("/v1.0/users/{RECEPTION_BOT_ID}");
    harness
        .graph_patch(&user_path, &json!({"usageLocation": "US"}))
        .await;
    let response = harness
        .graph_post(
            &format!("{user_path}/assignLicense"),
            &add_resource_license(),
        )
        .await;
    let (status, code, message) = graph_error(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(code, "Request_BadRequest");
    assert!(
        message.contains("does not have any available licenses"),
        "{message}"
    );
    assert_eq!(resource_sku(&harness).await["consumedUnits"], 6);
}

#[tokio::test]
async fn license_removal_frees_a_seat() {
    let harness = Harness::start().await;
    let body = json!({"addLicenses": [], "removeLicenses": [RESOURCE_ACCOUNT_SKU_ID]});
    let path = format!("/v1.0/users/{SURVEY_BOT_ID}/assignLicense");
    let response = harness.graph_post(&path, &body).await;
    assert_eq!(response.status(), StatusCode::OK);
    let user: Value = response.json().await.unwrap();
    assert_eq!(user["assignedLicenses"], json!([]));
    assert_eq!(resource_sku(&harness).await["consumedUnits"], 5);

    let again = harness.graph_post(&path, &body).await;
    let (status, _, message) = graph_error(again).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        message.contains("does not have a corresponding license"),
        "{message}"
    );
}

#[tokio::test]
async fn license_details_of_unknown_user_is_404() {
    let harness = Harness::start().await;
    let response = harness.graph_get("/v1.0/users/nobody/licenseDetails").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn invalid_json_body_is_400() {
    let harness = Harness::start().await;
    let response = harness
        .http
        .post(harness.url(&format!("/v1.0/users/{SURVEY_BOT_ID}/assignLicense")))
        .bearer_auth(&harness.graph_token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    let (status, code, _) = graph_error(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(code, "BadRequest");
}
