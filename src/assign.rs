//! `botline assign`: gives a bot a phone number without the interactive screens.
//!
//! It drives the same wizard as the TUI to the end. Each finished action and each wait is
//! printed on stdout as it happens; a rejected value or a failed step ends the command with
//! the wizard's one-sentence reason, which `main` prints on stderr.

use std::io::{self, Write};

use color_eyre::eyre::eyre;

use crate::cli::AssignArgs;
use crate::client::Client;
use crate::wizard::{self, Connection, Form};

/// Runs the three steps for one bot and prints each step's outcome, on a tenant that lets
/// botline create resource accounts itself (see [`run_with_connection`]).
pub async fn run(
    client: Client,
    args: AssignArgs,
    timing: wizard::Timing,
) -> color_eyre::Result<()> {
    run_with_connection(client, args, timing, Connection::default()).await
}

/// Runs the three steps over a given [`Connection`]. When step 1 needs PowerShell (app-only
/// sign-in, or a refused create call), the commands are printed and the command waits until
/// the account appears.
pub async fn run_with_connection(
    client: Client,
    args: AssignArgs,
    timing: wizard::Timing,
    connection: Connection,
) -> color_eyre::Result<()> {
    let form = Form {
        upn: args.upn.to_string(),
        app_id: args.app_id.to_string(),
        display_name: args.display_name,
        usage_location: args.usage_location.to_string(),
        number: args.number.to_string(),
        number_type: args.number_type,
    };
    let mut stdout = io::stdout().lock();
    let finished = wizard::run_to_completion_with(&client, form, timing, connection, |line| {
        // A closed stdout (such as `| head`) must not stop the assignment half-way.
        let _ = writeln!(stdout, "{line}");
    })
    .await
    .map_err(|reason| eyre!(reason))?;

    let facts = &finished.facts;
    let number = facts.chosen.as_ref();
    let summary = format!(
        "{} holds {} ({}, {})",
        finished.form.upn.trim().to_ascii_lowercase(),
        number.map_or("no number", |record| record.telephone_number.as_str()),
        number
            .and_then(|record| record.number_type.as_ref())
            .map_or("unknown type", |kind| kind.label()),
        number
            .and_then(|record| record.activation_state.as_ref())
            .map_or("unknown state", |state| state.as_str()),
    );
    let _ = writeln!(stdout, "{summary}");
    Ok(())
}
