//! The whole wizard driven in-process against the emulator over real HTTP, the way the
//! `assign` command drives it.

use std::time::Duration;

use botline::client::{Client, ClientOptions};
use botline::emulator::{Emulator, Options, Timing};
use botline::model::{ActivationState, LicenseState, NumberType};
use botline::wizard::{self, Form, Phase, Step};

/// Application id of the practice tenant's bot that has no instance yet.
const IVR_BOT_APP_ID: &str = "0b5c7a53-5c1e-4a8e-9d0f-3e7b2a9c1d44";
/// A free Direct Routing number that allows voice applications.
const FREE_DIRECT_ROUTING: &str = "+14255550120";
/// A free Calling Plan subscriber number with only the userAssignment capability.
const USER_ONLY_NUMBER: &str = "+14255550102";

/// Emulator delays short enough for a test and long enough to make every wait poll.
fn slow_tenant() -> Timing {
    Timing {
        assignment_delay: Duration::from_millis(300),
        license_delay: Duration::from_millis(200),
        replication_delay: Duration::from_millis(200),
    }
}

fn quick_polls() -> wizard::Timing {
    wizard::Timing {
        first_poll: Duration::from_millis(40),
        max_poll: Duration::from_millis(160),
        max_polls: 60,
    }
}

async fn start(timing: Timing) -> (Emulator, Client) {
    let options = Options {
        timing,
        ..Options::default()
    };
    let emulator = Emulator::start(options).await.unwrap();
    let client = Client::new(
        emulator.endpoints(),
        Emulator::credentials(),
        ClientOptions::default(),
    )
    .unwrap();
    (emulator, client)
}

fn ivr_bot_form(number: &str) -> Form {
    Form {
        upn: "ivr-bot@contoso.com".into(),
        app_id: IVR_BOT_APP_ID.into(),
        display_name: "IVR Bot".into(),
        usage_location: "US".into(),
        number: number.into(),
        number_type: None,
    }
}

#[tokio::test]
async fn new_bot_gets_its_number() {
    let (_emulator, client) = start(slow_tenant()).await;
    let mut lines = Vec::new();
    let wizard = wizard::run_to_completion(
        &client,
        ivr_bot_form(FREE_DIRECT_ROUTING),
        quick_polls(),
        |line| lines.push(line.to_owned()),
    )
    .await
    .unwrap_or_else(|reason| panic!("wizard stopped: {reason}"));
    assert_eq!(wizard.step, Step::Summary);
    assert_eq!(wizard.phase, Phase::Done);
    assert!(lines
        .iter()
        .any(|line| line.contains("Created resource account")));
    assert!(lines
        .iter()
        .any(|line| line.contains("Waiting for MCOEV_VIRTUALUSER")));
    assert!(lines.iter().any(|line| line.contains("is active")));

    let view = client.tenant_view().await.unwrap();
    let row = view
        .instances
        .iter()
        .find(|row| row.user_principal_name == "ivr-bot@contoso.com")
        .expect("the new instance is listed");
    assert_eq!(row.application_id.as_deref(), Some(IVR_BOT_APP_ID));
    assert_eq!(row.usage_location.as_deref(), Some("US"));
    assert_eq!(row.license_state, LicenseState::Active);
    assert_eq!(row.phone_number.as_deref(), Some(FREE_DIRECT_ROUTING));
    assert_eq!(row.number_type, Some(NumberType::DirectRouting));
    assert_eq!(row.activation_state, Some(ActivationState::Activated));
}

#[tokio::test]
async fn second_run_for_same_bot_reuses_everything() {
    let (_emulator, client) = start(Timing::instant()).await;
    let form = ivr_bot_form(FREE_DIRECT_ROUTING);
    wizard::run_to_completion(&client, form.clone(), quick_polls(), |_| {})
        .await
        .unwrap();
    let mut lines = Vec::new();
    let again = wizard::run_to_completion(&client, form, quick_polls(), |line| {
        lines.push(line.to_owned())
    })
    .await
    .unwrap_or_else(|reason| panic!("second run stopped: {reason}"));
    assert_eq!(again.phase, Phase::Done);
    assert!(lines
        .iter()
        .any(|line| line.contains("already exists for this bot")));
    assert!(lines
        .iter()
        .any(|line| line.contains("already assigned and active")));
    assert!(lines
        .iter()
        .any(|line| line.contains("already holds +14255550120")));
}

#[tokio::test]
async fn user_only_number_is_refused_up_front() {
    let (_emulator, client) = start(Timing::instant()).await;
    let reason = wizard::run_to_completion(
        &client,
        ivr_bot_form(USER_ONLY_NUMBER),
        quick_polls(),
        |_| {},
    )
    .await
    .unwrap_err();
    assert!(
        reason.contains("+14255550102 can only be assigned to users"),
        "{reason}"
    );
    let number = client
        .number(&USER_ONLY_NUMBER.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(number.is_unassigned(), "the refused number stays free");
    let instances = client.instances(None).await.unwrap();
    assert!(
        instances
            .items
            .iter()
            .all(|instance| instance.user_principal_name != "ivr-bot@contoso.com"),
        "nothing was created"
    );
}

#[tokio::test]
async fn contradicting_type_is_refused_before_assigning() {
    let (_emulator, client) = start(Timing::instant()).await;
    let form = Form {
        number_type: Some(NumberType::CallingPlan),
        ..ivr_bot_form(FREE_DIRECT_ROUTING)
    };
    let reason = wizard::run_to_completion(&client, form, quick_polls(), |_| {})
        .await
        .unwrap_err();
    assert!(reason.contains("is a Direct Routing number"), "{reason}");
    let number = client
        .number(&FREE_DIRECT_ROUTING.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(number.is_unassigned());
}

#[tokio::test]
async fn unverified_domain_is_refused_before_creating() {
    let (_emulator, client) = start(Timing::instant()).await;
    let form = Form {
        upn: "ivr-bot@fabrikam-test.com".into(),
        ..ivr_bot_form(FREE_DIRECT_ROUTING)
    };
    let reason = wizard::run_to_completion(&client, form, quick_polls(), |_| {})
        .await
        .unwrap_err();
    assert!(
        reason.contains("fabrikam-test.com is not a verified domain"),
        "{reason}"
    );
    assert!(
        reason.contains("ivr-bot@contoso.onmicrosoft.com"),
        "{reason}"
    );
    let instances = client.instances(None).await.unwrap();
    assert!(instances
        .items
        .iter()
        .all(|instance| !instance.user_principal_name.contains("fabrikam")));
}

#[tokio::test]
async fn unknown_application_is_refused() {
    let (_emulator, client) = start(Timing::instant()).await;
    let form = Form {
        app_id: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee".into(),
        ..ivr_bot_form(FREE_DIRECT_ROUTING)
    };
    let reason = wizard::run_to_completion(&client, form, quick_polls(), |_| {})
        .await
        .unwrap_err();
    assert!(
        reason.contains("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"),
        "{reason}"
    );
}

#[tokio::test]
async fn foreign_calling_plan_number_is_refused_before_creating() {
    let (_emulator, client) = start(Timing::instant()).await;
    let reason = wizard::run_to_completion(
        &client,
        ivr_bot_form("+442079460101"),
        quick_polls(),
        |_| {},
    )
    .await
    .unwrap_err();
    assert!(reason.contains("Calling Plan number from GB"), "{reason}");
    let instances = client.instances(None).await.unwrap();
    assert!(
        instances
            .items
            .iter()
            .all(|instance| instance.user_principal_name != "ivr-bot@contoso.com"),
        "nothing was created"
    );
}
