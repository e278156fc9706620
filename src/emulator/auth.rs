//! The login endpoints and the bearer-token check of the Graph and Teams admin API routes.
//!
//! Tokens are opaque random strings kept in memory with their audience and expiry. The
//! scope of a token request picks the audience: a Graph resource (`https://graph.microsoft.com`,
//! a national cloud's Graph host, or a loopback `http` origin such as the emulator's own) gives
//! a Graph token and `48ac35b8-9aa8-4d74-927d-1f4a14a0b239/...` a Teams admin API token.
//! Device codes wait for a test or the `/_emulator/device` page to approve or decline them.
//! Every token request is recorded (grant type and scope, never a secret) so that tests can
//! check what a client asked for.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use rand::distr::{Alphanumeric, SampleString};

use super::errors::{ApiFailure, OAuthFailure};
use super::server::Shared;
use super::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};
use crate::wire::auth::{DeviceCodeResponse, TokenResponse};

/// Resource id of Microsoft Graph in scopes.
pub const GRAPH_RESOURCE: &str = "https://graph.microsoft.com";
/// Resource id of the Skype and Teams Tenant Admin API in scopes.
pub const TEAMS_RESOURCE: &str = "48ac35b8-9aa8-4d74-927d-1f4a14a0b239";
/// Graph resources of the national clouds, accepted like the worldwide one.
const NATIONAL_GRAPH_RESOURCES: [&str; 3] = [
    "https://graph.microsoft.us",
    "https://dod-graph.microsoft.us",
    "https://microsoftgraph.chinacloudapi.cn",
];
/// Lifetime of an access token in seconds.
const ACCESS_TOKEN_LIFETIME_SECONDS: u64 = 3600;
/// Lifetime of a device code in seconds, as Entra's default.
const DEVICE_CODE_LIFETIME_SECONDS: u64 = 900;
/// Seconds a client waits between device-code polls, short because a test approves the
/// code at once.
const DEVICE_CODE_POLL_INTERVAL_SECONDS: u64 = 1;
/// Grant type of the device-code flow.
const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// The API a token is valid for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Microsoft Graph.
    Graph,
    /// The Teams admin API.
    Teams,
}

impl Audience {
    fn resource(self) -> &'static str {
        match self {
            Audience::Graph => GRAPH_RESOURCE,
            Audience::Teams => TEAMS_RESOURCE,
        }
    }
}

/// Tokens, refresh tokens and device codes issued so far.
#[derive(Debug, Default)]
pub struct AuthStore {
    access_tokens: HashMap<String, AccessToken>,
    refresh_tokens: HashSet<String>,
    device_codes: Vec<DeviceCode>,
    requests: Vec<SignInRequest>,
}

/// One request to the token or device-code endpoint, without its secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInRequest {
    /// `devicecode` for a device-code request, else the form's `grant_type`.
    pub grant_type: String,
    /// The form's `scope`; empty when it had none, as on a device-code poll.
    pub scope: String,
}

#[derive(Debug)]
struct AccessToken {
    audience: Audience,
    expires_at_ms: u64,
}

#[derive(Debug)]
struct DeviceCode {
    device_code: String,
    user_code: String,
    scope: String,
    expires_at_ms: u64,
    decision: Decision,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    Pending,
    Approved,
    Declined,
    Redeemed,
}

impl AuthStore {
    /// Returns the token and device-code requests received so far, oldest first.
    pub fn requests(&self) -> &[SignInRequest] {
        &self.requests
    }

    fn record(&mut self, grant_type: &str, form: &HashMap<String, String>) {
        self.requests.push(SignInRequest {
            grant_type: grant_type.to_owned(),
            scope: form.get("scope").cloned().unwrap_or_default(),
        });
    }

    /// Approves or declines the pending, unexpired device code with this user code.
    pub fn decide(&mut self, user_code: &str, approve: bool, now_ms: u64) -> bool {
        let wanted = normalise_user_code(user_code);
        let found = self.device_codes.iter_mut().find(|code| {
            code.user_code == wanted
                && code.decision == Decision::Pending
                && code.expires_at_ms > now_ms
        });
        match found {
            Some(code) => {
                code.decision = if approve {
                    Decision::Approved
                } else {
                    Decision::Declined
                };
                true
            }
            None => false,
        }
    }

    fn issue(&mut self, audience: Audience, offline: bool, now_ms: u64) -> TokenResponse {
        let access_token = random_text(48);
        self.access_tokens.insert(
            access_token.clone(),
            AccessToken {
                audience,
                expires_at_ms: now_ms + ACCESS_TOKEN_LIFETIME_SECONDS * 1000,
            },
        );
        let refresh_token = offline.then(|| {
            let token = random_text(64);
            self.refresh_tokens.insert(token.clone());
            token
        });
        TokenResponse {
            token_type: "Bearer".to_owned(),
            access_token,
            expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
            scope: Some(format!("{}/.default", audience.resource())),
            refresh_token,
        }
    }
}

fn random_text(length: usize) -> String {
    Alphanumeric.sample_string(&mut rand::rng(), length)
}

fn normalise_user_code(user_code: &str) -> String {
    user_code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_uppercase()
}

/// Routes of the login host.
pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/{tenant}/oauth2/v2.0/token", post(token))
        .route("/{tenant}/oauth2/v2.0/devicecode", post(device_code))
}

/// Parses a form-urlencoded body; a repeated field keeps its last value.
pub fn parse_form(body: &[u8]) -> HashMap<String, String> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

fn required<'a>(form: &'a HashMap<String, String>, name: &str) -> Result<&'a str, OAuthFailure> {
    form.get(name)
        .map(String::as_str)
        .filter(|value| !value.is_empty())
        .ok_or_else(|| {
            OAuthFailure::bad_request(
                "invalid_request",
                900_144,
                format!("The request body must contain the following parameter: '{name}'."),
            )
        })
}

async fn check_tenant(shared: &Shared, tenant: &str) -> Result<(), OAuthFailure> {
    let known = shared
        .read(|state, _| {
            state.tenant.id.eq_ignore_ascii_case(tenant) || state.is_verified_domain(tenant)
        })
        .await;
    if known {
        return Ok(());
    }
    Err(OAuthFailure::bad_request(
        "invalid_request",
        90_002,
        format!(
            "Tenant '{tenant}' not found. Use the tenant id or a verified domain of the \
             practice tenant."
        ),
    ))
}

/// Picks the audience of a space-separated scope list; returns it with whether a refresh
/// token was requested.
fn audience_of(scope: &str, client_credentials: bool) -> Result<(Audience, bool), OAuthFailure> {
    let mut audiences = Vec::new();
    let mut offline = false;
    for item in scope.split_whitespace() {
        if item.eq_ignore_ascii_case("offline_access") {
            offline = true;
            continue;
        }
        if ["openid", "profile", "email"]
            .iter()
            .any(|plain| item.eq_ignore_ascii_case(plain))
        {
            continue;
        }
        let (resource, permission) = item.rsplit_once('/').unwrap_or(("", item));
        let audience = if is_graph_resource(resource) {
            Audience::Graph
        } else if resource.eq_ignore_ascii_case(TEAMS_RESOURCE)
            || resource.eq_ignore_ascii_case("api://48ac35b8-9aa8-4d74-927d-1f4a14a0b239")
        {
            Audience::Teams
        } else {
            return Err(invalid_scope(format!(
                "The scope '{item}' names no resource the practice tenant knows; use \
                 {GRAPH_RESOURCE}/.default or {TEAMS_RESOURCE}/.default."
            )));
        };
        if client_credentials && permission != ".default" {
            return Err(OAuthFailure::bad_request(
                "invalid_scope",
                1_002_012,
                format!(
                    "The provided value for scope {item} is not valid. Client credential \
                     flows must have a scope value with /.default suffixed to the resource \
                     identifier (application ID URI)."
                ),
            ));
        }
        if !audiences.contains(&audience) {
            audiences.push(audience);
        }
    }
    match audiences.as_slice() {
        [audience] => Ok((*audience, offline)),
        [] => Err(invalid_scope(format!(
            "The scope '{scope}' names no resource; use {GRAPH_RESOURCE}/.default or \
             {TEAMS_RESOURCE}/.default."
        ))),
        _ => Err(invalid_scope(format!(
            "The scope '{scope}' names more than one resource; request one token per \
             resource."
        ))),
    }
}

/// Returns true for the worldwide and national Graph resources, and for a loopback `http`
/// origin, which is what a client derives from the emulator's own Graph address.
fn is_graph_resource(resource: &str) -> bool {
    if resource.eq_ignore_ascii_case(GRAPH_RESOURCE)
        || NATIONAL_GRAPH_RESOURCES
            .iter()
            .any(|national| resource.eq_ignore_ascii_case(national))
    {
        return true;
    }
    let Ok(url) = url::Url::parse(resource) else {
        return false;
    };
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    url.scheme() == "http" && loopback && url.path() == "/"
}

fn invalid_scope(description: String) -> OAuthFailure {
    OAuthFailure::bad_request("invalid_scope", 70_011, description)
}

fn unknown_client(client_id: &str) -> OAuthFailure {
    OAuthFailure {
        status: StatusCode::UNAUTHORIZED,
        error: "invalid_client",
        aadsts: 700_016,
        description: format!(
            "Application with identifier '{client_id}' was not found in the directory. The \
             practice tenant accepts client id {DEMO_CLIENT_ID}."
        ),
    }
}

async fn token(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    body: Bytes,
) -> Result<Json<TokenResponse>, OAuthFailure> {
    check_tenant(&shared, &tenant).await?;
    let form = parse_form(&body);
    let grant_type = required(&form, "grant_type")?;
    let client_id = required(&form, "client_id")?;
    if client_id != DEMO_CLIENT_ID {
        return Err(unknown_client(client_id));
    }
    let now_ms = shared.clock.now_ms();
    let mut store = shared.auth.lock().await;
    store.record(grant_type, &form);
    let response = match grant_type {
        "client_credentials" => {
            if form.get("client_secret").map(String::as_str) != Some(DEMO_CLIENT_SECRET) {
                return Err(OAuthFailure {
                    status: StatusCode::UNAUTHORIZED,
                    error: "invalid_client",
                    aadsts: 7_000_215,
                    description: "Invalid client secret provided. Ensure the secret being sent \
                                  in the request is the client secret value, not the client \
                                  secret ID."
                        .to_owned(),
                });
            }
            let (audience, _) = audience_of(required(&form, "scope")?, true)?;
            store.issue(audience, false, now_ms)
        }
        DEVICE_CODE_GRANT => redeem_device_code(&mut store, &form, now_ms)?,
        "refresh_token" => {
            let refresh_token = required(&form, "refresh_token")?;
            if !store.refresh_tokens.contains(refresh_token) {
                return Err(OAuthFailure::bad_request(
                    "invalid_grant",
                    9_002_313,
                    "The refresh token is not valid; sign in again.",
                ));
            }
            let (audience, _) = audience_of(required(&form, "scope")?, false)?;
            store.issue(audience, true, now_ms)
        }
        other => {
            return Err(OAuthFailure::bad_request(
                "unsupported_grant_type",
                70_003,
                format!(
                    "The app requested an unsupported grant type '{other}'; use \
                     client_credentials, refresh_token or {DEVICE_CODE_GRANT}."
                ),
            ))
        }
    };
    Ok(Json(response))
}

fn redeem_device_code(
    store: &mut AuthStore,
    form: &HashMap<String, String>,
    now_ms: u64,
) -> Result<TokenResponse, OAuthFailure> {
    let device_code = required(form, "device_code")?;
    let Some(code) = store
        .device_codes
        .iter_mut()
        .find(|code| code.device_code == device_code)
    else {
        return Err(OAuthFailure::bad_request(
            "bad_verification_code",
            70_019,
            "The device code is not known; request a new one.",
        ));
    };
    let redeemable = matches!(code.decision, Decision::Pending | Decision::Approved);
    if redeemable && code.expires_at_ms <= now_ms {
        return Err(OAuthFailure::bad_request(
            "expired_token",
            70_020,
            "The device code expired before it was redeemed; request a new one.",
        ));
    }
    match code.decision {
        Decision::Pending => Err(OAuthFailure::bad_request(
            "authorization_pending",
            70_016,
            "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
        )),
        Decision::Declined => Err(OAuthFailure::bad_request(
            "authorization_declined",
            70_018,
            "The admin declined the sign-in request.",
        )),
        Decision::Redeemed => Err(OAuthFailure::bad_request(
            "invalid_grant",
            54_005,
            "The device code was already redeemed; request a new one.",
        )),
        Decision::Approved => {
            code.decision = Decision::Redeemed;
            let scope = code.scope.clone();
            let (audience, offline) = audience_of(&scope, false)?;
            Ok(store.issue(audience, offline, now_ms))
        }
    }
}

async fn device_code(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<DeviceCodeResponse>, OAuthFailure> {
    check_tenant(&shared, &tenant).await?;
    let form = parse_form(&body);
    let client_id = required(&form, "client_id")?;
    if client_id != DEMO_CLIENT_ID {
        return Err(unknown_client(client_id));
    }
    shared.auth.lock().await.record("devicecode", &form);
    let scope = required(&form, "scope")?;
    audience_of(scope, false)?;
    let now_ms = shared.clock.now_ms();
    let user_code = random_text(9).to_ascii_uppercase();
    let device_code = random_text(64);
    let verification_uri = format!("{}/_emulator/device", shared.base_url(&headers));
    shared.auth.lock().await.device_codes.push(DeviceCode {
        device_code: device_code.clone(),
        user_code: user_code.clone(),
        scope: scope.to_owned(),
        expires_at_ms: now_ms + DEVICE_CODE_LIFETIME_SECONDS * 1000,
        decision: Decision::Pending,
    });
    Ok(Json(DeviceCodeResponse {
        message: format!(
            "To sign in to the practice tenant, open {verification_uri} and enter the code \
             {user_code}."
        ),
        device_code,
        user_code,
        verification_uri,
        expires_in: DEVICE_CODE_LIFETIME_SECONDS,
        interval: DEVICE_CODE_POLL_INTERVAL_SECONDS,
    }))
}

/// Lets a request through only with a live Graph token.
pub async fn require_graph(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    require(shared, Audience::Graph, request, next).await
}

/// Lets a request through only with a live Teams admin API token.
pub async fn require_teams(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    require(shared, Audience::Teams, request, next).await
}

async fn require(
    shared: Arc<Shared>,
    required: Audience,
    request: Request,
    next: Next,
) -> Response {
    let code = match required {
        Audience::Graph => "InvalidAuthenticationToken",
        Audience::Teams => "Unauthorized",
    };
    let token = request
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().to_owned());
    let Some(token) = token.filter(|token| !token.is_empty()) else {
        return ApiFailure::unauthenticated(code, "Access token is empty.").into_response();
    };
    let now_ms = shared.clock.now_ms();
    let verdict = {
        let store = shared.auth.lock().await;
        match store.access_tokens.get(&token) {
            None => Err("Access token validation failure. The token is not known."),
            Some(found) if found.expires_at_ms <= now_ms => {
                Err("Lifetime validation failed, the token is expired.")
            }
            Some(found) if found.audience != required => {
                Err("Access token validation failure. Invalid audience.")
            }
            Some(_) => Ok(()),
        }
    };
    match verdict {
        Ok(()) => next.run(request).await,
        Err(message) => ApiFailure::unauthenticated(code, message).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_resources_of_every_cloud_and_loopback() {
        for resource in [
            "https://graph.microsoft.com",
            "https://graph.microsoft.us",
            "https://dod-graph.microsoft.us",
            "https://microsoftgraph.chinacloudapi.cn",
            "http://127.0.0.1:4780",
            "http://localhost:4780",
            "http://[::1]:4780",
        ] {
            assert!(is_graph_resource(resource), "{resource}");
        }
        for resource in [
            "https://graph.example.com",
            "http://10.0.0.1:4780",
            "https://127.0.0.1:4780",
            TEAMS_RESOURCE,
        ] {
            assert!(!is_graph_resource(resource), "{resource}");
        }
    }

    #[test]
    fn delegated_scopes_of_one_resource_pick_graph() {
        let scope = "http://127.0.0.1:4780/User.ReadWrite.All \
                     http://127.0.0.1:4780/Organization.Read.All offline_access";
        let (audience, offline) = audience_of(scope, false).unwrap();
        assert_eq!(audience, Audience::Graph);
        assert!(offline);
    }
}
