//! Drives the wizard to the end without a terminal, for the `assign` command.
//!
//! The form must be filled in advance. Each step is submitted once when the wizard waits for
//! input. A rejected submit or a failed step ends the run with the wizard's own reason. When
//! step 1 needs PowerShell, the commands are reported once and the run waits, polling, until
//! the account appears.

use super::{execute, Connection, Form, Input, Phase, Step, Timing, Wizard, ALREADY_MAPPED_HINT};
use crate::client::Client;

/// Runs every step of the wizard for a filled form, as a tenant that lets botline create
/// resource accounts itself (see [`run_to_completion_with`]).
///
/// `report` receives each finished action and each new activity as one line. Returns the
/// finished wizard, or the one-sentence reason the run stopped.
pub async fn run_to_completion(
    client: &Client,
    form: Form,
    timing: Timing,
    report: impl FnMut(&str),
) -> Result<Wizard, String> {
    run_to_completion_with(client, form, timing, Connection::default(), report).await
}

/// Runs every step of the wizard for a filled form over a given [`Connection`]; with
/// app-only sign-in, step 1 reports the PowerShell commands and waits for the account.
pub async fn run_to_completion_with(
    client: &Client,
    form: Form,
    timing: Timing,
    connection: Connection,
    mut report: impl FnMut(&str),
) -> Result<Wizard, String> {
    let mut wizard = Wizard::with_form(form, timing).with_connection(connection);
    let mut submitted: Vec<Step> = Vec::new();
    let mut effects = Vec::new();
    let mut logged = 0;
    let mut last_activity = String::new();
    let mut manual_reported = false;
    loop {
        for line in &wizard.log[logged..] {
            report(line);
        }
        logged = wizard.log.len();
        match &wizard.facts.manual {
            Some(manual) if !manual_reported => {
                report(&manual.reason);
                for command in &manual.commands {
                    report(&format!("    {command}"));
                }
                report(ALREADY_MAPPED_HINT);
                manual_reported = true;
            }
            Some(_) => {}
            None => manual_reported = false,
        }
        if let Phase::Working { activity } | Phase::Waiting { activity, .. } = &wizard.phase {
            if *activity != last_activity {
                report(&format!("{activity}…"));
                last_activity = activity.clone();
            }
        }

        if let Some((ticket, effect)) = effects.pop() {
            let outcome = execute(client, effect).await;
            effects = wizard.update(Input::Outcome(ticket, outcome));
            continue;
        }
        match &wizard.phase {
            Phase::Done => return Ok(wizard),
            Phase::Failed { reason, .. } => return Err(reason.clone()),
            Phase::Editing { error: Some(error) } => return Err(error.clone()),
            Phase::Editing { error: None } if !submitted.contains(&wizard.step) => {
                submitted.push(wizard.step);
                effects = wizard.update(Input::Submit);
            }
            Phase::Editing { error: None } | Phase::Working { .. } | Phase::Waiting { .. } => {
                return Err(format!(
                    "step {} stopped without an answer; run the command again",
                    wizard.step.title()
                ));
            }
        }
    }
}
