//! A scripted stand-in for Microsoft's servers on a loopback port, for tests of the client's
//! HTTP layer: each test scripts the responses it needs, records every request, and
//! leaves sign-in to a default that hands out a token per scope.

#![allow(dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Router;
use botline::client::{Client, ClientOptions, Credentials, Endpoints};
use url::Url;

/// Secret the fake's clients sign in with, to check it never leaks.
pub const SECRET: &str = "fake-client-secret-value";
/// Tenant the fake's clients sign in to.
pub const TENANT: &str = "contoso.onmicrosoft.com";

/// One request as the fake received it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: HashMap<String, String>,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Seen {
    /// Returns a header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// Returns the body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }

    /// Returns the body's form fields.
    pub fn form(&self) -> HashMap<String, String> {
        url::form_urlencoded::parse(&self.body)
            .into_owned()
            .collect()
    }
}

/// A response the fake sends.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
    pub delay: Duration,
}

impl Reply {
    /// Builds a JSON response.
    pub fn json(status: u16, body: serde_json::Value) -> Self {
        Reply {
            status,
            headers: vec![("content-type", "application/json".to_owned())],
            body: body.to_string(),
            delay: Duration::ZERO,
        }
    }

    /// Builds a response with a plain body and no content type.
    pub fn text(status: u16, body: &str) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: body.to_owned(),
            delay: Duration::ZERO,
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// Delays the response.
    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// Script that returns the response to one request; `None` falls back to the default sign-in, or 404.
pub type Script = Arc<dyn Fn(&Seen, &FakeState) -> Option<Reply> + Send + Sync>;

/// What the fake has seen so far.
#[derive(Default)]
pub struct FakeState {
    pub seen: Mutex<Vec<Seen>>,
    pub in_flight: AtomicUsize,
    pub max_in_flight: AtomicUsize,
    /// Lifetime in seconds of the tokens the default sign-in hands out.
    pub token_lifetime_s: AtomicUsize,
    /// The fake's own base address.
    pub base: Mutex<String>,
}

impl FakeState {
    /// Returns how many requests went to a path so far, including the current one.
    pub fn count(&self, path: &str) -> usize {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|seen| seen.path == path)
            .count()
    }
}

/// A running fake server.
pub struct Fake {
    pub addr: SocketAddr,
    pub state: Arc<FakeState>,
}

/// Graph base path on the fake.
pub const GRAPH: &str = "/v1.0";
/// Path of the token endpoint on the fake.
pub const TOKEN_PATH: &str = "/contoso.onmicrosoft.com/oauth2/v2.0/token";

impl Fake {
    /// Starts a fake on an ephemeral loopback port.
    pub async fn start(
        script: impl Fn(&Seen, &FakeState) -> Option<Reply> + Send + Sync + 'static,
    ) -> Fake {
        let state = Arc::new(FakeState::default());
        state.token_lifetime_s.store(3600, Ordering::SeqCst);
        let script: Script = Arc::new(script);
        let app = Router::new()
            .fallback(handle)
            .with_state((Arc::clone(&state), script));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        *state.base.lock().unwrap() = format!("http://{addr}");
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Fake { addr, state }
    }

    /// Returns the base address, such as `http://127.0.0.1:4321`.
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Returns endpoints on the fake: Graph under `/v1.0`, Teams under `/teams/`.
    pub fn endpoints(&self) -> Endpoints {
        Endpoints {
            login: Url::parse(&self.base()).unwrap(),
            graph: Url::parse(&format!("{}{GRAPH}", self.base())).unwrap(),
            teams: Url::parse(&format!("{}/teams/", self.base())).unwrap(),
        }
    }

    /// Returns the client-credentials scope of Graph on the fake: its origin, from which a
    /// client derives Graph's resource, followed by `/.default`.
    pub fn graph_scope(&self) -> String {
        format!("{}/.default", self.base())
    }

    /// Returns a client of the fake with fast retries.
    pub fn client(&self) -> Client {
        Client::new(self.endpoints(), credentials(), fast_options()).unwrap()
    }

    /// Returns every request to a path, in order.
    pub fn seen(&self, path: &str) -> Vec<Seen> {
        self.state
            .seen
            .lock()
            .unwrap()
            .iter()
            .filter(|seen| seen.path == path)
            .cloned()
            .collect()
    }

    /// Returns the scopes of every sign-in, in order.
    pub fn login_scopes(&self) -> Vec<String> {
        self.seen(TOKEN_PATH)
            .iter()
            .map(|seen| seen.form().get("scope").cloned().unwrap_or_default())
            .collect()
    }
}

/// Credentials the fake's default sign-in accepts.
pub fn credentials() -> Credentials {
    Credentials::ClientSecret {
        tenant_id: TENANT.to_owned(),
        client_id: "5e0f3d2c-1b4a-4e6f-9a8b-7c6d5e4f3a2b".to_owned(),
        client_secret: SECRET.to_owned(),
    }
}

/// Options with waits short enough for tests.
pub fn fast_options() -> ClientOptions {
    ClientOptions {
        request_timeout: Duration::from_secs(10),
        max_retries: 3,
        max_retry_wait: Duration::from_millis(20),
    }
}

async fn handle(
    State((state, script)): State<(Arc<FakeState>, Script)>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 16 * 1024 * 1024)
        .await
        .unwrap()
        .to_vec();
    let query = parts
        .uri
        .query()
        .map(|query| {
            url::form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let seen = Seen {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query,
        headers: parts.headers,
        body,
    };
    state.seen.lock().unwrap().push(seen.clone());
    let now = state.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    state.max_in_flight.fetch_max(now, Ordering::SeqCst);

    let reply = script(&seen, &state).unwrap_or_else(|| default_reply(&seen, &state));
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    state.in_flight.fetch_sub(1, Ordering::SeqCst);

    let mut response = Response::builder().status(StatusCode::from_u16(reply.status).unwrap());
    for (name, value) in reply.headers {
        response = response.header(name, value);
    }
    response.body(Body::from(reply.body)).unwrap()
}

fn default_reply(seen: &Seen, state: &FakeState) -> Reply {
    if seen.method == "POST" && seen.path == TOKEN_PATH {
        let form = seen.form();
        let scope = form.get("scope").cloned().unwrap_or_default();
        let number = state.count(TOKEN_PATH);
        let lifetime = state.token_lifetime_s.load(Ordering::SeqCst);
        return Reply::json(
            200,
            serde_json::json!({
                "token_type": "Bearer",
                "access_token": format!("token-{number}-{scope}"),
                "expires_in": lifetime,
            }),
        );
    }
    Reply::json(
        404,
        serde_json::json!({"error": {"code": "itemNotFound", "message": "no such route"}}),
    )
}
