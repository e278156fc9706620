//! Sending one call: headers, the access token, retries after throttling or an outage, and
//! turning transport failures and error responses into [`ApiError`].

use std::time::Instant;

use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;
use url::Url;
use uuid::Uuid;

use super::auth::Audience;
use super::error::status_error;
use super::retry::{
    is_retryable_status, is_server_failure, retry_after, retry_delay, RetryNotice,
    SERVER_ERROR_RETRIES,
};
use super::routes::without_query;
use super::{ApiError, Client};

/// Header that carries botline's id of each request, which Graph echoes in its errors.
const CLIENT_REQUEST_ID: &str = "client-request-id";

/// A request body.
pub(super) enum Body {
    /// No body.
    Empty,
    /// A JSON document, already serialised.
    Json(Vec<u8>),
    /// A form-urlencoded body, already encoded.
    Form(String),
}

/// One request to send, kept so that it can be sent again on a retry.
pub(super) struct Call {
    method: Method,
    /// Audience of the token to send, `None` for the sign-in itself.
    audience: Option<Audience>,
    url: Url,
    body: Body,
}

impl Call {
    /// Builds a call without a body.
    pub(super) fn new(method: Method, audience: Option<Audience>, url: Url) -> Self {
        Call {
            method,
            audience,
            url,
            body: Body::Empty,
        }
    }

    /// Builds a GET with the audience's token.
    pub(super) fn get(audience: Audience, url: Url) -> Self {
        Call::new(Method::GET, Some(audience), url)
    }

    /// Builds a call with a JSON body and the audience's token.
    pub(super) fn json(
        method: Method,
        audience: Audience,
        url: Url,
        body: &impl Serialize,
    ) -> Result<Self, ApiError> {
        let call = Call::new(method, Some(audience), url);
        let bytes = serde_json::to_vec(body).map_err(|error| ApiError::Decode {
            what: call.describe(),
            detail: format!("the request body could not be written as JSON: {error}"),
        })?;
        Ok(call.with_body(Body::Json(bytes)))
    }

    /// Replaces the body.
    pub(super) fn with_body(mut self, body: Body) -> Self {
        self.body = body;
        self
    }

    /// Returns "METHOD path", the call's name in errors and logs.
    pub(super) fn describe(&self) -> String {
        format!("{} {}", self.method, self.url.path())
    }
}

/// A response with its body read.
pub(super) struct Reply {
    /// "METHOD path" of the call, for decode errors.
    what: String,
    /// HTTP status code.
    pub(super) status: u16,
    /// Response headers.
    pub(super) headers: HeaderMap,
    /// The whole body.
    pub(super) body: Vec<u8>,
    /// The `client-request-id` botline sent with the last attempt.
    client_request_id: String,
}

impl Reply {
    /// Returns true for a 2xx status.
    pub(super) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// Returns a header's value when it is present and readable text.
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// Decodes the body as JSON.
    pub(super) fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        serde_json::from_slice(&self.body).map_err(|error| self.decode_error(error.to_string()))
    }

    /// Builds the error for a body or header that is not what the API documents.
    pub(super) fn decode_error(&self, detail: String) -> ApiError {
        ApiError::Decode {
            what: self.what.clone(),
            detail,
        }
    }
}

impl Client {
    /// Sends a call and returns its 2xx response. Any other status becomes an error.
    pub(super) async fn send(&self, call: Call) -> Result<Reply, ApiError> {
        let reply = self.send_raw(&call).await?;
        if reply.is_success() {
            return Ok(reply);
        }
        let mut error = status_error(reply.status, &reply.headers, &reply.body);
        // A service that sends no request id of its own still gets a reference for the log:
        // the client-request-id botline sent, which the service logs too.
        if let ApiError::Status { request_id, .. } = &mut error {
            request_id.get_or_insert(reply.client_request_id);
        }
        Err(error)
    }

    /// Sends a call and returns the last response, whatever its status.
    ///
    /// 429, 503 and 504 are retried up to `max_retries` times, as are connection failures of
    /// a GET. 500 and 502 are retried [`SERVER_ERROR_RETRIES`] times, and only for idempotent
    /// methods, because the service may have carried out the request before it failed. A 401
    /// to a request with a token is retried once with a new token, because a cached token can
    /// be revoked before it expires.
    pub(super) async fn send_raw(&self, call: &Call) -> Result<Reply, ApiError> {
        let options = &self.inner.options;
        let mut retries: u32 = 0;
        let mut signed_in_again = false;
        loop {
            let client_request_id = Uuid::new_v4().to_string();
            let request = self.build(call, &client_request_id).await?;
            let started = Instant::now();
            let outcome = match request.send().await {
                Ok(response) => read(response).await,
                Err(error) => Err(error),
            };
            let elapsed_ms = started.elapsed().as_millis() as u64;
            let (status, headers, body) = match outcome {
                Ok(parts) => parts,
                Err(error) => {
                    let retryable = call.method == Method::GET
                        && !error.is_timeout()
                        && (error.is_connect() || error.is_request());
                    if retryable && retries < options.max_retries {
                        retries += 1;
                        tracing::debug!(error = %error_chain(&error), "connection failed");
                        self.wait_before_retry(call, None, retries, None, &client_request_id)
                            .await;
                        continue;
                    }
                    tracing::warn!(
                        call = %call.describe(),
                        %client_request_id,
                        error = %error_chain(&error),
                        "request failed"
                    );
                    return Err(transport_error(&error, &call.url));
                }
            };
            tracing::debug!(
                call = %call.describe(),
                status,
                elapsed_ms,
                %client_request_id,
                "response received"
            );

            if status == 401 && !signed_in_again {
                if let Some(audience) = call.audience {
                    signed_in_again = true;
                    self.inner.tokens.invalidate(audience).await;
                    continue;
                }
            }
            let may_retry = if is_server_failure(status) {
                is_idempotent(&call.method)
                    && retries < SERVER_ERROR_RETRIES.min(options.max_retries)
            } else {
                is_retryable_status(status) && retries < options.max_retries
            };
            if may_retry {
                retries += 1;
                let request_id = header_text(&headers, "request-id");
                let request_id = request_id.unwrap_or(client_request_id);
                let wait_hint = retry_after(&headers);
                self.wait_before_retry(call, Some(status), retries, wait_hint, &request_id)
                    .await;
                continue;
            }
            return Ok(Reply {
                what: call.describe(),
                status,
                headers,
                body,
                client_request_id,
            });
        }
    }

    /// Builds the reqwest request of one attempt.
    async fn build(
        &self,
        call: &Call,
        client_request_id: &str,
    ) -> Result<reqwest::RequestBuilder, ApiError> {
        let mut request = self
            .inner
            .http
            .request(call.method.clone(), call.url.clone())
            .header(ACCEPT, "application/json")
            .header(CLIENT_REQUEST_ID, client_request_id);
        if let Some(audience) = call.audience {
            let token = self.access_token(audience).await?;
            let mut value = HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
                ApiError::Auth(
                    "the access token contains characters not allowed in a header".into(),
                )
            })?;
            value.set_sensitive(true);
            request = request.header(AUTHORIZATION, value);
        }
        request = match &call.body {
            Body::Empty => request,
            Body::Json(bytes) => request
                .header(CONTENT_TYPE, "application/json")
                .body(bytes.clone()),
            Body::Form(text) => request
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(text.clone()),
        };
        Ok(request)
    }

    /// Logs a retry, notifies the retry observer, and sleeps for the wait.
    async fn wait_before_retry(
        &self,
        call: &Call,
        status: Option<u16>,
        attempt: u32,
        retry_after: Option<std::time::Duration>,
        request_id: &str,
    ) {
        let max_wait = self.inner.options.max_retry_wait;
        let wait = retry_delay(attempt, retry_after, max_wait, rand::random::<f64>());
        tracing::warn!(
            call = %call.describe(),
            status = status.map_or_else(|| "connection failed".to_owned(), |s| s.to_string()),
            attempt,
            wait_ms = wait.as_millis() as u64,
            request_id,
            "retrying"
        );
        let notice = RetryNotice {
            status,
            wait,
            attempt,
            request_id: Some(request_id.to_owned()),
        };
        self.notify_retry(&notice);
        tokio::time::sleep(wait).await;
    }
}

/// Returns true for methods that change nothing more when sent twice (RFC 9110, 9.2.2).
fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
    )
}

/// Reads status, headers and the whole body of a response.
async fn read(response: reqwest::Response) -> Result<(u16, HeaderMap, Vec<u8>), reqwest::Error> {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.bytes().await?.to_vec();
    Ok((status, headers, body))
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    Some(headers.get(name)?.to_str().ok()?.to_owned())
}

/// Maps a reqwest failure to [`ApiError::Timeout`] or [`ApiError::Transport`], naming the
/// address without its query.
fn transport_error(error: &reqwest::Error, url: &Url) -> ApiError {
    let address = without_query(url);
    if error.is_timeout() {
        ApiError::Timeout(address)
    } else {
        ApiError::Transport(format!("{address}: {}", error_chain(error)))
    }
}

/// Joins the causes of an error, skipping reqwest's own line, which repeats the whole URL.
fn error_chain(error: &reqwest::Error) -> String {
    let mut causes = Vec::new();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        causes.push(cause.to_string());
        source = cause.source();
    }
    if causes.is_empty() {
        error.to_string()
    } else {
        causes.join(": ")
    }
}
