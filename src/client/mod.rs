//! The live client: Microsoft Graph v1.0, the Teams admin API and the login endpoints over
//! reqwest.
//!
//! The same code talks to a real tenant and to the built-in emulator; only [`Endpoints`]
//! differ. Every method is async and returns an [`ApiError`] that carries the HTTP status,
//! Graph's error code and `request-id` when there is one.

mod auth;
mod error;
mod graph;
mod http;
mod numbers;
mod paging;
mod retry;
mod routes;
mod teams;
mod tenant;

pub use error::ApiError;
pub use retry::{RetryNotice, RetryObserver};

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use url::Url;

use auth::TokenCache;

/// Base addresses of the three services botline talks to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// Login host, such as `https://login.microsoftonline.com`.
    pub login: Url,
    /// Graph base including the version, such as `https://graph.microsoft.com/v1.0`.
    pub graph: Url,
    /// Teams admin API host, such as `https://api.interfaces.records.teams.microsoft.com`.
    pub teams: Url,
}

/// How botline signs in. Its `Debug` output hides the secret.
#[derive(Clone)]
pub enum Credentials {
    /// App-only sign-in with a client secret.
    ClientSecret {
        /// Directory (tenant) id or a verified domain.
        tenant_id: String,
        /// Application (client) id of botline's app registration.
        client_id: String,
        /// The secret; never logged.
        client_secret: String,
    },
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::ClientSecret {
                tenant_id,
                client_id,
                client_secret: _,
            } => f
                .debug_struct("ClientSecret")
                .field("tenant_id", tenant_id)
                .field("client_id", client_id)
                .field("client_secret", &"<hidden>")
                .finish(),
        }
    }
}

/// Timeouts and retry bounds of the HTTP layer.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Limit on one HTTP request, from connect to the last byte.
    pub request_timeout: Duration,
    /// Retries of one request after 429, 503 or 504 before giving up.
    pub max_retries: u32,
    /// Longest wait between two retries, whatever `Retry-After` says.
    pub max_retry_wait: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            request_timeout: Duration::from_secs(30),
            max_retries: 5,
            max_retry_wait: Duration::from_secs(60),
        }
    }
}

/// Records decoded from a list, plus the ones that could not be decoded.
#[derive(Debug, Clone)]
pub struct Listed<T> {
    /// Records that decoded.
    pub items: Vec<T>,
    /// One line per record that did not decode, with the reason.
    pub malformed: Vec<String>,
    /// The records behind `malformed`, as received and in the same order.
    pub malformed_records: Vec<serde_json::Value>,
}

impl<T> Default for Listed<T> {
    fn default() -> Self {
        Listed {
            items: Vec::new(),
            malformed: Vec::new(),
            malformed_records: Vec::new(),
        }
    }
}

/// Result of mapping an instance to an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncOutcome {
    /// The mapping was made now.
    Mapped,
    /// The same mapping already existed, which counts as done.
    AlreadyMapped,
}

/// Called with the number of records loaded so far while a list loads.
pub type Progress = Arc<dyn Fn(usize) + Send + Sync>;

/// Called with a list's name ("instances", "users", "numbers", "licenses") and the number of
/// its records loaded so far while a whole tenant loads.
pub type TenantProgress = Arc<dyn Fn(&'static str, usize) + Send + Sync>;

/// A signed-in client for one tenant. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    endpoints: Endpoints,
    credentials: Credentials,
    options: ClientOptions,
    tokens: TokenCache,
    retry_observer: RwLock<Option<RetryObserver>>,
}

impl Client {
    /// Builds a client; it signs in lazily on the first request.
    pub fn new(
        endpoints: Endpoints,
        credentials: Credentials,
        options: ClientOptions,
    ) -> Result<Self, ApiError> {
        let http = reqwest::Client::builder()
            .timeout(options.request_timeout)
            .user_agent(concat!("botline/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| ApiError::Transport(error.to_string()))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                endpoints,
                credentials,
                options,
                tokens: TokenCache::default(),
                retry_observer: RwLock::new(None),
            }),
        })
    }

    /// Returns the endpoints this client talks to.
    pub fn endpoints(&self) -> &Endpoints {
        &self.inner.endpoints
    }

    /// Sets the callback called before every retry, so a UI can show "throttled, retrying
    /// in 5 s" (the notice's `Display`).
    ///
    /// It applies to this client and all its clones, replaces any earlier callback, and runs
    /// on the task that makes the request, so it must return quickly.
    pub fn on_retry(&self, observer: impl Fn(&RetryNotice) + Send + Sync + 'static) {
        let observer: RetryObserver = Arc::new(observer);
        match self.inner.retry_observer.write() {
            Ok(mut slot) => *slot = Some(observer),
            Err(poisoned) => *poisoned.into_inner() = Some(observer),
        }
    }

    fn notify_retry(&self, notice: &RetryNotice) {
        let observer = match self.inner.retry_observer.read() {
            Ok(slot) => slot.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        if let Some(observer) = observer {
            observer(notice);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_debug_hides_secret() {
        let credentials = Credentials::ClientSecret {
            tenant_id: "contoso.onmicrosoft.com".into(),
            client_id: "5e0f3d2c-1b4a-4e6f-9a8b-7c6d5e4f3a2b".into(),
            client_secret: "s3cr3t-value".into(),
        };
        let shown = format!("{credentials:?}");
        assert!(!shown.contains("s3cr3t-value"), "{shown}");
        assert!(shown.contains("contoso.onmicrosoft.com"), "{shown}");
        assert!(shown.contains("<hidden>"), "{shown}");
    }
}
