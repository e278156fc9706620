//! The interactive terminal UI.
//!
//! [`run`] takes over the terminal, starts the API task and runs the event loop until the
//! admin quits. The [`app::App`] owns all state and never awaits the network. The screens
//! are one module each, and [`keys`] holds the one binding table that drives key handling,
//! the footer and the help overlay.

pub mod app;
pub mod dialogs;
pub mod event_loop;
pub mod keys;
pub mod loadable;
pub mod screens;
pub mod terminal;
pub mod theme;
pub mod view;
pub mod widgets;

pub use app::App;
pub use keys::KeyHint;
pub use theme::Theme;

use crossterm::event::EventStream;

use crate::client::Client;
use crate::wizard::{Connection, Timing};
use crate::worker;

/// Settings of one run of the TUI.
#[derive(Debug, Clone)]
pub struct TuiOptions {
    /// Hide every action that changes the tenant.
    pub read_only: bool,
    /// Name of the tenant shown in the header, such as its primary domain.
    pub tenant_label: String,
    /// Poll intervals and bounds of the wizard.
    pub wizard_timing: Timing,
}

/// Runs the TUI until the admin quits, restoring the terminal on every exit path, on a
/// tenant that lets botline create resource accounts itself (see [`run_with_connection`]).
pub async fn run(client: Client, options: TuiOptions) -> color_eyre::Result<()> {
    run_with_connection(client, options, Connection::default()).await
}

/// Runs the TUI with a given [`Connection`]: with app-only sign-in, the wizard warns before
/// it creates a resource account and shows PowerShell commands if the tenant refuses.
pub async fn run_with_connection(
    client: Client,
    options: TuiOptions,
    connection: Connection,
) -> color_eyre::Result<()> {
    let theme = Theme::from_env();
    let worker = worker::spawn(client);
    let mut app = App::new(&options, theme);
    app.set_connection(connection);
    app.reload();
    // Listening starts before the terminal is taken over, so a signal that arrives once the
    // first screen is drawn always takes the path that restores the terminal.
    let mut signals = TerminationSignals::listen();
    let mut guard = terminal::TerminalGuard::enter()?;
    let result = tokio::select! {
        result = event_loop::run(guard.terminal_mut(), &mut app, EventStream::new(), worker) => result,
        signal = signals.recv() => {
            tracing::info!(signal, "quitting on a termination signal");
            Ok(())
        }
    };
    drop(guard);
    result
}

/// SIGTERM and SIGHUP, so that `kill` or a closed terminal window ends the TUI through the
/// same path as `q` and the terminal is restored.
struct TerminationSignals {
    #[cfg(unix)]
    streams: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl TerminationSignals {
    /// Starts listening; on failure the signals keep their default action, which is logged.
    fn listen() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};

            let streams = match (
                signal(SignalKind::terminate()),
                signal(SignalKind::hangup()),
            ) {
                (Ok(terminate), Ok(hangup)) => Some((terminate, hangup)),
                (Err(error), _) | (_, Err(error)) => {
                    tracing::warn!(%error, "cannot listen for SIGTERM and SIGHUP");
                    None
                }
            };
            TerminationSignals { streams }
        }
        #[cfg(not(unix))]
        TerminationSignals {}
    }

    /// Waits for a signal and returns its name; waits forever where none can arrive.
    async fn recv(&mut self) -> &'static str {
        #[cfg(unix)]
        if let Some((terminate, hangup)) = &mut self.streams {
            return tokio::select! {
                _ = terminate.recv() => "SIGTERM",
                _ = hangup.recv() => "SIGHUP",
            };
        }
        std::future::pending().await
    }
}
