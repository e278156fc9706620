//! A loopback HTTP server that speaks the wire surface of Microsoft Graph, the Teams admin
//! API and the login endpoints, backed by a tenant state file.
//!
//! `--demo` and the tests start it in-process on an ephemeral loopback port and point the
//! live client at it, so both exercise the real client. One server serves all three hosts
//! by path:
//!
//! - login: `POST /{tenant}/oauth2/v2.0/token` and `/devicecode`;
//! - Graph: everything under `/v1.0`;
//! - Teams admin API: `/Teams.PlatformService/v2/ApplicationInstances`.
//!
//! Test hooks live under `/_emulator` (faults, device-code approval, the clock, the state);
//! the same hooks exist as methods on [`Emulator`]. The practice tenant it starts from is
//! described in [`seed`].

mod auth;
mod clock;
mod control;
mod errors;
mod faults;
pub mod filter;
mod graph_licenses;
mod graph_numbers;
mod graph_users;
mod number_changes;
mod paging;
mod persist;
pub mod seed;
mod server;
pub mod state;
mod teams;
mod views;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::oneshot;
use url::Url;

use crate::client::{Credentials, Endpoints};

pub use auth::SignInRequest;
pub use faults::{Fault, FaultKind};
pub use seed::practice_tenant;
pub use state::TenantState;

/// Tenant id the emulator's practice tenant answers to.
pub const DEMO_TENANT_ID: &str = "9d2c6f1e-4b7a-4c3e-8f5d-2a1b0c9e8d7f";
/// Client id the emulator accepts for client-credential and device-code sign-in.
pub const DEMO_CLIENT_ID: &str = "5e0f3d2c-1b4a-4e6f-9a8b-7c6d5e4f3a2b";
/// Client secret the emulator accepts; it protects nothing outside the emulator.
pub const DEMO_CLIENT_SECRET: &str = "practice-tenant-secret";

/// Maximum wait for requests in flight when the emulator shuts down.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(1);

/// How long the emulated tenant takes for its asynchronous steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timing {
    /// From assignNumber or unassignNumber until the operation finishes.
    pub assignment_delay: Duration,
    /// From assignLicense until the phone plan is provisioned.
    pub license_delay: Duration,
    /// From creating an instance until reads find it.
    pub replication_delay: Duration,
}

impl Timing {
    /// Returns delays of zero, so every step finishes at once.
    pub fn instant() -> Self {
        Timing {
            assignment_delay: Duration::ZERO,
            license_delay: Duration::ZERO,
            replication_delay: Duration::ZERO,
        }
    }

    /// Returns delays short enough for a demo and long enough to show the waiting states:
    /// 3 s for number operations, 2 s for license provisioning, none for replication.
    pub fn demo() -> Self {
        Timing {
            assignment_delay: Duration::from_secs(3),
            license_delay: Duration::from_secs(2),
            replication_delay: Duration::ZERO,
        }
    }
}

/// Settings of one emulator run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Address to listen on; must be loopback unless `allow_non_loopback` is set.
    pub listen: SocketAddr,
    /// File that contains the tenant state; created from the seed when missing.
    pub state_file: Option<PathBuf>,
    /// Delays of the asynchronous steps.
    pub timing: Timing,
    /// Allows a listening address outside loopback, which exposes the practice tenant and
    /// its published secret to the network.
    pub allow_non_loopback: bool,
}

impl Default for Options {
    /// Listens on an ephemeral port of 127.0.0.1, keeps no state file, and uses
    /// [`Timing::demo`].
    fn default() -> Self {
        Options {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            state_file: None,
            timing: Timing::demo(),
            allow_non_loopback: false,
        }
    }
}

/// A running emulator; dropping it stops the server.
pub struct Emulator {
    addr: SocketAddr,
    shared: Arc<server::Shared>,
    stop: Option<oneshot::Sender<()>>,
    served: Option<tokio::task::JoinHandle<()>>,
    /// Lock on the state file, released when the emulator is dropped.
    _state_lock: Option<std::fs::File>,
}

impl Emulator {
    /// Starts the server and returns once it accepts connections.
    ///
    /// The tenant comes from `options.state_file` when that file exists, else from the
    /// practice tenant, which is then written to the file.
    ///
    /// The state file stays locked while the emulator runs; a second emulator on the same
    /// file fails to start with an error that says so.
    pub async fn start(options: Options) -> std::io::Result<Emulator> {
        let lock = options
            .state_file
            .as_deref()
            .map(persist::lock)
            .transpose()?;
        let loaded = match &options.state_file {
            Some(path) => persist::load(path)?,
            None => None,
        };
        let from_file = loaded.is_some();
        let state = loaded.unwrap_or_else(practice_tenant);
        Self::launch(options, state, !from_file, lock).await
    }

    /// Starts the server on a given tenant state, ignoring the state file's contents and
    /// replacing them.
    pub async fn start_with_state(
        options: Options,
        state: TenantState,
    ) -> std::io::Result<Emulator> {
        let lock = options
            .state_file
            .as_deref()
            .map(persist::lock)
            .transpose()?;
        Self::launch(options, state, true, lock).await
    }

    async fn launch(
        options: Options,
        state: TenantState,
        write_first: bool,
        state_lock: Option<std::fs::File>,
    ) -> std::io::Result<Emulator> {
        check_listen_address(&options)?;
        let listener = tokio::net::TcpListener::bind(options.listen).await?;
        let addr = listener.local_addr()?;
        let state_file = options.state_file.clone().map(persist::StateFile::new);
        let shared = Arc::new(server::Shared::new(
            state,
            options.timing.clone(),
            addr,
            state_file,
        ));
        if write_first {
            shared.save_now().await;
        }
        let app = server::router(shared.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let served = tokio::spawn(async move {
            let shutdown = async {
                // Either a stop signal or a dropped sender ends the server.
                let _ = stopped.await;
            };
            if let Err(error) = axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await
            {
                tracing::error!(%error, "emulator server failed");
            }
        });
        tracing::info!(%addr, "emulator listening");
        Ok(Emulator {
            addr,
            shared,
            stop: Some(stop),
            served: Some(served),
            _state_lock: state_lock,
        })
    }

    /// Returns the address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Returns the endpoints a client uses to reach it: login and Teams at
    /// `http://{addr}`, Graph at `http://{addr}/v1.0`.
    ///
    /// `Url` adds a trailing `/` to a bare host (`http://127.0.0.1:8080/`), so clients build
    /// request addresses by trimming the trailing `/` from the base and appending a path
    /// that starts with `/`, not with [`Url::join`], which would drop the `/v1.0` segment.
    pub fn endpoints(&self) -> Endpoints {
        let root = format!("http://{}", self.addr);
        let parse = |text: &str| Url::parse(text).expect("a socket address forms a valid URL");
        Endpoints {
            login: parse(&root),
            graph: parse(&format!("{root}/v1.0")),
            teams: parse(&root),
        }
    }

    /// Returns credentials the emulator accepts.
    pub fn credentials() -> Credentials {
        Credentials::ClientSecret {
            tenant_id: DEMO_TENANT_ID.to_owned(),
            client_id: DEMO_CLIENT_ID.to_owned(),
            client_secret: DEMO_CLIENT_SECRET.to_owned(),
        }
    }

    /// Adds a fault to inject into matching requests.
    pub async fn inject(&self, fault: Fault) {
        self.shared.faults.lock().await.add(fault);
    }

    /// Removes every fault not injected yet.
    pub async fn clear_faults(&self) {
        self.shared.faults.lock().await.clear();
    }

    /// Approves a pending device code, as the admin signing in would; returns false when no
    /// pending code has this user code.
    pub async fn approve_device_code(&self, user_code: &str) -> bool {
        let now_ms = self.shared.clock.now_ms();
        self.shared
            .auth
            .lock()
            .await
            .decide(user_code, true, now_ms)
    }

    /// Declines a pending device code; returns false when no pending code has this user
    /// code.
    pub async fn decline_device_code(&self, user_code: &str) -> bool {
        let now_ms = self.shared.clock.now_ms();
        self.shared
            .auth
            .lock()
            .await
            .decide(user_code, false, now_ms)
    }

    /// Returns the token and device-code requests received so far (grant type and scope),
    /// oldest first.
    pub async fn sign_in_requests(&self) -> Vec<SignInRequest> {
        self.shared.auth.lock().await.requests().to_vec()
    }

    /// Moves the emulated clock forward, finishing every step due within `by` and expiring
    /// tokens and device codes that run out within it.
    pub fn advance_clock(&self, by: Duration) {
        self.shared.clock.advance(by);
    }

    /// Returns a copy of the tenant as it is now.
    pub async fn state(&self) -> TenantState {
        self.shared.read(|state, _| state.clone()).await
    }

    /// Changes the tenant directly, bypassing the HTTP rules, and saves it.
    pub async fn edit_state(&self, edit: impl FnOnce(&mut TenantState)) {
        self.shared
            .write(|state, _| {
                edit(state);
                Ok::<(), std::convert::Infallible>(())
            })
            .await
            .unwrap_or_else(|never| match never {});
    }

    /// Stops the server and waits until its open connections have closed.
    ///
    /// Requests in flight get [`SHUTDOWN_GRACE`] to finish; a slower one (such as a request
    /// held by an injected delay) is cut off, which leaves the state file whole because every
    /// change is written to a temporary file and renamed.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut served) = self.served.take() {
            if tokio::time::timeout(SHUTDOWN_GRACE, &mut served)
                .await
                .is_err()
            {
                tracing::warn!("emulator requests still running at shutdown were cut off");
                served.abort();
            }
        }
    }
}

impl Drop for Emulator {
    /// Signals the server to stop; it finishes the requests in flight on its own.
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Rejects a listening address outside loopback unless the options allow it.
fn check_listen_address(options: &Options) -> std::io::Result<()> {
    if options.listen.ip().is_loopback() || options.allow_non_loopback {
        return Ok(());
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        format!(
            "the emulator listens only on loopback, but {} was requested; use 127.0.0.1 or \
             [::1], or set allow_non_loopback to expose the practice tenant and its published \
             secret to the network",
            options.listen
        ),
    ))
}
