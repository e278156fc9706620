//! Shared pieces of the TUI tests: a small tenant built from wire records, key presses, and
//! rendering an app into a `TestBackend` buffer.

#![allow(dead_code)]

use std::collections::HashMap;
use std::time::Duration;

use botline::model::{TenantView, AUTO_ATTENDANT_APP_ID, CALL_QUEUE_APP_ID};
use botline::model::{RESOURCE_ACCOUNT_PLAN_ID, RESOURCE_ACCOUNT_SKU_ID};
use botline::tui::{App, Theme, TuiOptions};
use botline::wire::graph::{NumberAssignment, SubscribedSku, User};
use botline::wire::teams::ApplicationInstance;
use botline::wizard::Timing;
use botline::worker::{ApiEvent, Command, Reply, Request, RequestId};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::Terminal;
use serde_json::json;

/// Application id of the custom bot in the test tenant.
pub const BOT_APP_ID: &str = "0b5c7a53-5c1e-4a8e-9d0f-3e7b2a9c1d44";
/// Object id that a number points at but no loaded account has.
pub const GHOST_ID: &str = "99999999-0000-0000-0000-000000000000";

pub fn options(read_only: bool) -> TuiOptions {
    TuiOptions {
        read_only,
        tenant_label: "contoso.com".to_owned(),
        wizard_timing: Timing {
            first_poll: Duration::from_millis(10),
            max_poll: Duration::from_millis(50),
            max_polls: 3,
        },
    }
}

pub fn app(read_only: bool) -> App {
    App::new(&options(read_only), Theme::colored())
}

fn user(id: &str, upn: &str, location: Option<&str>, license: Option<&str>) -> User {
    let licenses = match license {
        Some(_) => json!([{ "skuId": RESOURCE_ACCOUNT_SKU_ID }]),
        None => json!([]),
    };
    let plans = match license {
        Some(status) => json!([{
            "servicePlanId": RESOURCE_ACCOUNT_PLAN_ID,
            "capabilityStatus": status,
        }]),
        None => json!([]),
    };
    serde_json::from_value(json!({
        "id": id,
        "userPrincipalName": upn,
        "usageLocation": location,
        "accountEnabled": false,
        "assignedLicenses": licenses,
        "assignedPlans": plans,
    }))
    .unwrap()
}

fn instance(id: &str, upn: &str, name: &str, app_id: &str) -> ApplicationInstance {
    serde_json::from_value(json!({
        "objectId": id,
        "userPrincipalName": upn,
        "displayName": name,
        "applicationId": app_id,
    }))
    .unwrap()
}

fn number(value: serde_json::Value) -> NumberAssignment {
    serde_json::from_value(value).unwrap()
}

fn sku(part: &str, sku_id: &str, enabled: i64, consumed: i64) -> SubscribedSku {
    serde_json::from_value(json!({
        "skuId": sku_id,
        "skuPartNumber": part,
        "capabilityStatus": "Enabled",
        "consumedUnits": consumed,
        "prepaidUnits": { "enabled": enabled, "suspended": 0, "warning": 0, "lockedOut": 0 },
    }))
    .unwrap()
}

/// Three instances (one complete, two missing steps), five numbers (one free, one held by
/// an account botline did not load, one malformed) and two SKUs (one with no free seat).
pub fn tenant() -> TenantView {
    let instances = vec![
        instance("id-ivr", "ivr-bot@contoso.com", "IVR bot", BOT_APP_ID),
        instance(
            "id-aa",
            "aa-main@contoso.com",
            "Main auto attendant",
            AUTO_ATTENDANT_APP_ID,
        ),
        instance(
            "id-cq",
            "cq-sales@contoso.com",
            "Sales queue",
            CALL_QUEUE_APP_ID,
        ),
    ];
    let users: HashMap<String, User> = [
        user("id-ivr", "ivr-bot@contoso.com", Some("US"), Some("Enabled")),
        user(
            "id-aa",
            "aa-main@contoso.com",
            Some("GB"),
            Some("PendingProvisioning"),
        ),
        user("id-cq", "cq-sales@contoso.com", None, None),
    ]
    .into_iter()
    .map(|user| (user.id.clone(), user))
    .collect();
    let numbers = vec![
        number(json!({
            "telephoneNumber": "+14255550100",
            "numberType": "callingPlan",
            "activationState": "activated",
            "assignmentStatus": "voiceApplicationAssigned",
            "assignmentTargetId": "id-ivr",
            "capabilities": ["voiceApplicationAssignment"],
            "isoCountryCode": "US",
        })),
        number(json!({
            "telephoneNumber": "+14255550101",
            "numberType": "directRouting",
            "activationState": "assignmentPending",
            "assignmentStatus": "voiceApplicationAssigned",
            "assignmentTargetId": "id-cq",
            "capabilities": ["voiceApplicationAssignment"],
            "isoCountryCode": "US",
        })),
        number(json!({
            "telephoneNumber": "+14255550102",
            "numberType": "operatorConnect",
            "activationState": "activated",
            "assignmentStatus": "unassigned",
            "capabilities": ["voiceApplicationAssignment", "conferenceAssignment", "userAssignment"],
            "isoCountryCode": "US",
        })),
        number(json!({
            "telephoneNumber": "+14255550103",
            "numberType": "callingPlan",
            "activationState": "activated",
            "assignmentStatus": "userAssigned",
            "assignmentTargetId": GHOST_ID,
            "capabilities": ["userAssignment"],
            "isoCountryCode": "US",
        })),
        number(json!({
            "telephoneNumber": "12345",
            "numberType": "directRouting",
            "activationState": "activated",
            "assignmentStatus": "unassigned",
            "capabilities": [],
            "isoCountryCode": "DE",
        })),
    ];
    let skus = vec![
        sku("PHONESYSTEM_VIRTUALUSER", RESOURCE_ACCOUNT_SKU_ID, 5, 2),
        sku("MCOEV", "e43b5b99-8dfb-405f-9987-dc307f34bcbd", 10, 10),
    ];
    TenantView::build(instances, &users, numbers, &skus)
}

pub fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

pub fn press(app: &mut App, code: KeyCode) {
    app.on_key(key(code));
}

pub fn press_char(app: &mut App, c: char) {
    press(app, KeyCode::Char(c));
}

pub fn press_ctrl(app: &mut App, c: char) {
    app.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

pub fn release(app: &mut App, code: KeyCode) {
    let mut event = key(code);
    event.kind = KeyEventKind::Release;
    app.on_key(event);
}

pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press_char(app, c);
    }
}

/// Returns the id of the one tenant load the app queued.
pub fn take_load_id(app: &mut App) -> RequestId {
    let commands: Vec<Command> = app.take_commands();
    let loads: Vec<RequestId> = commands
        .iter()
        .filter(|command| matches!(command.request, Request::LoadTenant))
        .map(|command| command.id)
        .collect();
    assert_eq!(loads.len(), 1, "expected one tenant load in {commands:?}");
    loads[0]
}

pub fn reply(app: &mut App, id: RequestId, reply: Reply) {
    app.on_api_event(ApiEvent { id, reply });
}

/// Starts a load and replies to it with `view`.
pub fn load(app: &mut App, view: TenantView) {
    app.reload();
    let id = take_load_id(app);
    reply(app, id, Reply::Tenant(Ok(view)));
}

/// Code the tests' sign-in screen shows.
pub const USER_CODE: &str = "QWERTY123";

/// Feeds the notice of a device-code sign-in that waits for the admin, as the API task
/// forwards it while a request needs a sign-in.
pub fn start_sign_in(app: &mut App) {
    let prompt = botline::client::DeviceCodePrompt {
        user_code: USER_CODE.to_owned(),
        verification_uri: "https://microsoft.com/devicelogin".to_owned(),
        expires_at: std::time::Instant::now() + Duration::from_secs(900),
        lifetime: Duration::from_secs(900),
    };
    let notice = botline::client::SignInNotice::CodeIssued(prompt);
    reply(app, RequestId::UNSOLICITED, Reply::SignIn(notice));
}

pub fn render(app: &App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| app.render(frame)).unwrap();
    terminal.backend().buffer().clone()
}

/// Returns the buffer's rows as strings, without trailing spaces.
pub fn lines(buffer: &Buffer) -> Vec<String> {
    let area = buffer.area;
    (area.top()..area.bottom())
        .map(|y| {
            let row: String = (area.left()..area.right())
                .map(|x| buffer[(x, y)].symbol())
                .collect();
            row.trim_end().to_owned()
        })
        .collect()
}

pub fn text(buffer: &Buffer) -> String {
    lines(buffer).join("\n")
}

/// Returns the row that contains `needle`, failing with the whole screen when none does.
pub fn row_with(buffer: &Buffer, needle: &str) -> String {
    let rows = lines(buffer);
    rows.iter()
        .find(|row| row.contains(needle))
        .cloned()
        .unwrap_or_else(|| panic!("no row contains {needle:?}:\n{}", rows.join("\n")))
}

/// Returns the y of the row that contains `needle`.
pub fn row_index(buffer: &Buffer, needle: &str) -> u16 {
    let rows = lines(buffer);
    let index = rows
        .iter()
        .position(|row| row.contains(needle))
        .unwrap_or_else(|| panic!("no row contains {needle:?}:\n{}", rows.join("\n")));
    index as u16
}

/// The one wizard command the app queued, as (request id, ticket).
pub fn take_wizard_request(app: &mut App) -> (RequestId, botline::wizard::Ticket) {
    let commands: Vec<Command> = app.take_commands();
    let wizard: Vec<(RequestId, botline::wizard::Ticket)> = commands
        .iter()
        .filter_map(|command| match &command.request {
            Request::Wizard(ticket, _) => Some((command.id, *ticket)),
            _ => None,
        })
        .collect();
    assert_eq!(
        wizard.len(),
        1,
        "expected one wizard command in {commands:?}"
    );
    wizard[0]
}

/// Answers the wizard's one pending command with `outcome`.
pub fn answer_wizard(app: &mut App, outcome: botline::wizard::Outcome) {
    let (id, ticket) = take_wizard_request(app);
    reply(app, id, Reply::Wizard(ticket, outcome));
}

/// A free Calling Plan service number that allows voice applications.
pub fn free_voice_number() -> NumberAssignment {
    serde_json::from_value(json!({
        "telephoneNumber": "+14255550112",
        "numberType": "callingPlan",
        "activationState": "activated",
        "assignmentStatus": "unassigned",
        "capabilities": ["voiceApplicationAssignment", "conferenceAssignment"],
        "isoCountryCode": "US",
        "city": "Redmond",
    }))
    .unwrap()
}

/// Opens the wizard, fills step 1 for the test bot, and submits it.
pub fn wizard_checking(read_only: bool) -> App {
    let mut app = app(read_only);
    press_char(&mut app, 'n');
    type_text(&mut app, "ivr-bot@contoso.com");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, BOT_APP_ID);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "IVR Bot");
    press(&mut app, KeyCode::Enter);
    app
}

/// Drives the wizard to step 3's picker for an account that exists and is licensed.
pub fn wizard_picking() -> App {
    use botline::client::SyncOutcome;
    use botline::model::{LicenseState, SkuRow};
    use botline::wizard::{InstanceCheck, LicenseContext, NumberChoices, Outcome};

    let mut app = wizard_checking(false);
    let instance: ApplicationInstance = serde_json::from_value(json!({
        "objectId": "7f3e2d1c-0b9a-4c8d-8e7f-6a5b4c3d2e1f",
        "userPrincipalName": "ivr-bot@contoso.com",
        "applicationId": BOT_APP_ID,
    }))
    .unwrap();
    answer_wizard(
        &mut app,
        Outcome::InstanceChecked(InstanceCheck {
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
            usage_location: Some("US".into()),
            license_state: LicenseState::Active,
            sku: Some(SkuRow {
                sku_id: RESOURCE_ACCOUNT_SKU_ID.into(),
                sku_part_number: "PHONESYSTEM_VIRTUALUSER".into(),
                enabled: 25,
                consumed: 6,
                available: 19,
            }),
        }),
    );
    answer_wizard(
        &mut app,
        Outcome::NumbersLoaded(NumberChoices {
            free: vec![free_voice_number()],
            held: None,
        }),
    );
    app
}

/// Drives the wizard to its summary.
pub fn wizard_done() -> App {
    use botline::model::{ActivationState, OperationStatus};
    use botline::wire::graph::NumberOperation;
    use botline::wizard::Outcome;

    let mut app = wizard_picking();
    press(&mut app, KeyCode::Enter);
    answer_wizard(&mut app, Outcome::AssignStarted("op".into()));
    let operation = NumberOperation {
        id: "op".into(),
        created_date_time: None,
        status: OperationStatus::Succeeded,
        numbers: vec![],
    };
    answer_wizard(&mut app, Outcome::OperationPolled(operation));
    let mut active = free_voice_number();
    active.activation_state = Some(ActivationState::Activated);
    active.assignment_target_id = Some("7f3e2d1c-0b9a-4c8d-8e7f-6a5b4c3d2e1f".into());
    answer_wizard(&mut app, Outcome::NumberConfirmed(Some(active)));
    app
}

/// Drives the wizard to a failed step 1.
pub fn wizard_failed() -> App {
    let mut app = wizard_checking(false);
    answer_wizard(
        &mut app,
        botline::wizard::Outcome::Failed(botline::client::ApiError::Status {
            status: 503,
            code: None,
            message: "the service is unavailable".into(),
            request_id: Some("req-1".into()),
        }),
    );
    app
}

/// Returns the one management command the app queued, as (request id, ticket, effect).
pub fn take_manage_request(
    app: &mut App,
) -> (RequestId, botline::wizard::Ticket, botline::manage::Effect) {
    let commands: Vec<Command> = app.take_commands();
    let manage: Vec<_> = commands
        .iter()
        .filter_map(|command| match &command.request {
            Request::Manage(ticket, effect) => Some((command.id, *ticket, effect.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        manage.len(),
        1,
        "expected one management command in {commands:?}"
    );
    manage.into_iter().next().unwrap()
}

/// Replies to the running change's one pending command with `outcome`.
pub fn answer_manage(app: &mut App, outcome: botline::manage::Outcome) {
    let (id, ticket, _) = take_manage_request(app);
    reply(app, id, Reply::Manage(ticket, outcome));
}

/// Returns a loaded app with the instance whose UPN contains `upn` selected.
pub fn select_instance(read_only: bool, upn: &str) -> App {
    let mut app = app(read_only);
    load(&mut app, tenant());
    select_row(&mut app, upn);
    app
}

/// Moves the selection down until the selected row of the current screen contains `needle`.
pub fn select_row(app: &mut App, needle: &str) {
    press_char(app, 'g');
    for _ in 0..100 {
        let buffer = render(app, 160, 40);
        let found = lines(&buffer)
            .iter()
            .any(|row| row.contains(needle) && (row.starts_with("│▶") || row.starts_with("│>")));
        if found {
            return;
        }
        press(app, KeyCode::Down);
    }
    panic!("no row contains {needle:?}");
}
