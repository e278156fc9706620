//! Sign-in with client credentials, and one access token per audience kept in memory.
//!
//! Graph and the Teams admin API each need their own token. A token is reused until shortly
//! before it expires. Tokens and the client secret are never logged and never appear in an
//! error.

use std::time::{Duration, Instant};

use reqwest::Method;
use tokio::sync::Mutex;

use super::error::{one_line, status_error};
use super::http::{Body, Call};
use super::{routes, ApiError, Client, Credentials};
use crate::wire::auth::{OAuthError, TokenResponse};

/// How long before its expiry a token is replaced.
const REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// The service an access token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Audience {
    /// Microsoft Graph.
    Graph,
    /// The Teams admin API.
    Teams,
}

impl Audience {
    /// Returns the client-credentials scope of the audience.
    fn scope(self) -> &'static str {
        match self {
            Audience::Graph => "https://graph.microsoft.com/.default",
            Audience::Teams => "48ac35b8-9aa8-4d74-927d-1f4a14a0b239/.default",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Audience::Graph => "Graph",
            Audience::Teams => "Teams admin API",
        }
    }
}

/// An access token and the moment it should be replaced.
struct Token {
    access_token: String,
    refresh_at: Instant,
}

/// The current token of each audience.
///
/// Each slot is an async mutex held while signing in, so that requests starting together
/// wait for one sign-in instead of each making their own.
#[derive(Default)]
pub(super) struct TokenCache {
    graph: Mutex<Option<Token>>,
    teams: Mutex<Option<Token>>,
}

impl TokenCache {
    fn slot(&self, audience: Audience) -> &Mutex<Option<Token>> {
        match audience {
            Audience::Graph => &self.graph,
            Audience::Teams => &self.teams,
        }
    }

    /// Forgets the token of an audience, after the service rejected it.
    pub(super) async fn invalidate(&self, audience: Audience) {
        *self.slot(audience).lock().await = None;
    }
}

/// Returns when a token with this lifetime should be replaced: `REFRESH_MARGIN` before it
/// expires, or halfway through a lifetime shorter than twice that margin.
fn refresh_at(now: Instant, lifetime: Duration) -> Instant {
    now + lifetime - REFRESH_MARGIN.min(lifetime / 2)
}

impl Client {
    /// Returns a valid access token for the audience, signing in when none is cached.
    pub(super) async fn access_token(&self, audience: Audience) -> Result<String, ApiError> {
        let mut slot = self.inner.tokens.slot(audience).lock().await;
        if let Some(token) = slot.as_ref() {
            if Instant::now() < token.refresh_at {
                return Ok(token.access_token.clone());
            }
        }
        let token = self.sign_in(audience).await?;
        let access_token = token.access_token.clone();
        *slot = Some(token);
        Ok(access_token)
    }

    /// Requests a token with the client-credentials grant.
    async fn sign_in(&self, audience: Audience) -> Result<Token, ApiError> {
        let Credentials::ClientSecret {
            tenant_id,
            client_id,
            client_secret,
        } = &self.inner.credentials;
        let path = format!("/{}/oauth2/v2.0/token", routes::encode(tenant_id));
        let url = routes::join(&self.inner.endpoints.login, &path);
        let form = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "client_credentials")
            .append_pair("client_id", client_id)
            .append_pair("client_secret", client_secret)
            .append_pair("scope", audience.scope())
            .finish();
        let call = Call::new(Method::POST, None, url).with_body(Body::Form(form));
        let started = Instant::now();
        // Boxed because sending with a token may sign in, which sends again.
        let reply = Box::pin(self.send_raw(&call)).await?;
        if !reply.is_success() {
            return Err(sign_in_error(&reply.body, reply.status, &reply.headers));
        }
        let response: TokenResponse = reply.json()?;
        tracing::info!(
            audience = audience.name(),
            expires_in_s = response.expires_in,
            "signed in"
        );
        Ok(Token {
            access_token: response.access_token,
            refresh_at: refresh_at(started, Duration::from_secs(response.expires_in)),
        })
    }
}

/// Turns a failed token response into [`ApiError::Auth`] when it is an OAuth error body.
fn sign_in_error(body: &[u8], status: u16, headers: &reqwest::header::HeaderMap) -> ApiError {
    match serde_json::from_slice::<OAuthError>(body) {
        Ok(oauth) if oauth.error_description.is_empty() => ApiError::Auth(oauth.error),
        Ok(oauth) => ApiError::Auth(format!(
            "{}: {}",
            oauth.error,
            one_line(&oauth.error_description)
        )),
        Err(_) => status_error(status, headers, body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderMap;

    #[test]
    fn long_lived_token_is_refreshed_five_minutes_early() {
        let now = Instant::now();
        let hour = Duration::from_secs(3600);
        assert_eq!(refresh_at(now, hour), now + hour - REFRESH_MARGIN);
    }

    #[test]
    fn short_lived_token_is_refreshed_halfway() {
        let now = Instant::now();
        let lifetime = Duration::from_secs(120);
        assert_eq!(refresh_at(now, lifetime), now + Duration::from_secs(60));
        assert_eq!(refresh_at(now, Duration::ZERO), now);
    }

    #[test]
    fn oauth_error_names_code_and_description() {
        let body = br#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.\r\nTrace ID: 1"}"#;
        let error = sign_in_error(body, 401, &HeaderMap::new());
        assert_eq!(
            error,
            ApiError::Auth(
                "invalid_client: AADSTS7000215: Invalid client secret provided. Trace ID: 1".into()
            )
        );
    }

    #[test]
    fn non_oauth_failure_is_a_status_error() {
        let error = sign_in_error(b"<html>down</html>", 502, &HeaderMap::new());
        assert_eq!(error.status(), Some(502));
        assert!(!error.to_string().contains("<html>"));
    }

    #[test]
    fn scopes_end_in_default() {
        assert_eq!(
            Audience::Graph.scope(),
            "https://graph.microsoft.com/.default"
        );
        assert!(Audience::Teams.scope().ends_with("/.default"));
    }
}
