//! The screens on a live-tenant setup, with the real API task against the emulator over
//! HTTP: the device-code sign-in screen before the tenant loads, and step 1 by hand when
//! botline cannot create the resource account.

mod tui_support;

use std::time::Duration;

use botline::client::{Client, ClientOptions, Credentials};
use botline::emulator::state::{InstanceRecord, UserRecord};
use botline::emulator::{Emulator, Fault, Options, Timing, DEMO_CLIENT_ID, DEMO_TENANT_ID};
use botline::tui::{App, Theme, TuiOptions};
use botline::wizard::{self, Connection, Phase, Step};
use botline::worker::{self, WorkerHandle};
use crossterm::event::KeyCode;
use tui_support::*;

/// Maximum wait for one reply of the API task; the emulator's device-code poll takes 1 s.
const REPLY_WAIT: Duration = Duration::from_secs(20);
/// Object id the tests give the account "created in PowerShell".
const MANUAL_OBJECT_ID: &str = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d";

/// Sends the app's commands to the API task and feeds its replies back until `done` holds.
async fn pump(app: &mut App, worker: &mut WorkerHandle, done: impl Fn(&App) -> bool) {
    loop {
        for command in app.take_commands() {
            worker.commands.send(command).unwrap();
        }
        if done(app) {
            return;
        }
        let event = tokio::time::timeout(REPLY_WAIT, worker.events.recv())
            .await
            .expect("the API task replied in time")
            .expect("the API task is running");
        app.on_api_event(event);
    }
}

async fn emulator() -> Emulator {
    Emulator::start(Options {
        timing: Timing::instant(),
        ..Options::default()
    })
    .await
    .unwrap()
}

fn device_code_client(emulator: &Emulator, folder: &tempfile::TempDir) -> Client {
    Client::with_token_cache(
        emulator.endpoints(),
        Credentials::DeviceCode {
            tenant_id: DEMO_TENANT_ID.to_owned(),
            client_id: DEMO_CLIENT_ID.to_owned(),
        },
        ClientOptions::default(),
        folder.path().join("tokens.json"),
    )
    .unwrap()
}

/// An app whose wizard polls often enough to wait for an account created mid-test.
fn patient_app() -> App {
    let options = TuiOptions {
        read_only: false,
        tenant_label: "contoso.com".to_owned(),
        wizard_timing: wizard::Timing {
            first_poll: Duration::from_millis(20),
            max_poll: Duration::from_millis(100),
            max_polls: 400,
        },
    };
    App::new(&options, Theme::plain())
}

fn loaded(app: &App) -> bool {
    app.tenant().data().is_some() && !app.tenant().is_loading()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_screen_then_tenant_loads() {
    let emulator = emulator().await;
    let folder = tempfile::tempdir().unwrap();
    let mut worker = worker::spawn(device_code_client(&emulator, &folder));
    let mut app = app(false);
    app.reload();
    pump(&mut app, &mut worker, |app| app.sign_in_screen().is_some()).await;

    let prompt = app.sign_in_screen().unwrap().prompt().clone();
    let screen = text(&render(&app, 120, 30));
    assert!(screen.contains(" Sign in "), "{screen}");
    assert!(screen.contains(&prompt.user_code), "{screen}");
    assert!(screen.contains(&prompt.verification_uri), "{screen}");
    assert!(screen.contains("The code expires in 1"), "{screen}");
    assert!(screen.contains("Esc cancel and quit"), "{screen}");
    assert!(app.is_pending(), "the countdown needs the tick");

    // Other keys do nothing while the code is shown.
    press_char(&mut app, 'n');
    press_char(&mut app, '?');
    assert!(!app.is_wizard_open());
    assert!(!app.is_help_open());

    assert!(emulator.approve_device_code(&prompt.user_code).await);
    pump(&mut app, &mut worker, loaded).await;
    assert!(app.sign_in_screen().is_none());
    let screen = text(&render(&app, 140, 30));
    assert!(screen.contains("helpdesk-bot@contoso.com"), "{screen}");
    assert!(!screen.contains(&prompt.user_code), "{screen}");
    assert!(folder.path().join("tokens.json").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esc_and_q_cancel_sign_in() {
    let emulator = emulator().await;
    let folder = tempfile::tempdir().unwrap();
    for key in [KeyCode::Esc, KeyCode::Char('q')] {
        let mut worker = worker::spawn(device_code_client(&emulator, &folder));
        let mut app = app(false);
        app.reload();
        pump(&mut app, &mut worker, |app| app.sign_in_screen().is_some()).await;
        press(&mut app, key);
        assert!(app.should_quit(), "{key:?} quits");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn declined_sign_in_shows_failure() {
    let emulator = emulator().await;
    let folder = tempfile::tempdir().unwrap();
    let mut worker = worker::spawn(device_code_client(&emulator, &folder));
    let mut app = app(false);
    app.reload();
    pump(&mut app, &mut worker, |app| app.sign_in_screen().is_some()).await;
    let code = app.sign_in_screen().unwrap().prompt().user_code.clone();
    assert!(emulator.decline_device_code(&code).await);
    pump(&mut app, &mut worker, |app| !app.tenant().is_loading()).await;
    assert!(app.sign_in_screen().is_none());
    let screen = text(&render(&app, 140, 30));
    assert!(screen.contains("declined"), "{screen}");
    assert!(screen.contains("Press r to retry"), "{screen}");
}

/// Adds the new bot's account to the emulated tenant, as the PowerShell commands would.
async fn create_in_powershell(emulator: &Emulator) {
    emulator
        .edit_state(|state| {
            state.users.push(UserRecord {
                id: MANUAL_OBJECT_ID.to_owned(),
                user_principal_name: "ivr-bot@contoso.com".to_owned(),
                display_name: Some("IVR Bot".to_owned()),
                account_enabled: false,
                usage_location: None,
                licenses: Vec::new(),
            });
            state.instances.push(InstanceRecord {
                object_id: MANUAL_OBJECT_ID.to_owned(),
                application_id: Some(BOT_APP_ID.to_owned()),
                visible_at_ms: 0,
            });
        })
        .await;
}

/// Opens the wizard and submits step 1 for the new bot.
fn submit_new_bot(app: &mut App) {
    press_char(app, 'n');
    type_text(app, "ivr-bot@contoso.com");
    press(app, KeyCode::Tab);
    type_text(app, BOT_APP_ID);
    press(app, KeyCode::Tab);
    type_text(app, "IVR Bot");
    press(app, KeyCode::Enter);
}

fn is_manual(app: &App) -> bool {
    app.wizard_screen()
        .is_some_and(|screen| screen.wizard().is_manual())
}

fn at_license_step(app: &App) -> bool {
    app.wizard_screen().is_some_and(|screen| {
        screen.wizard().step == Step::License
            && matches!(screen.wizard().phase, Phase::Editing { .. })
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_only_wizard_shows_commands_then_continues() {
    let emulator = emulator().await;
    // Microsoft refuses an application that creates a resource account; the emulator allows
    // it unless told to refuse.
    emulator
        .inject(Fault::client_error("ApplicationInstances", 1, 403).on_method("POST"))
        .await;
    let client = Client::new(
        emulator.endpoints(),
        Emulator::credentials(),
        ClientOptions::default(),
    )
    .unwrap();
    let mut app = patient_app();
    app.set_connection(Connection::of(&client));
    let mut worker = worker::spawn(client);
    app.reload();
    pump(&mut app, &mut worker, loaded).await;

    submit_new_bot(&mut app);
    pump(&mut app, &mut worker, is_manual).await;
    let screen = text(&render(&app, 140, 44));
    assert!(screen.contains("create it in PowerShell"), "{screen}");
    assert!(screen.contains("app-only"), "{screen}");
    assert!(screen.contains("Connect-MicrosoftTeams"), "{screen}");
    assert!(
        screen.contains("$instance = New-CsOnlineApplicationInstance `"),
        "{screen}"
    );
    assert!(
        screen.contains("-UserPrincipalName ivr-bot@contoso.com `"),
        "{screen}"
    );
    assert!(
        screen.contains(&format!("-ApplicationId {BOT_APP_ID}")),
        "{screen}"
    );
    assert!(screen.contains("-DisplayName \"IVR Bot\""), "{screen}");
    assert!(
        screen.contains("Sync-CsOnlineApplicationInstance `"),
        "{screen}"
    );
    assert!(
        screen.contains("Waiting for ivr-bot@contoso.com to appear"),
        "{screen}"
    );
    assert!(
        !emulator
            .state()
            .await
            .users
            .iter()
            .any(|user| user.user_principal_name == "ivr-bot@contoso.com"),
        "botline did not try to create the account"
    );

    create_in_powershell(&emulator).await;
    pump(&mut app, &mut worker, at_license_step).await;
    let screen = text(&render(&app, 140, 44));
    assert!(screen.contains("19 free of 25"), "{screen}");
    assert!(
        screen.contains("Found ivr-bot@contoso.com in Teams"),
        "{screen}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_create_shows_commands_then_continues() {
    for status in [403, 405] {
        let emulator = emulator().await;
        emulator
            .inject(Fault::client_error("ApplicationInstances", 1, status).on_method("POST"))
            .await;
        let client = Client::new(
            emulator.endpoints(),
            Emulator::credentials(),
            ClientOptions::default(),
        )
        .unwrap();
        let mut worker = worker::spawn(client);
        let mut app = patient_app();
        app.reload();
        pump(&mut app, &mut worker, loaded).await;

        submit_new_bot(&mut app);
        pump(&mut app, &mut worker, is_manual).await;
        let screen = text(&render(&app, 140, 44));
        assert!(
            screen.contains(&format!("Teams answered HTTP {status} to creating")),
            "{screen}"
        );
        assert!(screen.contains("-DisplayName \"IVR Bot\""), "{screen}");

        create_in_powershell(&emulator).await;
        pump(&mut app, &mut worker, at_license_step).await;
    }
}
