//! The live client end to end against the built-in emulator over real HTTP: sign-in, the
//! practice tenant's joined view, and the three steps that give a bot a phone number.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use botline::client::{ApiError, RetryNotice};
use botline::client::{Client, ClientOptions, SyncOutcome, TenantProgress};
use botline::emulator::{Emulator, Fault, Options, Timing};
use botline::model::{
    AssignmentStatus, LicenseState, NumberType, OperationStatus, PhoneNumber,
    RESOURCE_ACCOUNT_PLAN, RESOURCE_ACCOUNT_SKU, RESOURCE_ACCOUNT_SKU_ID,
};
use botline::wire::graph::AssignNumberRequest;
use botline::wire::teams::CreateInstanceRequest;

/// Application id of the practice tenant's bot that has no instance yet.
const NEW_BOT_APP_ID: &str = "0b5c7a53-5c1e-4a8e-9d0f-3e7b2a9c1d44";
/// A free Direct Routing number of the practice tenant that allows voice applications.
const FREE_VOICE_NUMBER: &str = "+14255550120";
/// Reads of an operation before a test gives up on it finishing.
const MAX_OPERATION_READS: usize = 50;

async fn start() -> (Emulator, Client) {
    let options = Options {
        timing: Timing::instant(),
        ..Options::default()
    };
    let emulator = Emulator::start(options).await.unwrap();
    let client_options = ClientOptions {
        max_retry_wait: Duration::from_millis(20),
        ..ClientOptions::default()
    };
    let client = Client::new(
        emulator.endpoints(),
        Emulator::credentials(),
        client_options,
    );
    (emulator, client.unwrap())
}

/// Creates and syncs the new bot's instance and returns its object id.
async fn create_new_bot(client: &Client) -> String {
    let request = CreateInstanceRequest {
        user_principal_name: "ivr-bot@contoso.com".into(),
        application_id: NEW_BOT_APP_ID.into(),
        display_name: "Contoso IVR Bot".into(),
    };
    let created = client.create_instance(&request).await.unwrap();
    // Creating with an application id may map the instance already, so a first sync may
    // find the mapping in place.
    let outcome = client
        .sync_instance(&created.object_id, NEW_BOT_APP_ID.parse().unwrap())
        .await;
    assert!(
        matches!(
            outcome,
            Ok(SyncOutcome::Mapped | SyncOutcome::AlreadyMapped)
        ),
        "{outcome:?}"
    );
    created.object_id
}

#[tokio::test]
async fn sign_in_reads_verified_domains() {
    let (_emulator, client) = start().await;
    let domains = client.domains().await.unwrap();
    let contoso = domains.iter().find(|domain| domain.id == "contoso.com");
    assert!(contoso.unwrap().is_verified);
}

#[tokio::test]
async fn tenant_view_of_practice_tenant() {
    let (_emulator, client) = start().await;
    let lists = Arc::new(Mutex::new(HashSet::new()));
    let sink = Arc::clone(&lists);
    let progress: TenantProgress = Arc::new(move |list, _| {
        sink.lock().unwrap().insert(list);
    });
    let view = client.tenant_view_with_progress(progress).await.unwrap();

    assert!(!view.instances.is_empty());
    assert!(!view.numbers.is_empty());
    let helpdesk = view
        .instances
        .iter()
        .find(|row| row.user_principal_name == "helpdesk-bot@contoso.com")
        .unwrap();
    assert_eq!(helpdesk.phone_number.as_deref(), Some("+14255550110"));
    assert_eq!(helpdesk.license_state, LicenseState::Active);
    let sku = view
        .skus
        .iter()
        .find(|sku| sku.sku_part_number == RESOURCE_ACCOUNT_SKU)
        .unwrap();
    assert!(sku.available > 0);
    let held = view
        .numbers
        .iter()
        .find(|row| row.record.telephone_number == "+14255550110")
        .unwrap();
    assert_eq!(
        held.assigned_to.as_deref(),
        Some("helpdesk-bot@contoso.com")
    );
    let lists = lists.lock().unwrap();
    for list in ["instances", "numbers", "licenses", "users"] {
        assert!(lists.contains(list), "no progress for {list}");
    }
}

#[tokio::test]
async fn create_and_sync_instance() {
    let (_emulator, client) = start().await;
    let app_id = NEW_BOT_APP_ID.parse().unwrap();
    let principal = client.service_principal(app_id).await.unwrap();
    assert_eq!(principal.unwrap().app_id, NEW_BOT_APP_ID);

    let object_id = create_new_bot(&client).await;
    let instance = client.instance(&object_id).await.unwrap().unwrap();
    assert_eq!(instance.user_principal_name, "ivr-bot@contoso.com");
    assert_eq!(instance.application_id.as_deref(), Some(NEW_BOT_APP_ID));

    let again = client.sync_instance(&object_id, app_id).await.unwrap();
    assert_eq!(again, SyncOutcome::AlreadyMapped);
    let listed = client.instances(None).await.unwrap();
    assert!(listed.items.iter().any(|item| item.object_id == object_id));
}

#[tokio::test]
async fn usage_location_and_license() {
    let (_emulator, client) = start().await;
    let object_id = create_new_bot(&client).await;

    client
        .set_usage_location(&object_id, "US".parse().unwrap())
        .await
        .unwrap();
    let user = client
        .assign_license(&object_id, RESOURCE_ACCOUNT_SKU_ID)
        .await
        .unwrap();
    assert!(user
        .assigned_licenses
        .iter()
        .any(|license| license.sku_id == RESOURCE_ACCOUNT_SKU_ID));

    let user = client.user(&object_id).await.unwrap();
    assert_eq!(user.usage_location.as_deref(), Some("US"));
    let details = client.license_details(&object_id).await.unwrap();
    let license = details
        .iter()
        .find(|license| license.sku_part_number == RESOURCE_ACCOUNT_SKU)
        .unwrap();
    assert!(license
        .service_plans
        .iter()
        .any(|plan| plan.service_plan_name == RESOURCE_ACCOUNT_PLAN));
    let by_upn = client
        .user_by_upn(&"ivr-bot@contoso.com".parse().unwrap())
        .await
        .unwrap();
    assert_eq!(by_upn.unwrap().id, object_id);
}

#[tokio::test]
async fn assign_free_voice_number() {
    let (_emulator, client) = start().await;
    let object_id = create_new_bot(&client).await;
    client
        .set_usage_location(&object_id, "US".parse().unwrap())
        .await
        .unwrap();
    client
        .assign_license(&object_id, RESOURCE_ACCOUNT_SKU_ID)
        .await
        .unwrap();

    let number: PhoneNumber = FREE_VOICE_NUMBER.parse().unwrap();
    let free = client.number(&number).await.unwrap().unwrap();
    assert!(free.is_unassigned());
    assert!(free.allows_voice_applications());
    assert_eq!(free.number_type, Some(NumberType::DirectRouting));

    let request = AssignNumberRequest {
        telephone_number: FREE_VOICE_NUMBER.into(),
        assignment_target_id: object_id.clone(),
        number_type: NumberType::DirectRouting,
        assignment_category: None,
        location_id: None,
    };
    let location = client.assign_number(&request).await.unwrap();
    let mut operation = client.operation(&location).await.unwrap();
    let mut reads = 1;
    while !operation.status.is_finished() && reads < MAX_OPERATION_READS {
        tokio::time::sleep(Duration::from_millis(20)).await;
        operation = client.operation(&location).await.unwrap();
        reads += 1;
    }
    assert_eq!(operation.status, OperationStatus::Succeeded);

    let assigned = client.number(&number).await.unwrap().unwrap();
    assert_eq!(
        assigned.assignment_target_id.as_deref(),
        Some(object_id.as_str())
    );
    assert_eq!(
        assigned.assignment_status,
        Some(AssignmentStatus::VoiceApplicationAssigned)
    );
    let view = client.tenant_view().await.unwrap();
    let row = view
        .instances
        .iter()
        .find(|row| row.object_id == object_id)
        .unwrap();
    assert_eq!(row.phone_number.as_deref(), Some(FREE_VOICE_NUMBER));
    assert_eq!(row.license_state, LicenseState::Active);
    assert!(row.is_complete());
}

#[tokio::test]
async fn sync_to_another_app_maps_it() {
    let (_emulator, client) = start().await;
    let object_id = create_new_bot(&client).await;
    let other_app = "5b9d1f3a-7e2c-4a6b-8d0f-1c3e5a7b9d2f".parse().unwrap();

    let outcome = client.sync_instance(&object_id, other_app).await.unwrap();
    assert_eq!(outcome, SyncOutcome::Mapped);
    let instance = client.instance(&object_id).await.unwrap().unwrap();
    assert_eq!(instance.application_id, Some(other_app.to_string()));
    let again = client.sync_instance(&object_id, other_app).await.unwrap();
    assert_eq!(again, SyncOutcome::AlreadyMapped);
}

#[tokio::test]
async fn throttled_tenant_load_retries() {
    let (emulator, client) = start().await;
    emulator
        .inject(Fault::throttle("numberAssignments", 2, 0))
        .await;
    let notices = Arc::new(Mutex::new(Vec::<RetryNotice>::new()));
    let sink = Arc::clone(&notices);
    client.on_retry(move |notice| sink.lock().unwrap().push(notice.clone()));

    let view = client.tenant_view().await.unwrap();
    assert!(!view.numbers.is_empty());
    let notices = notices.lock().unwrap();
    assert_eq!(notices.len(), 2);
    assert!(notices.iter().all(RetryNotice::is_throttled));
    assert_eq!(notices[1].attempt, 2);
}

#[tokio::test]
async fn html_outage_is_one_sentence() {
    let (emulator, client) = start().await;
    // A GET is sent three times in all after failures inside the service.
    emulator.inject(Fault::html_error("domains", 3)).await;
    let error = client.domains().await.unwrap_err();
    let ApiError::Status {
        status, message, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(*status, 500);
    assert_eq!(
        message,
        "the service sent an HTML error page instead of a JSON error"
    );
    assert!(!error.to_string().contains('<'));
}

#[tokio::test]
async fn malformed_records_do_not_fail_the_load() {
    let (emulator, client) = start().await;
    emulator
        .inject(Fault::malformed_record("ApplicationInstances"))
        .await;
    emulator
        .inject(Fault::malformed_record("numberAssignments"))
        .await;

    let view = client.tenant_view().await.unwrap();
    assert_eq!(view.malformed.len(), 1, "{:?}", view.malformed);
    assert!(
        view.malformed[0].starts_with("instance record"),
        "{:?}",
        view.malformed
    );
    let odd = view.numbers.iter().find(|row| row.problem.is_some());
    assert_eq!(odd.unwrap().record.telephone_number, "1");
    assert!(!view.instances.is_empty());
}
