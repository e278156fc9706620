//! The API task: it owns the [`Client`], runs [`Command`]s one after another or side by side,
//! and sends back [`ApiEvent`]s tagged with the command's [`RequestId`].
//!
//! The UI never awaits the network: it sends a command and keeps drawing. A reply whose id is
//! no longer the one the UI waits for is dropped by the UI.

use std::sync::Arc;

use tokio::sync::mpsc;

use crate::client::{ApiError, Client};
use crate::manage;
use crate::model::TenantView;
use crate::wire::graph::LicenseDetails;
use crate::wizard::{self, Effect, Outcome};

/// Tag that pairs a reply with its command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

/// Work for the API task.
#[derive(Debug, Clone)]
pub enum Request {
    /// Load instances, users, numbers and SKUs, and join them.
    LoadTenant,
    /// Run one step of the wizard.
    Wizard(wizard::Ticket, Effect),
    /// Run one step of a management operation.
    Manage(wizard::Ticket, manage::Effect),
    /// Read one account's licenses with each plan's provisioning state.
    LicenseDetails {
        /// Object id of the account.
        object_id: String,
    },
}

/// A request with its tag.
#[derive(Debug, Clone)]
pub struct Command {
    /// Tag echoed in the reply.
    pub id: RequestId,
    /// The work.
    pub request: Request,
}

/// A reply from the API task.
#[derive(Debug)]
#[expect(
    clippy::large_enum_variant,
    reason = "one reply is moved per HTTP call, so its size costs nothing measurable"
)]
pub enum Reply {
    /// Records of one list loaded so far, while [`Request::LoadTenant`] runs.
    Progress {
        /// Name of the list, such as "numbers".
        list: &'static str,
        /// Records loaded so far.
        loaded: usize,
    },
    /// The joined tenant, or why it could not be loaded.
    Tenant(Result<TenantView, ApiError>),
    /// The outcome of a wizard effect.
    Wizard(wizard::Ticket, Outcome),
    /// The outcome of a management effect.
    Manage(wizard::Ticket, manage::Outcome),
    /// One account's licenses, or why they could not be read.
    LicenseDetails {
        /// Object id of the account.
        object_id: String,
        /// Its licenses.
        result: Result<Vec<LicenseDetails>, ApiError>,
    },
}

/// A reply with the tag of its command.
#[derive(Debug)]
pub struct ApiEvent {
    /// Tag of the command this reply belongs to.
    pub id: RequestId,
    /// The answer.
    pub reply: Reply,
}

/// Both ends the UI holds.
pub struct WorkerHandle {
    /// Sends commands to the API task.
    pub commands: mpsc::UnboundedSender<Command>,
    /// Receives replies from it.
    pub events: mpsc::UnboundedReceiver<ApiEvent>,
}

/// Starts the API task on the current tokio runtime.
///
/// Each command runs in its own task, so a slow list does not hold up a wizard step. The task
/// ends when the UI drops its command sender.
pub fn spawn(client: Client) -> WorkerHandle {
    let (command_tx, mut command_rx) = mpsc::unbounded_channel::<Command>();
    let (event_tx, event_rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(command) = command_rx.recv().await {
            let client = client.clone();
            let events = event_tx.clone();
            tokio::spawn(async move {
                run(&client, command, events).await;
            });
        }
        tracing::debug!("API task stopped");
    });
    WorkerHandle {
        commands: command_tx,
        events: event_rx,
    }
}

async fn run(client: &Client, command: Command, events: mpsc::UnboundedSender<ApiEvent>) {
    let id = command.id;
    let reply = match command.request {
        Request::LoadTenant => {
            let progress_events = events.clone();
            let progress = Arc::new(move |list: &'static str, loaded: usize| {
                // A closed channel means the UI is gone, so the progress has no reader.
                let _ = progress_events.send(ApiEvent {
                    id,
                    reply: Reply::Progress { list, loaded },
                });
            });
            Reply::Tenant(client.tenant_view_with_progress(progress).await)
        }
        Request::Wizard(ticket, effect) => {
            Reply::Wizard(ticket, wizard::execute(client, effect).await)
        }
        Request::Manage(ticket, effect) => {
            Reply::Manage(ticket, manage::execute(client, effect).await)
        }
        Request::LicenseDetails { object_id } => {
            let result = client.license_details(&object_id).await;
            Reply::LicenseDetails { object_id, result }
        }
    };
    if let Err(error) = &reply_result(&reply) {
        tracing::warn!(request = id.0, %error, "request failed");
    }
    let _ = events.send(ApiEvent { id, reply });
}

fn reply_result(reply: &Reply) -> Result<(), &ApiError> {
    match reply {
        Reply::Tenant(Err(error))
        | Reply::Wizard(_, Outcome::Failed(error))
        | Reply::Manage(_, manage::Outcome::Failed(error))
        | Reply::LicenseDetails {
            result: Err(error), ..
        } => Err(error),
        _ => Ok(()),
    }
}
