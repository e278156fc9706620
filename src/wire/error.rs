//! Graph's error body: `{"error":{"code","message","innerError":{"request-id",...}}}`.

use serde::{Deserialize, Serialize};

/// The top-level error object Graph returns with a 4xx or 5xx status.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GraphErrorBody {
    /// The error itself.
    pub error: GraphError,
}

/// Code, message and correlation ids of one Graph error.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GraphError {
    /// Machine-readable code such as `Request_BadRequest`; branch on this, not on `message`.
    pub code: String,
    /// Human-readable message.
    #[serde(default)]
    pub message: String,
    /// Correlation ids, which may nest further.
    #[serde(rename = "innerError", alias = "innererror", default)]
    pub inner_error: Option<InnerError>,
}

/// The correlation part of a Graph error.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct InnerError {
    /// Graph's id for the failed request, which Microsoft support asks for.
    #[serde(
        rename = "request-id",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub request_id: Option<String>,
    /// The `client-request-id` that the caller sent.
    #[serde(
        rename = "client-request-id",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub client_request_id: Option<String>,
    /// When the error happened, as Graph formats it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

impl GraphErrorBody {
    /// Builds an error body with a request id.
    pub fn new(code: &str, message: impl Into<String>, request_id: Option<String>) -> Self {
        GraphErrorBody {
            error: GraphError {
                code: code.to_owned(),
                message: message.into(),
                inner_error: Some(InnerError {
                    request_id,
                    client_request_id: None,
                    date: None,
                }),
            },
        }
    }
}
