//! The wizard screen rendered through `TestBackend` in each phase, driven by keys and by
//! wizard outcomes the way the API task delivers them.

mod tui_support;

use botline::wizard::{Effect, Field, Outcome, Phase, Step};
use botline::worker::Request;
use crossterm::event::KeyCode;
use tui_support::*;

const WIDTH: u16 = 120;
const HEIGHT: u16 = 36;

#[test]
fn form_shows_fields_and_focus() {
    let mut app = app(false);
    press_char(&mut app, 'n');
    type_text(&mut app, "ivr-bot@contoso.com");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "12");
    let buffer = render(&app, WIDTH, HEIGHT);
    let upn = row_with(&buffer, "User principal name");
    assert!(upn.contains("ivr-bot@contoso.com"), "{upn}");
    assert!(!upn.contains('▶'), "{upn}");
    let app_id = row_with(&buffer, "Bot application id");
    assert!(app_id.contains("▶ Bot application id"), "{app_id}");
    assert!(app_id.contains("12▏"), "{app_id}");
    assert!(row_with(&buffer, "Display name").contains("Display name"));
}

#[test]
fn backspace_and_clear_edit_the_focused_field() {
    let mut app = app(false);
    press_char(&mut app, 'n');
    type_text(&mut app, "abc");
    press(&mut app, KeyCode::Backspace);
    let buffer = render(&app, WIDTH, HEIGHT);
    assert!(row_with(&buffer, "User principal name").contains("ab▏"));
    press_ctrl(&mut app, 'u');
    let buffer = render(&app, WIDTH, HEIGHT);
    assert!(!row_with(&buffer, "User principal name").contains("ab"));
}

#[test]
fn bad_input_shows_the_value_and_the_fix() {
    let mut app = app(false);
    press_char(&mut app, 'n');
    type_text(&mut app, "ivr-bot@contoso.com");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "1234");
    press(&mut app, KeyCode::Enter);
    assert!(
        app.take_commands().is_empty(),
        "nothing is sent for bad input"
    );
    let screen = text(&render(&app, WIDTH, HEIGHT));
    assert!(
        screen.contains("✘ invalid application id \"1234\""),
        "{screen}"
    );
    assert!(screen.contains("GUID"), "{screen}");
}

#[test]
fn submit_sends_the_check_and_shows_progress() {
    let mut app = wizard_checking(false);
    let commands = app.take_commands();
    assert_eq!(commands.len(), 1);
    let Request::Wizard(_, Effect::CheckInstance { upn, app_id, .. }) = &commands[0].request else {
        panic!("expected the instance check, got {commands:?}");
    };
    assert_eq!(upn.as_str(), "ivr-bot@contoso.com");
    assert_eq!(app_id.to_string(), BOT_APP_ID);
    assert!(app.is_pending(), "the spinner runs while the check is out");
    let screen = text(&render(&app, WIDTH, HEIGHT));
    assert!(
        screen.contains("Checking contoso.com, application 0b5c7a53"),
        "{screen}"
    );
}

#[test]
fn failure_shows_reason_and_retry() {
    let mut app = wizard_failed();
    let screen = text(&render(&app, WIDTH, HEIGHT));
    assert!(
        screen.contains("✘ Checking ivr-bot@contoso.com failed: HTTP 503"),
        "{screen}"
    );
    assert!(screen.contains("req-1"), "{screen}");
    assert!(screen.contains("Press r to retry"), "{screen}");
    press_char(&mut app, 'r');
    let commands = app.take_commands();
    assert!(matches!(
        commands[0].request,
        Request::Wizard(_, Effect::CheckInstance { .. })
    ));
}

#[test]
fn picker_lists_free_numbers_and_filters_by_digits() {
    let mut app = wizard_picking();
    let buffer = render(&app, WIDTH, HEIGHT);
    let row = row_with(&buffer, "+14255550112");
    assert!(row.contains("▶"), "{row}");
    assert!(row.contains("Calling Plan"), "{row}");
    assert!(row.contains("voice app, conf"), "{row}");
    assert!(text(&buffer).contains("Free numbers for voice applications: 1 of 1"));
    assert!(text(&buffer).contains("✔ PHONESYSTEM_VIRTUALUSER is already assigned and active"));

    type_text(&mut app, "999");
    let screen = text(&render(&app, WIDTH, HEIGHT));
    assert!(screen.contains("0 of 1"), "{screen}");
    assert!(!screen.contains("+14255550112"), "{screen}");
}

#[test]
fn enter_assigns_the_picked_number_with_its_type() {
    let mut app = wizard_picking();
    press(&mut app, KeyCode::Enter);
    let commands = app.take_commands();
    let Request::Wizard(_, Effect::AssignNumber { request, .. }) = &commands[0].request else {
        panic!("expected an assignment, got {commands:?}");
    };
    assert_eq!(request.telephone_number, "+14255550112");
    assert_eq!(request.number_type.as_str(), "callingPlan");
}

#[test]
fn summary_names_account_and_number() {
    let mut app = wizard_done();
    let buffer = render(&app, WIDTH, HEIGHT);
    assert!(row_with(&buffer, "Resource account  ").contains("ivr-bot@contoso.com"));
    assert!(row_with(&buffer, "Phone number  ").contains("+14255550112"));
    assert!(row_with(&buffer, "Number type").contains("Calling Plan"));
    assert!(row_with(&buffer, "Activation").contains("activated"));
    assert!(!app.is_pending(), "no spinner once done");
    press(&mut app, KeyCode::Enter);
    assert!(!app.is_wizard_open());
    let reloads = app
        .take_commands()
        .into_iter()
        .filter(|command| matches!(command.request, Request::LoadTenant))
        .count();
    assert_eq!(reloads, 1, "closing after a change reloads the lists");
}

#[test]
fn esc_on_license_step_returns_to_step_one() {
    use botline::client::SyncOutcome;
    use botline::model::LicenseState;
    use botline::wizard::LicenseContext;

    let mut app = wizard_checking(false);
    let instance = serde_json::from_value(serde_json::json!({
        "objectId": "7f3e2d1c-0b9a-4c8d-8e7f-6a5b4c3d2e1f",
        "userPrincipalName": "ivr-bot@contoso.com",
        "applicationId": BOT_APP_ID,
    }))
    .unwrap();
    answer_wizard(
        &mut app,
        Outcome::InstanceChecked(botline::wizard::InstanceCheck {
            verified_domains: vec!["contoso.com".into()],
            app_name: Some("Contoso IVR Bot".into()),
            existing_instance: Some(instance),
            existing_user: None,
            number: None,
            resource_sku: None,
        }),
    );
    answer_wizard(&mut app, Outcome::Synced(SyncOutcome::AlreadyMapped));
    answer_wizard(
        &mut app,
        Outcome::LicenseContext(LicenseContext {
            usage_location: None,
            license_state: LicenseState::Unlicensed,
            sku: None,
        }),
    );
    let screen = text(&render(&app, WIDTH, HEIGHT));
    assert!(screen.contains("[2 License]"), "{screen}");
    assert!(
        screen.contains("none: the tenant has no PHONESYSTEM_VIRTUALUSER"),
        "{screen}"
    );
    press(&mut app, KeyCode::Esc);
    let screen = text(&render(&app, WIDTH, HEIGHT));
    assert!(screen.contains("[1 Resource account]"), "{screen}");
    assert!(app.is_wizard_open());
}

#[test]
fn wizard_state_is_reachable_for_checks() {
    let app = wizard_done();
    let screen = app.wizard_screen().expect("wizard open");
    assert_eq!(screen.wizard().step, Step::Summary);
    assert_eq!(screen.wizard().phase, Phase::Done);
    assert_eq!(screen.wizard().form.get(Field::Number), "+14255550112");
}

#[test]
fn picker_rejects_text_instead_of_assigning() {
    let mut app = wizard_picking();
    type_text(&mut app, "garbage");
    press(&mut app, KeyCode::Enter);
    assert!(
        app.take_commands().is_empty(),
        "no row is assigned for text"
    );
    let screen = text(&render(&app, WIDTH, HEIGHT));
    assert!(
        screen.contains("invalid phone number \"garbage\""),
        "{screen}"
    );
}

#[test]
fn long_error_stays_in_view_on_narrow_screen() {
    let mut app = wizard_picking();
    type_text(&mut app, "garbage");
    press(&mut app, KeyCode::Enter);
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("optionally with ;ext=123"), "{screen}");
}

#[test]
fn picker_keeps_rows_visible_on_short_screen() {
    let app = wizard_picking();
    let buffer = render(&app, 100, 20);
    assert!(row_with(&buffer, "+14255550112").contains('▶'));
}
