//! Faults injected into matching requests: throttling, server and client errors, HTML error
//! pages, OAuth errors of the login endpoints, delays, "not found" answers, malformed list
//! records and failed number operations.
//!
//! A fault matches a request when its `route` is a substring of the path (an empty route
//! matches every path) and its `method`, if set, equals the request's. Each fault applies to
//! `times` requests and is then dropped; the earliest added matching fault wins. Test hooks
//! under `/_emulator` are never faulted. The same faults can be posted as JSON to
//! `/_emulator/faults`, for example
//! `{"route":"numberAssignments","kind":"throttle","retryAfterSeconds":2,"times":3}`.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::errors::ApiFailure;
use super::server::Shared;

/// Largest response body the malformed-record fault rewrites.
const MAX_REWRITTEN_BODY_BYTES: usize = 64 * 1024 * 1024;

/// One fault and the requests it applies to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    /// Substring of the request path, such as `numberAssignments`; empty matches all.
    #[serde(default)]
    pub route: String,
    /// HTTP method such as `POST`; `None` matches every method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// How many matching requests it applies to.
    #[serde(default = "one")]
    pub times: u32,
    /// The effect on those requests.
    #[serde(flatten)]
    pub kind: FaultKind,
}

fn one() -> u32 {
    1
}

/// The effect of a fault on a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum FaultKind {
    /// 429 with a `Retry-After` header and Graph's `TooManyRequests` error.
    Throttle {
        /// Value of `Retry-After`, in seconds.
        retry_after_seconds: u64,
    },
    /// A 5xx status such as 503 or 504 with a Graph error body.
    ServerError {
        /// The HTTP status, 500 to 599.
        status: u16,
        /// Value of `Retry-After`, in seconds, if sent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after_seconds: Option<u64>,
    },
    /// A 4xx status such as 403, 404 or 405 with a Graph error body, as a service returns to
    /// a caller it does not allow or for a route it does not have.
    ClientError {
        /// The HTTP status, 400 to 499.
        status: u16,
    },
    /// 400 with an OAuth error body from the login endpoints, such as `slow_down` or
    /// `bad_verification_code` on a device-code poll.
    #[serde(rename = "oauthError")]
    OAuthError {
        /// The OAuth `error` code.
        error: String,
    },
    /// A 5xx status with an HTML page as a proxy in front of the service sends it.
    HtmlError {
        /// The HTTP status, 500 to 599.
        #[serde(default = "internal_server_error")]
        status: u16,
    },
    /// 404 with Graph's `Request_ResourceNotFound` error, as a service answers for an object
    /// created moments ago that it has not replicated yet.
    NotFound,
    /// The request is served normally after a wait.
    Delay {
        /// The wait, in milliseconds.
        delay_ms: u64,
    },
    /// A list response gets one extra record that is malformed. Numbers get a record with
    /// telephoneNumber `"1"` and unknown enum values; other lists get a record that no
    /// client type decodes.
    MalformedRecord {
        /// The record to insert instead of the default one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        record: Option<Value>,
    },
    /// The next assignNumber whose path matches is accepted, and its operation ends
    /// `failed` with this detail.
    FailOperation {
        /// The operation's `statusDetail`.
        status_detail: String,
    },
}

fn internal_server_error() -> u16 {
    500
}

impl Fault {
    /// Fails `times` requests to `route` with 429 and `Retry-After`.
    pub fn throttle(route: &str, times: u32, retry_after_seconds: u64) -> Self {
        Self::new(
            route,
            times,
            FaultKind::Throttle {
                retry_after_seconds,
            },
        )
    }

    /// Fails `times` requests to `route` with a 5xx status and a Graph error body.
    pub fn server_error(route: &str, times: u32, status: u16) -> Self {
        Self::new(
            route,
            times,
            FaultKind::ServerError {
                status,
                retry_after_seconds: None,
            },
        )
    }

    /// Fails `times` requests to `route` with a 4xx status and a Graph error body.
    pub fn client_error(route: &str, times: u32, status: u16) -> Self {
        Self::new(route, times, FaultKind::ClientError { status })
    }

    /// Fails the next `times` token requests with an OAuth `error` such as `slow_down`.
    pub fn oauth_error(times: u32, error: &str) -> Self {
        Self::new(
            "/oauth2/v2.0/token",
            times,
            FaultKind::OAuthError {
                error: error.to_owned(),
            },
        )
        .on_method("POST")
    }

    /// Fails `times` requests to `route` with 500 and an HTML page.
    pub fn html_error(route: &str, times: u32) -> Self {
        Self::new(route, times, FaultKind::HtmlError { status: 500 })
    }

    /// Answers `times` requests to `route` with 404, as for an object not replicated yet.
    pub fn not_found(route: &str, times: u32) -> Self {
        Self::new(route, times, FaultKind::NotFound)
    }

    /// Delays `times` requests to `route`.
    pub fn delay(route: &str, times: u32, delay: Duration) -> Self {
        let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        Self::new(route, times, FaultKind::Delay { delay_ms })
    }

    /// Adds one malformed record to the next list returned on `route`.
    pub fn malformed_record(route: &str) -> Self {
        Self::new(route, 1, FaultKind::MalformedRecord { record: None })
    }

    /// Makes the next assignNumber operation end `failed` with `status_detail`.
    pub fn fail_next_assignment(status_detail: &str) -> Self {
        Self::new(
            "assignNumber",
            1,
            FaultKind::FailOperation {
                status_detail: status_detail.to_owned(),
            },
        )
    }

    /// Limits the fault to one HTTP method, such as `POST`.
    pub fn on_method(mut self, method: &str) -> Self {
        self.method = Some(method.to_ascii_uppercase());
        self
    }

    fn new(route: &str, times: u32, kind: FaultKind) -> Self {
        Fault {
            route: route.to_owned(),
            method: None,
            times,
            kind,
        }
    }

    /// Returns why the fault cannot be injected, if it cannot.
    pub fn problem(&self) -> Option<String> {
        match &self.kind {
            FaultKind::ServerError { status, .. } | FaultKind::HtmlError { status } => {
                (!(500..=599).contains(status)).then(|| {
                    format!("status {status} is not a server error; use a status from 500 to 599")
                })
            }
            FaultKind::ClientError { status } => (!(400..=499).contains(status)).then(|| {
                format!("status {status} is not a client error; use a status from 400 to 499")
            }),
            FaultKind::OAuthError { error } => {
                let valid =
                    !error.is_empty() && error.chars().all(|c| c.is_ascii_lowercase() || c == '_');
                (!valid).then(|| format!("OAuth error {error:?} is not a code such as slow_down"))
            }
            _ => None,
        }
    }

    fn matches(&self, path: &str, method: &str) -> bool {
        path.contains(&self.route)
            && self
                .method
                .as_deref()
                .is_none_or(|expected| expected.eq_ignore_ascii_case(method))
    }
}

/// Faults not yet used up.
#[derive(Debug, Default)]
pub struct FaultBook {
    faults: Vec<Fault>,
}

impl FaultBook {
    /// Adds a fault after the ones already waiting.
    pub fn add(&mut self, fault: Fault) {
        if fault.times > 0 {
            self.faults.push(fault);
        }
    }

    /// Removes every fault.
    pub fn clear(&mut self) {
        self.faults.clear();
    }

    /// Returns the faults still waiting.
    pub fn pending(&self) -> &[Fault] {
        &self.faults
    }

    /// Returns one application of a fault taken for `path` but not used, ahead of the
    /// others.
    pub fn put_back(&mut self, path: &str, method: &str, kind: FaultKind) {
        let fault = Fault::new(path, 1, kind).on_method(method);
        self.faults.insert(0, fault);
    }

    /// Uses up one application of the first fault that matches and passes `accept`.
    pub fn take(
        &mut self,
        path: &str,
        method: &str,
        accept: impl Fn(&FaultKind) -> bool,
    ) -> Option<FaultKind> {
        let index = self
            .faults
            .iter()
            .position(|fault| fault.matches(path, method) && accept(&fault.kind))?;
        let fault = &mut self.faults[index];
        fault.times -= 1;
        let kind = fault.kind.clone();
        if fault.times == 0 {
            self.faults.remove(index);
        }
        Some(kind)
    }
}

/// Returns true for faults the middleware applies; failed operations are applied by the
/// assignNumber handler.
fn applies_in_middleware(kind: &FaultKind) -> bool {
    !matches!(kind, FaultKind::FailOperation { .. })
}

/// Applies the first matching fault to a request.
pub async fn inject(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if path.starts_with("/_emulator") {
        return next.run(request).await;
    }
    let method = request.method().as_str().to_owned();
    let fault = shared
        .faults
        .lock()
        .await
        .take(&path, &method, applies_in_middleware);
    let Some(kind) = fault else {
        return next.run(request).await;
    };
    tracing::debug!(%path, %method, ?kind, "injecting a fault");
    match kind {
        FaultKind::Throttle {
            retry_after_seconds,
        } => ApiFailure::new(
            StatusCode::TOO_MANY_REQUESTS,
            "TooManyRequests",
            "Too many requests; retry after the time in Retry-After.",
        )
        .with_retry_after(retry_after_seconds)
        .into_response(),
        FaultKind::ServerError {
            status,
            retry_after_seconds,
        } => server_error(status, retry_after_seconds).into_response(),
        FaultKind::ClientError { status } => client_error(status).into_response(),
        FaultKind::OAuthError { error } => oauth_error(&error).into_response(),
        FaultKind::HtmlError { status } => html_error(status),
        FaultKind::NotFound => ApiFailure::not_found(
            "Request_ResourceNotFound",
            format!(
                "Resource '{path}' does not exist or one of its queried reference-property \
                 objects are not present."
            ),
        )
        .into_response(),
        FaultKind::Delay { delay_ms } => {
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            next.run(request).await
        }
        FaultKind::MalformedRecord { record } => {
            let response = next.run(request).await;
            let record = record.unwrap_or_else(|| default_malformed_record(&path));
            add_record(response, record).await
        }
        FaultKind::FailOperation { .. } => next.run(request).await,
    }
}

fn server_error(status: u16, retry_after_seconds: Option<u64>) -> ApiFailure {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let (code, message) = match status {
        StatusCode::SERVICE_UNAVAILABLE => (
            "serviceNotAvailable",
            "The service is temporarily unavailable.",
        ),
        StatusCode::GATEWAY_TIMEOUT => ("gatewayTimeout", "The gateway timed out."),
        _ => ("generalException", "An unexpected error occurred."),
    };
    let failure = ApiFailure::new(status, code, message);
    match retry_after_seconds {
        Some(seconds) => failure.with_retry_after(seconds),
        None => failure,
    }
}

fn client_error(status: u16) -> ApiFailure {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    let (code, message) = match status {
        StatusCode::FORBIDDEN => ("Forbidden", "Access Denied."),
        StatusCode::NOT_FOUND => ("NotFound", "The resource was not found."),
        StatusCode::METHOD_NOT_ALLOWED => (
            "MethodNotAllowed",
            "The requested resource does not support this HTTP method.",
        ),
        _ => ("BadRequest", "The request was rejected."),
    };
    ApiFailure::new(status, code, message)
}

/// Builds an OAuth error response, as the token endpoint sends while a device code is
/// polled.
fn oauth_error(error: &str) -> Response {
    let description = match error {
        "slow_down" => "AADSTS70023: Polling too often; wait longer between polls.",
        "bad_verification_code" => "AADSTS70019: The device code is not valid.",
        _ => "AADSTS90000: The request was rejected.",
    };
    let body = json!({
        "error": error,
        "error_description": description,
    });
    (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
}

fn html_error(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let page = format!(
        "<!DOCTYPE html>\n<html><head><title>{status}</title></head>\n<body><h1>{status}</h1>\
         <p>The server encountered an internal error and could not complete the request.</p>\
         </body></html>\n"
    );
    let mut response = (status, page).into_response();
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

fn default_malformed_record(path: &str) -> Value {
    if path.contains("numberAssignments") {
        json!({
            "id": "malformed-number",
            "telephoneNumber": "1",
            "numberType": "futureNumberType",
            "activationState": "futureActivationState",
            "assignmentStatus": "unassigned",
            "capabilities": ["voiceApplicationAssignment", "futureCapability"],
        })
    } else {
        json!({"id": 17, "objectId": 17, "skuId": 17, "userPrincipalName": ["not", "text"]})
    }
}

/// Inserts `record` second in the response's `value` or `applicationInstances` list.
async fn add_record(response: Response, record: Value) -> Response {
    if !response.status().is_success() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_REWRITTEN_BODY_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let mut document: Value = match serde_json::from_slice(&bytes) {
        Ok(document) => document,
        Err(_) => return Response::from_parts(parts, Body::from(bytes)),
    };
    let key = ["value", "applicationInstances"]
        .into_iter()
        .find(|key| document.get(*key).is_some_and(Value::is_array));
    if let Some(list) = key.and_then(|key| document.get_mut(key)?.as_array_mut()) {
        let at = list.len().min(1);
        list.insert(at, record);
    }
    parts.headers.remove(CONTENT_LENGTH);
    let rewritten = serde_json::to_vec(&document).unwrap_or_else(|_| bytes.to_vec());
    Response::from_parts(parts, Body::from(rewritten))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_json_round_trips() {
        let text =
            r#"{"route":"numberAssignments","kind":"throttle","retryAfterSeconds":2,"times":3}"#;
        let fault: Fault = serde_json::from_str(text).unwrap();
        assert_eq!(fault, Fault::throttle("numberAssignments", 3, 2));
        let html: Fault = serde_json::from_str(r#"{"route":"users","kind":"htmlError"}"#).unwrap();
        assert_eq!(html, Fault::html_error("users", 1));
        let text = r#"{"route":"/sync","kind":"notFound","times":2}"#;
        let missing: Fault = serde_json::from_str(text).unwrap();
        assert_eq!(missing, Fault::not_found("/sync", 2));
    }

    #[test]
    fn book_uses_up_faults_in_order() {
        let mut book = FaultBook::default();
        book.add(Fault::throttle("numbers", 1, 5));
        book.add(Fault::server_error("", 2, 503).on_method("post"));
        let any = |_: &FaultKind| true;
        assert!(book.take("/v1.0/users", "GET", any).is_none());
        assert!(matches!(
            book.take("/v1.0/numbers", "GET", any),
            Some(FaultKind::Throttle { .. })
        ));
        assert!(matches!(
            book.take("/v1.0/numbers", "POST", any),
            Some(FaultKind::ServerError { status: 503, .. })
        ));
        assert!(book.take("/v1.0/users", "POST", any).is_some());
        assert!(book.take("/v1.0/users", "POST", any).is_none());
        assert!(book.pending().is_empty());
    }

    #[test]
    fn non_server_status_is_a_problem() {
        assert!(Fault::server_error("x", 1, 404).problem().is_some());
        assert!(Fault::server_error("x", 1, 504).problem().is_none());
    }

    #[test]
    fn client_error_takes_only_4xx() {
        assert!(Fault::client_error("x", 1, 403).problem().is_none());
        assert!(Fault::client_error("x", 1, 405).problem().is_none());
        assert!(Fault::client_error("x", 1, 503).problem().is_some());
    }

    #[test]
    fn oauth_fault_json_round_trips() {
        let text = r#"{"route":"/oauth2/v2.0/token","method":"POST","kind":"oauthError","error":"slow_down"}"#;
        let fault: Fault = serde_json::from_str(text).unwrap();
        assert_eq!(fault, Fault::oauth_error(1, "slow_down"));
        assert!(fault.problem().is_none());
        assert!(Fault::oauth_error(1, "Slow Down").problem().is_some());
    }
}
