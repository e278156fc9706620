//! Management operations in the TUI: starting a confirmed [`Operation`], sending its effects
//! to the API task, feeding the outcomes back to its [`Task`], and the replies with an
//! instance's licenses. A reply whose request is no longer current is dropped here.

use super::{App, Status};
use crate::client::ApiError;
use crate::manage::{self, Effect, Input, Operation, Phase, Task};
use crate::tui::dialogs::{Dialog, ProgressDialog};
use crate::tui::loadable::Loadable;
use crate::wire::graph::LicenseDetails;
use crate::wizard::Ticket;
use crate::worker::{Command, Request, RequestId};

impl App {
    /// Starts a change and shows its progress.
    pub(super) fn start_operation(&mut self, operation: Operation) {
        if self.read_only {
            return;
        }
        tracing::info!(?operation, "starting a change");
        let (task, effects) = Task::start(operation, self.wizard_timing.clone());
        self.manage_requests.clear();
        self.dialog = Some(Dialog::Progress(ProgressDialog { task }));
        self.send_manage_effects(effects);
    }

    fn send_manage_effects(&mut self, effects: Vec<(Ticket, Effect)>) {
        for (ticket, effect) in effects {
            let id = self.next_request_id();
            self.manage_requests.insert(id);
            self.outbox.push(Command {
                id,
                request: Request::Manage(ticket, effect),
            });
        }
    }

    pub(super) fn on_manage_outcome(
        &mut self,
        id: RequestId,
        ticket: Ticket,
        outcome: manage::Outcome,
    ) {
        if !self.manage_requests.remove(&id) {
            tracing::debug!(
                request = id.0,
                "dropped a reply of a change no longer followed"
            );
            return;
        }
        let Some(Dialog::Progress(progress)) = &mut self.dialog else {
            return;
        };
        let effects = progress.task.update(Input::Outcome(ticket, outcome));
        if let Phase::Failed { reason } = &progress.task.phase {
            tracing::warn!(%reason, "a change failed");
        }
        self.send_manage_effects(effects);
    }

    /// Closes a finished change, and loads the tenant again when it changed anything.
    pub(super) fn close_progress(&mut self) {
        let Some(Dialog::Progress(progress)) = self.dialog.take() else {
            return;
        };
        self.manage_requests.clear();
        let task = progress.task;
        if task.changed_tenant {
            self.reload();
        }
        let (text, is_error) = match task.phase {
            Phase::Done { summary } => (summary, false),
            Phase::Failed { reason } => (reason, true),
            Phase::Stopped { note } => (note, false),
            Phase::Working { .. } | Phase::Waiting { .. } => return,
        };
        self.status = Some(Status { text, is_error });
    }

    pub(super) fn on_license_details(
        &mut self,
        id: RequestId,
        object_id: String,
        result: Result<Vec<LicenseDetails>, ApiError>,
    ) {
        let Some(instance) = &mut self.licenses.instance else {
            return;
        };
        if instance.request != Some(id) || instance.object_id != object_id {
            tracing::debug!(request = id.0, "dropped a stale license reply");
            return;
        }
        instance.request = None;
        instance.state = match result {
            Ok(licenses) => Loadable::Loaded(licenses),
            Err(error) => {
                let message = error.to_string();
                Loadable::Failed(message.lines().next().unwrap_or_default().to_owned())
            }
        };
    }
}
