//! Entering and leaving the full-screen terminal.
//!
//! [`TerminalGuard`] switches to raw mode and the alternate screen and switches back when it
//! is dropped, so every exit path (`?`, early return, panic unwinding) restores the terminal.
//! A panic hook restores it as well before the panic report is printed, so the report is
//! readable. Mouse capture stays off, so the admin can select and copy ids.

use std::io::{self, Stdout};
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::cursor::Show;
use crossterm::execute;
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

/// Whether botline owns the terminal now. The panic hook restores it only then.
static TERMINAL_ACTIVE: AtomicBool = AtomicBool::new(false);

/// The terminal botline draws on.
pub type CrosstermTerminal = Terminal<CrosstermBackend<Stdout>>;

/// Owns the terminal while the TUI runs, and restores it when dropped.
pub struct TerminalGuard {
    terminal: CrosstermTerminal,
}

impl TerminalGuard {
    /// Enters raw mode and the alternate screen, and installs the restoring panic hook.
    pub fn enter() -> io::Result<Self> {
        install_panic_hook();
        enable_raw_mode()?;
        TERMINAL_ACTIVE.store(true, Ordering::SeqCst);
        if let Err(error) = execute!(io::stdout(), EnterAlternateScreen) {
            restore();
            return Err(error);
        }
        match Terminal::new(CrosstermBackend::new(io::stdout())) {
            Ok(terminal) => Ok(TerminalGuard { terminal }),
            Err(error) => {
                restore();
                Err(error)
            }
        }
    }

    /// Returns the terminal to draw on.
    pub fn terminal_mut(&mut self) -> &mut CrosstermTerminal {
        &mut self.terminal
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Leaves the alternate screen and raw mode and shows the cursor, once.
///
/// Errors are ignored: this runs while leaving, often during a panic, when nothing better
/// can be done with them.
fn restore() {
    if !TERMINAL_ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let _ = disable_raw_mode();
    let _ = execute!(io::stdout(), LeaveAlternateScreen, Show);
}

/// Wraps the current panic hook so the terminal is restored before the report is printed.
fn install_panic_hook() {
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return;
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}
