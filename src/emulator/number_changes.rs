//! assignNumber and unassignNumber: their checks, and the operations they start.
//!
//! Both return 202 with an empty body and a `Location` header naming the operation, in the
//! OData key form `.../operations('{id}')`. The number shows `assignmentPending` until
//! `Timing::assignment_delay` has passed.
//!
//! assignNumber checks, in order: the number exists (404); the target exists and, for an
//! application instance, has replicated (404 "identity not found"); the number has the
//! capability the target needs, `voiceApplicationAssignment` for an application instance and
//! `userAssignment` for a user (400 "does not have required capabilities"); the number type
//! is the real one (400 "not valid for the specified phone number type"); nobody holds the
//! number (400 "is already assigned"); the target holds no number of the same category (400
//! "already has a phone number"); the target has a provisioned Teams Phone plan (400 "not
//! enabled for Enterprise Voice"); for a Calling Plan number, the target's usage location is
//! the number's country (400). A number whose assignment failed counts as free.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::header::LOCATION;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::clock::duration_ms;
use super::errors::{decode_json, ApiFailure};
use super::faults::FaultKind;
use super::graph_numbers::number_not_found;
use super::server::Shared;
use super::state::{ChangeKind, OperationRecord, PendingChange, TenantState, UserRecord};
use super::views;
use crate::model::{
    ActivationState, AssignmentCategory, AssignmentStatus, NumberCapability, NumberType,
};
use crate::wire::graph::{AssignNumberRequest, NumberAssignment, UnassignNumberRequest};

/// Prefix of the service plans that enable Enterprise Voice: `MCOEV` (Teams Phone
/// Standard) and `MCOEV_VIRTUALUSER` (the resource-account plan).
const VOICE_PLAN_PREFIX: &str = "MCOEV";

/// Starts assigning a number.
pub async fn assign_number(
    State(shared): State<Arc<Shared>>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiFailure> {
    let request: AssignNumberRequest = decode_json(&body)?;
    let failure = shared.faults.lock().await.take(uri.path(), "POST", |kind| {
        matches!(kind, FaultKind::FailOperation { .. })
    });
    let status_detail = match &failure {
        Some(FaultKind::FailOperation { status_detail }) => Some(status_detail.clone()),
        _ => None,
    };
    let delay_ms = duration_ms(shared.timing.assignment_delay);
    let started = shared
        .write(|state, now_ms| {
            let checked = check_assignment(state, &request, now_ms)?;
            Ok(start_assignment(
                state,
                checked,
                &request,
                now_ms,
                delay_ms,
                status_detail,
            ))
        })
        .await;
    match started {
        Ok(operation_id) => Ok(accepted(&shared.base_url(&headers), &operation_id)),
        Err(error) => {
            if let Some(kind) = failure {
                shared
                    .faults
                    .lock()
                    .await
                    .put_back(uri.path(), "POST", kind);
            }
            Err(error)
        }
    }
}

/// Starts unassigning a number.
pub async fn unassign_number(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiFailure> {
    let request: UnassignNumberRequest = decode_json(&body)?;
    let delay_ms = duration_ms(shared.timing.assignment_delay);
    let operation_id = shared
        .write(|state, now_ms| {
            let index = check_unassignment(state, &request)?;
            Ok(start_change(
                state,
                index,
                ChangeKind::Unassign,
                now_ms,
                delay_ms,
                None,
            ))
        })
        .await?;
    Ok(accepted(&shared.base_url(&headers), &operation_id))
}

fn accepted(base_url: &str, operation_id: &str) -> Response {
    let location = views::operation_location(base_url, operation_id);
    let mut response = StatusCode::ACCEPTED.into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

/// Result of the checks: the number's position and the assignment status it gets.
struct CheckedAssignment {
    number_index: usize,
    status: AssignmentStatus,
}

fn check_assignment(
    state: &TenantState,
    request: &AssignNumberRequest,
    now_ms: u64,
) -> Result<CheckedAssignment, ApiFailure> {
    let number_index = state
        .number_index(&request.telephone_number)
        .ok_or_else(|| number_not_found(&request.telephone_number))?;
    let number = &state.numbers[number_index];
    let record = &number.assignment;
    let display_number = &record.telephone_number;
    let target_id = request.assignment_target_id.as_str();

    let instance = state.instance(target_id);
    let user = state
        .user(target_id)
        .filter(|_| instance.is_none_or(|instance| instance.is_visible(now_ms)))
        .ok_or_else(|| identity_not_found(target_id))?;

    let (needed, status) = match instance {
        Some(_) => (
            NumberCapability::VoiceApplicationAssignment,
            AssignmentStatus::VoiceApplicationAssigned,
        ),
        None => (
            NumberCapability::UserAssignment,
            AssignmentStatus::UserAssigned,
        ),
    };
    if !record.capabilities.contains(&needed) {
        return Err(ApiFailure::bad_request(format!(
            "The telephone number {display_number} does not have required capabilities for this \
             assignment: {} needs a number with {needed}, but the number has {}.",
            user.user_principal_name,
            capability_list(&record.capabilities)
        )));
    }

    check_number_type(record, &request.number_type)?;

    if number.is_held() {
        let holder = record.assignment_target_id.as_deref().unwrap_or_default();
        return Err(ApiFailure::bad_request(format!(
            "The telephone number {display_number} is already assigned to {holder}."
        )));
    }

    let category = request
        .assignment_category
        .clone()
        .unwrap_or(AssignmentCategory::Primary);
    let existing = state.numbers.iter().find(|other| {
        other.is_held_by(target_id)
            && other
                .assignment
                .assignment_category
                .clone()
                .unwrap_or(AssignmentCategory::Primary)
                == category
    });
    if let Some(existing) = existing {
        return Err(ApiFailure::bad_request(format!(
            "The identity {} already has a phone number ({}) as its {category} number; \
             unassign it first.",
            user.user_principal_name, existing.assignment.telephone_number
        )));
    }

    if !has_voice_plan(state, user, now_ms) {
        return Err(ApiFailure::bad_request(format!(
            "The identity {} is not enabled for Enterprise Voice: it has no provisioned Teams \
             Phone plan. Assign the Microsoft Teams Phone Resource Account license \
             (PHONESYSTEM_VIRTUALUSER) to a resource account, or Teams Phone Standard to a \
             user, and wait until the plan is provisioned.",
            user.user_principal_name
        )));
    }

    if record.number_type.as_ref() == Some(&NumberType::CallingPlan) {
        check_country(user, record.iso_country_code.as_deref(), display_number)?;
    }

    Ok(CheckedAssignment {
        number_index,
        status,
    })
}

fn identity_not_found(target_id: &str) -> ApiFailure {
    ApiFailure::not_found(
        "NotFound",
        format!(
            "Assignment target identity not found: no user or resource account with object id \
             {target_id} is known to Teams yet. An account created moments ago can take a \
             while to appear; retry later."
        ),
    )
}

fn capability_list(capabilities: &[NumberCapability]) -> String {
    if capabilities.is_empty() {
        return "no capabilities".to_owned();
    }
    capabilities
        .iter()
        .map(NumberCapability::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

fn has_voice_plan(state: &TenantState, user: &UserRecord, now_ms: u64) -> bool {
    user.licenses.iter().any(|license| {
        license.is_provisioned(now_ms)
            && state.sku(&license.sku_id).is_some_and(|sku| {
                sku.service_plans.iter().any(|plan| {
                    plan.service_plan_name.starts_with(VOICE_PLAN_PREFIX)
                        && !license
                            .disabled_plans
                            .iter()
                            .any(|disabled| disabled.eq_ignore_ascii_case(&plan.service_plan_id))
                })
            })
    })
}

fn check_country(
    user: &UserRecord,
    country: Option<&str>,
    display_number: &str,
) -> Result<(), ApiFailure> {
    let (Some(country), Some(location)) = (country, user.usage_location.as_deref()) else {
        return Ok(());
    };
    if country.eq_ignore_ascii_case(location) {
        return Ok(());
    }
    Err(ApiFailure::bad_request(format!(
        "The usage location {location} of {} does not match the country {country} of the \
         Calling Plan number {display_number}; set the usage location to {country} or pick a \
         number from {location}.",
        user.user_principal_name
    )))
}

fn start_assignment(
    state: &mut TenantState,
    checked: CheckedAssignment,
    request: &AssignNumberRequest,
    now_ms: u64,
    delay_ms: u64,
    failure: Option<String>,
) -> String {
    let record = &mut state.numbers[checked.number_index].assignment;
    record.assignment_target_id = Some(request.assignment_target_id.to_ascii_lowercase());
    record.assignment_status = Some(checked.status);
    record.assignment_category = Some(
        request
            .assignment_category
            .clone()
            .unwrap_or(AssignmentCategory::Primary),
    );
    if let Some(location_id) = request.location_id.clone().filter(|id| !id.is_empty()) {
        record.location_id = Some(location_id);
    }
    start_change(
        state,
        checked.number_index,
        ChangeKind::Assign,
        now_ms,
        delay_ms,
        failure,
    )
}

/// Marks a number pending and records the operation that tracks it; returns its id.
fn start_change(
    state: &mut TenantState,
    number_index: usize,
    kind: ChangeKind,
    now_ms: u64,
    delay_ms: u64,
    failure: Option<String>,
) -> String {
    let operation_id = uuid::Uuid::new_v4().to_string();
    let completes_at_ms = now_ms.saturating_add(delay_ms);
    let number = &mut state.numbers[number_index];
    number.assignment.activation_state = Some(ActivationState::AssignmentPending);
    number.pending = Some(PendingChange {
        kind,
        operation_id: operation_id.clone(),
        completes_at_ms,
        failure: failure.clone(),
    });
    let number_id = number.id().to_owned();
    state.operations.push(OperationRecord {
        id: operation_id.clone(),
        kind,
        number_id,
        created_at_ms: now_ms,
        completes_at_ms,
        failure,
    });
    operation_id
}

/// Rejects a request whose number type is not the number's real one, as Teams does.
fn check_number_type(record: &NumberAssignment, requested: &NumberType) -> Result<(), ApiFailure> {
    if record.number_type.as_ref() == Some(requested) {
        return Ok(());
    }
    let real = record
        .number_type
        .as_ref()
        .map_or("unknown", NumberType::as_str);
    Err(ApiFailure::bad_request(format!(
        "The number type '{requested}' is not valid for the specified phone number type of \
         {}, which is {real}.",
        record.telephone_number
    )))
}

fn check_unassignment(
    state: &TenantState,
    request: &UnassignNumberRequest,
) -> Result<usize, ApiFailure> {
    let index = state
        .number_index(&request.telephone_number)
        .ok_or_else(|| number_not_found(&request.telephone_number))?;
    let number = &state.numbers[index];
    let record = &number.assignment;
    let display_number = &record.telephone_number;
    check_number_type(record, &request.number_type)?;
    if record.assignment_target_id.is_none() {
        return Err(ApiFailure::bad_request(format!(
            "The telephone number {display_number} is not assigned to any identity."
        )));
    }
    if let Some(pending) = &number.pending {
        return Err(ApiFailure::bad_request(format!(
            "The telephone number {display_number} has a change in progress (operation {}); wait \
             until it finishes.",
            pending.operation_id
        )));
    }
    Ok(index)
}
