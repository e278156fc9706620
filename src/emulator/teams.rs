//! The Teams admin API's application instances: list, read, create and sync.
//!
//! A created instance is a disabled user with no usage location and no license. The Teams
//! admin API finds it only after `Timing::replication_delay`: until then it is missing from
//! the list, a read or sync answers 404, and assignNumber answers "identity not found".
//!
//! NOTE: Microsoft documents neither these paths nor their error bodies; errors use Graph's
//! `{"error":{...}}` shape so that one client parser reads both APIs.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::Value;

use super::clock::duration_ms;
use super::errors::{decode_json, ApiFailure};
use super::paging::{self, QueryOptions};
use super::server::Shared;
use super::state::{InstanceRecord, TenantState, UserRecord};
use super::views;
use crate::model::{AppId, Upn};
use crate::wire::teams::{
    ApplicationInstance, CreateInstanceRequest, InstancePage, SyncInstanceRequest, INSTANCES_PATH,
};

/// Page size of the instance list without `pageSize`.
const DEFAULT_INSTANCE_PAGE_SIZE: usize = 100;
/// Largest `pageSize` the instance list accepts.
const MAX_INSTANCE_PAGE_SIZE: usize = 1000;
/// Application id that removes an instance's mapping when synced.
const NO_APPLICATION: &str = "00000000-0000-0000-0000-000000000000";

/// Routes of the Teams admin API host.
pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(INSTANCES_PATH, get(list_instances).post(create_instance))
        .route(
            &format!("{INSTANCES_PATH}/{{object_id}}"),
            get(get_instance),
        )
        .route(
            &format!("{INSTANCES_PATH}/{{object_id}}/sync"),
            post(sync_instance),
        )
}

fn instance_not_found(object_id: &str) -> ApiFailure {
    ApiFailure::not_found(
        "NotFound",
        format!(
            "No application instance has the object id {object_id}. An instance created \
             moments ago can take a while to appear; retry later."
        ),
    )
}

async fn list_instances(
    State(shared): State<Arc<Shared>>,
    RawQuery(raw): RawQuery,
) -> Result<Json<InstancePage>, ApiFailure> {
    let options = QueryOptions::parse(raw.as_deref());
    let size = options.page_size(
        "pageSize",
        DEFAULT_INSTANCE_PAGE_SIZE,
        MAX_INSTANCE_PAGE_SIZE,
    )?;
    let offset = match options.get("skipToken") {
        Some(token) => paging::parse_skip_token(token)?,
        None => 0,
    };
    let (instances, more) = shared
        .read(|state, now_ms| {
            let visible: Vec<ApplicationInstance> = state
                .instances
                .iter()
                .filter_map(|record| views::instance(state, record, now_ms))
                .collect();
            paging::page(&visible, offset, size)
        })
        .await;
    Ok(Json(InstancePage {
        application_instances: instances
            .into_iter()
            .map(|instance| serde_json::to_value(instance).unwrap_or(Value::Null))
            .collect(),
        skip_token: more.then(|| paging::skip_token(offset + size)),
    }))
}

async fn get_instance(
    State(shared): State<Arc<Shared>>,
    Path(object_id): Path<String>,
) -> Result<Json<ApplicationInstance>, ApiFailure> {
    shared
        .read(|state, now_ms| {
            state
                .instance(&object_id)
                .and_then(|record| views::instance(state, record, now_ms))
                .ok_or_else(|| instance_not_found(&object_id))
        })
        .await
        .map(Json)
}

fn parse_app_id(value: &str) -> Result<AppId, ApiFailure> {
    value
        .parse::<AppId>()
        .map_err(|error| ApiFailure::bad_request(format!("The applicationId is invalid: {error}.")))
}

async fn create_instance(
    State(shared): State<Arc<Shared>>,
    body: Bytes,
) -> Result<(StatusCode, Json<ApplicationInstance>), ApiFailure> {
    let request: CreateInstanceRequest = decode_json(&body)?;
    let upn = request
        .user_principal_name
        .parse::<Upn>()
        .map_err(|error| {
            ApiFailure::bad_request(format!("The userPrincipalName is invalid: {error}."))
        })?;
    let app_id = parse_app_id(&request.application_id)?;
    let display_name = request.display_name.trim().to_owned();
    if display_name.is_empty() {
        return Err(ApiFailure::bad_request(
            "The displayName is missing; give the resource account a display name.",
        ));
    }
    let replication_ms = duration_ms(shared.timing.replication_delay);
    let created = shared
        .write(|state, now_ms| {
            check_new_upn(state, &upn)?;
            let object_id = uuid::Uuid::new_v4().to_string();
            state.users.push(UserRecord {
                id: object_id.clone(),
                user_principal_name: upn.to_string(),
                display_name: Some(display_name.clone()),
                account_enabled: false,
                usage_location: None,
                licenses: Vec::new(),
            });
            state.instances.push(InstanceRecord {
                object_id: object_id.clone(),
                application_id: Some(app_id.to_string()),
                visible_at_ms: now_ms.saturating_add(replication_ms),
            });
            Ok(ApplicationInstance {
                object_id,
                user_principal_name: upn.to_string(),
                display_name: Some(display_name),
                application_id: Some(app_id.to_string()),
                phone_number: None,
            })
        })
        .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

fn check_new_upn(state: &TenantState, upn: &Upn) -> Result<(), ApiFailure> {
    if !state.is_verified_domain(upn.domain()) {
        let verified: Vec<&str> = state
            .domains
            .iter()
            .filter(|domain| domain.is_verified)
            .map(|domain| domain.id.as_str())
            .collect();
        return Err(ApiFailure::bad_request(format!(
            "The domain '{}' of {upn} is not a verified domain of this tenant; use one of: {}.",
            upn.domain(),
            verified.join(", ")
        )));
    }
    if state.user(upn.as_str()).is_some() {
        return Err(ApiFailure::new(
            StatusCode::CONFLICT,
            "Conflict",
            format!("A user with the user principal name {upn} already exists."),
        ));
    }
    Ok(())
}

async fn sync_instance(
    State(shared): State<Arc<Shared>>,
    Path(object_id): Path<String>,
    body: Bytes,
) -> Result<StatusCode, ApiFailure> {
    let request: SyncInstanceRequest = decode_json(&body)?;
    let app_id = parse_app_id(&request.application_id)?.to_string();
    shared
        .write(|state, now_ms| {
            let record = state
                .instances
                .iter_mut()
                .find(|record| record.object_id.eq_ignore_ascii_case(&object_id))
                .filter(|record| record.is_visible(now_ms))
                .ok_or_else(|| instance_not_found(&object_id))?;
            if app_id == NO_APPLICATION {
                record.application_id = None;
                return Ok(StatusCode::NO_CONTENT);
            }
            let same = record
                .application_id
                .as_deref()
                .is_some_and(|mapped| mapped.eq_ignore_ascii_case(&app_id));
            if same {
                return Err(ApiFailure::new(
                    StatusCode::CONFLICT,
                    "Conflict",
                    "An item with the same key has already been added.",
                ));
            }
            record.application_id = Some(app_id);
            Ok(StatusCode::NO_CONTENT)
        })
        .await
}
