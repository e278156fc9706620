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
    let result = event_loop::run(guard.terminal_mut(), &mut app, EventStream::new(), worker).await;
    drop(guard);
    result
}
