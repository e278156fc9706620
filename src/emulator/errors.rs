//! Error responses: Graph's `{"error":{...}}` body with correlation ids, and OAuth errors.
//!
//! Handlers return an [`ApiFailure`] without a body. The [`request_context`] layer, which
//! gives every request its `request-id`, renders the body with that id, the caller's
//! `client-request-id` and the date, so every Graph and Teams admin API error carries them.

use axum::extract::Request;
use axum::http::header::{CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use super::clock::rfc3339;
use crate::wire::auth::OAuthError;
use crate::wire::error::{GraphError, GraphErrorBody, InnerError};

/// Header with Graph's id for a request.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("request-id");
/// Header with the caller's id for a request, echoed back.
pub const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");

/// A Graph-style error that the [`request_context`] layer renders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiFailure {
    /// HTTP status.
    pub status: StatusCode,
    /// Graph error code such as `Request_BadRequest`.
    pub code: String,
    /// Human-readable message.
    pub message: String,
    /// Seconds for the `Retry-After` header, if any.
    pub retry_after_seconds: Option<u64>,
}

impl ApiFailure {
    /// Builds a failure with a status, code and message.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ApiFailure {
            status,
            code: code.to_owned(),
            message: message.into(),
            retry_after_seconds: None,
        }
    }

    /// 400 with Graph's generic `BadRequest` code.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "BadRequest", message)
    }

    /// 400 with the directory's `Request_BadRequest` code.
    pub fn directory_bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "Request_BadRequest", message)
    }

    /// 404 with a code.
    pub fn not_found(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, message)
    }

    /// 401 for a missing, expired or wrong-audience token.
    pub fn unauthenticated(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, code, message)
    }

    /// Adds a `Retry-After` header.
    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after_seconds = Some(seconds);
        self
    }

    fn render(self, ids: &RequestIds) -> Response {
        let body = GraphErrorBody {
            error: GraphError {
                code: self.code,
                message: self.message,
                inner_error: Some(InnerError {
                    request_id: Some(ids.request_id.clone()),
                    client_request_id: ids.client_request_id.clone(),
                    date: Some(rfc3339(now_wall_ms())),
                }),
            },
        };
        let mut response = (self.status, Json(body)).into_response();
        let headers = response.headers_mut();
        if let Some(seconds) = self.retry_after_seconds {
            headers.insert(RETRY_AFTER, HeaderValue::from(seconds));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        response.extensions_mut().insert(self);
        response
    }
}

fn now_wall_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_millis() as u64)
}

/// Correlation ids of one request.
#[derive(Debug, Clone)]
struct RequestIds {
    request_id: String,
    client_request_id: Option<String>,
}

/// Gives each request a fresh `request-id`, echoes `client-request-id`, and renders an
/// [`ApiFailure`] left by a handler into Graph's error body.
pub async fn request_context(request: Request, next: Next) -> Response {
    let ids = RequestIds {
        request_id: uuid::Uuid::new_v4().to_string(),
        client_request_id: request
            .headers()
            .get(&CLIENT_REQUEST_ID)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned),
    };
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    if let Some(failure) = response.extensions_mut().remove::<ApiFailure>() {
        tracing::info!(
            %method,
            %path,
            status = failure.status.as_u16(),
            code = %failure.code,
            request_id = %ids.request_id,
            message = %failure.message,
            "emulator returned an error"
        );
        let handler_headers = std::mem::take(response.headers_mut());
        response = failure.render(&ids);
        for (name, value) in handler_headers.iter() {
            if name != CONTENT_TYPE && !response.headers().contains_key(name) {
                response.headers_mut().insert(name.clone(), value.clone());
            }
        }
    }
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&ids.request_id) {
        headers.insert(REQUEST_ID, value);
    }
    if let Some(value) = ids
        .client_request_id
        .as_deref()
        .and_then(|id| HeaderValue::from_str(id).ok())
    {
        headers.insert(CLIENT_REQUEST_ID, value);
    }
    response
}

/// Decodes a JSON request body, turning a decoding error into a 400 that names the problem.
pub fn decode_json<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, ApiFailure> {
    if body.is_empty() {
        return Err(ApiFailure::bad_request(
            "The request body is empty; send a JSON object.",
        ));
    }
    serde_json::from_slice(body).map_err(|error| {
        ApiFailure::bad_request(format!("The request body is not valid: {error}."))
    })
}

/// An OAuth error from the login endpoints, rendered as Entra's error body.
#[derive(Debug, Clone)]
pub struct OAuthFailure {
    /// HTTP status, 400 or 401.
    pub status: StatusCode,
    /// OAuth error code such as `invalid_client`.
    pub error: &'static str,
    /// AADSTS number that prefixes the description.
    pub aadsts: u64,
    /// Description of the error.
    pub description: String,
}

impl OAuthFailure {
    /// 400 with an error code, AADSTS number and description.
    pub fn bad_request(error: &'static str, aadsts: u64, description: impl Into<String>) -> Self {
        OAuthFailure {
            status: StatusCode::BAD_REQUEST,
            error,
            aadsts,
            description: description.into(),
        }
    }
}

impl IntoResponse for OAuthFailure {
    fn into_response(self) -> Response {
        let body = OAuthError {
            error: self.error.to_owned(),
            error_description: format!("AADSTS{}: {}", self.aadsts, self.description),
            error_codes: vec![self.aadsts],
        };
        (self.status, Json(body)).into_response()
    }
}
