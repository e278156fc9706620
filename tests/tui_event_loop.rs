//! The event loop with a `TestBackend`, a channel in place of the terminal's event stream,
//! and the test playing the API task's side of the worker channels.

mod tui_support;

use std::io;

use botline::tui::event_loop;
use botline::worker::{ApiEvent, Reply, Request, WorkerHandle};
use crossterm::event::{Event, KeyCode};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use tokio::sync::mpsc;
use tui_support::*;

#[tokio::test]
async fn loop_loads_draws_and_quits() {
    let (command_tx, mut command_rx) = mpsc::unbounded_channel();
    let (event_tx, event_rx) = mpsc::unbounded_channel();
    let worker = WorkerHandle {
        commands: command_tx,
        events: event_rx,
    };
    let (input_tx, input_rx) = futures::channel::mpsc::unbounded::<io::Result<Event>>();
    let mut terminal = Terminal::new(TestBackend::new(120, 20)).unwrap();
    let mut app = app(false);
    app.reload();

    let api_side = async {
        let command = command_rx.recv().await.expect("the loop sends the load");
        assert!(matches!(command.request, Request::LoadTenant));
        let progress = Reply::Progress {
            list: "numbers",
            loaded: 5,
        };
        event_tx
            .send(ApiEvent {
                id: command.id,
                reply: progress,
            })
            .unwrap();
        event_tx
            .send(ApiEvent {
                id: command.id,
                reply: Reply::Tenant(Ok(tenant())),
            })
            .unwrap();
        input_tx
            .unbounded_send(Ok(Event::Key(key(KeyCode::Char('q')))))
            .unwrap();
    };
    let (result, ()) = tokio::join!(
        event_loop::run(&mut terminal, &mut app, input_rx, worker),
        api_side
    );
    result.unwrap();

    assert!(app.should_quit());
    let screen = text(terminal.backend().buffer());
    assert!(screen.contains("ivr-bot@contoso.com"), "{screen}");
    assert!(
        screen.contains("Loaded 3 instances, 2 licenses and 5 numbers."),
        "{screen}"
    );
}

#[tokio::test]
async fn loop_ends_with_input() {
    let (command_tx, _command_rx) = mpsc::unbounded_channel();
    let (_event_tx, event_rx) = mpsc::unbounded_channel();
    let worker = WorkerHandle {
        commands: command_tx,
        events: event_rx,
    };
    let (input_tx, input_rx) = futures::channel::mpsc::unbounded::<io::Result<Event>>();
    input_tx
        .unbounded_send(Ok(Event::Key(key(KeyCode::Char('2')))))
        .unwrap();
    drop(input_tx);
    let mut terminal = Terminal::new(TestBackend::new(80, 12)).unwrap();
    let mut app = app(false);

    event_loop::run(&mut terminal, &mut app, input_rx, worker)
        .await
        .unwrap();

    assert!(!app.should_quit());
    let header = lines(terminal.backend().buffer())[0].clone();
    assert!(header.contains("[2 Licenses]"), "{header}");
}

#[tokio::test]
async fn stopped_worker_is_an_error() {
    let (command_tx, command_rx) = mpsc::unbounded_channel();
    drop(command_rx);
    let (_event_tx, event_rx) = mpsc::unbounded_channel();
    let worker = WorkerHandle {
        commands: command_tx,
        events: event_rx,
    };
    let (_input_tx, input_rx) = futures::channel::mpsc::unbounded::<io::Result<Event>>();
    let mut terminal = Terminal::new(TestBackend::new(80, 12)).unwrap();
    let mut app = app(false);
    app.reload();

    let error = event_loop::run(&mut terminal, &mut app, input_rx, worker)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("API task stopped"), "{error}");
}
