//! `botline unassign`: unassigns the number an account holds, without the interactive
//! screens.
//!
//! It finds the account and the numbers it holds, then drives the same management machine as
//! the TUI for each number, printing every action and poll on stdout. A failure ends the
//! command with the machine's one-sentence reason, which `main` prints on stderr.

use std::io::{self, Write};

use color_eyre::eyre::{eyre, WrapErr};

use crate::client::Client;
use crate::manage::{self, plan, Account, Operation};
use crate::model::Upn;
use crate::wizard::Timing;

/// Unassigns every number `upn` holds and prints what it did.
pub async fn run(
    client: &Client,
    upn: &Upn,
    timing: Timing,
    program: &str,
) -> color_eyre::Result<()> {
    let user = client
        .user_by_upn(upn)
        .await
        .wrap_err_with(|| format!("failed to look up {upn}"))?
        .ok_or_else(|| {
            eyre!("no account has the user principal name {upn}; list the bots with `{program} report`")
        })?;
    let held = client
        .numbers_held_by(&user.id)
        .await
        .wrap_err_with(|| format!("failed to read the numbers of {upn}"))?;
    let mut stdout = io::stdout().lock();
    if held.items.is_empty() {
        let _ = writeln!(stdout, "{upn} holds no number, so nothing was unassigned.");
        return Ok(());
    }
    for record in &held.items {
        let number = plan::number_ref(record).map_err(|reason| eyre!(reason))?;
        let operation = Operation::Unassign {
            holder: Account {
                object_id: user.id.clone(),
                upn: upn.to_string(),
            },
            number,
        };
        let task = manage::run_to_completion(client, operation, timing.clone(), |line| {
            // A closed stdout (such as `| head`) must not stop the unassignment half-way.
            let _ = writeln!(stdout, "{line}");
        })
        .await
        .map_err(|reason| eyre!(reason))?;
        if let manage::Phase::Done { summary } = &task.phase {
            let _ = writeln!(stdout, "{summary}");
        }
    }
    Ok(())
}
