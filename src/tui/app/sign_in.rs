//! Device-code sign-in in the TUI: the notices the API task forwards open, update and close
//! the sign-in screen. The request that needed the sign-in goes on by itself once the admin
//! has signed in, so the screen only has to get out of the way.

use super::{App, Status};
use crate::client::SignInNotice;
use crate::tui::screens::sign_in::SignInScreen;
use crate::wizard::Connection;

impl App {
    /// Sets how botline signs in, which decides whether the wizard creates resource
    /// accounts or shows the PowerShell commands for them.
    pub fn set_connection(&mut self, connection: Connection) {
        self.connection = connection;
    }

    /// Returns the sign-in screen while the admin must sign in.
    pub fn sign_in_screen(&self) -> Option<&SignInScreen> {
        self.sign_in.as_ref()
    }

    pub(super) fn on_sign_in_notice(&mut self, notice: SignInNotice) {
        match notice {
            SignInNotice::CodeIssued(prompt) => {
                tracing::info!("showing the sign-in screen");
                self.help = None;
                self.sign_in = Some(SignInScreen::new(prompt));
            }
            SignInNotice::SlowDown { interval } => {
                if let Some(screen) = &mut self.sign_in {
                    screen.slow_down(interval);
                }
            }
            SignInNotice::SignedIn => {
                // The request that needed the sign-in goes on, and its own status line (such
                // as the loaded counts) says what happened next.
                tracing::info!("signed in");
                self.sign_in = None;
                self.status = None;
            }
            SignInNotice::Failed { reason } => {
                self.sign_in = None;
                self.status = Some(Status {
                    text: format!("Sign-in failed: {reason}"),
                    is_error: true,
                });
            }
        }
    }
}
