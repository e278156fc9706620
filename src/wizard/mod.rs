//! The three-step wizard that puts a number on a bot, as a pure state machine.
//!
//! [`Wizard::update`] takes an [`Input`] (a key the admin pressed, or the [`Outcome`] of an
//! effect) and returns the [`Effect`]s to run next, each with the [`Ticket`] its outcome must
//! carry. An outcome with an old ticket is ignored, so a reply that arrives after the admin
//! went back or retried cannot change the state. Nothing here does I/O: [`execute`] runs an
//! effect against the client, and the TUI and the `assign` command both drive this machine.

mod connection;
mod drive;
mod effect;
mod execute;
mod machine;
pub mod powershell;
mod rules;

pub use connection::Connection;
pub use drive::{run_to_completion, run_to_completion_with};
pub use effect::{Effect, InstanceCheck, LicenseContext, NumberChoices, NumberLookup, Outcome};
pub use execute::execute;
pub use machine::{Facts, Field, Form, Input, ManualSetup, Phase, Step, Timing, Wizard};
pub use rules::{number_problem, NumberTarget};

/// Hint for an admin who runs `Sync-CsOnlineApplicationInstance` on an account that is
/// mapped already; the cmdlet's documentation describes this error.
pub const ALREADY_MAPPED_HINT: &str = "If Sync-CsOnlineApplicationInstance answers \"An item \
     with the same key has already been added\", the account is mapped to the bot already.";

/// Tag of an effect; outcomes with an older ticket are stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ticket(pub u64);

#[cfg(test)]
mod tests;
