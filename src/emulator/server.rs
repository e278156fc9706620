//! The server's shared state and its routes.
//!
//! [`Shared`] holds the tenant behind a tokio mutex that every handler takes only for a
//! short synchronous section through [`Shared::read`] or [`Shared::write`]; it is never held
//! across an `.await`. Those two also settle due number changes and save the state file
//! after a change.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::http::{HeaderMap, Method, Uri};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::Router;
use tokio::sync::Mutex;

use super::auth::{self, AuthStore};
use super::clock::Clock;
use super::errors::{request_context, ApiFailure};
use super::faults::{self, FaultBook};
use super::persist::{self, StateFile};
use super::state::TenantState;
use super::{control, graph_licenses, graph_numbers, graph_users, teams, Timing};

/// State every handler reaches through `State<Arc<Shared>>`.
#[derive(Debug)]
pub struct Shared {
    store: Mutex<Store>,
    /// Emulated time.
    pub clock: Clock,
    /// Delays of the asynchronous steps.
    pub timing: Timing,
    /// Address the server listens on.
    pub addr: SocketAddr,
    /// Tokens, refresh tokens and device codes.
    pub auth: Mutex<AuthStore>,
    /// Faults waiting to be injected.
    pub faults: Mutex<FaultBook>,
    state_file: Option<Arc<StateFile>>,
}

/// The tenant and a counter of its changes.
#[derive(Debug)]
struct Store {
    state: TenantState,
    version: u64,
}

impl Store {
    /// Counts a change and returns the state's bytes when a file stores them.
    fn snapshot(&mut self, file: Option<&Arc<StateFile>>) -> Option<(u64, Vec<u8>)> {
        self.version += 1;
        file.map(|_| (self.version, persist::encode(&self.state)))
    }
}

impl Shared {
    /// Wraps a tenant state.
    pub fn new(
        state: TenantState,
        timing: Timing,
        addr: SocketAddr,
        state_file: Option<StateFile>,
    ) -> Self {
        Shared {
            store: Mutex::new(Store { state, version: 0 }),
            clock: Clock::default(),
            timing,
            addr,
            auth: Mutex::new(AuthStore::default()),
            faults: Mutex::new(FaultBook::default()),
            state_file: state_file.map(Arc::new),
        }
    }

    /// Runs `read` on the settled state with the current time in unix milliseconds.
    pub async fn read<T>(&self, read: impl FnOnce(&TenantState, u64) -> T) -> T {
        let now_ms = self.clock.now_ms();
        let (result, snapshot) = {
            let mut store = self.store.lock().await;
            let settled = store.state.settle(now_ms);
            let result = read(&store.state, now_ms);
            let snapshot = settled
                .then(|| store.snapshot(self.state_file.as_ref()))
                .flatten();
            (result, snapshot)
        };
        self.save(snapshot).await;
        result
    }

    /// Runs `change` on the settled state and saves it unless `change` failed.
    ///
    /// `change` must check everything before it modifies the state, because a failure does
    /// not roll back.
    pub async fn write<T, E>(
        &self,
        change: impl FnOnce(&mut TenantState, u64) -> Result<T, E>,
    ) -> Result<T, E> {
        let now_ms = self.clock.now_ms();
        let (result, snapshot) = {
            let mut store = self.store.lock().await;
            let settled = store.state.settle(now_ms);
            let result = change(&mut store.state, now_ms);
            let snapshot = (settled || result.is_ok())
                .then(|| store.snapshot(self.state_file.as_ref()))
                .flatten();
            (result, snapshot)
        };
        self.save(snapshot).await;
        result
    }

    /// Writes the state file now, whether or not anything changed.
    pub async fn save_now(&self) {
        let snapshot = {
            let mut store = self.store.lock().await;
            store.snapshot(self.state_file.as_ref())
        };
        self.save(snapshot).await;
    }

    async fn save(&self, snapshot: Option<(u64, Vec<u8>)>) {
        let (Some(file), Some((version, bytes))) = (self.state_file.clone(), snapshot) else {
            return;
        };
        let path = file.path().display().to_string();
        let written =
            tokio::task::spawn_blocking(move || file.write_version(version, &bytes)).await;
        match written {
            Ok(Ok(())) => {}
            Ok(Err(error)) => {
                tracing::error!(%path, %error, "cannot write the emulator's tenant state");
            }
            Err(error) => {
                tracing::error!(%path, %error, "writing the emulator's tenant state failed");
            }
        }
    }

    /// Returns the base address clients use, from the request's `Host` header when it has
    /// one, else from the listening address.
    pub fn base_url(&self, headers: &HeaderMap) -> String {
        let host = headers
            .get(axum::http::header::HOST)
            .and_then(|value| value.to_str().ok())
            .filter(|host| !host.is_empty());
        match host {
            Some(host) => format!("http://{host}"),
            None => format!("http://{}", self.addr),
        }
    }
}

/// Builds every route of the emulator.
pub fn router(shared: Arc<Shared>) -> Router {
    let graph = Router::new()
        .merge(graph_users::routes())
        .merge(graph_licenses::routes())
        .merge(graph_numbers::routes())
        .route_layer(from_fn_with_state(shared.clone(), auth::require_graph));
    let teams =
        teams::routes().route_layer(from_fn_with_state(shared.clone(), auth::require_teams));
    Router::new()
        .nest("/v1.0", graph)
        .merge(teams)
        .merge(auth::routes())
        .merge(control::routes())
        .fallback(unknown_route)
        .layer(from_fn_with_state(shared.clone(), faults::inject))
        .layer(from_fn(request_context))
        .with_state(shared)
}

async fn unknown_route(method: Method, uri: Uri) -> ApiFailure {
    ApiFailure::not_found(
        "NotFound",
        format!("The emulator has no route for {method} {}.", uri.path()),
    )
}
