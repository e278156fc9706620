//! The management actions driven by keys with the real API task behind them, against the
//! emulator's practice tenant over HTTP: the same path as the interactive program, minus
//! the terminal. Each test starts from the Instances or Numbers screen as an admin would.

mod tui_support;

use std::time::Duration;

use botline::client::{Client, ClientOptions};
use botline::emulator::{seed, Emulator, Fault, Options, Timing};
use botline::tui::dialogs::Dialog;
use botline::tui::App;
use botline::wizard::{Phase, Step};
use botline::worker::{self, WorkerHandle};
use crossterm::event::KeyCode;
use tui_support::*;

/// Maximum wait for one reply of the API task.
const REPLY_WAIT: Duration = Duration::from_secs(20);
const WIDTH: u16 = 170;
const HEIGHT: u16 = 50;

struct Session {
    emulator: Emulator,
    worker: WorkerHandle,
    app: App,
}

async fn start() -> Session {
    let emulator = Emulator::start(Options {
        timing: Timing::instant(),
        ..Options::default()
    })
    .await
    .unwrap();
    let client = Client::new(
        emulator.endpoints(),
        Emulator::credentials(),
        ClientOptions::default(),
    )
    .unwrap();
    let worker = worker::spawn(client);
    let mut session = Session {
        emulator,
        worker,
        app: app(false),
    };
    session.app.reload();
    session.pump(loaded).await;
    session
}

fn loaded(app: &App) -> bool {
    app.tenant().data().is_some() && !app.tenant().is_loading()
}

fn wizard_at(step: Step, phase: fn(&Phase) -> bool) -> impl Fn(&App) -> bool {
    move |app: &App| {
        app.wizard_screen()
            .is_some_and(|screen| screen.wizard().step == step && phase(&screen.wizard().phase))
    }
}

fn editing(phase: &Phase) -> bool {
    matches!(phase, Phase::Editing { .. })
}

fn change_finished(app: &App) -> bool {
    matches!(app.dialog(), Some(Dialog::Progress(progress)) if progress.task.is_finished())
}

impl Session {
    /// Sends the app's commands to the API task and feeds its replies back until `done`.
    async fn pump(&mut self, done: impl Fn(&App) -> bool) {
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

    fn screen(&self) -> String {
        text(&render(&self.app, WIDTH, HEIGHT))
    }

    fn row(&self, needle: &str) -> String {
        row_with(&render(&self.app, WIDTH, HEIGHT), needle)
    }

    /// Closes the finished wizard or change and waits for the reloaded tenant.
    async fn close_and_reload(&mut self) {
        press(&mut self.app, KeyCode::Enter);
        assert!(self.app.wizard_screen().is_none());
        assert!(self.app.dialog().is_none());
        assert!(
            self.app.tenant().is_loading(),
            "closing after a change reloads"
        );
        self.pump(loaded).await;
    }

    /// Runs the wizard's number step with the first number offered, to the summary.
    async fn assign_first_offered_number(&mut self) {
        self.pump(wizard_at(Step::Number, editing)).await;
        press(&mut self.app, KeyCode::Enter);
        self.pump(wizard_at(Step::Summary, |phase| *phase == Phase::Done))
            .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_screen_finds_and_fixes_bots() {
    let mut session = start().await;

    // Finding: the table alone names the pending number, the missing license and the
    // missing number.
    let pending = session.row("assignmentPending");
    assert!(pending.contains("scheduling-bot@contoso.com"), "{pending}");
    let reception = session.row("reception-bot@contoso.com");
    assert!(reception.contains("unlicensed"), "{reception}");
    assert!(reception.contains("! Contoso Reception"), "{reception}");
    select_row(&mut session.app, "survey-bot@");
    press(&mut session.app, KeyCode::Enter);
    let detail = session.screen();
    assert!(
        detail.contains("✗ Number assigned: survey-bot@contoso.com holds no phone number"),
        "{detail}"
    );
    assert!(
        detail.contains("Fix: press c to continue the setup."),
        "{detail}"
    );

    // Fixing the bot without a number: c continues the setup at the number step.
    press_char(&mut session.app, 'c');
    session.assign_first_offered_number().await;
    let summary = session.screen();
    assert!(
        summary.contains("survey-bot@contoso.com already exists for this bot"),
        "{summary}"
    );
    assert!(
        summary.contains("is already assigned and active"),
        "{summary}"
    );
    session.close_and_reload().await;
    let survey = session.row("survey-bot@contoso.com");
    assert!(survey.contains("activated"), "{survey}");
    assert!(!survey.contains("! Contoso Survey"), "{survey}");

    // Fixing the bot without a license: c stops at the usage location, then licenses it
    // and gives it a number.
    press(&mut session.app, KeyCode::Esc);
    select_row(&mut session.app, "reception-bot@");
    press_char(&mut session.app, 'c');
    session.pump(wizard_at(Step::License, editing)).await;
    type_text(&mut session.app, "US");
    press(&mut session.app, KeyCode::Enter);
    session.assign_first_offered_number().await;
    session.close_and_reload().await;
    let reception = session.row("reception-bot@contoso.com");
    assert!(reception.contains("active"), "{reception}");
    assert!(reception.contains("activated"), "{reception}");
    assert!(!reception.contains("! Contoso Reception"), "{reception}");

    let state = session.emulator.state().await;
    let holders: Vec<&str> = state
        .numbers
        .iter()
        .filter(|number| number.is_held())
        .filter_map(|number| number.assignment.assignment_target_id.as_deref())
        .collect();
    assert!(holders.contains(&seed::SURVEY_BOT_ID));
    assert!(holders.contains(&seed::RECEPTION_BOT_ID));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unmapped_instance_is_mapped_by_typing_app_id() {
    let mut session = start().await;
    select_row(&mut session.app, "unmapped-bot@");
    press_char(&mut session.app, 'c');
    assert!(session
        .screen()
        .contains("unmapped-bot@contoso.com is bound to no application"));
    type_text(&mut session.app, seed::IVR_BOT_APP_ID);
    press(&mut session.app, KeyCode::Enter);
    session.pump(wizard_at(Step::License, editing)).await;
    assert!(session.screen().contains("exists without an application"));
    press(&mut session.app, KeyCode::Enter);
    session.assign_first_offered_number().await;
    session.close_and_reload().await;
    let row = session.row("unmapped-bot@contoso.com");
    assert!(row.contains("0b5c7a53…"), "{row}");
    assert!(row.contains("activated"), "{row}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn change_number_failure_keeps_old_number() {
    let mut session = start().await;
    session
        .emulator
        .inject(Fault::fail_next_assignment(
            "The number is reserved by the carrier",
        ))
        .await;
    select_row(&mut session.app, "helpdesk-bot@");
    press_char(&mut session.app, 'm');
    type_text(&mut session.app, "0112");
    press(&mut session.app, KeyCode::Enter);
    assert!(session.screen().contains(
        "Change the number of helpdesk-bot@contoso.com from +14255550110 to +14255550112?"
    ));
    press_char(&mut session.app, 'y');
    session.pump(change_finished).await;

    let result = session.screen();
    assert!(
        result.contains("Teams could not assign +14255550112: The number is reserved"),
        "{result}"
    );
    assert!(
        result.contains("+14255550110 is back on helpdesk-bot@contoso.com, so nothing changed."),
        "{result}"
    );

    session.close_and_reload().await;
    let row = session.row("helpdesk-bot@contoso.com");
    assert!(row.contains("+14255550110"), "{row}");
    assert!(row.contains("activated"), "{row}");
    let status = session.screen();
    assert!(
        status.contains("is back on helpdesk-bot"),
        "the result stays: {status}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn change_number_moves_bot() {
    let mut session = start().await;
    select_row(&mut session.app, "helpdesk-bot@");
    press_char(&mut session.app, 'm');
    type_text(&mut session.app, "0120");
    press(&mut session.app, KeyCode::Enter);
    press_char(&mut session.app, 'y');
    session.pump(change_finished).await;
    assert!(session
        .screen()
        .contains("helpdesk-bot@contoso.com now holds +14255550120 instead of +14255550110."));
    session.close_and_reload().await;
    let row = session.row("helpdesk-bot@contoso.com");
    assert!(row.contains("+14255550120"), "{row}");
    assert!(row.contains("Direct Routing"), "{row}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pending_number_is_unassigned_from_instances() {
    let mut session = start().await;
    select_row(&mut session.app, "scheduling-bot@");
    press_char(&mut session.app, 'u');
    press_char(&mut session.app, 'y');
    session.pump(change_finished).await;
    assert!(session
        .screen()
        .contains("Unassigned +14255550111 from scheduling-bot@contoso.com; the number is free."));
    session.close_and_reload().await;
    let row = session.row("scheduling-bot@contoso.com");
    assert!(!row.contains("+14255550111"), "{row}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn numbers_screen_assigns_and_unassigns() {
    let mut session = start().await;
    press_char(&mut session.app, '3');
    press_char(&mut session.app, 'f');
    select_row(&mut session.app, "+14255550130");
    press_char(&mut session.app, 'a');
    type_text(&mut session.app, "survey");
    press(&mut session.app, KeyCode::Enter);
    session.pump(change_finished).await;
    assert!(session
        .screen()
        .contains("survey-bot@contoso.com now holds +14255550130, activated."));
    session.close_and_reload().await;

    // The free filter still applies, so the number is gone from the list until cleared.
    let table_rows: Vec<String> = lines(&render(&session.app, WIDTH, HEIGHT))
        .into_iter()
        .filter(|row| row.starts_with('│'))
        .collect();
    assert!(
        !table_rows.iter().any(|row| row.contains("+14255550130")),
        "{table_rows:#?}"
    );
    press(&mut session.app, KeyCode::Esc);
    let row = session.row("+14255550130");
    assert!(row.contains("survey-bot@contoso.com"), "{row}");

    select_row(&mut session.app, "+14255550130");
    press_char(&mut session.app, 'u');
    assert!(session
        .screen()
        .contains("Unassign +14255550130 from survey-bot@contoso.com?"));
    press(&mut session.app, KeyCode::Enter);
    session.pump(change_finished).await;
    session.close_and_reload().await;
    let row = session.row("+14255550130");
    assert!(!row.contains("survey-bot"), "{row}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emergency_location_is_set_from_numbers() {
    let mut session = start().await;
    press_char(&mut session.app, '3');
    select_row(&mut session.app, "+14255550121");
    press_char(&mut session.app, 'l');
    type_text(&mut session.app, "3f1e2d4c-5b6a-4789-8c0d-1e2f3a4b5c6d");
    press(&mut session.app, KeyCode::Enter);
    session.pump(change_finished).await;
    assert!(session.screen().contains(
        "The emergency location of +14255550121 is 3f1e2d4c-5b6a-4789-8c0d-1e2f3a4b5c6d."
    ));
    session.close_and_reload().await;
    let state = session.emulator.state().await;
    let record = state
        .numbers
        .iter()
        .find(|number| number.assignment.telephone_number == "+14255550121")
        .unwrap();
    assert_eq!(
        record.assignment.location_id.as_deref(),
        Some("3f1e2d4c-5b6a-4789-8c0d-1e2f3a4b5c6d")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stuck_license_is_shown_and_removed() {
    let mut session = start().await;
    select_row(&mut session.app, "alerts-bot@");
    press_char(&mut session.app, '2');
    session.pump(|app| !app.is_pending()).await;
    let pane = session.screen();
    assert!(
        pane.contains("Licenses of alerts-bot@contoso.com"),
        "{pane}"
    );
    assert!(
        pane.contains("! MCOEV_VIRTUALUSER not provisioned (PendingProvisioning)"),
        "{pane}"
    );

    press_char(&mut session.app, '1');
    press_char(&mut session.app, 'x');
    assert!(session
        .screen()
        .contains("Remove PHONESYSTEM_VIRTUALUSER from alerts-bot@contoso.com?"));
    press_char(&mut session.app, 'y');
    session.pump(change_finished).await;
    session.close_and_reload().await;
    let row = session.row("alerts-bot@contoso.com");
    assert!(row.contains("unlicensed"), "{row}");

    press_char(&mut session.app, '2');
    session.pump(|app| !app.is_pending()).await;
    assert!(session
        .screen()
        .contains("! alerts-bot@contoso.com has no Teams Phone Resource Account license"));
}
