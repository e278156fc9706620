//! The management screens through `TestBackend`, with the API task's replies fed by hand:
//! sorting, the checklist, confirmation dialogs, pickers, text inputs, the progress of a
//! change, the Numbers filters, the Licenses pane and `--read-only`.

mod tui_support;

use botline::manage::{Effect, Outcome};
use botline::model::{ActivationState, AssignmentStatus, NumberType, OperationStatus};
use botline::tui::dialogs::Dialog;
use botline::tui::keys::Context;
use botline::tui::App;
use botline::wire::graph::{LicenseDetails, NumberAssignment, NumberOperation, ServicePlanInfo};
use botline::worker::{Reply, Request};
use crossterm::event::KeyCode;
use tui_support::*;

const WIDTH: u16 = 160;
const HEIGHT: u16 = 40;

fn screen(app: &App) -> String {
    text(&render(app, WIDTH, HEIGHT))
}

fn footer(app: &App) -> String {
    lines(&render(app, WIDTH, HEIGHT)).last().cloned().unwrap()
}

/// Returns the UPNs of the instance rows in the order drawn.
fn upn_order(app: &App) -> Vec<String> {
    lines(&render(app, WIDTH, HEIGHT))
        .iter()
        .filter_map(|row| {
            row.split_whitespace()
                .find(|word| word.ends_with("@contoso.com"))
                .map(str::to_owned)
        })
        .collect()
}

fn status_text(app: &App) -> String {
    app.status()
        .map(|status| status.text.clone())
        .unwrap_or_default()
}

#[test]
fn sort_cycles_columns_and_reverses() {
    let mut app = app(false);
    load(&mut app, tenant());
    let first = screen(&app);
    assert!(first.contains("sorted by UPN ↑"), "{first}");
    assert!(row_with(&render(&app, WIDTH, HEIGHT), "Display name").contains("UPN ↑"));
    assert_eq!(
        upn_order(&app),
        [
            "aa-main@contoso.com",
            "cq-sales@contoso.com",
            "ivr-bot@contoso.com"
        ]
    );

    press_char(&mut app, 'S');
    assert!(screen(&app).contains("sorted by UPN ↓"));
    assert_eq!(
        upn_order(&app),
        [
            "ivr-bot@contoso.com",
            "cq-sales@contoso.com",
            "aa-main@contoso.com"
        ]
    );

    // s goes on to the next column and sorts it ascending: license, unlicensed first.
    for _ in 0..3 {
        press_char(&mut app, 's');
    }
    let sorted = render(&app, WIDTH, HEIGHT);
    assert!(text(&sorted).contains("sorted by license ↑"));
    assert!(row_with(&sorted, "Display name").contains("License ↑"));
    assert_eq!(
        upn_order(&app),
        [
            "cq-sales@contoso.com",
            "aa-main@contoso.com",
            "ivr-bot@contoso.com"
        ]
    );

    // Health comes after the last column and puts the worst instance first.
    for _ in 0..4 {
        press_char(&mut app, 's');
    }
    assert!(screen(&app).contains("sorted by health ↑"));
    assert_eq!(upn_order(&app)[0], "cq-sales@contoso.com");
    assert_eq!(upn_order(&app)[2], "ivr-bot@contoso.com");
}

#[test]
fn sort_keeps_selected_instance() {
    let mut app = select_instance(false, "ivr-bot@");
    press_char(&mut app, 'S');
    let buffer = render(&app, WIDTH, HEIGHT);
    assert!(row_with(&buffer, "ivr-bot@").starts_with("│▶"));
    press(&mut app, KeyCode::Enter);
    assert!(screen(&app).contains("Object id         id-ivr"));
}

#[test]
fn read_only_checklist_names_no_write_keys() {
    let mut app = select_instance(true, "cq-sales@");
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    assert!(text.contains("✗ License assigned"), "{text}");
    assert!(
        text.contains("Fix: start botline without --read-only to fix this here."),
        "{text}"
    );
    assert!(!text.contains("press c"), "{text}");
}

#[test]
fn unassign_asks_naming_upn_and_number() {
    let mut app = select_instance(false, "ivr-bot@");
    assert!(footer(&app).contains("u unassign"));
    press_char(&mut app, 'u');
    assert!(matches!(app.dialog(), Some(Dialog::Confirm(_))));
    assert!(app.take_commands().is_empty(), "nothing runs before y");
    let text = screen(&app);
    assert!(
        text.contains("Unassign +14255550100 from ivr-bot@contoso.com?"),
        "{text}"
    );
    assert!(text.contains("y or Enter: unassign"), "{text}");
    assert_eq!(footer(&app), "y confirm  n cancel");

    press_char(&mut app, 'n');
    assert!(app.dialog().is_none());
    assert!(app.take_commands().is_empty());
    assert_eq!(status_text(&app), "Cancelled; nothing was changed.");

    press_char(&mut app, 'u');
    press(&mut app, KeyCode::Esc);
    assert!(app.dialog().is_none());
    assert!(app.take_commands().is_empty());
}

#[test]
fn confirmed_unassign_runs_and_reports() {
    let mut app = select_instance(false, "ivr-bot@");
    press_char(&mut app, 'u');
    press(&mut app, KeyCode::Enter);
    let (id, ticket, effect) = take_manage_request(&mut app);
    let Effect::UnassignNumber(request) = effect else {
        panic!("expected an unassignment, got {effect:?}");
    };
    assert_eq!(request.telephone_number, "+14255550100");
    assert_eq!(request.number_type, NumberType::CallingPlan);
    assert!(app.is_pending());
    assert!(app.contexts().contains(&Context::OperationBusy));
    let busy = screen(&app);
    assert!(
        busy.contains("Unassigning +14255550100 from ivr-bot@contoso.com…"),
        "{busy}"
    );
    assert_eq!(footer(&app), "Esc stop waiting");

    reply(
        &mut app,
        id,
        Reply::Manage(ticket, Outcome::Started("ops/1".into())),
    );
    let waiting = screen(&app);
    assert!(
        waiting.contains("Teams is unassigning +14255550100… (check 1 of 3)"),
        "{waiting}"
    );
    answer_manage(
        &mut app,
        Outcome::OperationPolled(NumberOperation {
            id: "op".into(),
            created_date_time: None,
            status: OperationStatus::Succeeded,
            numbers: vec![],
        }),
    );
    let free = NumberAssignment {
        telephone_number: "+14255550100".into(),
        assignment_status: Some(AssignmentStatus::Unassigned),
        activation_state: Some(ActivationState::Activated),
        ..NumberAssignment::default()
    };
    answer_manage(&mut app, Outcome::NumberRead(Some(free)));
    let done = screen(&app);
    assert!(done.contains("✓ Teams unassigned +14255550100"), "{done}");
    assert!(
        done.contains("✓ Unassigned +14255550100 from ivr-bot@contoso.com; the number is free."),
        "{done}"
    );
    assert_eq!(footer(&app), "Enter close");
    assert!(!app.is_pending());

    press(&mut app, KeyCode::Enter);
    assert!(app.dialog().is_none());
    take_load_id(&mut app);
    assert!(status_text(&app).starts_with("Unassigned +14255550100"));
}

#[test]
fn stop_waiting_drops_late_reply() {
    let mut app = select_instance(false, "ivr-bot@");
    press_char(&mut app, 'u');
    press_char(&mut app, 'y');
    let (id, ticket, _) = take_manage_request(&mut app);
    press(&mut app, KeyCode::Esc);
    assert!(app.contexts().contains(&Context::OperationDone));
    assert!(screen(&app).contains("Stopped waiting."));
    reply(
        &mut app,
        id,
        Reply::Manage(ticket, Outcome::Started("ops/1".into())),
    );
    assert!(
        app.take_commands().is_empty(),
        "the late reply starts nothing"
    );

    press(&mut app, KeyCode::Esc);
    assert!(app.dialog().is_none());
    assert!(
        app.take_commands().is_empty(),
        "nothing changed, so no reload"
    );
}

#[test]
fn license_removal_rejected_while_number_held() {
    let mut app = select_instance(false, "ivr-bot@");
    press_char(&mut app, 'x');
    assert!(app.dialog().is_none());
    let status = status_text(&app);
    assert!(status.contains("still holds +14255550100"), "{status}");
    assert!(status.contains("Unassign the number first"), "{status}");
    assert!(app.status().unwrap().is_error);
    let text = screen(&app);
    assert!(text.contains("Unassign the number first"), "{text}");
}

#[test]
fn license_removal_confirms_for_unnumbered_instance() {
    let mut app = select_instance(false, "aa-main@");
    press_char(&mut app, 'x');
    let text = screen(&app);
    assert!(
        text.contains("Remove PHONESYSTEM_VIRTUALUSER from aa-main@contoso.com?"),
        "{text}"
    );
    press_char(&mut app, 'y');
    let (_, _, effect) = take_manage_request(&mut app);
    assert_eq!(
        effect,
        Effect::RemoveLicense {
            object_id: "id-aa".into(),
            sku_id: botline::model::RESOURCE_ACCOUNT_SKU_ID.into(),
        }
    );
}

#[test]
fn change_number_picks_then_confirms() {
    let mut app = select_instance(false, "ivr-bot@");
    press_char(&mut app, 'm');
    assert!(
        matches!(app.dialog(), Some(Dialog::Picker(_))),
        "{}",
        status_text(&app)
    );
    let text = screen(&app);
    assert!(
        text.contains("New number for ivr-bot@contoso.com (1 of 1)"),
        "{text}"
    );
    assert!(
        text.contains("+14255550102     Operator Connect US"),
        "{text}"
    );
    assert!(
        !text.contains("▶ +14255550103"),
        "user numbers are not offered"
    );

    type_text(&mut app, "nothing");
    assert!(screen(&app).contains("Nothing matches"));
    press_ctrl(&mut app, 'u');
    press(&mut app, KeyCode::Enter);
    let question = screen(&app);
    assert!(
        question.contains(
            "Change the number of ivr-bot@contoso.com from +14255550100 to +14255550102?"
        ),
        "{question}"
    );
    assert!(question.contains("puts it back"), "{question}");
    press_char(&mut app, 'y');
    let (_, _, effect) = take_manage_request(&mut app);
    let Effect::UnassignNumber(request) = effect else {
        panic!("a change starts by unassigning the old number, got {effect:?}");
    };
    assert_eq!(request.telephone_number, "+14255550100");
}

#[test]
fn continue_setup_opens_prefilled_wizard() {
    let mut app = select_instance(false, "aa-main@");
    assert!(footer(&app).contains("c continue setup"));
    press_char(&mut app, 'c');
    let wizard = app.wizard_screen().expect("the wizard opens");
    assert_eq!(wizard.wizard().form.upn, "aa-main@contoso.com");
    assert_eq!(wizard.wizard().form.usage_location, "GB");
    assert_eq!(wizard.title(), "Continue setup");
    let commands = app.take_commands();
    assert_eq!(commands.len(), 1, "{commands:?}");
    let Request::Wizard(_, botline::wizard::Effect::CheckInstance { upn, app_id, .. }) =
        &commands[0].request
    else {
        panic!("step 1 runs at once, got {commands:?}");
    };
    assert_eq!(upn.as_str(), "aa-main@contoso.com");
    assert_eq!(app_id.to_string(), botline::model::AUTO_ATTENDANT_APP_ID);
}

#[test]
fn complete_instance_has_no_continue_key() {
    let mut app = select_instance(false, "ivr-bot@");
    assert!(!footer(&app).contains("continue setup"));
    press_char(&mut app, 'c');
    assert!(app.wizard_screen().is_none());
}

#[test]
fn numbers_filters_show_in_title() {
    let mut app = app(false);
    load(&mut app, tenant());
    press_char(&mut app, '3');
    let first = screen(&app);
    assert!(
        first.contains(
            "Numbers (5) · filter: t type, c capability, v activation, f free/held, p prefix"
        ),
        "{first}"
    );

    press_char(&mut app, 't');
    let calling = render(&app, WIDTH, HEIGHT);
    assert!(text_contains(
        &calling,
        "Numbers (2 of 5) · type Calling Plan (Esc clears)"
    ));
    assert!(
        !text(&calling).contains("+14255550101"),
        "Direct Routing is hidden"
    );

    press_char(&mut app, 'f');
    let free = screen(&app);
    assert!(free.contains("type Calling Plan · free"), "{free}");
    assert!(
        free.contains("No rows match the filters. Press Esc to clear them."),
        "{free}"
    );

    press_char(&mut app, 'f');
    press_char(&mut app, 'c');
    let held = screen(&app);
    assert!(
        held.contains("Numbers (1 of 5) · type Calling Plan · capability voice app · held"),
        "{held}"
    );

    press_char(&mut app, 'v');
    assert!(screen(&app).contains("· activated · held"));
    assert!(app.contexts().contains(&Context::FilterApplied));
    press(&mut app, KeyCode::Esc);
    assert!(screen(&app).contains("Numbers (5) · filter:"));
    assert!(!app.should_quit());
}

fn text_contains(buffer: &ratatui::buffer::Buffer, needle: &str) -> bool {
    let found = text(buffer).contains(needle);
    if !found {
        eprintln!("{}", text(buffer));
    }
    found
}

#[test]
fn prefix_filter_is_typed() {
    let mut app = app(false);
    load(&mut app, tenant());
    press_char(&mut app, '3');
    press_char(&mut app, 'p');
    assert!(app.contexts().contains(&Context::Input));
    type_text(&mut app, "1425 555 0100");
    press(&mut app, KeyCode::Enter);
    assert!(app.dialog().is_none());
    let text = screen(&app);
    assert!(
        text.contains("Numbers (1 of 5) · prefix +14255550100"),
        "{text}"
    );

    press_char(&mut app, 'p');
    press_ctrl(&mut app, 'u');
    type_text(&mut app, "+1x");
    press(&mut app, KeyCode::Enter);
    let rejected = screen(&app);
    assert!(rejected.contains("invalid prefix \"+1x\""), "{rejected}");
    assert!(matches!(app.dialog(), Some(Dialog::Input(_))));
    press(&mut app, KeyCode::Esc);
    assert!(
        screen(&app).contains("prefix +14255550100"),
        "the old prefix stays"
    );
}

#[test]
fn emergency_location_checks_then_updates() {
    let mut app = app(false);
    load(&mut app, tenant());
    press_char(&mut app, '3');
    select_row(&mut app, "+14255550102");
    assert!(footer(&app).contains("a assign"));
    assert!(footer(&app).contains("l location"));
    press_char(&mut app, 'l');
    type_text(&mut app, "hq");
    press(&mut app, KeyCode::Enter);
    let rejected = screen(&app);
    assert!(
        rejected.contains("invalid emergency location id \"hq\""),
        "{rejected}"
    );
    assert!(app.take_commands().is_empty());

    press_ctrl(&mut app, 'u');
    type_text(&mut app, "3f1e2d4c-5b6a-4789-8c0d-1e2f3a4b5c6d");
    press(&mut app, KeyCode::Enter);
    let (_, _, effect) = take_manage_request(&mut app);
    let Effect::UpdateNumber(request) = effect else {
        panic!("expected updateNumber, got {effect:?}");
    };
    assert_eq!(request.telephone_number, "+14255550102");
    assert_eq!(
        request.location_id.as_deref(),
        Some("3f1e2d4c-5b6a-4789-8c0d-1e2f3a4b5c6d")
    );
}

#[test]
fn assign_picker_explains_rejection() {
    let mut app = app(false);
    load(&mut app, tenant());
    press_char(&mut app, '3');
    select_row(&mut app, "+14255550102");
    press_char(&mut app, 'a');
    let text = screen(&app);
    assert!(text.contains("Assign +14255550102 to (3 of 3)"), "{text}");
    type_text(&mut app, "aa-main");
    press(&mut app, KeyCode::Enter);
    let rejected_pick = screen(&app);
    assert!(
        rejected_pick.contains("The license of aa-main@contoso.com is still provisioning"),
        "{rejected_pick}"
    );
    assert!(matches!(app.dialog(), Some(Dialog::Picker(_))));
    assert!(app.take_commands().is_empty());
}

#[test]
fn held_number_offers_unassign_naming_holder() {
    let mut app = app(false);
    load(&mut app, tenant());
    press_char(&mut app, '3');
    select_row(&mut app, "+14255550103");
    assert!(footer(&app).contains("u unassign"));
    assert!(!footer(&app).contains("a assign"));
    press_char(&mut app, 'u');
    let text = screen(&app);
    assert!(
        text.contains(&format!(
            "Unassign +14255550103 from unknown account {GHOST_ID}?"
        )),
        "{text}"
    );
}

#[test]
fn read_only_hides_and_ignores_changes() {
    let mut app = select_instance(true, "ivr-bot@");
    let hints = footer(&app);
    for hidden in ["unassign", "change number", "remove license", "new bot"] {
        assert!(!hints.contains(hidden), "{hidden} in {hints}");
    }
    for key in ['u', 'm', 'x', 'c'] {
        press_char(&mut app, key);
        assert!(app.dialog().is_none(), "{key} opened a dialog");
        assert!(app.wizard_screen().is_none());
    }
    press_char(&mut app, '3');
    select_row(&mut app, "+14255550102");
    assert!(!footer(&app).contains("assign"));
    press_char(&mut app, 'a');
    press_char(&mut app, 'l');
    assert!(app.dialog().is_none());
    press_char(&mut app, 't');
    assert!(
        screen(&app).contains("type Calling Plan"),
        "filters still work"
    );
    press_char(&mut app, 'p');
    assert!(matches!(app.dialog(), Some(Dialog::Input(_))));
    assert!(app.take_commands().is_empty());
}

fn resource_license(status: &str) -> LicenseDetails {
    LicenseDetails {
        id: None,
        sku_id: botline::model::RESOURCE_ACCOUNT_SKU_ID.into(),
        sku_part_number: "PHONESYSTEM_VIRTUALUSER".into(),
        service_plans: vec![ServicePlanInfo {
            service_plan_id: botline::model::RESOURCE_ACCOUNT_PLAN_ID.into(),
            service_plan_name: "MCOEV_VIRTUALUSER".into(),
            provisioning_status: Some(status.into()),
            applies_to: Some("User".into()),
        }],
    }
}

#[test]
fn licenses_screen_reads_selected_instance() {
    let mut app = app(false);
    load(&mut app, tenant());
    press_char(&mut app, '1');
    select_row(&mut app, "aa-main@");
    press_char(&mut app, '2');
    let commands = app.take_commands();
    let request = commands
        .iter()
        .find(|command| matches!(command.request, Request::LicenseDetails { .. }))
        .unwrap_or_else(|| panic!("no license request in {commands:?}"));
    let Request::LicenseDetails { object_id } = &request.request else {
        unreachable!()
    };
    assert_eq!(object_id, "id-aa");
    assert!(app.is_pending());
    assert!(screen(&app).contains("Loading the licenses of aa-main@contoso.com…"));

    reply(
        &mut app,
        request.id,
        Reply::LicenseDetails {
            object_id: "id-aa".into(),
            result: Ok(vec![resource_license("PendingProvisioning")]),
        },
    );
    let text = screen(&app);
    assert!(text.contains("Licenses of aa-main@contoso.com"), "{text}");
    assert!(
        text.contains("★ PHONESYSTEM_VIRTUALUSER (Teams Phone Resource Account)"),
        "{text}"
    );
    assert!(
        text.contains("! MCOEV_VIRTUALUSER not provisioned (PendingProvisioning)"),
        "{text}"
    );

    // Showing the screen again reads nothing new for the same instance.
    press_char(&mut app, '1');
    press_char(&mut app, '2');
    assert!(app.take_commands().is_empty());
}

#[test]
fn licenses_pane_ignores_stale_reply() {
    let mut app = select_instance(false, "aa-main@");
    press_char(&mut app, '2');
    let old = app.take_commands();
    press_char(&mut app, '1');
    select_row(&mut app, "ivr-bot@");
    press_char(&mut app, '2');
    let new = app.take_commands();
    assert_eq!(new.len(), 1);
    reply(
        &mut app,
        old[0].id,
        Reply::LicenseDetails {
            object_id: "id-aa".into(),
            result: Ok(vec![]),
        },
    );
    assert!(screen(&app).contains("Loading the licenses of ivr-bot@contoso.com…"));
    reply(
        &mut app,
        new[0].id,
        Reply::LicenseDetails {
            object_id: "id-ivr".into(),
            result: Ok(vec![resource_license("Success")]),
        },
    );
    assert!(screen(&app).contains("✓ MCOEV_VIRTUALUSER provisioned (Success)"));
}

#[test]
fn instance_without_license_says_so_on_licenses() {
    let mut app = select_instance(false, "cq-sales@");
    press_char(&mut app, '2');
    let commands = app.take_commands();
    reply(
        &mut app,
        commands[0].id,
        Reply::LicenseDetails {
            object_id: "id-cq".into(),
            result: Ok(vec![]),
        },
    );
    let text = screen(&app);
    assert!(
        text.contains("! cq-sales@contoso.com has no Teams Phone Resource Account license"),
        "{text}"
    );
}
