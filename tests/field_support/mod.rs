//! Shared pieces of the tests that replay failures admins hit: an emulator that a test edits
//! and faults while the built binary or the screens work against it, and the API task pumped
//! until a condition holds.
//!
//! A test file that uses this module also declares `mod cli_support;` and `mod tui_support;`.

#![allow(dead_code)]

use std::time::Duration;

use botline::client::{Client, ClientOptions};
use botline::emulator::{self, Emulator, Fault, Options, TenantState, Timing};
use botline::tui::App;
use botline::wire::graph::{NumberAssignment, ServicePrincipal};
use botline::wizard::{self, Phase, Step};
use botline::worker::{self, WorkerHandle};
use crossterm::event::KeyCode;

use crate::cli_support::Sandbox;
use crate::tui_support::{press, press_char, type_text};

/// Application id of the practice tenant's bot that has no instance yet.
pub const IVR_BOT_APP_ID: &str = "0b5c7a53-5c1e-4a8e-9d0f-3e7b2a9c1d44";
/// Application id of the practice tenant's helpdesk bot, which has an instance.
pub const HELPDESK_BOT_APP_ID: &str = "7d3e9f21-8a4b-4c6d-b2e1-5f0a9c8d7e63";
/// A free Direct Routing number of the practice tenant that allows voice applications.
pub const FREE_DIRECT_ROUTING: &str = "+14255550120";
/// A free Calling Plan service number of the practice tenant.
pub const FREE_CALLING_PLAN: &str = "+14255550113";
/// A free Calling Plan subscriber number that only allows users.
pub const USER_ONLY_NUMBER: &str = "+14255550102";
/// A Direct Routing number with an extension, added by [`with_extension_number`].
pub const EXTENSION_NUMBER: &str = "+14255550140;ext=123";
/// Maximum wait for one reply of the API task; only a hung test reaches it.
pub const REPLY_WAIT: Duration = Duration::from_secs(60);

/// Wizard polls quick enough for a test and many enough never to run out.
pub fn quick_polls() -> wizard::Timing {
    wizard::Timing {
        first_poll: Duration::from_millis(20),
        max_poll: Duration::from_millis(100),
        max_polls: 200,
    }
}

/// Returns a `[polling]` table as quick as [`quick_polls`], bounded to `max_checks` checks.
pub fn polling_table(max_checks: u32) -> String {
    format!(
        "[polling]\nfirst_wait_seconds = 0.02\nmax_wait_seconds = 0.1\nmax_checks = {max_checks}\n"
    )
}

/// Adds a free Direct Routing number with an extension to a tenant.
pub fn with_extension_number(mut state: TenantState) -> TenantState {
    let template = state
        .numbers
        .iter()
        .find(|number| number.assignment.telephone_number == FREE_DIRECT_ROUTING)
        .expect("the practice tenant has a free Direct Routing number")
        .clone();
    let mut number = template;
    number.assignment = NumberAssignment {
        id: Some("tn-14255550140-ext-123".to_owned()),
        telephone_number: EXTENSION_NUMBER.to_owned(),
        ..number.assignment
    };
    state.numbers.push(number);
    state
}

/// Adds an application registration for another new bot to a tenant.
pub fn with_app(mut state: TenantState, app_id: &str, name: &str) -> TenantState {
    state.service_principals.push(ServicePrincipal {
        id: uuid::Uuid::new_v4().to_string(),
        app_id: app_id.to_owned(),
        display_name: Some(name.to_owned()),
    });
    state
}

/// An emulator on an ephemeral loopback port, served by its own runtime's worker threads, for
/// tests that run the built binary against it.
pub struct Tenant {
    runtime: tokio::runtime::Runtime,
    emulator: Option<Emulator>,
}

impl Tenant {
    /// Starts the practice tenant with every asynchronous step instant.
    pub fn start() -> Tenant {
        Tenant::start_with(Timing::instant(), emulator::practice_tenant())
    }

    /// Starts a given tenant with given delays.
    pub fn start_with(timing: Timing, state: TenantState) -> Tenant {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let options = Options {
            timing,
            ..Options::default()
        };
        let emulator = runtime
            .block_on(Emulator::start_with_state(options, state))
            .unwrap();
        Tenant {
            runtime,
            emulator: Some(emulator),
        }
    }

    pub fn emulator(&self) -> &Emulator {
        self.emulator.as_ref().unwrap()
    }

    pub fn inject(&self, fault: Fault) {
        self.runtime.block_on(self.emulator().inject(fault));
    }

    pub fn state(&self) -> TenantState {
        self.runtime.block_on(self.emulator().state())
    }

    pub fn edit(&self, edit: impl FnOnce(&mut TenantState)) {
        self.runtime.block_on(self.emulator().edit_state(edit));
    }

    pub fn advance_clock(&self, by: Duration) {
        self.emulator().advance_clock(by);
    }

    /// Writes a client-secret config for this emulator into the sandbox, with `extra` (such
    /// as a `[polling]` table) at its end.
    pub fn configure(&self, sandbox: &Sandbox, extra: &str) {
        let endpoints = self.emulator().endpoints();
        sandbox.write_config(&format!(
            "tenant_id = \"{}\"\nclient_id = \"{}\"\nauth = \"client-secret\"\n\
             [endpoints]\nlogin = \"{}\"\ngraph = \"{}\"\nteams = \"{}\"\n{extra}",
            emulator::DEMO_TENANT_ID,
            emulator::DEMO_CLIENT_ID,
            endpoints.login,
            endpoints.graph,
            endpoints.teams
        ));
    }
}

impl Drop for Tenant {
    fn drop(&mut self) {
        if let Some(emulator) = self.emulator.take() {
            self.runtime.block_on(emulator.shutdown());
        }
    }
}

/// Runs the binary with the emulator's client secret in the environment.
pub fn run_live(sandbox: &Sandbox, args: &[&str]) -> std::process::Output {
    live_command(sandbox, args).output().unwrap()
}

/// Returns a command for the binary with the emulator's client secret in the environment.
pub fn live_command(sandbox: &Sandbox, args: &[&str]) -> std::process::Command {
    let mut command = sandbox.command();
    command
        .args(args)
        .env("BOTLINE_CLIENT_SECRET", emulator::DEMO_CLIENT_SECRET);
    command
}

/// Arguments of `assign` for the IVR bot of the practice tenant.
pub fn assign_ivr_bot<'a>(number: &'a str, usage_location: &'a str) -> Vec<&'a str> {
    vec![
        "assign",
        "--upn",
        "ivr-bot@contoso.com",
        "--app-id",
        IVR_BOT_APP_ID,
        "--display-name",
        "IVR Bot",
        "--usage-location",
        usage_location,
        "--number",
        number,
    ]
}

/// Starts an in-process emulator with the given delays and tenant, and a client for it whose
/// retries wait at most `max_retry_wait`.
pub async fn start_emulator(
    timing: Timing,
    state: TenantState,
    max_retry_wait: Duration,
) -> (Emulator, Client) {
    let options = Options {
        timing,
        ..Options::default()
    };
    let emulator = Emulator::start_with_state(options, state).await.unwrap();
    let client_options = ClientOptions {
        max_retry_wait,
        ..ClientOptions::default()
    };
    let client = Client::new(
        emulator.endpoints(),
        Emulator::credentials(),
        client_options,
    )
    .unwrap();
    (emulator, client)
}

/// Returns a wizard form for the IVR bot of the practice tenant.
pub fn ivr_bot_form(number: &str) -> wizard::Form {
    wizard::Form {
        upn: "ivr-bot@contoso.com".into(),
        app_id: IVR_BOT_APP_ID.into(),
        display_name: "IVR Bot".into(),
        usage_location: "US".into(),
        number: number.into(),
        number_type: None,
    }
}

/// The screens with the real API task behind them, as `botline` runs them minus the terminal.
pub struct Screens {
    pub app: App,
    pub worker: WorkerHandle,
}

impl Screens {
    /// Starts the API task on `client` and an app with quick wizard polls, and loads the
    /// tenant.
    pub async fn load(client: Client) -> Screens {
        let worker = worker::spawn(client);
        let options = botline::tui::TuiOptions {
            read_only: false,
            tenant_label: "contoso.com".to_owned(),
            wizard_timing: quick_polls(),
        };
        let mut screens = Screens {
            app: App::new(&options, botline::tui::Theme::plain()),
            worker,
        };
        screens.app.reload();
        screens.pump(is_loaded).await;
        screens
    }

    /// Sends the app's commands to the API task and feeds its replies back, one at a time,
    /// until `done` holds.
    pub async fn pump(&mut self, done: impl Fn(&App) -> bool) {
        loop {
            for command in self.app.take_commands() {
                self.worker.commands.send(command).unwrap();
            }
            if done(&self.app) {
                return;
            }
            let event = tokio::time::timeout(REPLY_WAIT, self.worker.events.recv())
                .await
                .expect("the API task replied in time")
                .expect("the API task is running");
            self.app.on_api_event(event);
        }
    }

    /// Opens the wizard and fills step 1 for a bot, then presses Enter.
    pub fn start_wizard(&mut self, upn: &str, app_id: &str, display_name: &str) {
        press_char(&mut self.app, 'n');
        type_text(&mut self.app, upn);
        press(&mut self.app, KeyCode::Tab);
        type_text(&mut self.app, app_id);
        press(&mut self.app, KeyCode::Tab);
        type_text(&mut self.app, display_name);
        press(&mut self.app, KeyCode::Enter);
    }
}

/// Returns true once the tenant has loaded and no load runs.
pub fn is_loaded(app: &App) -> bool {
    app.tenant().data().is_some() && !app.tenant().is_loading()
}

/// Returns a condition that holds when the wizard is at `step` in a phase `phase` accepts.
pub fn wizard_at(step: Step, phase: fn(&Phase) -> bool) -> impl Fn(&App) -> bool {
    move |app: &App| {
        app.wizard_screen()
            .is_some_and(|screen| screen.wizard().step == step && phase(&screen.wizard().phase))
    }
}

pub fn editing(phase: &Phase) -> bool {
    matches!(phase, Phase::Editing { .. })
}

pub fn rejected(phase: &Phase) -> bool {
    matches!(phase, Phase::Editing { error: Some(_) })
}

pub fn failed(phase: &Phase) -> bool {
    matches!(phase, Phase::Failed { .. })
}

pub fn done(phase: &Phase) -> bool {
    *phase == Phase::Done
}

/// Returns the wizard's phase; panics when the wizard is closed.
pub fn wizard_phase(app: &App) -> Phase {
    app.wizard_screen()
        .expect("the wizard is open")
        .wizard()
        .phase
        .clone()
}
