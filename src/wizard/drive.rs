//! Drives the wizard to the end without a terminal, for the `assign` command.
//!
//! The form must be filled in advance. Each step is submitted once when the wizard waits for
//! input; a rejected submit or a failed step ends the run with the wizard's own reason.

use super::{execute, Form, Input, Phase, Step, Timing, Wizard};
use crate::client::Client;

/// Runs every step of the wizard for a filled form.
///
/// `report` receives each finished action and each new activity as one line. Returns the
/// finished wizard, or the one-sentence reason the run stopped.
pub async fn run_to_completion(
    client: &Client,
    form: Form,
    timing: Timing,
    mut report: impl FnMut(&str),
) -> Result<Wizard, String> {
    let mut wizard = Wizard::with_form(form, timing);
    let mut submitted: Vec<Step> = Vec::new();
    let mut effects = Vec::new();
    let mut logged = 0;
    let mut last_activity = String::new();
    loop {
        for line in &wizard.log[logged..] {
            report(line);
        }
        logged = wizard.log.len();
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
