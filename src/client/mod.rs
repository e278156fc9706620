//! The live client: Microsoft Graph v1.0, the Teams admin API and the login endpoints over
//! reqwest.
//!
//! The same code talks to a real tenant and to the built-in emulator; only [`Endpoints`]
//! differ. Every method is async and returns an [`ApiError`] that carries the HTTP status,
//! Graph's error code and `request-id` when there is one.

mod auth;
mod delegated;
mod device_code;
mod error;
mod graph;
mod http;
mod numbers;
mod paging;
mod retry;
mod routes;
pub mod scopes;
mod sign_in;
mod teams;
mod tenant;
mod token_store;

pub use error::ApiError;
pub use retry::{RetryNotice, RetryObserver};
pub use sign_in::{format_countdown, DeviceCodePrompt, SignInNotice, SignInObserver};
pub use token_store::{CachedSignIn, Removed, TokenStore};

use std::fmt;
use std::path::PathBuf;
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

/// Sign-in method and its identifiers. The `Debug` output hides the secret.
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
    /// Delegated sign-in of an admin with a device code, typed in a browser.
    DeviceCode {
        /// Directory (tenant) id or a verified domain.
        tenant_id: String,
        /// Application (client) id of botline's app registration, which must allow public
        /// client flows.
        client_id: String,
    },
}

impl Credentials {
    /// Returns true for app-only sign-in, which Microsoft does not allow to create or sync
    /// application instances.
    pub fn is_app_only(&self) -> bool {
        matches!(self, Credentials::ClientSecret { .. })
    }
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
            Credentials::DeviceCode {
                tenant_id,
                client_id,
            } => f
                .debug_struct("DeviceCode")
                .field("tenant_id", tenant_id)
                .field("client_id", client_id)
                .finish(),
        }
    }
}

impl Endpoints {
    /// Returns Graph's resource identifier, the origin of the Graph endpoint, which token
    /// scopes start with (`https://graph.microsoft.us` in GCC High).
    pub fn graph_resource(&self) -> String {
        scopes::graph_resource(&self.graph)
    }

    /// Returns the `-TeamsEnvironmentName` that `Connect-MicrosoftTeams` needs for this
    /// cloud, `None` for the worldwide service.
    pub fn teams_environment(&self) -> Option<&'static str> {
        scopes::teams_environment(self)
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
    /// File that keeps delegated tokens between runs.
    token_store: Option<TokenStore>,
    retry_observer: RwLock<Option<RetryObserver>>,
    sign_in_observer: RwLock<Option<SignInObserver>>,
}

impl Client {
    /// Builds a client; it signs in lazily on the first request and keeps its tokens in
    /// memory only.
    pub fn new(
        endpoints: Endpoints,
        credentials: Credentials,
        options: ClientOptions,
    ) -> Result<Self, ApiError> {
        Self::assemble(endpoints, credentials, options, None)
    }

    /// Builds a client whose delegated (device-code) tokens are read from and written to
    /// `token_file`, so that the admin signs in once for many runs. App-only credentials
    /// ignore the file and keep their tokens in memory only.
    pub fn with_token_cache(
        endpoints: Endpoints,
        credentials: Credentials,
        options: ClientOptions,
        token_file: PathBuf,
    ) -> Result<Self, ApiError> {
        let store = (!credentials.is_app_only()).then(|| TokenStore::new(token_file));
        Self::assemble(endpoints, credentials, options, store)
    }

    fn assemble(
        endpoints: Endpoints,
        credentials: Credentials,
        options: ClientOptions,
        token_store: Option<TokenStore>,
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
                token_store,
                retry_observer: RwLock::new(None),
                sign_in_observer: RwLock::new(None),
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

    /// Returns true when the client signs in app-only (client secret).
    pub fn is_app_only(&self) -> bool {
        self.inner.credentials.is_app_only()
    }

    /// Sets the callback called at each change of a device-code sign-in: the code to enter
    /// and its deadline, a slower poll, success or failure. A terminal prints it; the TUI
    /// shows a sign-in screen.
    ///
    /// Like [`Client::on_retry`], it applies to all clones, replaces any earlier callback,
    /// and runs on the task that signs in, so it must return quickly.
    pub fn on_sign_in(&self, observer: impl Fn(&SignInNotice) + Send + Sync + 'static) {
        let observer: SignInObserver = Arc::new(observer);
        match self.inner.sign_in_observer.write() {
            Ok(mut slot) => *slot = Some(observer),
            Err(poisoned) => *poisoned.into_inner() = Some(observer),
        }
    }

    fn notify_sign_in(&self, notice: &SignInNotice) {
        let observer = match self.inner.sign_in_observer.read() {
            Ok(slot) => slot.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        match observer {
            Some(observer) => observer(notice),
            None if matches!(notice, SignInNotice::CodeIssued(_)) => {
                tracing::warn!("a device-code sign-in started, but nothing shows its code");
            }
            None => {}
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

    #[test]
    fn only_client_secret_is_app_only() {
        let delegated = Credentials::DeviceCode {
            tenant_id: "contoso.onmicrosoft.com".into(),
            client_id: "5e0f3d2c-1b4a-4e6f-9a8b-7c6d5e4f3a2b".into(),
        };
        assert!(!delegated.is_app_only());
        assert!(format!("{delegated:?}").contains("DeviceCode"));
        let app = Credentials::ClientSecret {
            tenant_id: "t".into(),
            client_id: "c".into(),
            client_secret: "s".into(),
        };
        assert!(app.is_app_only());
    }
}
