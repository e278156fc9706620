//! Errors of the live client, and how an error response of a service becomes one.

use reqwest::header::HeaderMap;
use serde::Deserialize;
use serde_json::Value;

use crate::wire::GraphErrorBody;

/// A request that failed, with what an admin needs to report it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The service answered with an error status.
    #[error("{}", describe_status(*status, code.as_deref(), message, request_id.as_deref()))]
    Status {
        /// HTTP status code.
        status: u16,
        /// Graph's error code, when the body was a Graph error.
        code: Option<String>,
        /// One plain sentence; never raw HTML.
        message: String,
        /// Graph's `request-id`, from the body or the headers.
        request_id: Option<String>,
    },
    /// The request did not finish within the timeout.
    #[error("request to {0} timed out")]
    Timeout(String),
    /// The connection failed.
    #[error("connection failed: {0}")]
    Transport(String),
    /// The body was not what the API documents.
    #[error("unexpected response from {what}: {detail}")]
    Decode {
        /// Which call.
        what: String,
        /// What was wrong.
        detail: String,
    },
    /// Signing in failed.
    #[error("sign-in failed: {0}")]
    Auth(String),
}

fn describe_status(
    status: u16,
    code: Option<&str>,
    message: &str,
    request_id: Option<&str>,
) -> String {
    let mut text = format!("HTTP {status}");
    if let Some(code) = code {
        text.push_str(&format!(" {code}"));
    }
    if !message.is_empty() {
        text.push_str(&format!(": {message}"));
    }
    if let Some(request_id) = request_id {
        text.push_str(&format!(" (request-id {request_id})"));
    }
    text
}

impl ApiError {
    /// Returns the HTTP status, if the service answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Returns Graph's error code, if any.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Status { code, .. } => code.as_deref(),
            _ => None,
        }
    }

    /// Returns true for 404 answers.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }
}

/// Maximum length of a service message kept in an error, in characters.
const MAX_MESSAGE_CHARS: usize = 300;

/// Turns an error response into [`ApiError::Status`].
///
/// A Graph error body gives the code, message and `request-id`. Other JSON bodies, such as
/// the Teams admin API's, give whatever `code` and `message` fields they have. A body that is
/// not JSON is described: an HTML error page by its kind only, short plain text quoted on one
/// line.
pub(super) fn status_error(status: u16, headers: &HeaderMap, body: &[u8]) -> ApiError {
    let header_request_id = ["request-id", "x-ms-request-id"]
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok())
        .map(str::to_owned);
    let (code, message, body_request_id) = match serde_json::from_slice::<Value>(body) {
        Ok(value) => decode_json_error(&value),
        Err(_) => (None, describe_other_body(headers, body), None),
    };
    let message = if message.is_empty() {
        format!("the service answered HTTP {status} without an error message")
    } else {
        message
    };
    ApiError::Status {
        status,
        code,
        message,
        request_id: body_request_id.or(header_request_id),
    }
}

/// Maximum length of a plain-text error body quoted in a message, in characters.
const MAX_QUOTED_TEXT_CHARS: usize = 120;

/// Describes an error body that is not JSON in one sentence. An HTML page is never quoted,
/// because its markup means nothing on a terminal, but short plain text is.
fn describe_other_body(headers: &HeaderMap, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        return "the service sent an empty error body".to_owned();
    }
    let declared_html = headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.to_ascii_lowercase().contains("html"));
    if declared_html || text.contains('<') {
        return "the service sent an HTML error page instead of a JSON error".to_owned();
    }
    let line = one_line(text);
    if line.chars().count() > MAX_QUOTED_TEXT_CHARS {
        let cut: String = line.chars().take(MAX_QUOTED_TEXT_CHARS).collect();
        return format!("the service sent a plain-text error: {cut}…");
    }
    format!("the service sent a plain-text error: {line}")
}

/// Returns code, one-line message and request id of a JSON error body.
fn decode_json_error(value: &Value) -> (Option<String>, String, Option<String>) {
    if let Ok(body) = GraphErrorBody::deserialize(value) {
        let request_id = body.error.inner_error.and_then(|inner| inner.request_id);
        return (
            Some(body.error.code).filter(|code| !code.is_empty()),
            one_line(&body.error.message),
            request_id,
        );
    }
    let field = |names: &[&str]| {
        names
            .iter()
            .find_map(|name| value.get(*name)?.as_str())
            .map(str::to_owned)
    };
    let code = field(&["code", "Code", "errorCode", "ErrorCode", "error"]);
    let message = field(&[
        "message",
        "Message",
        "errorMessage",
        "ErrorMessage",
        "error_description",
    ])
    .map(|message| one_line(&message))
    .unwrap_or_default();
    (code, message, None)
}

/// Collapses whitespace and control characters and caps the length, so a service message
/// fits one line of the screen.
pub(super) fn one_line(text: &str) -> String {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|word| !word.is_empty())
        .collect();
    let joined = words.join(" ");
    if joined.chars().count() <= MAX_MESSAGE_CHARS {
        return joined;
    }
    let mut cut: String = joined.chars().take(MAX_MESSAGE_CHARS).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers_with_request_id(id: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("request-id", HeaderValue::from_static(id));
        headers
    }

    #[test]
    fn graph_body_gives_code_message_and_request_id() {
        let body = br#"{"error":{"code":"Request_BadRequest","message":"Invalid value.",
            "innerError":{"request-id":"body-id","date":"2025-01-01T00:00:00"}}}"#;
        let error = status_error(400, &headers_with_request_id("header-id"), body);
        assert_eq!(
            error,
            ApiError::Status {
                status: 400,
                code: Some("Request_BadRequest".into()),
                message: "Invalid value.".into(),
                request_id: Some("body-id".into()),
            }
        );
        assert_eq!(
            error.to_string(),
            "HTTP 400 Request_BadRequest: Invalid value. (request-id body-id)"
        );
    }

    #[test]
    fn request_id_falls_back_to_header() {
        let body = br#"{"error":{"code":"itemNotFound","message":"gone"}}"#;
        let error = status_error(404, &headers_with_request_id("header-id"), body);
        let ApiError::Status { request_id, .. } = &error else {
            panic!("{error:?}")
        };
        assert_eq!(request_id.as_deref(), Some("header-id"));
        assert!(error.is_not_found());
    }

    #[test]
    fn html_body_becomes_one_sentence() {
        let body = b"<html><head><title>500</title></head><body><h1>Server Error</h1>\
            <script>alert(1)</script></body></html>";
        let error = status_error(500, &headers_with_request_id("r-1"), body);
        let ApiError::Status { message, code, .. } = &error else {
            panic!("{error:?}")
        };
        assert_eq!(
            message,
            "the service sent an HTML error page instead of a JSON error"
        );
        assert_eq!(*code, None);
        assert!(!error.to_string().contains('<'));
        assert!(error.to_string().contains("r-1"));
    }

    #[test]
    fn plain_text_and_empty_bodies() {
        let text = status_error(502, &HeaderMap::new(), b"Bad Gateway");
        assert_eq!(
            text.to_string(),
            "HTTP 502: the service sent a plain-text error: Bad Gateway"
        );
        let long = status_error(502, &HeaderMap::new(), "x".repeat(500).as_bytes());
        assert!(long.to_string().ends_with("xxx…"), "{long}");
        assert!(long.to_string().len() < 200, "{long}");
        let markup = status_error(502, &HeaderMap::new(), b"oops <b>down</b>");
        assert!(markup.to_string().contains("HTML error page"), "{markup}");
        let empty = status_error(503, &HeaderMap::new(), b" \n");
        assert!(empty.to_string().contains("an empty error body"), "{empty}");
    }

    #[test]
    fn other_json_shapes_give_their_message() {
        let body =
            br#"{"code":"Conflict","message":"An item with the same key has already been added."}"#;
        let error = status_error(409, &HeaderMap::new(), body);
        assert_eq!(error.code(), Some("Conflict"));
        assert!(error
            .to_string()
            .contains("same key has already been added"));
        let pascal = status_error(400, &HeaderMap::new(), br#"{"Message":"Bad thing"}"#);
        assert!(pascal.to_string().ends_with(": Bad thing"), "{pascal}");
        let bare = status_error(500, &HeaderMap::new(), b"{}");
        assert!(
            bare.to_string().contains("without an error message"),
            "{bare}"
        );
    }

    #[test]
    fn long_messages_are_cut_to_one_line() {
        let long = format!("first\nsecond\t{}", "x".repeat(1000));
        let line = one_line(&long);
        assert!(line.starts_with("first second x"));
        assert_eq!(line.chars().count(), MAX_MESSAGE_CHARS + 1);
        assert!(!line.contains('\n'));
    }
}
