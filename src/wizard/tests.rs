//! Transition tests of the wizard, one situation each, with no I/O.

use std::time::Duration;

use super::*;
use crate::client::{ApiError, SyncOutcome};
use crate::model::{
    ActivationState, AssignmentStatus, LicenseState, NumberCapability, NumberType, OperationStatus,
    SkuRow,
};
use crate::wire::graph::{NumberAssignment, NumberOperation, NumberOperationDetails};
use crate::wire::teams::ApplicationInstance;

const APP_ID: &str = "0b5c7a53-5c1e-4a8e-9d0f-3e7b2a9c1d44";
const OBJECT_ID: &str = "7f3e2d1c-0b9a-4c8d-8e7f-6a5b4c3d2e1f";

fn timing() -> Timing {
    Timing {
        first_poll: Duration::from_millis(100),
        max_poll: Duration::from_millis(400),
        max_polls: 4,
    }
}

fn form() -> Form {
    Form {
        upn: "ivr-bot@contoso.com".into(),
        app_id: APP_ID.into(),
        display_name: "IVR Bot".into(),
        usage_location: String::new(),
        number: String::new(),
        number_type: None,
    }
}

fn check(existing: Option<ApplicationInstance>) -> InstanceCheck {
    InstanceCheck {
        verified_domains: vec!["contoso.com".into(), "contoso.onmicrosoft.com".into()],
        app_name: Some("Contoso IVR Bot".into()),
        existing_instance: existing,
        existing_user: None,
        number: None,
        resource_sku: Some(sku(25, 3)),
    }
}

fn lookup(record: Option<NumberAssignment>, holder: Option<&str>) -> NumberLookup {
    let number = record
        .as_ref()
        .map_or("+14255559999", |r| r.telephone_number.as_str());
    NumberLookup {
        number: number.parse().unwrap(),
        record,
        holder: holder.map(str::to_owned),
    }
}

fn instance(app_id: &str) -> ApplicationInstance {
    ApplicationInstance {
        object_id: OBJECT_ID.into(),
        user_principal_name: "ivr-bot@contoso.com".into(),
        display_name: Some("IVR Bot".into()),
        application_id: Some(app_id.into()),
        phone_number: None,
    }
}

fn sku(enabled: i64, consumed: i64) -> SkuRow {
    SkuRow {
        sku_id: crate::model::RESOURCE_ACCOUNT_SKU_ID.into(),
        sku_part_number: "PHONESYSTEM_VIRTUALUSER".into(),
        enabled,
        consumed,
        available: (enabled - consumed).max(0),
    }
}

fn license_context(state: LicenseState, seats: Option<SkuRow>) -> LicenseContext {
    LicenseContext {
        usage_location: None,
        license_state: state,
        sku: seats,
    }
}

fn voice_number(number: &str, kind: NumberType) -> NumberAssignment {
    NumberAssignment {
        telephone_number: number.into(),
        number_type: Some(kind),
        activation_state: Some(ActivationState::Activated),
        assignment_status: Some(AssignmentStatus::Unassigned),
        capabilities: vec![
            NumberCapability::VoiceApplicationAssignment,
            NumberCapability::ConferenceAssignment,
        ],
        iso_country_code: Some("US".into()),
        ..NumberAssignment::default()
    }
}

fn error(status: u16) -> ApiError {
    ApiError::Status {
        status,
        code: Some("itemNotFound".into()),
        message: "not here".into(),
        request_id: Some("req-42".into()),
    }
}

/// Feeds the outcome to the single effect in flight and returns the next effects.
fn answer(
    wizard: &mut Wizard,
    effects: &[(Ticket, Effect)],
    outcome: Outcome,
) -> Vec<(Ticket, Effect)> {
    assert_eq!(
        effects.len(),
        1,
        "expected one effect in flight, got {effects:?}"
    );
    wizard.update(Input::Outcome(effects[0].0, outcome))
}

fn rejection(wizard: &Wizard) -> String {
    match &wizard.phase {
        Phase::Editing { error: Some(error) } => error.clone(),
        other => panic!("expected a rejected submit, got {other:?}"),
    }
}

/// Drives a new wizard to step 3's picker with one free Calling Plan voice number.
fn at_number_step() -> Wizard {
    let mut wizard = Wizard::with_form(form(), timing());
    let effects = wizard.update(Input::Submit);
    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::InstanceChecked(check(Some(instance(APP_ID)))),
    );
    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::Synced(SyncOutcome::AlreadyMapped),
    );
    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::LicenseContext(license_context(LicenseState::Active, Some(sku(25, 3)))),
    );
    let free = vec![voice_number("+14255550150", NumberType::CallingPlan)];
    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::NumbersLoaded(NumberChoices { free, held: None }),
    );
    assert!(effects.is_empty());
    assert_eq!(wizard.step, Step::Number);
    wizard
}

#[test]
fn invalid_upn_is_rejected_without_a_call() {
    let mut wizard = Wizard::with_form(
        Form {
            upn: "ivr-bot".into(),
            ..form()
        },
        timing(),
    );
    let effects = wizard.update(Input::Submit);
    assert!(effects.is_empty());
    assert!(rejection(&wizard).contains("\"ivr-bot\""));
}

#[test]
fn invalid_app_id_is_rejected_without_a_call() {
    let mut wizard = Wizard::with_form(
        Form {
            app_id: "1234".into(),
            ..form()
        },
        timing(),
    );
    assert!(wizard.update(Input::Submit).is_empty());
    let error = rejection(&wizard);
    assert!(error.contains("\"1234\""));
    assert!(error.contains("GUID"));
}

#[test]
fn missing_display_name_is_rejected() {
    let mut wizard = Wizard::with_form(
        Form {
            display_name: "  ".into(),
            ..form()
        },
        timing(),
    );
    assert!(wizard.update(Input::Submit).is_empty());
    assert!(rejection(&wizard).contains("display name"));
}

#[test]
fn valid_form_checks_before_creating() {
    let mut wizard = Wizard::with_form(form(), timing());
    let effects = wizard.update(Input::Submit);
    assert!(matches!(effects[0].1, Effect::CheckInstance { .. }));
    assert!(wizard.phase.is_busy());
}

#[test]
fn unverified_domain_suggests_initial_domain() {
    let mut wizard = Wizard::with_form(
        Form {
            upn: "bot@corp.contoso.local".into(),
            ..form()
        },
        timing(),
    );
    let effects = wizard.update(Input::Submit);
    let next = answer(&mut wizard, &effects, Outcome::InstanceChecked(check(None)));
    assert!(next.is_empty());
    let error = rejection(&wizard);
    assert!(error.contains("corp.contoso.local is not a verified domain"));
    assert!(error.contains("bot@contoso.onmicrosoft.com"));
}

#[test]
fn unknown_application_is_named() {
    let mut wizard = Wizard::with_form(form(), timing());
    let effects = wizard.update(Input::Submit);
    let unknown = InstanceCheck {
        app_name: None,
        ..check(None)
    };
    assert!(answer(&mut wizard, &effects, Outcome::InstanceChecked(unknown)).is_empty());
    assert!(rejection(&wizard).contains(APP_ID));
}

#[test]
fn same_mapping_is_reused_not_created() {
    let mut wizard = Wizard::with_form(form(), timing());
    let effects = wizard.update(Input::Submit);
    let next = answer(
        &mut wizard,
        &effects,
        Outcome::InstanceChecked(check(Some(instance(APP_ID)))),
    );
    assert!(matches!(next[0].1, Effect::SyncInstance { .. }));
    let next = answer(
        &mut wizard,
        &next,
        Outcome::Synced(SyncOutcome::AlreadyMapped),
    );
    assert!(matches!(next[0].1, Effect::LoadLicenseContext { .. }));
    assert_eq!(wizard.step, Step::License);
    assert!(wizard
        .log
        .iter()
        .any(|line| line.contains("Already mapped")));
}

#[test]
fn other_application_mapping_is_rejected() {
    let mut wizard = Wizard::with_form(form(), timing());
    let effects = wizard.update(Input::Submit);
    let other = instance("11111111-2222-3333-4444-555555555555");
    assert!(answer(
        &mut wizard,
        &effects,
        Outcome::InstanceChecked(check(Some(other)))
    )
    .is_empty());
    assert!(rejection(&wizard).contains("11111111-2222-3333-4444-555555555555"));
}

#[test]
fn unbound_instance_is_mapped_not_created() {
    let mut wizard = Wizard::with_form(form(), timing());
    let effects = wizard.update(Input::Submit);
    let unbound = ApplicationInstance {
        application_id: None,
        ..instance(APP_ID)
    };
    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::InstanceChecked(check(Some(unbound))),
    );
    let Effect::SyncInstance { object_id, app_id } = &effects[0].1 else {
        panic!("expected a sync, got {effects:?}");
    };
    assert_eq!(object_id, OBJECT_ID);
    assert_eq!(app_id.to_string(), APP_ID);
    assert!(wizard
        .log
        .iter()
        .any(|line| line.contains("exists without an application")));

    answer(&mut wizard, &effects, Outcome::Synced(SyncOutcome::Mapped));
    assert_eq!(wizard.step, Step::License);
    assert!(wizard.facts.changed_tenant);
}

#[test]
fn plain_user_with_same_upn_is_rejected() {
    let mut wizard = Wizard::with_form(form(), timing());
    let effects = wizard.update(Input::Submit);
    let taken = InstanceCheck {
        existing_user: Some("u1".into()),
        ..check(None)
    };
    assert!(answer(&mut wizard, &effects, Outcome::InstanceChecked(taken)).is_empty());
    assert!(rejection(&wizard).contains("does not list as a resource account"));
}

#[test]
fn whole_wizard_reaches_summary() {
    let mut wizard = Wizard::with_form(form(), timing());
    let effects = wizard.update(Input::Submit);
    let effects = answer(&mut wizard, &effects, Outcome::InstanceChecked(check(None)));
    let Effect::CreateInstance(request) = &effects[0].1 else {
        panic!("expected create, got {effects:?}");
    };
    assert_eq!(request.user_principal_name, "ivr-bot@contoso.com");
    assert_eq!(request.application_id, APP_ID);
    assert_eq!(request.display_name, "IVR Bot");

    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::InstanceCreated(instance(APP_ID)),
    );
    assert!(matches!(effects[0].1, Effect::WaitForInstance { .. }));
    let effects = answer(&mut wizard, &effects, Outcome::InstanceVisible(false));
    assert!(matches!(effects[0].1, Effect::WaitForInstance { .. }));
    let effects = answer(&mut wizard, &effects, Outcome::InstanceVisible(true));
    assert!(matches!(effects[0].1, Effect::SyncInstance { .. }));
    let effects = answer(&mut wizard, &effects, Outcome::Synced(SyncOutcome::Mapped));
    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::LicenseContext(license_context(LicenseState::Unlicensed, Some(sku(25, 3)))),
    );
    assert!(effects.is_empty());
    assert_eq!(wizard.step, Step::License);
    assert_eq!(wizard.phase, Phase::Editing { error: None });

    wizard.update(Input::Edit(Field::UsageLocation, "us".into()));
    let effects = wizard.update(Input::Submit);
    let Effect::SetUsageLocation { location, .. } = &effects[0].1 else {
        panic!("expected usage location, got {effects:?}");
    };
    assert_eq!(location.as_str(), "US");
    let effects = answer(&mut wizard, &effects, Outcome::UsageLocationSet);
    assert!(matches!(effects[0].1, Effect::AssignLicense { .. }));
    let effects = answer(&mut wizard, &effects, Outcome::LicenseAssigned);
    let first_wait = effects[0].1.delay();
    let effects = answer(&mut wizard, &effects, Outcome::LicenseChecked(false));
    assert!(effects[0].1.delay() > first_wait, "polls back off");
    let effects = answer(&mut wizard, &effects, Outcome::LicenseChecked(true));
    assert!(matches!(effects[0].1, Effect::LoadNumbers { .. }));
    assert_eq!(wizard.step, Step::Number);

    let free = vec![voice_number("+14255550150", NumberType::DirectRouting)];
    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::NumbersLoaded(NumberChoices { free, held: None }),
    );
    assert!(effects.is_empty());
    wizard.update(Input::Edit(Field::Number, "tel:+1 425 555 0150".into()));
    let effects = wizard.update(Input::Submit);
    let Effect::AssignNumber { request, .. } = &effects[0].1 else {
        panic!("expected assignment, got {effects:?}");
    };
    assert_eq!(request.number_type, NumberType::DirectRouting);
    assert_eq!(request.assignment_target_id, OBJECT_ID);
    assert_eq!(request.telephone_number, "+14255550150");

    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::AssignStarted("op-url".into()),
    );
    assert!(matches!(effects[0].1, Effect::PollOperation { .. }));
    let running = operation(OperationStatus::Running, None);
    let effects = answer(&mut wizard, &effects, Outcome::OperationPolled(running));
    assert!(matches!(wizard.phase, Phase::Waiting { attempt: 2, .. }));
    let done = operation(OperationStatus::Succeeded, None);
    let effects = answer(&mut wizard, &effects, Outcome::OperationPolled(done));
    assert!(matches!(effects[0].1, Effect::ConfirmNumber { .. }));
    let mut active = voice_number("+14255550150", NumberType::DirectRouting);
    active.assignment_target_id = Some(OBJECT_ID.into());
    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::NumberConfirmed(Some(active)),
    );
    assert!(effects.is_empty());
    assert_eq!(wizard.step, Step::Summary);
    assert_eq!(wizard.phase, Phase::Done);
    assert!(wizard.facts.changed_tenant);
}

fn operation(status: OperationStatus, detail: Option<&str>) -> NumberOperation {
    NumberOperation {
        id: "op1".into(),
        created_date_time: None,
        status: status.clone(),
        numbers: vec![NumberOperationDetails {
            resource_location: None,
            status,
            status_detail: detail.map(str::to_owned),
        }],
    }
}

#[test]
fn stale_outcome_is_dropped() {
    let mut wizard = Wizard::with_form(form(), timing());
    let effects = wizard.update(Input::Submit);
    let stale = Ticket(effects[0].0 .0 + 7);
    let before = wizard.clone();
    assert!(wizard
        .update(Input::Outcome(stale, Outcome::InstanceChecked(check(None))))
        .is_empty());
    assert_eq!(wizard, before);
}

#[test]
fn back_while_waiting_drops_the_late_reply() {
    let mut wizard = Wizard::with_form(form(), timing());
    let effects = wizard.update(Input::Submit);
    wizard.update(Input::Back);
    assert!(matches!(wizard.phase, Phase::Editing { error: Some(_) }));
    let late = wizard.update(Input::Outcome(
        effects[0].0,
        Outcome::InstanceChecked(check(None)),
    ));
    assert!(late.is_empty());
    assert_eq!(wizard.step, Step::Instance);
}

#[test]
fn back_from_first_step_closes() {
    let mut wizard = Wizard::new(timing());
    wizard.update(Input::Back);
    assert!(wizard.closed);
}

#[test]
fn back_from_number_step_returns_to_license() {
    let mut wizard = at_number_step();
    wizard.update(Input::Back);
    assert_eq!(wizard.step, Step::License);
    assert!(matches!(wizard.phase, Phase::Editing { .. }));
}

#[test]
fn no_free_seat_stops_before_the_call() {
    let mut wizard = Wizard::with_form(
        Form {
            usage_location: "US".into(),
            ..form()
        },
        timing(),
    );
    let effects = wizard.update(Input::Submit);
    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::InstanceChecked(check(Some(instance(APP_ID)))),
    );
    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::Synced(SyncOutcome::AlreadyMapped),
    );
    answer(
        &mut wizard,
        &effects,
        Outcome::LicenseContext(license_context(LicenseState::Unlicensed, Some(sku(5, 5)))),
    );
    assert!(wizard.update(Input::Submit).is_empty());
    let error = rejection(&wizard);
    assert!(error.contains("5 enabled, 5 in use"));
    assert!(error.contains("Microsoft 365 admin center"));
}

#[test]
fn missing_sku_stops_before_the_call() {
    let mut wizard = Wizard::with_form(
        Form {
            usage_location: "US".into(),
            ..form()
        },
        timing(),
    );
    let effects = wizard.update(Input::Submit);
    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::InstanceChecked(check(Some(instance(APP_ID)))),
    );
    let effects = answer(&mut wizard, &effects, Outcome::Synced(SyncOutcome::Mapped));
    answer(
        &mut wizard,
        &effects,
        Outcome::LicenseContext(license_context(LicenseState::Unlicensed, None)),
    );
    assert!(wizard.update(Input::Submit).is_empty());
    assert!(rejection(&wizard).contains("has no Microsoft Teams Phone Resource Account"));
}

#[test]
fn bad_usage_location_is_rejected() {
    let mut wizard = Wizard::with_form(
        Form {
            usage_location: "USA".into(),
            ..form()
        },
        timing(),
    );
    let effects = wizard.update(Input::Submit);
    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::InstanceChecked(check(Some(instance(APP_ID)))),
    );
    let effects = answer(&mut wizard, &effects, Outcome::Synced(SyncOutcome::Mapped));
    answer(
        &mut wizard,
        &effects,
        Outcome::LicenseContext(license_context(LicenseState::Unlicensed, Some(sku(25, 0)))),
    );
    assert!(wizard.update(Input::Submit).is_empty());
    assert!(rejection(&wizard).contains("\"USA\""));
}

#[test]
fn usage_location_is_prefilled_from_tenant() {
    let mut wizard = Wizard::with_form(form(), timing());
    let effects = wizard.update(Input::Submit);
    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::InstanceChecked(check(Some(instance(APP_ID)))),
    );
    let effects = answer(&mut wizard, &effects, Outcome::Synced(SyncOutcome::Mapped));
    let context = LicenseContext {
        usage_location: Some("GB".into()),
        ..license_context(LicenseState::Unlicensed, Some(sku(25, 0)))
    };
    answer(&mut wizard, &effects, Outcome::LicenseContext(context));
    assert_eq!(wizard.form.usage_location, "GB");
    let effects = wizard.update(Input::Submit);
    assert!(
        matches!(effects[0].1, Effect::AssignLicense { .. }),
        "same location is not set again"
    );
}

#[test]
fn user_only_number_is_refused() {
    let mut wizard = at_number_step();
    wizard.update(Input::Edit(Field::Number, "+14255550101".into()));
    let effects = wizard.update(Input::Submit);
    assert!(
        matches!(effects[0].1, Effect::LookupNumber(_)),
        "unknown numbers are looked up"
    );
    let mut user_number = voice_number("+14255550101", NumberType::CallingPlan);
    user_number.capabilities = vec![NumberCapability::UserAssignment];
    assert!(answer(
        &mut wizard,
        &effects,
        Outcome::NumberLookedUp(lookup(Some(user_number), None))
    )
    .is_empty());
    let error = rejection(&wizard);
    assert!(error.contains("+14255550101 can only be assigned to users"));
    assert!(error.contains("userAssignment"));
}

#[test]
fn contradicting_number_type_is_refused() {
    let mut wizard = at_number_step();
    wizard.form.number_type = Some(NumberType::DirectRouting);
    wizard.update(Input::Edit(Field::Number, "+14255550150".into()));
    assert!(wizard.update(Input::Submit).is_empty());
    let error = rejection(&wizard);
    assert!(error.contains("Calling Plan"));
    assert!(error.contains("not Direct Routing"));
}

#[test]
fn held_number_names_its_holder() {
    let mut wizard = at_number_step();
    wizard.update(Input::Edit(Field::Number, "+14255550160".into()));
    let effects = wizard.update(Input::Submit);
    let mut held = voice_number("+14255550160", NumberType::CallingPlan);
    held.assignment_status = Some(AssignmentStatus::VoiceApplicationAssigned);
    held.assignment_target_id = Some("dead-beef".into());
    answer(
        &mut wizard,
        &effects,
        Outcome::NumberLookedUp(lookup(Some(held.clone()), None)),
    );
    assert!(rejection(&wizard).contains("unknown account dead-beef"));

    let effects = wizard.update(Input::Submit);
    answer(
        &mut wizard,
        &effects,
        Outcome::NumberLookedUp(lookup(Some(held), Some("reception@contoso.com"))),
    );
    assert!(rejection(&wizard).contains("already assigned to reception@contoso.com"));
}

#[test]
fn number_outside_inventory_is_refused() {
    let mut wizard = at_number_step();
    wizard.update(Input::Edit(Field::Number, "+14255559999".into()));
    let effects = wizard.update(Input::Submit);
    answer(
        &mut wizard,
        &effects,
        Outcome::NumberLookedUp(lookup(None, None)),
    );
    assert!(rejection(&wizard).contains("not in this tenant's number inventory"));
}

#[test]
fn malformed_number_is_rejected_with_expected_form() {
    let mut wizard = at_number_step();
    wizard.update(Input::Edit(Field::Number, "call me".into()));
    assert!(wizard.update(Input::Submit).is_empty());
    assert!(rejection(&wizard).contains("E.164"));
}

#[test]
fn failed_operation_shows_detail_and_retries_assignment() {
    let mut wizard = at_number_step();
    wizard.update(Input::Edit(Field::Number, "+14255550150".into()));
    let effects = wizard.update(Input::Submit);
    let effects = answer(&mut wizard, &effects, Outcome::AssignStarted("op".into()));
    let failed = operation(OperationStatus::Failed, Some("Emergency address missing"));
    assert!(answer(&mut wizard, &effects, Outcome::OperationPolled(failed)).is_empty());
    let Phase::Failed { reason, can_retry } = &wizard.phase else {
        panic!("expected failure, got {:?}", wizard.phase);
    };
    assert!(reason.contains("Emergency address missing"));
    assert!(can_retry);
    let effects = wizard.update(Input::Retry);
    assert!(matches!(effects[0].1, Effect::AssignNumber { .. }));
}

#[test]
fn endless_pending_gives_up_with_retry() {
    let mut wizard = at_number_step();
    wizard.update(Input::Edit(Field::Number, "+14255550150".into()));
    let effects = wizard.update(Input::Submit);
    let mut effects = answer(&mut wizard, &effects, Outcome::AssignStarted("op".into()));
    for _ in 0..timing().max_polls {
        effects = answer(
            &mut wizard,
            &effects,
            Outcome::OperationPolled(operation(OperationStatus::Running, None)),
        );
    }
    assert!(effects.is_empty());
    let Phase::Failed { reason, can_retry } = &wizard.phase else {
        panic!("expected failure, got {:?}", wizard.phase);
    };
    assert!(reason.contains("still not finished after 4 checks"));
    assert!(can_retry);
    let effects = wizard.update(Input::Retry);
    assert!(matches!(effects[0].1, Effect::PollOperation { .. }));
}

#[test]
fn new_account_not_found_is_retried() {
    let mut wizard = Wizard::with_form(
        Form {
            usage_location: "US".into(),
            ..form()
        },
        timing(),
    );
    let effects = wizard.update(Input::Submit);
    let effects = answer(&mut wizard, &effects, Outcome::InstanceChecked(check(None)));
    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::InstanceCreated(instance(APP_ID)),
    );
    let effects = answer(&mut wizard, &effects, Outcome::InstanceVisible(true));
    let effects = answer(&mut wizard, &effects, Outcome::Synced(SyncOutcome::Mapped));
    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::LicenseContext(LicenseContext {
            usage_location: Some("US".into()),
            ..license_context(LicenseState::Active, Some(sku(25, 3)))
        }),
    );
    let free = vec![voice_number("+14255550150", NumberType::CallingPlan)];
    answer(
        &mut wizard,
        &effects,
        Outcome::NumbersLoaded(NumberChoices { free, held: None }),
    );
    wizard.update(Input::Edit(Field::Number, "+14255550150".into()));
    let effects = wizard.update(Input::Submit);
    let effects = answer(&mut wizard, &effects, Outcome::Failed(error(404)));
    let Effect::AssignNumber { after, .. } = &effects[0].1 else {
        panic!("expected a retried assignment, got {effects:?}");
    };
    assert!(*after > Duration::ZERO);
    assert!(
        matches!(&wizard.phase, Phase::Waiting { activity, .. } if activity.contains("not provisioned"))
    );
}

#[test]
fn api_failure_names_request_id_and_retries() {
    let mut wizard = Wizard::with_form(form(), timing());
    let effects = wizard.update(Input::Submit);
    assert!(answer(&mut wizard, &effects, Outcome::Failed(error(503))).is_empty());
    let Phase::Failed { reason, can_retry } = &wizard.phase else {
        panic!("expected failure, got {:?}", wizard.phase);
    };
    assert!(reason.contains("HTTP 503"));
    assert!(reason.contains("req-42"));
    assert!(reason.starts_with("Checking ivr-bot@contoso.com failed"));
    assert!(can_retry);
    let effects = wizard.update(Input::Retry);
    assert!(matches!(effects[0].1, Effect::CheckInstance { .. }));
}

#[test]
fn held_active_number_finishes_at_once() {
    let mut wizard = Wizard::with_form(form(), timing());
    let effects = wizard.update(Input::Submit);
    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::InstanceChecked(check(Some(instance(APP_ID)))),
    );
    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::Synced(SyncOutcome::AlreadyMapped),
    );
    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::LicenseContext(license_context(LicenseState::Active, Some(sku(25, 3)))),
    );
    let mut held = voice_number("+14255550150", NumberType::CallingPlan);
    held.assignment_target_id = Some(OBJECT_ID.into());
    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::NumbersLoaded(NumberChoices {
            free: vec![],
            held: Some(held),
        }),
    );
    assert!(effects.is_empty());
    assert_eq!(wizard.phase, Phase::Done);
}

#[test]
fn calling_plan_country_mismatch_is_refused() {
    let mut wizard = at_number_step();
    wizard.facts.license.as_mut().unwrap().usage_location = Some("GB".into());
    wizard.update(Input::Edit(Field::Number, "+14255550150".into()));
    assert!(wizard.update(Input::Submit).is_empty());
    let error = rejection(&wizard);
    assert!(error.contains("Calling Plan number from US"), "{error}");
    assert!(error.contains("usage location is GB"), "{error}");
}

#[test]
fn country_mismatch_is_warned() {
    let mut wizard = at_number_step();
    wizard.facts.license.as_mut().unwrap().usage_location = Some("GB".into());
    wizard.facts.numbers.free[0].number_type = Some(NumberType::DirectRouting);
    wizard.update(Input::Edit(Field::Number, "+14255550150".into()));
    let effects = wizard.update(Input::Submit);
    assert!(matches!(effects[0].1, Effect::AssignNumber { .. }));
    assert!(wizard
        .log
        .iter()
        .any(|line| line.contains("usage location GB differs from the number's country US")));
}

#[test]
fn edits_are_ignored_while_busy() {
    let mut wizard = Wizard::with_form(form(), timing());
    wizard.update(Input::Submit);
    wizard.update(Input::Edit(Field::Upn, "other@contoso.com".into()));
    assert_eq!(wizard.form.upn, "ivr-bot@contoso.com");
}

#[test]
fn backoff_doubles_up_to_the_cap() {
    let timing = timing();
    assert_eq!(timing.backoff(0), Duration::from_millis(100));
    assert_eq!(timing.backoff(1), Duration::from_millis(200));
    assert_eq!(timing.backoff(2), Duration::from_millis(400));
    assert_eq!(timing.backoff(30), Duration::from_millis(400));
}

#[test]
fn known_number_is_checked_before_creating() {
    let mut wizard = Wizard::with_form(
        Form {
            number: "+14255550101".into(),
            ..form()
        },
        timing(),
    );
    let effects = wizard.update(Input::Submit);
    let Effect::CheckInstance { number, .. } = &effects[0].1 else {
        panic!("expected the check, got {effects:?}");
    };
    assert_eq!(
        number.as_ref().map(ToString::to_string).as_deref(),
        Some("+14255550101")
    );
    let mut user_number = voice_number("+14255550101", NumberType::CallingPlan);
    user_number.capabilities = vec![NumberCapability::UserAssignment];
    let checked = InstanceCheck {
        number: Some(lookup(Some(user_number), None)),
        ..check(None)
    };
    let next = answer(&mut wizard, &effects, Outcome::InstanceChecked(checked));
    assert!(next.is_empty(), "nothing is created for a doomed number");
    assert!(rejection(&wizard).contains("can only be assigned to users"));
    assert_eq!(wizard.step, Step::Instance);
}

#[test]
fn known_number_outside_inventory_stops_step_one() {
    let mut wizard = Wizard::with_form(
        Form {
            number: "+14255559999".into(),
            ..form()
        },
        timing(),
    );
    let effects = wizard.update(Input::Submit);
    let checked = InstanceCheck {
        number: Some(lookup(None, None)),
        ..check(None)
    };
    assert!(answer(&mut wizard, &effects, Outcome::InstanceChecked(checked)).is_empty());
    assert!(rejection(&wizard).contains("+14255559999 is not in this tenant's number inventory"));
}

#[test]
fn number_held_by_existing_instance_passes_the_check() {
    let mut wizard = Wizard::with_form(
        Form {
            number: "+14255550150".into(),
            ..form()
        },
        timing(),
    );
    let effects = wizard.update(Input::Submit);
    let mut held = voice_number("+14255550150", NumberType::CallingPlan);
    held.assignment_status = Some(AssignmentStatus::VoiceApplicationAssigned);
    held.assignment_target_id = Some(OBJECT_ID.to_uppercase());
    let checked = InstanceCheck {
        number: Some(lookup(Some(held), Some("ivr-bot@contoso.com"))),
        ..check(Some(instance(APP_ID)))
    };
    let next = answer(&mut wizard, &effects, Outcome::InstanceChecked(checked));
    assert!(matches!(next[0].1, Effect::SyncInstance { .. }));
}

#[test]
fn extension_goes_with_direct_routing_number() {
    let mut wizard = at_number_step();
    wizard.facts.numbers.free[0].number_type = Some(NumberType::DirectRouting);
    wizard.update(Input::Edit(Field::Number, "+14255550150;ext=12".into()));
    let effects = wizard.update(Input::Submit);
    let Effect::LookupNumber(number) = &effects[0].1 else {
        panic!("expected a lookup, got {effects:?}");
    };
    assert_eq!(number.extension(), Some("12"));
    let record = wizard.facts.numbers.free[0].clone();
    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::NumberLookedUp(lookup(Some(record), None)),
    );
    let Effect::AssignNumber { request, .. } = &effects[0].1 else {
        panic!("expected an assignment, got {effects:?}");
    };
    assert_eq!(request.telephone_number, "+14255550150;ext=12");
}

#[test]
fn extension_on_calling_plan_is_refused() {
    let mut wizard = at_number_step();
    wizard.update(Input::Edit(Field::Number, "+14255550150;ext=12".into()));
    let effects = wizard.update(Input::Submit);
    let record = wizard.facts.numbers.free[0].clone();
    assert!(answer(
        &mut wizard,
        &effects,
        Outcome::NumberLookedUp(lookup(Some(record), None))
    )
    .is_empty());
    assert!(rejection(&wizard).contains("only Direct Routing numbers take an extension"));
}

#[test]
fn other_held_number_is_not_replaced() {
    let mut wizard = Wizard::with_form(
        Form {
            number: "+14255550151".into(),
            ..form()
        },
        timing(),
    );
    let effects = wizard.update(Input::Submit);
    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::InstanceChecked(check(Some(instance(APP_ID)))),
    );
    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::Synced(SyncOutcome::AlreadyMapped),
    );
    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::LicenseContext(license_context(LicenseState::Active, Some(sku(25, 3)))),
    );
    let mut held = voice_number("+14255550150", NumberType::CallingPlan);
    held.assignment_target_id = Some(OBJECT_ID.into());
    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::NumbersLoaded(NumberChoices {
            free: vec![],
            held: Some(held),
        }),
    );
    assert!(effects.is_empty());
    let error = rejection(&wizard);
    assert!(error.contains("already holds +14255550150"), "{error}");
    assert!(error.contains("does not assign +14255550151"), "{error}");
}

#[test]
fn new_usage_location_is_applied_to_licensed_account() {
    let mut wizard = Wizard::with_form(
        Form {
            usage_location: "GB".into(),
            ..form()
        },
        timing(),
    );
    let effects = wizard.update(Input::Submit);
    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::InstanceChecked(check(Some(instance(APP_ID)))),
    );
    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::Synced(SyncOutcome::AlreadyMapped),
    );
    let context = LicenseContext {
        usage_location: Some("US".into()),
        ..license_context(LicenseState::Active, Some(sku(25, 3)))
    };
    assert!(answer(&mut wizard, &effects, Outcome::LicenseContext(context)).is_empty());
    assert_eq!(wizard.step, Step::License);
    let effects = wizard.update(Input::Submit);
    assert!(matches!(effects[0].1, Effect::SetUsageLocation { .. }));
    let effects = answer(&mut wizard, &effects, Outcome::UsageLocationSet);
    assert!(
        matches!(effects[0].1, Effect::LoadNumbers { .. }),
        "no second license"
    );
}

#[test]
fn no_seat_stops_new_account_before_creating() {
    let mut wizard = Wizard::with_form(form(), timing());
    let effects = wizard.update(Input::Submit);
    let full = InstanceCheck {
        resource_sku: Some(sku(5, 5)),
        ..check(None)
    };
    assert!(answer(&mut wizard, &effects, Outcome::InstanceChecked(full)).is_empty());
    assert!(rejection(&wizard).contains("5 enabled, 5 in use"));
    assert_eq!(wizard.step, Step::Instance);
}

#[test]
fn existing_display_name_is_kept_with_warning() {
    let mut wizard = Wizard::with_form(
        Form {
            display_name: "New Name".into(),
            ..form()
        },
        timing(),
    );
    let effects = wizard.update(Input::Submit);
    answer(
        &mut wizard,
        &effects,
        Outcome::InstanceChecked(check(Some(instance(APP_ID)))),
    );
    assert!(wizard
        .log
        .iter()
        .any(|line| line.contains("existing display name \"IVR Bot\" is kept")));
}

#[test]
fn resubmit_after_leaving_a_wait_reads_number_again() {
    let mut wizard = at_number_step();
    wizard.update(Input::Edit(Field::Number, "+14255550150".into()));
    let effects = wizard.update(Input::Submit);
    answer(&mut wizard, &effects, Outcome::AssignStarted("op".into()));
    wizard.update(Input::Back);
    let effects = wizard.update(Input::Submit);
    assert!(
        matches!(effects[0].1, Effect::LookupNumber(_)),
        "{effects:?}"
    );
    let mut mine = voice_number("+14255550150", NumberType::CallingPlan);
    mine.assignment_status = Some(AssignmentStatus::VoiceApplicationAssigned);
    mine.assignment_target_id = Some(OBJECT_ID.into());
    mine.activation_state = Some(ActivationState::AssignmentPending);
    let effects = answer(
        &mut wizard,
        &effects,
        Outcome::NumberLookedUp(lookup(Some(mine), None)),
    );
    assert!(
        matches!(effects[0].1, Effect::ConfirmNumber { .. }),
        "{effects:?}"
    );
}
mod manual;
