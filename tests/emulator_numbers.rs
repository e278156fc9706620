//! Teams telephone number management on the emulator: listing, filters, paging,
//! assignNumber and unassignNumber with their operations, and updateNumber.

mod emulator_support;

use std::time::Duration;

use botline::emulator::seed::{
    ALERTS_BOT_ID, HELPDESK_BOT_ID, IVR_BOT_APP_ID, MEGAN_ID, RECEPTION_BOT_ID, SCHEDULING_BOT_ID,
    SURVEY_BOT_ID,
};
use botline::emulator::{practice_tenant, Fault, Timing};
use emulator_support::{encode, graph_error, wait_for, Harness, INSTANCES, NUMBERS};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Delay long enough that an operation only finishes when a test moves the clock, and
/// shorter than a token's lifetime.
const HELD_DELAY: Duration = Duration::from_secs(600);

fn held_timing() -> Timing {
    Timing {
        assignment_delay: HELD_DELAY,
        ..Timing::instant()
    }
}

async fn list(harness: &Harness, query: &str) -> Vec<Value> {
    let page = harness
        .graph_json(&format!("{NUMBERS}/numberAssignments{query}"))
        .await;
    assert!(
        page.get("@odata.nextLink").is_none(),
        "numbers page by $skip"
    );
    page["value"].as_array().unwrap().clone()
}

async fn filtered(harness: &Harness, filter: &str) -> Vec<String> {
    let records = list(harness, &format!("?$filter={}", encode(filter))).await;
    records
        .iter()
        .map(|record| record["telephoneNumber"].as_str().unwrap().to_owned())
        .collect()
}

async fn assign(
    harness: &Harness,
    number: &str,
    target: &str,
    number_type: &str,
) -> reqwest::Response {
    let body = json!({
        "telephoneNumber": number,
        "assignmentTargetId": target,
        "numberType": number_type,
    });
    harness
        .graph_post(&format!("{NUMBERS}/numberAssignments/assignNumber"), &body)
        .await
}

async fn unassign(harness: &Harness, number: &str, number_type: &str) -> reqwest::Response {
    let body = json!({"telephoneNumber": number, "numberType": number_type});
    harness
        .graph_post(
            &format!("{NUMBERS}/numberAssignments/unassignNumber"),
            &body,
        )
        .await
}

/// Checks a 202 with an empty body and returns the `Location` header.
async fn accepted_location(response: reqwest::Response) -> String {
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let location = response
        .headers()
        .get("location")
        .expect("202 has a Location header")
        .to_str()
        .unwrap()
        .to_owned();
    assert!(response.bytes().await.unwrap().is_empty());
    location
}

async fn operation(harness: &Harness, location: &str) -> Value {
    let response = harness
        .http
        .get(location)
        .bearer_auth(&harness.graph_token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn assert_rejected(response: reqwest::Response, status: StatusCode, phrase: &str) {
    let (actual, _, message) = graph_error(response).await;
    assert_eq!(actual, status, "{message}");
    assert!(
        message.contains(phrase),
        "expected {phrase:?} in {message:?}"
    );
}

#[tokio::test]
async fn list_returns_seeded_numbers() {
    let harness = Harness::start().await;
    let records = list(&harness, "").await;
    assert_eq!(records.len(), 30);
    assert!(records
        .iter()
        .all(|record| record["telephoneNumber"].as_str().unwrap().starts_with('+')));
}

#[tokio::test]
async fn large_tenant_pages_by_skip() {
    let state = practice_tenant().with_generated_numbers(2500);
    let harness = Harness::start_with(state, Timing::instant()).await;
    let mut total = 0;
    let mut pages = 0;
    loop {
        let page = list(&harness, &format!("?$skip={total}")).await;
        pages += 1;
        total += page.len();
        if page.len() < 500 {
            break;
        }
    }
    assert_eq!(total, 2530);
    assert_eq!(pages, 6);
    let big = list(&harness, "?$top=1000&$skip=2000").await;
    assert_eq!(big.len(), 530);
}

#[tokio::test]
async fn top_above_1000_is_rejected() {
    let harness = Harness::start().await;
    let response = harness
        .graph_get(&format!("{NUMBERS}/numberAssignments?$top=1001"))
        .await;
    assert_rejected(response, StatusCode::BAD_REQUEST, "1000").await;
}

#[tokio::test]
async fn skip_past_end_is_empty() {
    let harness = Harness::start().await;
    assert!(list(&harness, "?$skip=500").await.is_empty());
}

#[tokio::test]
async fn filter_free_voice_numbers() {
    let harness = Harness::start().await;
    let numbers = filtered(
        &harness,
        "assignmentStatus eq 'unassigned' and activationState eq 'activated' and \
         capabilities/any(c:c eq 'voiceApplicationAssignment')",
    )
    .await;
    assert_eq!(numbers.len(), 17, "{numbers:?}");
    assert!(numbers.contains(&"+14255550112".to_owned()));
    assert!(numbers.contains(&"+14255550130".to_owned()));
    assert!(!numbers.contains(&"+14255550102".to_owned()));
    assert!(!numbers.contains(&"+14255550116".to_owned()));
}

#[tokio::test]
async fn filter_values_ignore_case() {
    let harness = Harness::start().await;
    let numbers = filtered(&harness, "numberType EQ 'DirectRouting'").await;
    assert_eq!(numbers.len(), 12);
    let numbers = filtered(&harness, "numberType eq 'operatorconnect'").await;
    assert_eq!(numbers, vec!["+14255550130"]);
}

#[tokio::test]
async fn filter_number_without_plus() {
    let harness = Harness::start().await;
    let numbers = filtered(&harness, "telephoneNumber eq '14255550110'").await;
    assert_eq!(numbers, vec!["+14255550110"]);
}

#[tokio::test]
async fn filter_by_holder() {
    let harness = Harness::start().await;
    let filter = format!("assignmentTargetId eq '{HELPDESK_BOT_ID}'");
    assert_eq!(filtered(&harness, &filter).await, vec!["+14255550110"]);
}

#[tokio::test]
async fn filter_rejects_unknown_enum_value() {
    let harness = Harness::start().await;
    let filter = encode("numberType eq 'pstn'");
    let response = harness
        .graph_get(&format!("{NUMBERS}/numberAssignments?$filter={filter}"))
        .await;
    assert_rejected(response, StatusCode::BAD_REQUEST, "'pstn'").await;
}

#[tokio::test]
async fn filter_rejects_unsupported_property() {
    let harness = Harness::start().await;
    for (filter, named) in [
        ("city eq 'Redmond'", "city eq 'Redmond'"),
        ("id eq 'tn-14255550110'", "id eq 'tn-14255550110'"),
        ("numberType ne 'callingPlan'", "'ne'"),
    ] {
        let response = harness
            .graph_get(&format!(
                "{NUMBERS}/numberAssignments?$filter={}",
                encode(filter)
            ))
            .await;
        let (status, code, message) = graph_error(response).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{filter}");
        assert_eq!(code, "BadRequest", "{filter}");
        assert!(message.contains(named), "{filter}: {message}");
    }
}

#[tokio::test]
async fn get_number_by_id() {
    let harness = Harness::start().await;
    let record = harness
        .graph_json(&format!("{NUMBERS}/numberAssignments/tn-14255550130"))
        .await;
    assert_eq!(record["telephoneNumber"], "+14255550130");
    assert_eq!(record["numberType"], "operatorConnect");
    let missing = harness
        .graph_get(&format!("{NUMBERS}/numberAssignments/tn-1"))
        .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn assignment_lifecycle() {
    let harness = Harness::start_with(practice_tenant(), held_timing()).await;
    let location =
        accepted_location(assign(&harness, "+14255550112", SURVEY_BOT_ID, "callingPlan").await)
            .await;
    let prefix = harness.url(&format!("{NUMBERS}/operations('"));
    assert!(location.starts_with(&prefix), "{location}");
    assert!(location.ends_with("')"), "{location}");

    let pending = harness.number("+14255550112").await;
    assert_eq!(pending["activationState"], "assignmentPending");
    assert_eq!(pending["assignmentStatus"], "voiceApplicationAssigned");
    assert_eq!(pending["assignmentTargetId"], SURVEY_BOT_ID);
    let running = operation(&harness, &location).await;
    assert_eq!(running["status"], "running");
    assert_eq!(running["numbers"][0]["status"], "running");

    harness.emulator.advance_clock(HELD_DELAY);
    let done = operation(&harness, &location).await;
    assert_eq!(done["status"], "succeeded");
    let resource = done["numbers"][0]["resourceLocation"].as_str().unwrap();
    assert!(
        resource.ends_with("/numberAssignments/tn-14255550112"),
        "{resource}"
    );
    assert_eq!(done["numbers"][0]["statusDetail"], Value::Null);
    let activated = harness.number("+14255550112").await;
    assert_eq!(activated["activationState"], "activated");
    assert_eq!(activated["assignmentCategory"], "primary");

    let id = done["id"].as_str().unwrap();
    let by_path = harness
        .graph_json(&format!("{NUMBERS}/operations/{id}"))
        .await;
    assert_eq!(by_path["status"], "succeeded");
}

#[tokio::test]
async fn assignment_finishes_after_short_delay() {
    let timing = Timing {
        assignment_delay: Duration::from_millis(200),
        ..Timing::instant()
    };
    let harness = Harness::start_with(practice_tenant(), timing).await;
    let location =
        accepted_location(assign(&harness, "14255550120", SURVEY_BOT_ID, "directRouting").await)
            .await;
    let status = wait_for("operation to finish", || async {
        let body = operation(&harness, &location).await;
        let status = body["status"].as_str().unwrap().to_owned();
        (status != "running").then_some(status)
    })
    .await;
    assert_eq!(status, "succeeded");
    let record = harness.number("+14255550120").await;
    assert_eq!(record["activationState"], "activated");
}

#[tokio::test]
async fn user_assignment_to_plain_user() {
    let harness = Harness::start().await;
    accepted_location(assign(&harness, "+14255550102", MEGAN_ID, "callingPlan").await).await;
    let record = harness.number("+14255550102").await;
    assert_eq!(record["assignmentStatus"], "userAssigned");
    assert_eq!(record["activationState"], "activated");
}

#[tokio::test]
async fn operator_connect_assignment() {
    let harness = Harness::start().await;
    accepted_location(assign(&harness, "+14255550130", SURVEY_BOT_ID, "operatorConnect").await)
        .await;
    let record = harness.number("+14255550130").await;
    assert_eq!(record["assignmentTargetId"], SURVEY_BOT_ID);
}

#[tokio::test]
async fn assign_unknown_number_is_404() {
    let harness = Harness::start().await;
    let response = assign(&harness, "+14255550199", SURVEY_BOT_ID, "callingPlan").await;
    assert_rejected(response, StatusCode::NOT_FOUND, "+14255550199").await;
}

#[tokio::test]
async fn assign_user_number_to_bot_lacks_capability() {
    let harness = Harness::start().await;
    let response = assign(&harness, "+14255550102", SURVEY_BOT_ID, "callingPlan").await;
    assert_rejected(
        response,
        StatusCode::BAD_REQUEST,
        "does not have required capabilities",
    )
    .await;
}

#[tokio::test]
async fn assign_service_number_to_user_lacks_capability() {
    let harness = Harness::start().await;
    let response = assign(&harness, "+14255550112", MEGAN_ID, "callingPlan").await;
    assert_rejected(
        response,
        StatusCode::BAD_REQUEST,
        "does not have required capabilities",
    )
    .await;
}

#[tokio::test]
async fn assign_with_wrong_type_is_rejected() {
    let harness = Harness::start().await;
    let response = assign(&harness, "+14255550120", SURVEY_BOT_ID, "callingPlan").await;
    assert_rejected(
        response,
        StatusCode::BAD_REQUEST,
        "not valid for the specified phone number type",
    )
    .await;
}

#[tokio::test]
async fn assign_held_number_is_rejected() {
    let harness = Harness::start().await;
    let response = assign(&harness, "+14255550110", SURVEY_BOT_ID, "callingPlan").await;
    assert_rejected(response, StatusCode::BAD_REQUEST, "is already assigned").await;
}

#[tokio::test]
async fn assign_to_unknown_target_is_404() {
    let harness = Harness::start().await;
    let response = assign(
        &harness,
        "+14255550112",
        "12345678-0000-4000-8000-000000000000",
        "callingPlan",
    )
    .await;
    assert_rejected(response, StatusCode::NOT_FOUND, "identity not found").await;
}

#[tokio::test]
async fn assign_second_number_is_rejected() {
    let harness = Harness::start().await;
    let response = assign(&harness, "+14255550112", HELPDESK_BOT_ID, "callingPlan").await;
    assert_rejected(
        response,
        StatusCode::BAD_REQUEST,
        "already has a phone number",
    )
    .await;
}

#[tokio::test]
async fn assign_needs_provisioned_license() {
    let harness = Harness::start().await;
    for target in [RECEPTION_BOT_ID, ALERTS_BOT_ID] {
        let response = assign(&harness, "+14255550120", target, "directRouting").await;
        assert_rejected(
            response,
            StatusCode::BAD_REQUEST,
            "not enabled for Enterprise Voice",
        )
        .await;
    }
}

#[tokio::test]
async fn calling_plan_number_must_match_usage_location() {
    let harness = Harness::start().await;
    let response = assign(&harness, "+442079460101", SURVEY_BOT_ID, "callingPlan").await;
    assert_rejected(response, StatusCode::BAD_REQUEST, "usage location US").await;
    let direct_routing = assign(&harness, "+442079460103", SURVEY_BOT_ID, "directRouting").await;
    assert_eq!(direct_routing.status(), StatusCode::ACCEPTED);
}

#[tokio::test]
async fn new_instance_is_not_found_until_replicated() {
    let timing = Timing {
        replication_delay: Duration::from_secs(120),
        ..Timing::instant()
    };
    let harness = Harness::start_with(practice_tenant(), timing).await;
    let created = harness
        .teams_post(
            INSTANCES,
            &json!({
                "userPrincipalName": "ivr-bot@contoso.com",
                "applicationId": IVR_BOT_APP_ID,
                "displayName": "Contoso IVR Bot",
            }),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let object_id = created.json::<Value>().await.unwrap()["objectId"]
        .as_str()
        .unwrap()
        .to_owned();
    let user_path = format!("/v1.0/users/{object_id}");
    harness
        .graph_patch(&user_path, &json!({"usageLocation": "US"}))
        .await;
    let license = json!({
        "addLicenses": [{"skuId": "440eaaa8-b3e0-484b-a8be-62870b9ba70a"}],
        "removeLicenses": [],
    });
    let licensed = harness
        .graph_post(&format!("{user_path}/assignLicense"), &license)
        .await;
    assert_eq!(licensed.status(), StatusCode::OK);

    let early = assign(&harness, "+14255550121", &object_id, "directRouting").await;
    assert_rejected(early, StatusCode::NOT_FOUND, "identity not found").await;

    harness.emulator.advance_clock(Duration::from_secs(120));
    let later = assign(&harness, "+14255550121", &object_id, "directRouting").await;
    assert_eq!(later.status(), StatusCode::ACCEPTED);
}

#[tokio::test]
async fn injected_failure_ends_operation_failed() {
    let harness = Harness::start_with(practice_tenant(), held_timing()).await;
    harness
        .emulator
        .inject(Fault::fail_next_assignment(
            "The emergency address is not validated.",
        ))
        .await;

    let rejected = assign(&harness, "+14255550102", SURVEY_BOT_ID, "callingPlan").await;
    assert_eq!(rejected.status(), StatusCode::BAD_REQUEST);

    let location =
        accepted_location(assign(&harness, "+14255550113", SURVEY_BOT_ID, "callingPlan").await)
            .await;
    assert_eq!(operation(&harness, &location).await["status"], "running");
    harness.emulator.advance_clock(HELD_DELAY);
    let failed = operation(&harness, &location).await;
    assert_eq!(failed["status"], "failed");
    assert_eq!(
        failed["numbers"][0]["statusDetail"],
        "The emergency address is not validated."
    );
    let record = harness.number("+14255550113").await;
    assert_eq!(record["activationState"], "assignmentFailed");

    let retry =
        accepted_location(assign(&harness, "+14255550113", SURVEY_BOT_ID, "callingPlan").await)
            .await;
    harness.emulator.advance_clock(HELD_DELAY);
    assert_eq!(operation(&harness, &retry).await["status"], "succeeded");
}

#[tokio::test]
async fn unassignment_lifecycle() {
    let harness = Harness::start_with(practice_tenant(), held_timing()).await;
    let location = accepted_location(unassign(&harness, "+14255550110", "callingPlan").await).await;
    let pending = harness.number("+14255550110").await;
    assert_eq!(pending["activationState"], "assignmentPending");
    assert_eq!(pending["assignmentTargetId"], HELPDESK_BOT_ID);

    harness.emulator.advance_clock(HELD_DELAY);
    assert_eq!(operation(&harness, &location).await["status"], "succeeded");
    let free = harness.number("+14255550110").await;
    assert_eq!(free["assignmentStatus"], "unassigned");
    assert_eq!(free["activationState"], "activated");
    assert_eq!(free["assignmentTargetId"], Value::Null);
}

#[tokio::test]
async fn unassign_rules() {
    let harness = Harness::start().await;
    let free = unassign(&harness, "+14255550112", "callingPlan").await;
    assert_rejected(free, StatusCode::BAD_REQUEST, "is not assigned").await;
    let wrong_type = unassign(&harness, "+14255550110", "directRouting").await;
    assert_rejected(
        wrong_type,
        StatusCode::BAD_REQUEST,
        "not valid for the specified phone number type",
    )
    .await;
    let unknown = unassign(&harness, "+14255550199", "callingPlan").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn seeded_pending_number_stays_pending() {
    let mut harness = Harness::start().await;
    harness.emulator.advance_clock(Duration::from_secs(86_400));
    harness.sign_in_again().await;
    let record = harness.number("+14255550111").await;
    assert_eq!(record["activationState"], "assignmentPending");
    assert_eq!(record["assignmentTargetId"], SCHEDULING_BOT_ID);
}

#[tokio::test]
async fn unknown_operation_is_404() {
    let harness = Harness::start().await;
    let by_key = harness
        .graph_get(&format!("{NUMBERS}/operations('no-such-operation')"))
        .await;
    assert_eq!(by_key.status(), StatusCode::NOT_FOUND);
    let by_path = harness
        .graph_get(&format!("{NUMBERS}/operations/no-such-operation"))
        .await;
    assert_eq!(by_path.status(), StatusCode::NOT_FOUND);
}

async fn update(harness: &Harness, body: Value) -> reqwest::Response {
    harness
        .graph_post(&format!("{NUMBERS}/numberAssignments/updateNumber"), &body)
        .await
}

#[tokio::test]
async fn update_sets_keeps_and_clears() {
    let harness = Harness::start().await;
    let set = update(
        &harness,
        json!({
            "telephoneNumber": "+14255550124",
            "locationId": "loc-1",
            "networkSiteId": "site-1",
        }),
    )
    .await;
    assert_eq!(set.status(), StatusCode::OK);
    let record = harness.number("+14255550124").await;
    assert_eq!(record["locationId"], "loc-1");
    assert_eq!(record["networkSiteId"], "site-1");

    let keep = update(
        &harness,
        json!({"telephoneNumber": "+14255550124", "locationId": null}),
    )
    .await;
    assert_eq!(keep.status(), StatusCode::OK);
    assert_eq!(harness.number("+14255550124").await["locationId"], "loc-1");

    let clear = update(
        &harness,
        json!({"telephoneNumber": "+14255550124", "locationId": "", "networkSiteId": ""}),
    )
    .await;
    assert_eq!(clear.status(), StatusCode::OK);
    let record = harness.number("+14255550124").await;
    assert_eq!(record["locationId"], Value::Null);
    assert_eq!(record["networkSiteId"], Value::Null);
}

#[tokio::test]
async fn update_location_removal_needs_direct_routing_or_operator() {
    let harness = Harness::start().await;
    let response = update(
        &harness,
        json!({"telephoneNumber": "+14255550112", "locationId": ""}),
    )
    .await;
    assert_rejected(response, StatusCode::BAD_REQUEST, "Direct Routing").await;
}

#[tokio::test]
async fn update_reverse_lookup_rules() {
    let harness = Harness::start().await;
    let options = json!(["skipInternalVoip"]);
    let direct = update(
        &harness,
        json!({"telephoneNumber": "+14255550124", "reverseNumberLookupOptions": options}),
    )
    .await;
    assert_eq!(direct.status(), StatusCode::OK);
    assert_eq!(
        harness.number("+14255550124").await["reverseNumberLookupOptions"],
        json!(["skipInternalVoip"])
    );
    let calling_plan = update(
        &harness,
        json!({"telephoneNumber": "+14255550112", "reverseNumberLookupOptions": options}),
    )
    .await;
    assert_rejected(calling_plan, StatusCode::BAD_REQUEST, "Direct Routing").await;
    let unknown = update(
        &harness,
        json!({"telephoneNumber": "+14255550124", "reverseNumberLookupOptions": ["sometimes"]}),
    )
    .await;
    assert_rejected(unknown, StatusCode::BAD_REQUEST, "'sometimes'").await;
}

#[tokio::test]
async fn update_unknown_number_is_404() {
    let harness = Harness::start().await;
    let response = update(&harness, json!({"telephoneNumber": "+14255550199"})).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
