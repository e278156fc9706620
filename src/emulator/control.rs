//! Test hooks under `/_emulator`, for tests and scripts that drive an emulator in another
//! process. They need no token and are never faulted.
//!
//! - `POST /_emulator/faults`: add a [`Fault`] or a JSON array of them; `GET` lists the
//!   waiting ones and `DELETE` removes them all.
//! - `GET /_emulator/device`: a page where an admin approves a device code in a browser.
//! - `POST /_emulator/device/approve` and `/decline`: decide a device code, given
//!   `user_code` as a form or JSON field; 404 when no pending code has it.
//! - `POST /_emulator/clock`: `{"advanceSeconds": N}` moves the emulated clock forward.
//! - `GET /_emulator/state`: the tenant state as the state file stores it.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Html;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::Value;

use super::auth::parse_form;
use super::errors::{decode_json, ApiFailure};
use super::faults::Fault;
use super::server::Shared;
use super::state::TenantState;

/// Routes of the test hooks.
pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/_emulator/faults",
            get(list_faults).post(add_faults).delete(clear_faults),
        )
        .route("/_emulator/device", get(device_page))
        .route("/_emulator/device/approve", post(approve))
        .route("/_emulator/device/decline", post(decline))
        .route("/_emulator/clock", post(advance_clock))
        .route("/_emulator/state", get(read_state))
}

async fn list_faults(State(shared): State<Arc<Shared>>) -> Json<Vec<Fault>> {
    Json(shared.faults.lock().await.pending().to_vec())
}

async fn add_faults(
    State(shared): State<Arc<Shared>>,
    body: Bytes,
) -> Result<StatusCode, ApiFailure> {
    let document: Value = decode_json(&body)?;
    let faults: Vec<Fault> = match document {
        Value::Array(_) => serde_json::from_value(document),
        single => serde_json::from_value(single).map(|fault| vec![fault]),
    }
    .map_err(|error| ApiFailure::bad_request(format!("The fault is not valid: {error}.")))?;
    if let Some(problem) = faults.iter().find_map(Fault::problem) {
        return Err(ApiFailure::bad_request(format!(
            "The fault is not valid: {problem}."
        )));
    }
    let mut book = shared.faults.lock().await;
    for fault in faults {
        book.add(fault);
    }
    Ok(StatusCode::NO_CONTENT)
}

async fn clear_faults(State(shared): State<Arc<Shared>>) -> StatusCode {
    shared.faults.lock().await.clear();
    StatusCode::NO_CONTENT
}

async fn device_page() -> Html<&'static str> {
    Html(
        "<!DOCTYPE html>\n<html><head><title>Practice tenant sign-in</title></head><body>\n\
         <h1>Sign in to the practice tenant</h1>\n\
         <form method=\"post\" action=\"/_emulator/device/approve\">\n\
         <label>Code <input name=\"user_code\" autofocus></label>\n\
         <button type=\"submit\">Approve</button>\n\
         <button type=\"submit\" formaction=\"/_emulator/device/decline\">Decline</button>\n\
         </form>\n</body></html>\n",
    )
}

#[derive(Deserialize)]
struct UserCode {
    #[serde(alias = "userCode")]
    user_code: String,
}

fn user_code(headers: &HeaderMap, body: &[u8]) -> Result<String, ApiFailure> {
    let is_json = headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.contains("json"));
    let code = if is_json {
        decode_json::<UserCode>(body)?.user_code
    } else {
        parse_form(body).remove("user_code").unwrap_or_default()
    };
    if code.trim().is_empty() {
        return Err(ApiFailure::bad_request(
            "The user_code field is missing; send the code the sign-in request showed.",
        ));
    }
    Ok(code)
}

async fn decide(
    shared: &Shared,
    headers: &HeaderMap,
    body: &[u8],
    approve: bool,
) -> Result<StatusCode, ApiFailure> {
    let code = user_code(headers, body)?;
    let now_ms = shared.clock.now_ms();
    if shared.auth.lock().await.decide(&code, approve, now_ms) {
        return Ok(StatusCode::NO_CONTENT);
    }
    Err(ApiFailure::not_found(
        "NotFound",
        format!("No pending, unexpired device code has the user code '{code}'."),
    ))
}

async fn approve(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiFailure> {
    decide(&shared, &headers, &body, true).await
}

async fn decline(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiFailure> {
    decide(&shared, &headers, &body, false).await
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ClockAdvance {
    advance_seconds: u64,
}

async fn advance_clock(
    State(shared): State<Arc<Shared>>,
    body: Bytes,
) -> Result<StatusCode, ApiFailure> {
    let request: ClockAdvance = decode_json(&body)?;
    shared
        .clock
        .advance(Duration::from_secs(request.advance_seconds));
    Ok(StatusCode::NO_CONTENT)
}

async fn read_state(State(shared): State<Arc<Shared>>) -> Json<TenantState> {
    Json(shared.read(|state, _| state.clone()).await)
}
