//! The screens driven by keys with the real API task behind them, against the emulator over
//! HTTP: the same path as the interactive program, minus the terminal.

mod tui_support;

use std::time::Duration;

use botline::client::{Client, ClientOptions};
use botline::emulator::{Emulator, Options, Timing};
use botline::tui::App;
use botline::wizard::{Phase, Step};
use botline::worker::{self, WorkerHandle};
use crossterm::event::KeyCode;
use tui_support::*;

/// Maximum wait for one reply of the API task.
const REPLY_WAIT: Duration = Duration::from_secs(20);

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

fn step_is(step: Step, phase: fn(&Phase) -> bool) -> impl Fn(&App) -> bool {
    move |app: &App| {
        app.wizard_screen()
            .is_some_and(|screen| screen.wizard().step == step && phase(&screen.wizard().phase))
    }
}

fn editing(phase: &Phase) -> bool {
    matches!(phase, Phase::Editing { .. })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wizard_screens_assign_a_number_over_http() {
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
    let mut worker = worker::spawn(client);
    let mut app = app(false);
    app.reload();
    pump(&mut app, &mut worker, |app| {
        app.tenant().data().is_some() && !app.tenant().is_loading()
    })
    .await;
    assert!(text(&render(&app, 140, 30)).contains("helpdesk-bot@contoso.com"));

    press_char(&mut app, 'n');
    type_text(&mut app, "ivr-bot@contoso.com");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, BOT_APP_ID);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "IVR Bot");
    press(&mut app, KeyCode::Enter);
    pump(&mut app, &mut worker, step_is(Step::License, editing)).await;
    let screen = text(&render(&app, 140, 40));
    assert!(screen.contains("19 free of 25"), "{screen}");

    type_text(&mut app, "US");
    press(&mut app, KeyCode::Enter);
    pump(&mut app, &mut worker, step_is(Step::Number, editing)).await;
    type_text(&mut app, "0113");
    press(&mut app, KeyCode::Enter);
    pump(
        &mut app,
        &mut worker,
        step_is(Step::Summary, |phase| *phase == Phase::Done),
    )
    .await;
    let summary = text(&render(&app, 140, 40));
    assert!(summary.contains("+14255550113"), "{summary}");
    assert!(summary.contains("Calling Plan"), "{summary}");

    press(&mut app, KeyCode::Enter);
    assert!(app.wizard_screen().is_none());
    pump(&mut app, &mut worker, |app| {
        app.tenant()
            .data()
            .is_some_and(|view| view.instances.len() == 9)
    })
    .await;
    let buffer = render(&app, 160, 30);
    let row = row_with(&buffer, "ivr-bot@contoso.com");
    assert!(row.contains("+14255550113"), "{row}");
    assert!(row.contains("activated"), "{row}");
}
