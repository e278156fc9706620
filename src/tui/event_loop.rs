//! The event loop: waits on terminal input, API replies and the spinner tick, feeds them
//! into the app, sends the app's commands to the API task, and redraws after each batch.
//!
//! The spinner tick only runs while something is pending, so an idle screen costs nothing.
//! Nothing here awaits the network: replies arrive on a channel.

use std::io;

use color_eyre::eyre::{eyre, WrapErr};
use crossterm::event::Event;
use futures::{Stream, StreamExt};
use ratatui::backend::Backend;
use ratatui::Terminal;
use tokio::time::{interval, MissedTickBehavior};

use super::app::App;
use super::widgets::spinner::SPINNER_INTERVAL;
use crate::worker::WorkerHandle;

/// Runs until the admin quits or the input ends.
///
/// `input` is the terminal's event stream (crossterm's `EventStream` in the real TUI), and
/// `worker` the API task's channels.
pub async fn run<B, S>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    mut input: S,
    mut worker: WorkerHandle,
) -> color_eyre::Result<()>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
    S: Stream<Item = io::Result<Event>> + Unpin,
{
    let mut spinner = interval(SPINNER_INTERVAL);
    spinner.set_missed_tick_behavior(MissedTickBehavior::Skip);
    loop {
        for command in app.take_commands() {
            worker
                .commands
                .send(command)
                .map_err(|_| eyre!("the API task stopped; restart botline"))?;
        }
        terminal
            .draw(|frame| app.render(frame))
            .wrap_err("drawing the screen failed")?;
        if app.should_quit() {
            return Ok(());
        }

        let pending = app.is_pending();
        tokio::select! {
            event = input.next() => match event {
                Some(event) => app.on_terminal_event(event.wrap_err("reading the terminal failed")?),
                None => return Ok(()),
            },
            Some(reply) = worker.events.recv() => app.on_api_event(reply),
            _ = spinner.tick(), if pending => app.on_spinner_tick(),
        }

        // Take the replies that are ready now, so that a burst of progress costs one redraw.
        // Terminal input is not drained the same way: polling crossterm's event stream with
        // a no-op waker loses its wake-up, and the screen then stops taking keys.
        while let Ok(reply) = worker.events.try_recv() {
            app.on_api_event(reply);
        }
    }
}
