//! Graph licensing: `subscribedSkus`, `assignLicense` and `licenseDetails`.
//!
//! assignLicense checks everything before it changes anything: the user exists, a license
//! is only added to a user with a usage location, every SKU and disabled plan exists, every
//! added SKU has a free seat and every removed SKU is on the user. Seats are counted in
//! `consumedUnits`. An added license's plans provision after `Timing::license_delay`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};

use super::clock::duration_ms;
use super::errors::{decode_json, ApiFailure};
use super::graph_users::user_not_found;
use super::server::Shared;
use super::state::{TenantState, UserLicense};
use super::views;
use crate::wire::graph::{AssignLicenseRequest, Collection, LicenseDetails, SubscribedSku, User};

/// Routes under `/v1.0` for licenses.
pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/subscribedSkus", get(list_skus))
        .route("/users/{id}/assignLicense", post(assign_license))
        .route("/users/{id}/licenseDetails", get(license_details))
}

async fn list_skus(State(shared): State<Arc<Shared>>) -> Json<Collection<SubscribedSku>> {
    let skus = shared
        .read(|state, _| {
            state
                .skus
                .iter()
                .map(|sku| views::subscribed_sku(state, sku))
                .collect()
        })
        .await;
    Json(Collection {
        value: skus,
        next_link: None,
    })
}

async fn license_details(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
) -> Result<Json<Collection<LicenseDetails>>, ApiFailure> {
    let details = shared
        .read(|state, now_ms| {
            let user = state.user(&id).ok_or_else(|| user_not_found(&id))?;
            Ok(views::license_details(state, user, now_ms))
        })
        .await?;
    Ok(Json(Collection {
        value: details,
        next_link: None,
    }))
}

async fn assign_license(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<User>, ApiFailure> {
    let request: AssignLicenseRequest = decode_json(&body)?;
    let provisioning_ms = duration_ms(shared.timing.license_delay);
    shared
        .write(|state, now_ms| {
            let index = state.user_index(&id).ok_or_else(|| user_not_found(&id))?;
            check_request(state, index, &request)?;
            apply_request(state, index, &request, now_ms, provisioning_ms);
            Ok(Json(views::user(state, &state.users[index], now_ms)))
        })
        .await
}

fn check_request(
    state: &TenantState,
    user_index: usize,
    request: &AssignLicenseRequest,
) -> Result<(), ApiFailure> {
    let user = &state.users[user_index];
    if !request.add_licenses.is_empty() && user.usage_location.is_none() {
        return Err(ApiFailure::directory_bad_request(
            "License assignment cannot be done for user with invalid usage location.",
        ));
    }
    for added in &request.add_licenses {
        let sku = state
            .sku(&added.sku_id)
            .ok_or_else(|| unknown_sku(&added.sku_id))?;
        for plan_id in &added.disabled_plans {
            let in_sku = sku
                .service_plans
                .iter()
                .any(|plan| plan.service_plan_id.eq_ignore_ascii_case(plan_id));
            if !in_sku {
                return Err(ApiFailure::directory_bad_request(format!(
                    "Service plan {plan_id} in disabledPlans is not part of license {}.",
                    sku.sku_id
                )));
            }
        }
        let already_held = user
            .licenses
            .iter()
            .any(|license| license.sku_id.eq_ignore_ascii_case(&sku.sku_id));
        if !already_held && sku.consumed_units >= sku.enabled_units {
            return Err(ApiFailure::directory_bad_request(format!(
                "Subscription {} ({}) does not have any available licenses.",
                sku.sku_id, sku.sku_part_number
            )));
        }
    }
    for removed in &request.remove_licenses {
        state.sku(removed).ok_or_else(|| unknown_sku(removed))?;
        let held = user
            .licenses
            .iter()
            .any(|license| license.sku_id.eq_ignore_ascii_case(removed));
        if !held {
            return Err(ApiFailure::directory_bad_request(format!(
                "User does not have a corresponding license {removed} to remove."
            )));
        }
    }
    Ok(())
}

fn unknown_sku(sku_id: &str) -> ApiFailure {
    ApiFailure::directory_bad_request(format!(
        "License {sku_id} does not correspond to a valid company License."
    ))
}

fn apply_request(
    state: &mut TenantState,
    user_index: usize,
    request: &AssignLicenseRequest,
    now_ms: u64,
    provisioning_ms: u64,
) {
    for removed in &request.remove_licenses {
        let licenses = &mut state.users[user_index].licenses;
        let before = licenses.len();
        licenses.retain(|license| !license.sku_id.eq_ignore_ascii_case(removed));
        if licenses.len() < before {
            if let Some(sku) = state
                .skus
                .iter_mut()
                .find(|sku| sku.sku_id.eq_ignore_ascii_case(removed))
            {
                sku.consumed_units -= 1;
            }
        }
    }
    for added in &request.add_licenses {
        let Some(sku) = state
            .skus
            .iter_mut()
            .find(|sku| sku.sku_id.eq_ignore_ascii_case(&added.sku_id))
        else {
            continue;
        };
        let licenses = &mut state.users[user_index].licenses;
        match licenses
            .iter_mut()
            .find(|license| license.sku_id.eq_ignore_ascii_case(&sku.sku_id))
        {
            Some(license) => license.disabled_plans = added.disabled_plans.clone(),
            None => {
                sku.consumed_units += 1;
                licenses.push(UserLicense {
                    sku_id: sku.sku_id.clone(),
                    disabled_plans: added.disabled_plans.clone(),
                    assigned_at_ms: now_ms,
                    provisioned_at_ms: Some(now_ms.saturating_add(provisioning_ms)),
                });
            }
        }
    }
}
