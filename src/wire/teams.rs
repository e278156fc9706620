//! The Teams admin API's application instances (resource accounts).
//!
//! NOTE: Microsoft documents no REST API for application instances. The list shape comes from
//! community code that calls `GET /Teams.PlatformService/v2/ApplicationInstances`; the create
//! and sync bodies are unverified guesses modelled on the PowerShell cmdlets' parameters.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Path of the application-instance collection on the Teams admin API host.
pub const INSTANCES_PATH: &str = "/Teams.PlatformService/v2/ApplicationInstances";

/// One page of application instances, records left as JSON so that each decodes alone.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InstancePage {
    /// The records of this page.
    #[serde(default)]
    pub application_instances: Vec<Value>,
    /// Token for the next page; absent on the last one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_token: Option<String>,
}

/// An application instance, which binds a disabled Entra user to an application id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationInstance {
    /// Object id of the underlying user.
    pub object_id: String,
    /// Sign-in name.
    pub user_principal_name: String,
    /// Display name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// The bound application, if any.
    #[serde(default)]
    pub application_id: Option<String>,
    /// Number shown by the legacy cmdlet, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
}

/// Body that creates an application instance, after `New-CsOnlineApplicationInstance`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateInstanceRequest {
    /// Sign-in name, whose domain must be a verified online domain.
    pub user_principal_name: String,
    /// The bot's application id.
    pub application_id: String,
    /// Display name.
    pub display_name: String,
}

/// Body that maps an instance to an application in the agent provisioning service, after
/// `Sync-CsOnlineApplicationInstance`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncInstanceRequest {
    /// The application id to map.
    pub application_id: String,
}
