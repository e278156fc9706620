//! The client's calls over real HTTP against a scripted fake of Microsoft's servers: paging,
//! malformed records, number operations, application instances and the joined tenant.

mod client_fake;

use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use botline::client::{ApiError, Progress, SyncOutcome, TenantProgress};
use botline::model::{AssignmentCategory, LicenseState, NumberType, OperationStatus};
use botline::wire::graph::AssignNumberRequest;
use botline::wire::teams::CreateInstanceRequest;
use client_fake::{Fake, Reply, Seen};
use serde_json::{json, Value};

const NUMBERS: &str = "/v1.0/admin/teams/telephoneNumberManagement/numberAssignments";
const INSTANCES: &str = "/teams/Teams.PlatformService/v2/ApplicationInstances";
const APP_ID: &str = "0b5c7a53-5c1e-4a8e-9d0f-3e7b2a9c1d44";
const INSTANCE_ID: &str = "6a1d3c2b-0000-4000-8000-000000000001";

fn number_record(index: usize) -> Value {
    json!({
        "id": format!("n{index}"),
        "telephoneNumber": format!("+1425555{index:04}"),
        "numberType": "callingPlan",
        "activationState": "activated",
        "assignmentStatus": "unassigned",
        "capabilities": ["voiceApplicationAssignment"]
    })
}

fn record_progress() -> (Progress, Arc<Mutex<Vec<usize>>>) {
    let counts = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&counts);
    let progress: Progress = Arc::new(move |loaded| sink.lock().unwrap().push(loaded));
    (progress, counts)
}

/// Serves `total` numbers by `$top` and `$skip`.
fn numbers_by_skip(seen: &Seen, total: usize) -> Reply {
    let top: usize = seen.query["$top"].parse().unwrap();
    let skip: usize = seen.query["$skip"].parse().unwrap();
    let page: Vec<Value> = (skip..total.min(skip + top)).map(number_record).collect();
    Reply::json(200, json!({ "value": page }))
}

#[tokio::test]
async fn numbers_page_by_skip_until_short_page() {
    let fake =
        Fake::start(|seen, _| (seen.path == NUMBERS).then(|| numbers_by_skip(seen, 2500))).await;
    let (progress, counts) = record_progress();
    let filter = "assignmentStatus eq 'unassigned'";
    let listed = fake
        .client()
        .numbers(Some(filter), Some(progress))
        .await
        .unwrap();

    assert_eq!(listed.items.len(), 2500);
    assert!(listed.malformed.is_empty());
    assert_eq!(listed.items[2499].telephone_number, "+14255552499");
    let seen = fake.seen(NUMBERS);
    let skips: Vec<&str> = seen.iter().map(|s| s.query["$skip"].as_str()).collect();
    assert_eq!(skips, ["0", "1000", "2000"]);
    assert!(seen.iter().all(|s| s.query["$top"] == "1000"));
    assert!(seen.iter().all(|s| s.query["$filter"] == filter));
    assert_eq!(*counts.lock().unwrap(), [1000, 2000, 2500]);
}

#[tokio::test]
async fn numbers_full_last_page_needs_one_more_request() {
    let fake =
        Fake::start(|seen, _| (seen.path == NUMBERS).then(|| numbers_by_skip(seen, 1000))).await;
    let listed = fake.client().numbers(None, None).await.unwrap();
    assert_eq!(listed.items.len(), 1000);
    let seen = fake.seen(NUMBERS);
    assert_eq!(seen.len(), 2);
    assert!(!seen[0].query.contains_key("$filter"));
}

#[tokio::test]
async fn numbers_follow_next_link_instead_of_skip() {
    let fake = Fake::start(|seen, state| {
        if seen.path != NUMBERS {
            return None;
        }
        if seen.query.get("page").map(String::as_str) == Some("2") {
            return Some(Reply::json(200, json!({"value": [number_record(3)]})));
        }
        let base = state.base.lock().unwrap().clone();
        Some(Reply::json(
            200,
            json!({
                "value": [number_record(1), number_record(2)],
                "@odata.nextLink": format!("{base}{NUMBERS}?page=2")
            }),
        ))
    })
    .await;
    let listed = fake.client().numbers(None, None).await.unwrap();
    assert_eq!(listed.items.len(), 3);
    let seen = fake.seen(NUMBERS);
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].query.get("page").map(String::as_str), Some("2"));
    assert!(!seen[1].query.contains_key("$skip"));
}

#[tokio::test]
async fn next_link_to_another_host_is_rejected() {
    let fake = Fake::start(|seen, _| {
        (seen.path == NUMBERS).then(|| {
            let link = "http://127.0.0.2:9/v1.0/numberAssignments?page=2";
            Reply::json(
                200,
                json!({"value": [number_record(1)], "@odata.nextLink": link}),
            )
        })
    })
    .await;
    let error = fake.client().numbers(None, None).await.unwrap_err();
    assert!(matches!(error, ApiError::Decode { .. }), "{error:?}");
    assert!(error.to_string().contains("127.0.0.2"), "{error}");
}

#[tokio::test]
async fn malformed_number_record_is_kept_apart() {
    let fake = Fake::start(|seen, _| {
        (seen.path == NUMBERS).then(|| {
            let bad = json!({"id": "bad", "telephoneNumber": 1});
            Reply::json(
                200,
                json!({"value": [number_record(1), bad, number_record(3)]}),
            )
        })
    })
    .await;
    let listed = fake.client().numbers(None, None).await.unwrap();
    assert_eq!(listed.items.len(), 2);
    assert_eq!(listed.malformed.len(), 1);
    let line = &listed.malformed[0];
    assert!(line.contains("telephoneNumber 1"), "{line}");
    assert!(line.contains("record 2"), "{line}");
}

#[tokio::test]
async fn number_lookup_quotes_the_filter() {
    let fake = Fake::start(|seen, _| {
        if seen.path != NUMBERS {
            return None;
        }
        let wanted = "telephoneNumber eq '+14255550001'";
        let page = if seen.query["$filter"] == wanted {
            vec![number_record(1)]
        } else {
            Vec::new()
        };
        Some(Reply::json(200, json!({ "value": page })))
    })
    .await;
    let client = fake.client();
    let found = client.number(&"+1 425 555 0001".parse().unwrap()).await;
    assert_eq!(found.unwrap().unwrap().id.as_deref(), Some("n1"));
    let missing = client.number(&"+14255550999".parse().unwrap()).await;
    assert_eq!(missing.unwrap(), None);
}

#[tokio::test]
async fn assignment_returns_location_and_operation_decodes() {
    let assign = format!("{NUMBERS}/assignNumber");
    let operation = "/v1.0/admin/teams/telephoneNumberManagement/operations('op-1')";
    let fake = Fake::start(move |seen, state| {
        if seen.path == assign {
            let base = state.base.lock().unwrap().clone();
            return Some(Reply::text(202, "").header("location", format!("{base}{operation}")));
        }
        if seen.path == operation {
            let body = json!({"value": {
                "id": "op-1",
                "status": "succeeded",
                "numbers": [{"status": "succeeded", "statusDetail": null}]
            }});
            return Some(Reply::json(200, body));
        }
        None
    })
    .await;
    let client = fake.client();
    let request = AssignNumberRequest {
        telephone_number: "+14255550001".into(),
        assignment_target_id: INSTANCE_ID.into(),
        number_type: NumberType::CallingPlan,
        assignment_category: Some(AssignmentCategory::Primary),
        location_id: None,
    };
    let location = client.assign_number(&request).await.unwrap();
    assert_eq!(location, format!("{}{operation}", fake.base()));
    let sent = fake.seen(&format!("{NUMBERS}/assignNumber"));
    assert_eq!(
        sent[0].json(),
        json!({
            "telephoneNumber": "+14255550001",
            "assignmentTargetId": INSTANCE_ID,
            "numberType": "callingPlan",
            "assignmentCategory": "primary"
        })
    );

    let finished = client.operation(&location).await.unwrap();
    assert_eq!(finished.id, "op-1");
    assert_eq!(finished.status, OperationStatus::Succeeded);
    assert_eq!(fake.seen(operation).len(), 1);
}

#[tokio::test]
async fn relative_location_is_read_below_graph_base() {
    let fake = Fake::start(|seen, _| {
        let path = "/v1.0/admin/teams/telephoneNumberManagement/operations/op-2";
        (seen.path == path).then(|| Reply::json(200, json!({"id": "op-2", "status": "running"})))
    })
    .await;
    let location = "admin/teams/telephoneNumberManagement/operations/op-2";
    let running = fake.client().operation(location).await.unwrap();
    assert_eq!(running.status, OperationStatus::Running);
}

#[tokio::test]
async fn missing_location_is_a_decode_error() {
    let fake = Fake::start(|seen, _| {
        seen.path
            .ends_with("/unassignNumber")
            .then(|| Reply::text(202, ""))
    })
    .await;
    let request = botline::wire::graph::UnassignNumberRequest {
        telephone_number: "+14255550001".into(),
        number_type: NumberType::DirectRouting,
    };
    let error = fake.client().unassign_number(&request).await.unwrap_err();
    let ApiError::Decode { what, detail } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(what, &format!("POST {NUMBERS}/unassignNumber"));
    assert!(detail.contains("Location"), "{detail}");
}

#[tokio::test]
async fn instances_follow_skip_token() {
    let fake = Fake::start(|seen, _| {
        if seen.path != INSTANCES {
            return None;
        }
        let body = match seen.query.get("skipToken").map(String::as_str) {
            None => json!({
                "applicationInstances": [
                    {"objectId": "i1", "userPrincipalName": "a@contoso.com"},
                    {"objectId": "i2"}
                ],
                "skipToken": "page-2"
            }),
            Some("page-2") => json!({
                "applicationInstances": [{"objectId": "i3", "userPrincipalName": "c@contoso.com"}]
            }),
            Some(other) => panic!("unexpected skipToken {other}"),
        };
        Some(Reply::json(200, body))
    })
    .await;
    let (progress, counts) = record_progress();
    let listed = fake.client().instances(Some(progress)).await.unwrap();
    let ids: Vec<&str> = listed.items.iter().map(|i| i.object_id.as_str()).collect();
    assert_eq!(ids, ["i1", "i3"]);
    assert_eq!(listed.malformed.len(), 1);
    assert!(
        listed.malformed[0].contains("objectId \"i2\""),
        "{:?}",
        listed.malformed
    );
    assert_eq!(*counts.lock().unwrap(), [2, 3]);
    let seen = fake.seen(INSTANCES);
    assert!(seen.iter().all(|s| s.query["pageSize"] == "100"));
}

#[tokio::test]
async fn missing_instance_is_none() {
    let fake = Fake::start(|_, _| None).await;
    assert_eq!(fake.client().instance("no-such-id").await.unwrap(), None);
    assert_eq!(fake.seen(&format!("{INSTANCES}/no-such-id")).len(), 1);
}

#[tokio::test]
async fn create_instance_posts_request() {
    let fake = Fake::start(|seen, _| {
        (seen.path == INSTANCES && seen.method == "POST").then(|| {
            let mut body = seen.json();
            body["objectId"] = json!(INSTANCE_ID);
            Reply::json(201, body)
        })
    })
    .await;
    let request = CreateInstanceRequest {
        user_principal_name: "ivr-bot@contoso.com".into(),
        application_id: APP_ID.into(),
        display_name: "IVR bot".into(),
    };
    let created = fake.client().create_instance(&request).await.unwrap();
    assert_eq!(created.object_id, INSTANCE_ID);
    assert_eq!(created.application_id.as_deref(), Some(APP_ID));
    assert_eq!(
        fake.seen(INSTANCES)[0].json(),
        json!({
            "userPrincipalName": "ivr-bot@contoso.com",
            "applicationId": APP_ID,
            "displayName": "IVR bot"
        })
    );
}

/// Starts a fake whose sync fails with `sync_status` and whose instance is mapped to
/// `mapped_app_id`.
async fn sync_fake(sync_status: u16, mapped_app_id: &'static str) -> Fake {
    Fake::start(move |seen, _| {
        let instance = format!("{INSTANCES}/{INSTANCE_ID}");
        if seen.path == format!("{instance}/sync") {
            let message = "An item with the same key has already been added. Key: app";
            return Some(Reply::json(
                sync_status,
                json!({"code": "BadRequest", "message": message}),
            ));
        }
        (seen.path == instance).then(|| {
            Reply::json(
                200,
                json!({
                    "objectId": INSTANCE_ID,
                    "userPrincipalName": "ivr-bot@contoso.com",
                    "applicationId": mapped_app_id
                }),
            )
        })
    })
    .await
}

#[tokio::test]
async fn sync_success_is_mapped() {
    let fake =
        Fake::start(|seen, _| seen.path.ends_with("/sync").then(|| Reply::text(204, ""))).await;
    let outcome = fake
        .client()
        .sync_instance(INSTANCE_ID, APP_ID.parse().unwrap())
        .await;
    assert_eq!(outcome.unwrap(), SyncOutcome::Mapped);
    let sent = fake.seen(&format!("{INSTANCES}/{INSTANCE_ID}/sync"));
    assert_eq!(sent[0].json(), json!({"applicationId": APP_ID}));
}

#[tokio::test]
async fn sync_conflict_with_same_app_is_already_mapped() {
    for status in [409, 400] {
        let fake = sync_fake(status, "0B5C7A53-5C1E-4A8E-9D0F-3E7B2A9C1D44").await;
        let outcome = fake
            .client()
            .sync_instance(INSTANCE_ID, APP_ID.parse().unwrap())
            .await;
        assert_eq!(outcome.unwrap(), SyncOutcome::AlreadyMapped, "{status}");
    }
}

#[tokio::test]
async fn sync_conflict_with_other_app_is_an_error() {
    let fake = sync_fake(409, "11111111-2222-4333-8444-555555555555").await;
    let error = fake
        .client()
        .sync_instance(INSTANCE_ID, APP_ID.parse().unwrap())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(409));
    let message = error.to_string();
    assert!(
        message.contains("already mapped to application 11111111-2222-4333-8444-555555555555"),
        "{message}"
    );
    assert!(message.contains(APP_ID), "{message}");
}

fn user_record(id: &str) -> Value {
    json!({
        "id": id,
        "userPrincipalName": format!("{id}@contoso.com"),
        "usageLocation": "US",
        "assignedLicenses": [],
        "assignedPlans": []
    })
}

/// Returns one user per id of a `$filter=id in ('a','b')` request.
fn users_by_filter(seen: &Seen) -> Reply {
    let filter = &seen.query["$filter"];
    let inner = filter
        .strip_prefix("id in (")
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("unexpected filter {filter}"));
    let users: Vec<Value> = inner
        .split(',')
        .map(|quoted| user_record(quoted.trim_matches('\'')))
        .collect();
    Reply::json(200, json!({ "value": users }))
}

#[tokio::test]
async fn users_by_ids_sends_chunks_of_fifteen() {
    let fake = Fake::start(|seen, _| {
        (seen.path == "/v1.0/users")
            .then(|| users_by_filter(seen).after(std::time::Duration::from_millis(20)))
    })
    .await;
    let mut ids: Vec<String> = (0..100).map(|i| format!("user-{i:03}")).collect();
    ids.push("USER-000".to_owned());
    let users = fake.client().users_by_ids(&ids).await.unwrap();

    let returned: HashSet<String> = users.iter().map(|u| u.id.clone()).collect();
    assert_eq!(returned.len(), 100);
    let seen = fake.seen("/v1.0/users");
    assert_eq!(seen.len(), 7);
    for request in &seen {
        let filter = &request.query["$filter"];
        assert!(filter.matches('\'').count() <= 30, "{filter}");
        assert!(request.query["$select"].contains("assignedPlans"));
    }
    let max_in_flight = fake.state.max_in_flight.load(Ordering::SeqCst);
    assert!(max_in_flight <= 4, "{max_in_flight} requests in flight");
}

#[tokio::test]
async fn assign_license_posts_one_sku() {
    let path = format!("/v1.0/users/{INSTANCE_ID}/assignLicense");
    let expected = path.clone();
    let fake = Fake::start(move |seen, _| {
        (seen.path == expected).then(|| Reply::json(200, user_record(INSTANCE_ID)))
    })
    .await;
    let user = fake
        .client()
        .assign_license(INSTANCE_ID, "440eaaa8-b3e0-484b-a8be-62870b9ba70a")
        .await
        .unwrap();
    assert_eq!(user.id, INSTANCE_ID);
    assert_eq!(
        fake.seen(&path)[0].json(),
        json!({
            "addLicenses": [{"skuId": "440eaaa8-b3e0-484b-a8be-62870b9ba70a", "disabledPlans": []}],
            "removeLicenses": []
        })
    );
}

#[tokio::test]
async fn tenant_view_joins_lists_and_reports_progress() {
    let fake = Fake::start(|seen, _| match seen.path.as_str() {
        INSTANCES => Some(Reply::json(
            200,
            json!({"applicationInstances": [{
                "objectId": INSTANCE_ID,
                "userPrincipalName": "ivr-bot@contoso.com",
                "applicationId": APP_ID
            }]}),
        )),
        NUMBERS => {
            let mut held = number_record(1);
            held["assignmentTargetId"] = json!(INSTANCE_ID);
            held["assignmentStatus"] = json!("voiceApplicationAssigned");
            let bad = json!({"telephoneNumber": ["not", "text"]});
            Some(Reply::json(
                200,
                json!({"value": [held, number_record(2), bad]}),
            ))
        }
        "/v1.0/subscribedSkus" => Some(Reply::json(
            200,
            json!({"value": [{
                "skuId": "440eaaa8-b3e0-484b-a8be-62870b9ba70a",
                "skuPartNumber": "PHONESYSTEM_VIRTUALUSER",
                "consumedUnits": 1,
                "prepaidUnits": {"enabled": 25}
            }]}),
        )),
        "/v1.0/users" => Some(users_by_filter(seen)),
        _ => None,
    })
    .await;
    let lists = Arc::new(Mutex::new(HashSet::new()));
    let sink = Arc::clone(&lists);
    let progress: TenantProgress = Arc::new(move |list, _| {
        sink.lock().unwrap().insert(list);
    });
    let view = fake
        .client()
        .tenant_view_with_progress(progress)
        .await
        .unwrap();

    assert_eq!(view.instances.len(), 1);
    let row = &view.instances[0];
    assert_eq!(row.phone_number.as_deref(), Some("+14255550001"));
    assert_eq!(row.usage_location.as_deref(), Some("US"));
    assert_eq!(row.license_state, LicenseState::Unlicensed);
    assert_eq!(view.numbers.len(), 3);
    assert_eq!(
        view.numbers[0].assigned_to.as_deref(),
        Some("ivr-bot@contoso.com")
    );
    assert_eq!(view.skus[0].available, 24);
    // The record that does not decode is kept as a row marked with the reason.
    let marked: Vec<_> = view
        .numbers
        .iter()
        .filter_map(|row| row.problem.as_deref())
        .collect();
    assert_eq!(marked.len(), 1, "{marked:?}");
    assert!(marked[0].starts_with("number record 3"), "{marked:?}");
    assert!(view.malformed.is_empty(), "{:?}", view.malformed);
    let lists = lists.lock().unwrap();
    for list in ["instances", "numbers", "licenses", "users"] {
        assert!(lists.contains(list), "no progress for {list}");
    }
    let users = fake.seen("/v1.0/users");
    assert_eq!(users.len(), 1);
    assert_eq!(
        users[0].query["$filter"],
        format!("id in ('{INSTANCE_ID}')")
    );
}
