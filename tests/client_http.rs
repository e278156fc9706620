//! The client's HTTP layer over real HTTP against a scripted fake of Microsoft's servers:
//! headers, sign-in and the token cache, retries, timeouts and error responses.

mod client_fake;

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use botline::client::{ApiError, Client, ClientOptions, Endpoints, RetryNotice};
use client_fake::{credentials, fast_options, Fake, Reply, GRAPH, SECRET, TOKEN_PATH};
use serde_json::json;
use url::Url;

const DOMAINS: &str = "/v1.0/domains";
const TEAMS_SCOPE: &str = "48ac35b8-9aa8-4d74-927d-1f4a14a0b239/.default";

fn domains_page() -> serde_json::Value {
    json!({"value": [{"id": "contoso.com", "isVerified": true, "isDefault": true}]})
}

fn record_retries(client: &Client) -> Arc<Mutex<Vec<RetryNotice>>> {
    let notices = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&notices);
    client.on_retry(move |notice| sink.lock().unwrap().push(notice.clone()));
    notices
}

#[tokio::test]
async fn requests_carry_ids_accept_and_token() {
    let fake =
        Fake::start(|seen, _| (seen.path == DOMAINS).then(|| Reply::json(200, domains_page())))
            .await;
    let client = fake.client();
    client.domains().await.unwrap();
    client.domains().await.unwrap();

    let seen = fake.seen(DOMAINS);
    assert_eq!(seen.len(), 2);
    let ids: Vec<&str> = seen
        .iter()
        .map(|request| request.header("client-request-id").unwrap())
        .collect();
    assert_ne!(ids[0], ids[1]);
    for id in &ids {
        assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
    }
    for request in &seen {
        assert_eq!(request.header("accept"), Some("application/json"));
        let authorization = request.header("authorization").unwrap();
        assert_eq!(
            authorization,
            format!("Bearer token-1-{}", fake.graph_scope())
        );
        let encoding = request.header("accept-encoding").unwrap_or_default();
        assert!(encoding.contains("gzip"), "{encoding}");
    }
}

#[tokio::test]
async fn sign_in_posts_client_credentials() {
    let fake =
        Fake::start(|seen, _| (seen.path == DOMAINS).then(|| Reply::json(200, domains_page())))
            .await;
    fake.client().domains().await.unwrap();

    let logins = fake.seen(TOKEN_PATH);
    assert_eq!(logins.len(), 1);
    assert_eq!(logins[0].method, "POST");
    assert_eq!(
        logins[0].header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let form = logins[0].form();
    assert_eq!(form["grant_type"], "client_credentials");
    assert_eq!(form["client_id"], "5e0f3d2c-1b4a-4e6f-9a8b-7c6d5e4f3a2b");
    assert_eq!(form["client_secret"], SECRET);
    assert_eq!(form["scope"], fake.graph_scope());
}

#[tokio::test]
async fn tokens_are_cached_per_audience() {
    let fake = Fake::start(|seen, _| {
        if seen.path == DOMAINS {
            return Some(Reply::json(200, domains_page()));
        }
        seen.path
            .ends_with("/ApplicationInstances")
            .then(|| Reply::json(200, json!({"applicationInstances": []})))
    })
    .await;
    let client = fake.client();
    client.domains().await.unwrap();
    client.instances(None).await.unwrap();
    client.domains().await.unwrap();
    client.instances(None).await.unwrap();

    assert_eq!(
        fake.login_scopes(),
        vec![fake.graph_scope(), TEAMS_SCOPE.to_owned()]
    );
    let teams = fake.seen("/teams/Teams.PlatformService/v2/ApplicationInstances");
    assert_eq!(teams.len(), 2);
    assert_eq!(
        teams[1].header("authorization"),
        Some(format!("Bearer token-2-{TEAMS_SCOPE}").as_str())
    );
}

#[tokio::test]
async fn expired_token_is_replaced() {
    let fake =
        Fake::start(|seen, _| (seen.path == DOMAINS).then(|| Reply::json(200, domains_page())))
            .await;
    fake.state.token_lifetime_s.store(0, Ordering::SeqCst);
    let client = fake.client();
    client.domains().await.unwrap();
    client.domains().await.unwrap();
    assert_eq!(fake.login_scopes().len(), 2);
}

#[tokio::test]
async fn rejected_token_signs_in_again_once() {
    let fake = Fake::start(|seen, state| {
        if seen.path != DOMAINS {
            return None;
        }
        if state.count(DOMAINS) == 1 {
            let body =
                json!({"error": {"code": "InvalidAuthenticationToken", "message": "expired"}});
            return Some(Reply::json(401, body));
        }
        Some(Reply::json(200, domains_page()))
    })
    .await;
    let domains = fake.client().domains().await.unwrap();
    assert_eq!(domains.len(), 1);
    assert_eq!(fake.login_scopes().len(), 2);
    let seen = fake.seen(DOMAINS);
    assert_eq!(
        seen[1].header("authorization"),
        Some(format!("Bearer token-2-{}", fake.graph_scope()).as_str())
    );
}

#[tokio::test]
async fn token_rejected_twice_is_an_error() {
    let fake = Fake::start(|seen, _| {
        let body = json!({"error": {"code": "InvalidAuthenticationToken", "message": "no"}});
        (seen.path == DOMAINS).then(|| Reply::json(401, body))
    })
    .await;
    let error = fake.client().domains().await.unwrap_err();
    assert_eq!(error.status(), Some(401));
    assert_eq!(error.code(), Some("InvalidAuthenticationToken"));
    assert_eq!(fake.seen(DOMAINS).len(), 2);
}

#[tokio::test]
async fn oauth_error_is_a_sign_in_error() {
    let fake = Fake::start(|seen, _| {
        let body = json!({
            "error": "invalid_client",
            "error_description": "AADSTS7000215: Invalid client secret provided.",
            "error_codes": [7000215]
        });
        (seen.path == TOKEN_PATH).then(|| Reply::json(401, body))
    })
    .await;
    let error = fake.client().domains().await.unwrap_err();
    assert_eq!(
        error,
        ApiError::Auth("invalid_client: AADSTS7000215: Invalid client secret provided.".into())
    );
    assert!(!error.to_string().contains(SECRET));
    assert!(!format!("{error:?}").contains(SECRET));
    assert!(fake.seen(DOMAINS).is_empty());
}

#[tokio::test]
async fn throttled_request_waits_and_retries() {
    let fake = Fake::start(|seen, state| {
        if seen.path != DOMAINS {
            return None;
        }
        if state.count(DOMAINS) == 1 {
            let body = json!({"error": {"code": "TooManyRequests", "message": "slow down"}});
            return Some(
                Reply::json(429, body)
                    .header("retry-after", "0")
                    .header("request-id", "throttled-1"),
            );
        }
        Some(Reply::json(200, domains_page()))
    })
    .await;
    let client = fake.client();
    let notices = record_retries(&client);

    let domains = client.domains().await.unwrap();
    assert_eq!(domains[0].id, "contoso.com");
    assert_eq!(fake.seen(DOMAINS).len(), 2);
    let notices = notices.lock().unwrap();
    assert_eq!(
        *notices,
        vec![RetryNotice {
            status: Some(429),
            wait: Duration::ZERO,
            attempt: 1,
            request_id: Some("throttled-1".into()),
        }]
    );
    assert!(notices[0].is_throttled());
}

#[tokio::test]
async fn retry_after_is_capped_by_max_wait() {
    let fake = Fake::start(|seen, state| {
        if seen.path != DOMAINS {
            return None;
        }
        if state.count(DOMAINS) == 1 {
            return Some(Reply::text(503, "").header("retry-after", "3600"));
        }
        Some(Reply::json(200, domains_page()))
    })
    .await;
    let client = fake.client();
    let notices = record_retries(&client);
    client.domains().await.unwrap();
    let notices = notices.lock().unwrap();
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].status, Some(503));
    assert_eq!(notices[0].wait, fast_options().max_retry_wait);
}

#[tokio::test]
async fn outage_gives_up_after_max_retries() {
    let fake = Fake::start(|seen, _| {
        (seen.path == DOMAINS).then(|| Reply::text(504, "").header("request-id", "gateway-1"))
    })
    .await;
    let client = fake.client();
    let notices = record_retries(&client);

    let error = client.domains().await.unwrap_err();
    let max_retries = fast_options().max_retries;
    assert_eq!(fake.seen(DOMAINS).len(), max_retries as usize + 1);
    assert_eq!(error.status(), Some(504));
    let ApiError::Status { request_id, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(request_id.as_deref(), Some("gateway-1"));
    let attempts: Vec<u32> = notices.lock().unwrap().iter().map(|n| n.attempt).collect();
    assert_eq!(attempts, (1..=max_retries).collect::<Vec<_>>());
}

#[tokio::test]
async fn posts_are_retried_after_throttling() {
    let path = "/v1.0/users/u-1";
    let fake = Fake::start(move |seen, state| {
        if seen.path != path {
            return None;
        }
        if state.count(path) == 1 {
            return Some(Reply::text(429, "").header("retry-after", "0"));
        }
        Some(Reply::text(204, ""))
    })
    .await;
    let location = "US".parse().unwrap();
    fake.client()
        .set_usage_location("u-1", location)
        .await
        .unwrap();
    let seen = fake.seen(path);
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].method, "PATCH");
    assert_eq!(seen[1].json(), json!({"usageLocation": "US"}));
}

#[tokio::test]
async fn html_error_page_is_one_sentence() {
    let fake = Fake::start(|seen, _| {
        let page = "<!DOCTYPE html><html><body><h1>Internal Server Error</h1></body></html>";
        (seen.path == DOMAINS).then(|| {
            Reply::text(500, page)
                .header("content-type", "text/html")
                .header("request-id", "html-1")
        })
    })
    .await;
    let error = fake.client().domains().await.unwrap_err();
    assert_eq!(
        error,
        ApiError::Status {
            status: 500,
            code: None,
            message: "the service sent an HTML error page instead of a JSON error".into(),
            request_id: Some("html-1".into()),
        }
    );
    assert!(!error.to_string().contains('<'));
    // A GET is retried twice after a failure inside the service, then given up.
    assert_eq!(fake.seen(DOMAINS).len(), 3);
}

#[tokio::test]
async fn graph_error_body_is_decoded() {
    let fake = Fake::start(|seen, _| {
        let body = json!({"error": {
            "code": "Authorization_RequestDenied",
            "message": "Insufficient privileges to complete the operation.",
            "innerError": {"request-id": "body-1", "date": "2025-01-01T00:00:00"}
        }});
        (seen.path == DOMAINS).then(|| Reply::json(403, body).header("request-id", "header-1"))
    })
    .await;
    let error = fake.client().domains().await.unwrap_err();
    assert_eq!(
        error,
        ApiError::Status {
            status: 403,
            code: Some("Authorization_RequestDenied".into()),
            message: "Insufficient privileges to complete the operation.".into(),
            request_id: Some("body-1".into()),
        }
    );
}

#[tokio::test]
async fn slow_answer_times_out_without_query() {
    let fake = Fake::start(|seen, _| {
        (seen.path == "/v1.0/users")
            .then(|| Reply::json(200, json!({"value": []})).after(Duration::from_secs(5)))
    })
    .await;
    let options = ClientOptions {
        request_timeout: Duration::from_millis(300),
        ..fast_options()
    };
    let client = Client::new(fake.endpoints(), credentials(), options).unwrap();
    let upn = "bot@contoso.com".parse().unwrap();
    let error = client.user_by_upn(&upn).await.unwrap_err();
    assert_eq!(
        error,
        ApiError::Timeout(format!("{}{GRAPH}/users", fake.base()))
    );
    assert_eq!(fake.seen("/v1.0/users").len(), 1);
}

#[tokio::test]
async fn refused_connection_is_retried_then_reported() {
    let fake = Fake::start(|_, _| None).await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_addr = closed.local_addr().unwrap();
    drop(closed);
    let endpoints = Endpoints {
        graph: Url::parse(&format!("http://{closed_addr}/v1.0")).unwrap(),
        ..fake.endpoints()
    };
    let client = Client::new(endpoints, credentials(), fast_options()).unwrap();
    let notices = record_retries(&client);

    let error = client.domains().await.unwrap_err();
    let ApiError::Transport(detail) = &error else {
        panic!("{error:?}")
    };
    assert!(
        detail.starts_with(&format!("http://{closed_addr}/v1.0/domains")),
        "{detail}"
    );
    let notices = notices.lock().unwrap();
    assert_eq!(notices.len(), fast_options().max_retries as usize);
    assert!(notices.iter().all(|notice| notice.status.is_none()));
}
