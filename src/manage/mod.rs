//! Day-to-day changes to a bot: unassign or change its number, assign a free number, set a
//! number's emergency location, remove its license.
//!
//! [`plan`] turns the rows an admin picked into an [`Operation`] and rejects what Teams would
//! reject. [`Task`] runs an operation as a pure state machine in the wizard's style: an
//! [`Input`] goes in, [`Effect`]s with their [`Ticket`](crate::wizard::Ticket) come out, and
//! an outcome with an old ticket is ignored. [`execute`] runs an effect against the client;
//! the TUI and the `unassign` command drive the same machine.

mod drive;
mod effect;
mod execute;
mod machine;
mod operation;
pub mod plan;
mod step;

pub use drive::run_to_completion;
pub use effect::{Effect, Outcome};
pub use execute::execute;
pub use machine::{Input, Phase, Task};
pub use operation::{Account, NumberRef, Operation};

#[cfg(test)]
mod tests;
