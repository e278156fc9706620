//! Errors of the live client.

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
