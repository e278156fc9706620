//! The interactive terminal UI.
//!
//! [`run`] takes over the terminal, starts the API task and runs the event loop until the
//! admin quits. The [`app::App`] owns all state and never awaits the network. The screens
//! are one module each, and [`keys`] holds the one binding table that drives key handling,
//! the footer and the help overlay.

pub mod app;
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
use crate::wizard::Timing;
use crate::worker;

/// How the TUI runs.
#[derive(Debug, Clone)]
pub struct TuiOptions {
    /// Hide every action that changes the tenant.
    pub read_only: bool,
    /// Name of the tenant shown in the header, such as its primary domain.
    pub tenant_label: String,
    /// Poll intervals and bounds of the wizard.
    pub wizard_timing: Timing,
}

/// Runs the TUI until the admin quits, restoring the terminal on every exit path.
pub async fn run(client: Client, options: TuiOptions) -> color_eyre::Result<()> {
    let theme = Theme::from_env();
    let worker = worker::spawn(client);
    let mut app = App::new(&options, theme);
    app.reload();
    let mut guard = terminal::TerminalGuard::enter()?;
    let result = tokio::select! {
        result = event_loop::run(guard.terminal_mut(), &mut app, EventStream::new(), worker) => result,
        signal = termination_signal() => {
            tracing::info!(signal, "quitting on a termination signal");
            Ok(())
        }
    };
    drop(guard);
    result
}

/// Waits for SIGTERM or SIGHUP and returns its name, so that `kill` or a closed terminal
/// window ends the TUI through the same path as `q` and the terminal is restored.
#[cfg(unix)]
async fn termination_signal() -> &'static str {
    use tokio::signal::unix::{signal, SignalKind};

    let (Ok(mut terminate), Ok(mut hangup)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
    ) else {
        tracing::warn!("cannot listen for termination signals; kill may leave the terminal raw");
        return std::future::pending().await;
    };
    tokio::select! {
        _ = terminate.recv() => "SIGTERM",
        _ = hangup.recv() => "SIGHUP",
    }
}

/// Waits forever: other systems end the process without a signal the TUI can catch.
#[cfg(not(unix))]
async fn termination_signal() -> &'static str {
    std::future::pending().await
}
