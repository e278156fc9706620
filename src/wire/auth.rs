//! OAuth 2.0 bodies of the Microsoft identity platform (`/oauth2/v2.0/token` and
//! `/oauth2/v2.0/devicecode`).

use serde::{Deserialize, Serialize};

/// A successful token response.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenResponse {
    /// Always `Bearer`.
    pub token_type: String,
    /// The access token; never logged.
    pub access_token: String,
    /// Lifetime of the access token in seconds.
    pub expires_in: u64,
    /// Granted scopes, space-separated.
    #[serde(default)]
    pub scope: Option<String>,
    /// Refresh token, present when `offline_access` was requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

/// The first answer of the device-code flow.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeviceCodeResponse {
    /// Code the client polls with; never shown.
    pub device_code: String,
    /// Code the admin types at `verification_uri`.
    pub user_code: String,
    /// Page where the admin signs in.
    pub verification_uri: String,
    /// Seconds until the codes expire.
    pub expires_in: u64,
    /// Seconds to wait between polls.
    #[serde(default = "default_interval_seconds")]
    pub interval: u64,
    /// Ready-made instruction text.
    #[serde(default)]
    pub message: String,
}

fn default_interval_seconds() -> u64 {
    5
}

/// An OAuth error response, such as `authorization_pending` or `invalid_client`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OAuthError {
    /// Machine-readable error code.
    pub error: String,
    /// Text that starts with an AADSTS code on Entra.
    #[serde(default)]
    pub error_description: String,
    /// Numeric AADSTS codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub error_codes: Vec<u64>,
}
