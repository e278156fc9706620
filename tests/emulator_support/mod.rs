//! Shared helpers of the emulator tests: start an emulator on an ephemeral loopback port,
//! sign in over HTTP, and send Graph and Teams admin API requests with raw reqwest.

#![allow(dead_code)]

use std::future::Future;
use std::time::{Duration, Instant};

use botline::emulator::{
    Emulator, Options, TenantState, Timing, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID,
};
use reqwest::{Response, StatusCode};
use serde_json::Value;

/// Scope of a Graph token.
pub const GRAPH_SCOPE: &str = "https://graph.microsoft.com/.default";
/// Scope of a Teams admin API token.
pub const TEAMS_SCOPE: &str = "48ac35b8-9aa8-4d74-927d-1f4a14a0b239/.default";
/// Path of the telephone number management root.
pub const NUMBERS: &str = "/v1.0/admin/teams/telephoneNumberManagement";
/// Path of the application instance collection.
pub const INSTANCES: &str = "/Teams.PlatformService/v2/ApplicationInstances";

/// A running emulator with an HTTP client and a token for each API.
pub struct Harness {
    pub emulator: Emulator,
    pub http: reqwest::Client,
    pub graph_token: String,
    pub teams_token: String,
}

/// Options on an ephemeral loopback port with no state file.
pub fn options(timing: Timing) -> Options {
    Options {
        timing,
        ..Options::default()
    }
}

impl Harness {
    /// Starts the practice tenant with every step instant.
    pub async fn start() -> Self {
        Self::start_with(botline::emulator::practice_tenant(), Timing::instant()).await
    }

    /// Starts a given tenant with given delays.
    pub async fn start_with(state: TenantState, timing: Timing) -> Self {
        let emulator = Emulator::start_with_state(options(timing), state)
            .await
            .expect("emulator starts on loopback");
        Self::around(emulator).await
    }

    /// Wraps a running emulator and signs in to both APIs.
    pub async fn around(emulator: Emulator) -> Self {
        let http = reqwest::Client::new();
        let mut harness = Harness {
            emulator,
            http,
            graph_token: String::new(),
            teams_token: String::new(),
        };
        harness.graph_token = harness.client_token(GRAPH_SCOPE).await;
        harness.teams_token = harness.client_token(TEAMS_SCOPE).await;
        harness
    }

    /// Gets new tokens, for after the clock moved past their expiry.
    pub async fn sign_in_again(&mut self) {
        self.graph_token = self.client_token(GRAPH_SCOPE).await;
        self.teams_token = self.client_token(TEAMS_SCOPE).await;
    }

    /// Returns `http://{addr}` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.emulator.addr())
    }

    /// Posts a form to the token endpoint.
    pub async fn token_request(&self, form: &[(&str, &str)]) -> Response {
        self.http
            .post(self.url(&format!("/{DEMO_TENANT_ID}/oauth2/v2.0/token")))
            .form(form)
            .send()
            .await
            .expect("token endpoint answers")
    }

    /// Signs in with the client secret and returns the access token.
    pub async fn client_token(&self, scope: &str) -> String {
        let response = self
            .token_request(&[
                ("grant_type", "client_credentials"),
                ("client_id", DEMO_CLIENT_ID),
                ("client_secret", DEMO_CLIENT_SECRET),
                ("scope", scope),
            ])
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        body["access_token"].as_str().unwrap().to_owned()
    }

    /// Sends a Graph GET.
    pub async fn graph_get(&self, path: &str) -> Response {
        self.http
            .get(self.url(path))
            .bearer_auth(&self.graph_token)
            .send()
            .await
            .expect("graph answers")
    }

    /// Sends a Graph POST with a JSON body.
    pub async fn graph_post(&self, path: &str, body: &Value) -> Response {
        self.http
            .post(self.url(path))
            .bearer_auth(&self.graph_token)
            .json(body)
            .send()
            .await
            .expect("graph answers")
    }

    /// Sends a Graph PATCH with a JSON body.
    pub async fn graph_patch(&self, path: &str, body: &Value) -> Response {
        self.http
            .patch(self.url(path))
            .bearer_auth(&self.graph_token)
            .json(body)
            .send()
            .await
            .expect("graph answers")
    }

    /// Sends a Teams admin API GET.
    pub async fn teams_get(&self, path: &str) -> Response {
        self.http
            .get(self.url(path))
            .bearer_auth(&self.teams_token)
            .send()
            .await
            .expect("teams answers")
    }

    /// Sends a Teams admin API POST with a JSON body.
    pub async fn teams_post(&self, path: &str, body: &Value) -> Response {
        self.http
            .post(self.url(path))
            .bearer_auth(&self.teams_token)
            .json(body)
            .send()
            .await
            .expect("teams answers")
    }

    /// Reads a Graph JSON document, checking the status.
    pub async fn graph_json(&self, path: &str) -> Value {
        let response = self.graph_get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        response.json().await.unwrap()
    }

    /// Reads one number by telephone number.
    pub async fn number(&self, telephone_number: &str) -> Value {
        let filter = format!("telephoneNumber eq '{telephone_number}'");
        let list = self
            .graph_json(&format!(
                "{NUMBERS}/numberAssignments?$filter={}",
                encode(&filter)
            ))
            .await;
        let records = list["value"].as_array().unwrap();
        assert_eq!(records.len(), 1, "one record for {telephone_number}");
        records[0].clone()
    }
}

/// Percent-encodes a query value.
pub fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// Reads a Graph error body and returns its code and message, checking the request id.
pub async fn graph_error(response: Response) -> (StatusCode, String, String) {
    let status = response.status();
    let header_id = response
        .headers()
        .get("request-id")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let body: Value = response.json().await.expect("error body is JSON");
    let error = &body["error"];
    assert_eq!(
        error["innerError"]["request-id"].as_str(),
        header_id.as_deref(),
        "request-id in the body matches the header"
    );
    (
        status,
        error["code"].as_str().unwrap_or_default().to_owned(),
        error["message"].as_str().unwrap_or_default().to_owned(),
    )
}

/// Polls `check` until it returns `Some`, failing after ten seconds with `description`.
pub async fn wait_for<T, F, Fut>(description: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {description}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
