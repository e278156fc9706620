//! The live client: Microsoft Graph v1.0, the Teams admin API and the login endpoints over
//! reqwest.
//!
//! The same code talks to a real tenant and to the built-in emulator; only [`Endpoints`]
//! differ. Every method is async and returns an [`ApiError`] that carries the HTTP status,
//! Graph's error code and `request-id` when there is one.

mod error;

pub use error::ApiError;

use std::sync::Arc;
use std::time::Duration;

use url::Url;

use crate::model::{AppId, PhoneNumber, TenantView, Upn, UsageLocation};
use crate::wire::graph::{
    AssignNumberRequest, Domain, LicenseDetails, NumberAssignment, NumberOperation,
    ServicePrincipal, SubscribedSku, UnassignNumberRequest, UpdateNumberRequest, User,
};
use crate::wire::teams::{ApplicationInstance, CreateInstanceRequest};

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

/// How botline signs in.
#[derive(Debug, Clone)]
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
#[derive(Debug, Clone, Default)]
pub struct Listed<T> {
    /// Records that decoded.
    pub items: Vec<T>,
    /// One line per record that did not decode, with the reason.
    pub malformed: Vec<String>,
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
            .build()
            .map_err(|error| ApiError::Transport(error.to_string()))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                endpoints,
                credentials,
                options,
            }),
        })
    }

    /// Returns the endpoints this client talks to.
    pub fn endpoints(&self) -> &Endpoints {
        &self.inner.endpoints
    }

    /// Lists the tenant's domains.
    pub async fn domains(&self) -> Result<Vec<Domain>, ApiError> {
        todo!()
    }

    /// Finds the service principal of an application id.
    pub async fn service_principal(
        &self,
        app_id: AppId,
    ) -> Result<Option<ServicePrincipal>, ApiError> {
        todo!("{app_id}")
    }

    /// Finds a user by sign-in name.
    pub async fn user_by_upn(&self, upn: &Upn) -> Result<Option<User>, ApiError> {
        todo!("{upn}")
    }

    /// Reads one user with its licenses and plans.
    pub async fn user(&self, object_id: &str) -> Result<User, ApiError> {
        todo!("{object_id}")
    }

    /// Reads many users by object id.
    pub async fn users_by_ids(&self, object_ids: &[String]) -> Result<Vec<User>, ApiError> {
        todo!("{object_ids:?}")
    }

    /// Sets a user's usage location.
    pub async fn set_usage_location(
        &self,
        object_id: &str,
        location: UsageLocation,
    ) -> Result<(), ApiError> {
        todo!("{object_id} {location}")
    }

    /// Lists the tenant's SKUs with their seats.
    pub async fn subscribed_skus(&self) -> Result<Vec<SubscribedSku>, ApiError> {
        todo!()
    }

    /// Adds one license to a user.
    pub async fn assign_license(&self, object_id: &str, sku_id: &str) -> Result<User, ApiError> {
        todo!("{object_id} {sku_id}")
    }

    /// Lists a user's licenses with each service plan's provisioning state.
    pub async fn license_details(&self, object_id: &str) -> Result<Vec<LicenseDetails>, ApiError> {
        todo!("{object_id}")
    }

    /// Lists numbers matching an OData filter, following every page.
    pub async fn numbers(
        &self,
        filter: Option<&str>,
        progress: Option<Progress>,
    ) -> Result<Listed<NumberAssignment>, ApiError> {
        todo!("{filter:?} {}", progress.is_some())
    }

    /// Reads one number's record, or `None` when the tenant has no such number.
    pub async fn number(&self, number: &PhoneNumber) -> Result<Option<NumberAssignment>, ApiError> {
        todo!("{number}")
    }

    /// Starts an assignment and returns the operation's address from `Location`.
    pub async fn assign_number(&self, request: &AssignNumberRequest) -> Result<String, ApiError> {
        todo!("{request:?}")
    }

    /// Starts an unassignment and returns the operation's address from `Location`.
    pub async fn unassign_number(
        &self,
        request: &UnassignNumberRequest,
    ) -> Result<String, ApiError> {
        todo!("{request:?}")
    }

    /// Changes a number's emergency location or network site.
    pub async fn update_number(&self, request: &UpdateNumberRequest) -> Result<(), ApiError> {
        todo!("{request:?}")
    }

    /// Reads a long-running operation at the address `assign_number` returned.
    pub async fn operation(&self, location: &str) -> Result<NumberOperation, ApiError> {
        todo!("{location}")
    }

    /// Lists application instances, following every page.
    pub async fn instances(
        &self,
        progress: Option<Progress>,
    ) -> Result<Listed<ApplicationInstance>, ApiError> {
        todo!("{}", progress.is_some())
    }

    /// Reads one application instance, or `None` when it does not exist (yet).
    pub async fn instance(&self, object_id: &str) -> Result<Option<ApplicationInstance>, ApiError> {
        todo!("{object_id}")
    }

    /// Creates an application instance.
    pub async fn create_instance(
        &self,
        request: &CreateInstanceRequest,
    ) -> Result<ApplicationInstance, ApiError> {
        todo!("{request:?}")
    }

    /// Maps an instance to an application id in the agent provisioning service.
    pub async fn sync_instance(
        &self,
        object_id: &str,
        app_id: AppId,
    ) -> Result<SyncOutcome, ApiError> {
        todo!("{object_id} {app_id}")
    }

    /// Loads instances, their users, numbers and SKUs concurrently and joins them.
    pub async fn tenant_view(&self) -> Result<TenantView, ApiError> {
        self.tenant_view_with_progress(Arc::new(|_, _| {})).await
    }

    /// Same as [`Client::tenant_view`], reporting each list's progress as pages arrive.
    pub async fn tenant_view_with_progress(
        &self,
        progress: TenantProgress,
    ) -> Result<TenantView, ApiError> {
        todo!("{}", Arc::strong_count(&progress))
    }
}
