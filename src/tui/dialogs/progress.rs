//! The progress dialog of a running change: finished actions, the current one with a
//! spinner and its poll count, and the result once it ends.

use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::Frame;

use super::render_lines;
use crate::manage::{Phase, Task};
use crate::tui::theme::Theme;

/// A change to the tenant, running or finished.
#[derive(Debug)]
pub struct ProgressDialog {
    /// The change and where it is.
    pub task: Task,
}

impl ProgressDialog {
    /// Draws the log, then the current activity or the result.
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, spinner: &str) {
        let task = &self.task;
        let mut lines: Vec<Line<'static>> = task
            .log
            .iter()
            .map(|line| Line::styled(format!("✓ {line}"), theme.ok()))
            .collect();
        match &task.phase {
            Phase::Working { activity } => {
                lines.push(Line::styled(
                    format!("{spinner} {activity}…"),
                    theme.warning(),
                ));
            }
            Phase::Waiting {
                activity,
                attempt,
                max_attempts,
            } => lines.push(Line::styled(
                format!("{spinner} {activity}… (check {attempt} of {max_attempts})"),
                theme.warning(),
            )),
            Phase::Done { summary } => {
                lines.push(Line::default());
                lines.push(Line::styled(format!("✓ {summary}"), theme.ok()));
            }
            Phase::Failed { reason } => {
                lines.push(Line::default());
                lines.push(Line::styled(format!("✗ {reason}"), theme.danger()));
            }
            Phase::Stopped { note } => {
                lines.push(Line::default());
                lines.push(Line::styled(format!("! {note}"), theme.warning()));
            }
        }
        lines.push(Line::default());
        let keys = if task.is_finished() {
            "Enter or Esc closes and loads the tenant again."
        } else {
            "Esc stops waiting; what Teams started goes on."
        };
        lines.push(Line::styled(keys, theme.muted()));
        render_lines(frame, area, theme, task.operation.title(), lines);
    }
}
