//! Graph users, domains and service principals.
//!
//! `GET /users` supports `$filter` on `id`, `userPrincipalName`, `displayName` and
//! `usageLocation` (`eq` and `in`) and `assignedLicenses/any(l:l/skuId eq '...')`, pages with
//! `$top` (default 100, at most 999) and an absolute `@odata.nextLink`, and ignores
//! `$select`. Like Graph, an `in` list takes at most 15 values.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Map, Value};

use super::errors::{decode_json, ApiFailure};
use super::filter::{Condition, Filter, Test};
use super::paging::{self, QueryOptions};
use super::server::Shared;
use super::state::UserRecord;
use super::views;
use crate::wire::graph::{Collection, Domain, ServicePrincipal, User};

/// Page size of `GET /users` without `$top`.
const DEFAULT_USER_PAGE_SIZE: usize = 100;
/// Largest `$top` Graph accepts for users.
const MAX_USER_PAGE_SIZE: usize = 999;
/// Most values Graph accepts in one `in` list on directory objects.
const MAX_IN_VALUES: usize = 15;

/// Routes under `/v1.0` for users, domains and service principals.
pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/users", get(list_users))
        .route("/users/{id}", get(get_user).patch(patch_user))
        .route("/domains", get(list_domains))
        .route("/servicePrincipals", get(list_service_principals))
}

/// Returns the 404 Graph sends for a user that does not exist.
pub fn user_not_found(id: &str) -> ApiFailure {
    ApiFailure::not_found(
        "Request_ResourceNotFound",
        format!(
            "Resource '{id}' does not exist or one of its queried reference-property objects \
             are not present."
        ),
    )
}

fn check_in_size(condition: &Condition) -> Result<(), ApiFailure> {
    if let Test::In(values) = &condition.test {
        if values.len() > MAX_IN_VALUES {
            return Err(ApiFailure::new(
                StatusCode::BAD_REQUEST,
                "Request_UnsupportedQuery",
                format!(
                    "Too many child clauses specified in search filter expression containing \
                     'OR' operators: {}. Max allowed: {MAX_IN_VALUES}.",
                    values.len()
                ),
            ));
        }
    }
    Ok(())
}

fn unsupported(resource: &str, condition: &Condition, supported: &str) -> ApiFailure {
    ApiFailure::new(
        StatusCode::BAD_REQUEST,
        "Request_UnsupportedQuery",
        format!("Unsupported $filter on {resource}: '{condition}'. Supported: {supported}."),
    )
}

fn any_value_matches(values: &[String], actual: Option<&str>) -> bool {
    actual.is_some_and(|actual| {
        values
            .iter()
            .any(|value| value.eq_ignore_ascii_case(actual))
    })
}

/// Checks a users filter and turns it into a predicate.
fn user_matcher(filter: &Filter) -> Result<impl Fn(&UserRecord) -> bool + '_, ApiFailure> {
    const SUPPORTED: &str = "id, userPrincipalName, displayName and usageLocation with eq or \
                             in, and assignedLicenses/any(l:l/skuId eq '...')";
    for condition in &filter.conditions {
        check_in_size(condition)?;
        let plain = ["id", "userPrincipalName", "displayName", "usageLocation"]
            .iter()
            .any(|name| condition.is_on(name))
            && condition.accepted_values().is_some();
        let license = condition.is_on("assignedLicenses")
            && matches!(&condition.test, Test::AnyEquals { member: Some(member), .. }
                if member.eq_ignore_ascii_case("skuId"));
        if !plain && !license {
            return Err(unsupported("users", condition, SUPPORTED));
        }
    }
    Ok(move |user: &UserRecord| {
        filter.conditions.iter().all(|condition| {
            if let Test::AnyEquals { value, .. } = &condition.test {
                return user
                    .licenses
                    .iter()
                    .any(|license| license.sku_id.eq_ignore_ascii_case(value));
            }
            let values = condition.accepted_values().unwrap_or_default();
            let actual = if condition.is_on("id") {
                Some(user.id.as_str())
            } else if condition.is_on("userPrincipalName") {
                Some(user.user_principal_name.as_str())
            } else if condition.is_on("displayName") {
                user.display_name.as_deref()
            } else {
                user.usage_location.as_deref()
            };
            any_value_matches(values, actual)
        })
    })
}

async fn list_users(
    State(shared): State<Arc<Shared>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Json<Collection<User>>, ApiFailure> {
    let options = QueryOptions::parse(raw.as_deref());
    let size = options.page_size("$top", DEFAULT_USER_PAGE_SIZE, MAX_USER_PAGE_SIZE)?;
    let offset = match options.get("$skiptoken") {
        Some(token) => paging::parse_skip_token(token)?,
        None => 0,
    };
    let filter = options.filter()?;
    let matcher = filter.as_ref().map(user_matcher).transpose()?;
    let (users, more) = shared
        .read(|state, now_ms| {
            let matching: Vec<&UserRecord> = state
                .users
                .iter()
                .filter(|user| matcher.as_ref().is_none_or(|matches| matches(user)))
                .collect();
            let (page, more) = paging::page(&matching, offset, size);
            let users: Vec<User> = page
                .into_iter()
                .map(|user| views::user(state, user, now_ms))
                .collect();
            (users, more)
        })
        .await;
    let next_link = more.then(|| {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        if let Some(text) = options.get("$filter") {
            query.append_pair("$filter", text);
        }
        if let Some(text) = options.get("$select") {
            query.append_pair("$select", text);
        }
        query.append_pair("$top", &size.to_string());
        query.append_pair("$skiptoken", &paging::skip_token(offset + size));
        format!(
            "{}/v1.0/users?{}",
            shared.base_url(&headers),
            query.finish()
        )
    });
    Ok(Json(Collection {
        value: users,
        next_link,
    }))
}

async fn get_user(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
) -> Result<Json<User>, ApiFailure> {
    shared
        .read(|state, now_ms| {
            state
                .user(&id)
                .map(|user| views::user(state, user, now_ms))
                .ok_or_else(|| user_not_found(&id))
        })
        .await
        .map(Json)
}

/// Checks a usage location: two ASCII letters, returned in upper case.
fn usage_location(value: &Value) -> Result<Option<String>, ApiFailure> {
    let invalid = || {
        ApiFailure::directory_bad_request(format!(
            "Invalid value specified for property 'usageLocation' of resource 'User': {value}; \
             use a two-letter country code such as US."
        ))
    };
    match value {
        Value::Null => Ok(None),
        Value::String(text) if text.len() == 2 && text.bytes().all(|b| b.is_ascii_alphabetic()) => {
            Ok(Some(text.to_ascii_uppercase()))
        }
        _ => Err(invalid()),
    }
}

async fn patch_user(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode, ApiFailure> {
    let patch: Map<String, Value> = decode_json(&body)?;
    let mut new_location = None;
    let mut new_display_name = None;
    for (name, value) in &patch {
        match name.as_str() {
            "usageLocation" => new_location = Some(usage_location(value)?),
            "displayName" => match value {
                Value::String(text) if !text.trim().is_empty() => {
                    new_display_name = Some(text.clone());
                }
                _ => {
                    return Err(ApiFailure::directory_bad_request(
                        "Invalid value specified for property 'displayName' of resource \
                         'User'; use a non-empty string.",
                    ))
                }
            },
            other => {
                return Err(ApiFailure::directory_bad_request(format!(
                    "The emulator cannot change property '{other}'; it changes usageLocation \
                     and displayName."
                )))
            }
        }
    }
    shared
        .write(|state, _| {
            let index = state.user_index(&id).ok_or_else(|| user_not_found(&id))?;
            let user = &mut state.users[index];
            if let Some(location) = new_location {
                user.usage_location = location;
            }
            if let Some(display_name) = new_display_name {
                user.display_name = Some(display_name);
            }
            Ok(StatusCode::NO_CONTENT)
        })
        .await
}

async fn list_domains(State(shared): State<Arc<Shared>>) -> Json<Collection<Domain>> {
    let domains = shared.read(|state, _| state.domains.clone()).await;
    Json(Collection {
        value: domains,
        next_link: None,
    })
}

async fn list_service_principals(
    State(shared): State<Arc<Shared>>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Collection<ServicePrincipal>>, ApiFailure> {
    const SUPPORTED: &str = "appId and displayName with eq or in";
    let options = QueryOptions::parse(raw.as_deref());
    let filter = options.filter()?;
    let conditions = filter.map(|filter| filter.conditions).unwrap_or_default();
    for condition in &conditions {
        check_in_size(condition)?;
        let known = condition.is_on("appId") || condition.is_on("displayName");
        if !known || condition.accepted_values().is_none() {
            return Err(unsupported("servicePrincipals", condition, SUPPORTED));
        }
    }
    let principals = shared
        .read(|state, _| {
            state
                .service_principals
                .iter()
                .filter(|principal| {
                    conditions.iter().all(|condition| {
                        let values = condition.accepted_values().unwrap_or_default();
                        let actual = if condition.is_on("appId") {
                            Some(principal.app_id.as_str())
                        } else {
                            principal.display_name.as_deref()
                        };
                        any_value_matches(values, actual)
                    })
                })
                .cloned()
                .collect()
        })
        .await;
    Ok(Json(Collection {
        value: principals,
        next_link: None,
    }))
}
