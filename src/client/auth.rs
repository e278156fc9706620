//! Access tokens: one per audience, obtained with the client-credentials grant or, for a
//! delegated sign-in, from a refresh token or a device-code sign-in.
//!
//! Graph and the Teams admin API each need their own token. A token is reused until shortly
//! before it expires. Tokens and the client secret are never logged and never appear in an
//! error. App-only tokens live in memory only; delegated ones are also written to the token
//! cache file when the client has one (see `delegated.rs`).

use std::time::{Duration, Instant, SystemTime};

use reqwest::Method;
use tokio::sync::{Mutex, MutexGuard};

use super::error::{one_line, status_error};
use super::http::{Body, Call};
use super::{routes, scopes, ApiError, Client, Credentials};
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
    pub(super) fn name(self) -> &'static str {
        match self {
            Audience::Graph => "Graph",
            Audience::Teams => "Teams admin API",
        }
    }
}

/// An access token and the moments it should be replaced and stops working.
#[derive(Clone)]
pub(super) struct Token {
    pub(super) access_token: String,
    pub(super) refresh_at: Instant,
    pub(super) expires_at: SystemTime,
}

impl Token {
    /// Builds a token from a token response whose request started at `started`.
    pub(super) fn from_response(response: &TokenResponse, started: Instant) -> Token {
        let lifetime = Duration::from_secs(response.expires_in);
        let age = started.elapsed();
        Token {
            access_token: response.access_token.clone(),
            refresh_at: refresh_at(started, lifetime),
            expires_at: SystemTime::now() + lifetime.saturating_sub(age),
        }
    }

    /// Builds a token read from the cache file, which stores its expiry as wall-clock time.
    /// Its original lifetime is unknown, so it is replaced `REFRESH_MARGIN` before expiry.
    pub(super) fn from_expiry(access_token: String, expires_at: SystemTime) -> Token {
        let remaining = expires_at
            .duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO);
        Token {
            access_token,
            refresh_at: Instant::now() + remaining.saturating_sub(REFRESH_MARGIN),
            expires_at,
        }
    }
}

/// The tokens a client holds.
#[derive(Default)]
pub(super) struct TokenState {
    pub(super) graph: Option<Token>,
    pub(super) teams: Option<Token>,
    /// Refresh token of a delegated sign-in.
    pub(super) refresh_token: Option<String>,
    /// Whether the token cache file was read, which happens before the first token is used.
    pub(super) loaded: bool,
}

impl TokenState {
    pub(super) fn slot(&mut self, audience: Audience) -> &mut Option<Token> {
        match audience {
            Audience::Graph => &mut self.graph,
            Audience::Teams => &mut self.teams,
        }
    }

    /// Forgets every token.
    pub(super) fn clear(&mut self) {
        self.graph = None;
        self.teams = None;
        self.refresh_token = None;
    }
}

/// The client's tokens behind one async mutex.
///
/// The mutex is held while a token is fetched, so that requests starting together wait for
/// one sign-in instead of each making their own. That includes a device-code sign-in, which
/// waits for the admin: every request waits for it, because none can succeed without it.
#[derive(Default)]
pub(super) struct TokenCache {
    state: Mutex<TokenState>,
}

impl TokenCache {
    pub(super) async fn lock(&self) -> MutexGuard<'_, TokenState> {
        self.state.lock().await
    }

    /// Forgets the token of an audience, after the service rejected it. A refresh token is
    /// kept, so the next request redeems it instead of signing in again.
    pub(super) async fn invalidate(&self, audience: Audience) {
        *self.state.lock().await.slot(audience) = None;
    }
}

/// Returns when a token with this lifetime should be replaced: `REFRESH_MARGIN` before it
/// expires, or halfway through a lifetime shorter than twice that margin.
fn refresh_at(now: Instant, lifetime: Duration) -> Instant {
    now + lifetime - REFRESH_MARGIN.min(lifetime / 2)
}

impl Client {
    /// Returns a valid access token for the audience, fetching one when none is held or the
    /// held one is due for replacement.
    pub(super) async fn access_token(&self, audience: Audience) -> Result<String, ApiError> {
        let mut state = self.inner.tokens.lock().await;
        if !state.loaded {
            state.loaded = true;
            self.load_stored_tokens(&mut state).await;
        }
        if let Some(token) = state.slot(audience).as_ref() {
            if Instant::now() < token.refresh_at {
                return Ok(token.access_token.clone());
            }
        }
        let token = match &self.inner.credentials {
            Credentials::ClientSecret { .. } => self.client_credentials_token(audience).await?,
            Credentials::DeviceCode { .. } => self.delegated_token(&mut state, audience).await?,
        };
        let access_token = token.access_token.clone();
        *state.slot(audience) = Some(token);
        self.store_tokens(&state).await;
        Ok(access_token)
    }

    /// Requests a token with the client-credentials grant.
    async fn client_credentials_token(&self, audience: Audience) -> Result<Token, ApiError> {
        let Credentials::ClientSecret {
            tenant_id,
            client_id,
            client_secret,
        } = &self.inner.credentials
        else {
            return Err(ApiError::Auth(
                "client-credentials sign-in needs a client secret".to_owned(),
            ));
        };
        let scope = match audience {
            Audience::Graph => scopes::graph_app_scope(&self.inner.endpoints),
            Audience::Teams => scopes::teams_app_scope(),
        };
        let form = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "client_credentials")
            .append_pair("client_id", client_id)
            .append_pair("client_secret", client_secret)
            .append_pair("scope", &scope)
            .finish();
        let started = Instant::now();
        let response = self.request_token(tenant_id, form).await?;
        tracing::info!(
            audience = audience.name(),
            expires_in_s = response.expires_in,
            "signed in"
        );
        Ok(Token::from_response(&response, started))
    }

    /// Posts a form to the token endpoint and decodes a successful response.
    pub(super) async fn request_token(
        &self,
        tenant_id: &str,
        form: String,
    ) -> Result<TokenResponse, ApiError> {
        let reply = self.post_token_form(tenant_id, form).await?;
        if !reply.is_success() {
            return Err(sign_in_error(&reply.body, reply.status, &reply.headers));
        }
        reply.json()
    }

    /// Posts a form to the tenant's token endpoint and returns the response, whatever its
    /// status.
    pub(super) async fn post_token_form(
        &self,
        tenant_id: &str,
        form: String,
    ) -> Result<super::http::Reply, ApiError> {
        let url = self.login_url(tenant_id, "token");
        let call = Call::new(Method::POST, None, url).with_body(Body::Form(form));
        // Boxed because sending with a token may sign in, which sends again.
        Box::pin(self.send_raw(&call)).await
    }

    /// Returns `{login}/{tenant}/oauth2/v2.0/{endpoint}`.
    pub(super) fn login_url(&self, tenant_id: &str, endpoint: &str) -> url::Url {
        let path = format!("/{}/oauth2/v2.0/{endpoint}", routes::encode(tenant_id));
        routes::join(&self.inner.endpoints.login, &path)
    }
}

/// Turns a failed token response into [`ApiError::Auth`] when it is an OAuth error body.
pub(super) fn sign_in_error(
    body: &[u8],
    status: u16,
    headers: &reqwest::header::HeaderMap,
) -> ApiError {
    match serde_json::from_slice::<OAuthError>(body) {
        Ok(oauth) => ApiError::Auth(describe_oauth_error(&oauth)),
        Err(_) => status_error(status, headers, body),
    }
}

/// Returns "code: description" of an OAuth error, with the fix for the errors an admin
/// meets when botline's app registration is not set up for it.
pub(super) fn describe_oauth_error(oauth: &OAuthError) -> String {
    let mut text = if oauth.error_description.is_empty() {
        oauth.error.clone()
    } else {
        format!("{}: {}", oauth.error, one_line(&oauth.error_description))
    };
    if let Some(fix) = oauth_fix(oauth) {
        text.push_str("; ");
        text.push_str(fix);
    }
    text
}

/// Returns what to do about well-known AADSTS errors.
fn oauth_fix(oauth: &OAuthError) -> Option<&'static str> {
    let has = |code: u64| {
        oauth.error_codes.contains(&code)
            || oauth
                .error_description
                .starts_with(&format!("AADSTS{code}:"))
    };
    if has(7_000_218) {
        Some(
            "turn on \"Allow public client flows\" under Authentication in botline's app \
             registration, which device-code sign-in needs",
        )
    } else if has(65_001) {
        Some("an administrator must grant consent to botline's API permissions in Entra")
    } else if has(700_016) {
        Some("check client_id and tenant_id in the config file")
    } else {
        None
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
    fn stored_token_near_expiry_is_due() {
        let soon = SystemTime::now() + Duration::from_secs(60);
        let token = Token::from_expiry("t".into(), soon);
        assert!(token.refresh_at <= Instant::now());
        let later = SystemTime::now() + Duration::from_secs(3600);
        let fresh = Token::from_expiry("t".into(), later);
        assert!(fresh.refresh_at > Instant::now() + Duration::from_secs(3000));
        let past = SystemTime::now() - Duration::from_secs(60);
        let expired = Token::from_expiry("t".into(), past);
        assert!(expired.refresh_at <= Instant::now());
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
    fn public_client_error_names_the_fix() {
        let body = br#"{"error":"invalid_client","error_description":"AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.","error_codes":[7000218]}"#;
        let message = sign_in_error(body, 401, &HeaderMap::new()).to_string();
        assert!(message.contains("Allow public client flows"), "{message}");
    }

    #[test]
    fn non_oauth_failure_is_a_status_error() {
        let error = sign_in_error(b"<html>down</html>", 502, &HeaderMap::new());
        assert_eq!(error.status(), Some(502));
        assert!(!error.to_string().contains("<html>"));
    }
}
