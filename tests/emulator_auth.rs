//! Sign-in against the emulator: client credentials, device code, refresh tokens, audiences.

mod emulator_support;

use std::net::SocketAddr;
use std::time::Duration;

use botline::emulator::{Emulator, Options, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID};
use emulator_support::{Harness, GRAPH_SCOPE, INSTANCES, TEAMS_SCOPE};
use reqwest::StatusCode;
use serde_json::Value;

async fn oauth_error(response: reqwest::Response) -> (StatusCode, String, String) {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    (
        status,
        body["error"].as_str().unwrap_or_default().to_owned(),
        body["error_description"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

#[tokio::test]
async fn graph_token_opens_graph_only() {
    let harness = Harness::start().await;
    let graph = harness.graph_get("/v1.0/domains").await;
    assert_eq!(graph.status(), StatusCode::OK);

    let teams_with_graph_token = harness
        .http
        .get(harness.url(INSTANCES))
        .bearer_auth(&harness.graph_token)
        .send()
        .await
        .unwrap();
    assert_eq!(teams_with_graph_token.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn teams_token_opens_teams_only() {
    let harness = Harness::start().await;
    assert_eq!(harness.teams_get(INSTANCES).await.status(), StatusCode::OK);

    let graph_with_teams_token = harness
        .http
        .get(harness.url("/v1.0/users"))
        .bearer_auth(&harness.teams_token)
        .send()
        .await
        .unwrap();
    let (status, code, message) = emulator_support::graph_error(graph_with_teams_token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(code, "InvalidAuthenticationToken");
    assert!(message.contains("audience"), "{message}");
}

#[tokio::test]
async fn missing_token_is_401_with_challenge() {
    let harness = Harness::start().await;
    let response = harness
        .http
        .get(harness.url("/v1.0/users"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers().get("www-authenticate").unwrap(),
        "Bearer"
    );
    let (status, code, _) = emulator_support::graph_error(response).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(code, "InvalidAuthenticationToken");
}

#[tokio::test]
async fn unknown_token_is_401() {
    let harness = Harness::start().await;
    let response = harness
        .http
        .get(harness.url("/v1.0/users"))
        .bearer_auth("made-up")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn token_response_has_expiry_and_type() {
    let harness = Harness::start().await;
    let response = harness
        .token_request(&[
            ("grant_type", "client_credentials"),
            ("client_id", DEMO_CLIENT_ID),
            ("client_secret", DEMO_CLIENT_SECRET),
            ("scope", GRAPH_SCOPE),
        ])
        .await;
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert!(body.get("refresh_token").is_none());
}

#[tokio::test]
async fn token_expires_after_an_hour() {
    let harness = Harness::start().await;
    harness.emulator.advance_clock(Duration::from_secs(3601));
    let response = harness.graph_get("/v1.0/domains").await;
    let (status, _, message) = emulator_support::graph_error(response).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(message.contains("expired"), "{message}");
}

#[tokio::test]
async fn wrong_secret_is_invalid_client() {
    let harness = Harness::start().await;
    let response = harness
        .token_request(&[
            ("grant_type", "client_credentials"),
            ("client_id", DEMO_CLIENT_ID),
            ("client_secret", "wrong"),
            ("scope", GRAPH_SCOPE),
        ])
        .await;
    let (status, error, description) = oauth_error(response).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(error, "invalid_client");
    assert!(description.starts_with("AADSTS7000215"), "{description}");
}

#[tokio::test]
async fn unknown_client_is_invalid_client() {
    let harness = Harness::start().await;
    let response = harness
        .token_request(&[
            ("grant_type", "client_credentials"),
            ("client_id", "11111111-2222-3333-4444-555555555555"),
            ("client_secret", DEMO_CLIENT_SECRET),
            ("scope", GRAPH_SCOPE),
        ])
        .await;
    let (status, error, description) = oauth_error(response).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(error, "invalid_client");
    assert!(description.contains("11111111-2222"), "{description}");
}

#[tokio::test]
async fn tenant_may_be_initial_domain_but_not_unknown() {
    let harness = Harness::start().await;
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", DEMO_CLIENT_ID),
        ("client_secret", DEMO_CLIENT_SECRET),
        ("scope", GRAPH_SCOPE),
    ];
    let by_domain = harness
        .http
        .post(harness.url("/contoso.onmicrosoft.com/oauth2/v2.0/token"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(by_domain.status(), StatusCode::OK);

    let unknown = harness
        .http
        .post(harness.url("/fabrikam.onmicrosoft.com/oauth2/v2.0/token"))
        .form(&form)
        .send()
        .await
        .unwrap();
    let (status, error, description) = oauth_error(unknown).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error, "invalid_request");
    assert!(
        description.contains("fabrikam.onmicrosoft.com"),
        "{description}"
    );
}

#[tokio::test]
async fn client_credentials_scope_needs_default_suffix() {
    let harness = Harness::start().await;
    let response = harness
        .token_request(&[
            ("grant_type", "client_credentials"),
            ("client_id", DEMO_CLIENT_ID),
            ("client_secret", DEMO_CLIENT_SECRET),
            ("scope", "https://graph.microsoft.com/User.Read.All"),
        ])
        .await;
    let (status, error, description) = oauth_error(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error, "invalid_scope");
    assert!(description.starts_with("AADSTS1002012"), "{description}");
}

#[tokio::test]
async fn two_resources_in_one_scope_are_rejected() {
    let harness = Harness::start().await;
    let scope = format!("{GRAPH_SCOPE} {TEAMS_SCOPE}");
    let response = harness
        .token_request(&[
            ("grant_type", "client_credentials"),
            ("client_id", DEMO_CLIENT_ID),
            ("client_secret", DEMO_CLIENT_SECRET),
            ("scope", &scope),
        ])
        .await;
    let (status, error, _) = oauth_error(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error, "invalid_scope");
}

#[tokio::test]
async fn missing_grant_type_is_named() {
    let harness = Harness::start().await;
    let response = harness
        .token_request(&[("client_id", DEMO_CLIENT_ID)])
        .await;
    let (status, error, description) = oauth_error(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error, "invalid_request");
    assert!(description.contains("'grant_type'"), "{description}");
}

/// Starts a device-code sign-in and returns the response body.
async fn request_device_code(harness: &Harness, scope: &str) -> Value {
    let response = harness
        .http
        .post(harness.url(&format!("/{DEMO_TENANT_ID}/oauth2/v2.0/devicecode")))
        .form(&[("client_id", DEMO_CLIENT_ID), ("scope", scope)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn poll_device_code(harness: &Harness, device_code: &str) -> reqwest::Response {
    harness
        .token_request(&[
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("client_id", DEMO_CLIENT_ID),
            ("device_code", device_code),
        ])
        .await
}

#[tokio::test]
async fn device_code_flow_with_refresh() {
    let harness = Harness::start().await;
    let started = request_device_code(
        &harness,
        "https://graph.microsoft.com/User.ReadWrite.All offline_access",
    )
    .await;
    let device_code = started["device_code"].as_str().unwrap();
    let user_code = started["user_code"].as_str().unwrap();
    assert_eq!(started["expires_in"], 900);
    assert!(started["verification_uri"]
        .as_str()
        .unwrap()
        .ends_with("/_emulator/device"));
    assert!(started["message"].as_str().unwrap().contains(user_code));

    let (status, error, _) = oauth_error(poll_device_code(&harness, device_code).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error, "authorization_pending");

    let approved = harness
        .http
        .post(harness.url("/_emulator/device/approve"))
        .form(&[("user_code", user_code)])
        .send()
        .await
        .unwrap();
    assert_eq!(approved.status(), StatusCode::NO_CONTENT);

    let granted = poll_device_code(&harness, device_code).await;
    assert_eq!(granted.status(), StatusCode::OK);
    let body: Value = granted.json().await.unwrap();
    let graph_token = body["access_token"].as_str().unwrap();
    let refresh_token = body["refresh_token"].as_str().unwrap();
    let users = harness
        .http
        .get(harness.url("/v1.0/users"))
        .bearer_auth(graph_token)
        .send()
        .await
        .unwrap();
    assert_eq!(users.status(), StatusCode::OK);

    let refreshed = harness
        .token_request(&[
            ("grant_type", "refresh_token"),
            ("client_id", DEMO_CLIENT_ID),
            ("refresh_token", refresh_token),
            (
                "scope",
                "48ac35b8-9aa8-4d74-927d-1f4a14a0b239/user_impersonation offline_access",
            ),
        ])
        .await;
    assert_eq!(refreshed.status(), StatusCode::OK);
    let body: Value = refreshed.json().await.unwrap();
    let teams_token = body["access_token"].as_str().unwrap();
    let instances = harness
        .http
        .get(harness.url(INSTANCES))
        .bearer_auth(teams_token)
        .send()
        .await
        .unwrap();
    assert_eq!(instances.status(), StatusCode::OK);

    let (_, error, _) = oauth_error(poll_device_code(&harness, device_code).await).await;
    assert_eq!(error, "invalid_grant", "a device code is redeemed once");
}

#[tokio::test]
async fn declined_device_code_stops() {
    let harness = Harness::start().await;
    let started = request_device_code(&harness, GRAPH_SCOPE).await;
    let user_code = started["user_code"].as_str().unwrap();
    let declined = harness
        .http
        .post(harness.url("/_emulator/device/decline"))
        .json(&serde_json::json!({ "user_code": user_code }))
        .send()
        .await
        .unwrap();
    assert_eq!(declined.status(), StatusCode::NO_CONTENT);
    let response = poll_device_code(&harness, started["device_code"].as_str().unwrap()).await;
    let (status, error, _) = oauth_error(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error, "authorization_declined");
}

#[tokio::test]
async fn device_code_expires() {
    let harness = Harness::start().await;
    let started = request_device_code(&harness, GRAPH_SCOPE).await;
    harness.emulator.advance_clock(Duration::from_secs(901));
    let response = poll_device_code(&harness, started["device_code"].as_str().unwrap()).await;
    let (_, error, _) = oauth_error(response).await;
    assert_eq!(error, "expired_token");
    let user_code = started["user_code"].as_str().unwrap();
    assert!(!harness.emulator.approve_device_code(user_code).await);
}

#[tokio::test]
async fn device_code_approved_through_rust_api() {
    let harness = Harness::start().await;
    let started = request_device_code(&harness, TEAMS_SCOPE).await;
    let user_code = started["user_code"].as_str().unwrap().to_ascii_lowercase();
    assert!(harness.emulator.approve_device_code(&user_code).await);
    let response = poll_device_code(&harness, started["device_code"].as_str().unwrap()).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn unknown_user_code_is_404() {
    let harness = Harness::start().await;
    let response = harness
        .http
        .post(harness.url("/_emulator/device/approve"))
        .form(&[("user_code", "NOSUCHCODE")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn non_loopback_listen_is_rejected() {
    let options = Options {
        listen: SocketAddr::from(([0, 0, 0, 0], 0)),
        ..Options::default()
    };
    let error = match Emulator::start(options).await {
        Ok(_) => panic!("the emulator must not listen outside loopback"),
        Err(error) => error,
    };
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
    assert!(error.to_string().contains("0.0.0.0"), "{error}");
    assert!(error.to_string().contains("allow_non_loopback"), "{error}");
}

#[tokio::test]
async fn endpoints_point_at_the_server() {
    let harness = Harness::start().await;
    let endpoints = harness.emulator.endpoints();
    let root = format!("http://{}", harness.emulator.addr());
    assert_eq!(endpoints.login.as_str().trim_end_matches('/'), root);
    assert_eq!(endpoints.teams.as_str().trim_end_matches('/'), root);
    assert_eq!(endpoints.graph.as_str(), format!("{root}/v1.0"));
}
