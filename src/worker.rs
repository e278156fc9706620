//! The API task: it owns the [`Client`], runs [`Command`]s one after another or side by side,
//! and sends back [`ApiEvent`]s tagged with the command's [`RequestId`].
//!
//! The UI never awaits the network: it sends a command and keeps drawing. A reply whose id is
//! no longer the one the UI waits for is dropped by the UI.
//!
//! While a command runs, every retry of one of its HTTP requests (after throttling or an
//! outage) is sent as [`Reply::Retry`] with the command's id, so the UI can show the wait.
//! Sign-in notices of a device-code sign-in belong to no command; they arrive as
//! [`Reply::SignIn`] tagged [`RequestId::UNSOLICITED`].

use std::sync::Arc;

use tokio::sync::mpsc;

use crate::client::{ApiError, Client, RetryNotice, SignInNotice};
use crate::manage;
use crate::model::TenantView;
use crate::wire::graph::LicenseDetails;
use crate::wizard::{self, Effect, Outcome};

/// Tag that pairs a reply with its command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

impl RequestId {
    /// Tag of replies that belong to no command, such as sign-in notices. The UI numbers its
    /// commands from 1, so this id is never awaited.
    pub const UNSOLICITED: RequestId = RequestId(0);
}

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
    /// One HTTP request of the command is about to be sent again after a wait; the command
    /// goes on and ends with its usual reply.
    Retry(RetryNotice),
    /// A change in a device-code sign-in that a request started, such as the code to
    /// enter; tagged [`RequestId::UNSOLICITED`].
    SignIn(SignInNotice),
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

tokio::task_local! {
    /// Id of the command that the current task runs, which tags its retry notices.
    static CURRENT_COMMAND: RequestId;
}

/// Starts the API task on the current tokio runtime.
///
/// Each command runs in its own task, so a slow list does not hold up a wizard step. The task
/// ends when the UI drops its command sender. The task replaces any retry and sign-in
/// callbacks set on `client` with ones that send [`Reply::Retry`] and [`Reply::SignIn`].
pub fn spawn(client: Client) -> WorkerHandle {
    let (command_tx, mut command_rx) = mpsc::unbounded_channel::<Command>();
    let (event_tx, event_rx) = mpsc::unbounded_channel();
    forward_retries(&client, &event_tx);
    forward_sign_ins(&client, &event_tx);
    tokio::spawn(async move {
        while let Some(command) = command_rx.recv().await {
            let client = client.clone();
            let events = event_tx.clone();
            let id = command.id;
            tokio::spawn(CURRENT_COMMAND.scope(id, async move {
                run(&client, command, events).await;
            }));
        }
        tracing::debug!("API task stopped");
    });
    WorkerHandle {
        commands: command_tx,
        events: event_rx,
    }
}

/// Sends each retry of a command's requests to the UI, tagged with the command's id.
///
/// The client calls its retry callback on the task that makes the request, so the task-local
/// command id names the command. The callback holds only a weak sender, so the client, which
/// may outlive the API task, does not keep the event channel open.
fn forward_retries(client: &Client, events: &mpsc::UnboundedSender<ApiEvent>) {
    let events = events.downgrade();
    client.on_retry(move |notice| {
        let Ok(id) = CURRENT_COMMAND.try_with(|id| *id) else {
            return;
        };
        if let Some(events) = events.upgrade() {
            // A closed channel means the UI is gone, so the notice has no reader.
            let _ = events.send(ApiEvent {
                id,
                reply: Reply::Retry(notice.clone()),
            });
        }
    });
}

/// Sends each sign-in notice as [`Reply::SignIn`]; the sender is weak, so the channel still
/// closes when the task ends.
fn forward_sign_ins(client: &Client, events: &mpsc::UnboundedSender<ApiEvent>) {
    let events = events.downgrade();
    client.on_sign_in(move |notice| {
        if let Some(events) = events.upgrade() {
            // A closed channel means the UI is gone, so the notice has no reader.
            let _ = events.send(ApiEvent {
                id: RequestId::UNSOLICITED,
                reply: Reply::SignIn(notice.clone()),
            });
        }
    });
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
