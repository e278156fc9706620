//! Runs a management operation to the end without a terminal, for the `unassign` command.

use super::{execute, Input, Operation, Phase, Task};
use crate::client::Client;
use crate::wizard::Timing;

/// Runs every step of `operation`.
///
/// `report` receives each finished action, each new activity and each poll as one line.
/// Returns the finished task, or the one-sentence reason it stopped.
pub async fn run_to_completion(
    client: &Client,
    operation: Operation,
    timing: Timing,
    mut report: impl FnMut(&str),
) -> Result<Task, String> {
    let (mut task, mut effects) = Task::start(operation, timing);
    let mut logged = 0;
    let mut last_phase: Option<Phase> = None;
    loop {
        for line in &task.log[logged..] {
            report(line);
        }
        logged = task.log.len();
        if last_phase.as_ref() != Some(&task.phase) {
            match &task.phase {
                Phase::Working { activity } => report(&format!("{activity}…")),
                Phase::Waiting {
                    activity,
                    attempt,
                    max_attempts,
                } => report(&format!("{activity}… (check {attempt} of {max_attempts})")),
                _ => {}
            }
            last_phase = Some(task.phase.clone());
        }

        if let Some((ticket, effect)) = effects.pop() {
            let outcome = execute(client, effect).await;
            effects = task.update(Input::Outcome(ticket, outcome));
            continue;
        }
        return match &task.phase {
            Phase::Done { .. } => Ok(task),
            Phase::Failed { reason } => Err(reason.clone()),
            Phase::Stopped { note } => Err(note.clone()),
            Phase::Working { .. } | Phase::Waiting { .. } => {
                Err("the operation stopped without an answer; run the command again".to_owned())
            }
        };
    }
}
