//! `botline assign`: gives a bot a phone number without the interactive screens.
//!
//! TODO: this entry point only reports that the command is missing; the driver that runs the
//! wizard's state machine to the end replaces it.

use color_eyre::eyre::eyre;

use crate::cli::AssignArgs;
use crate::client::Client;
use crate::wizard;

/// Runs the three steps for one bot and prints each step's outcome.
pub async fn run(
    client: Client,
    args: AssignArgs,
    timing: wizard::Timing,
) -> color_eyre::Result<()> {
    let _ = (client, timing);
    Err(eyre!(
        "the assign command is not built yet, so nothing was changed for {}; use the \
         interactive screens instead",
        args.upn
    ))
}
