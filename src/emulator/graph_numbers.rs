//! Graph Teams telephone number management: listing and reading numbers, updateNumber, and
//! reading operations. assignNumber and unassignNumber are in `number_changes`.
//!
//! The list supports `$filter` on `telephoneNumber`, the enum properties `numberType`,
//! `activationState`, `assignmentStatus` and `assignmentCategory` (values in any case), the
//! text properties such as `assignmentTargetId` and `isoCountryCode`, and
//! `capabilities/any(c:c eq '...')`, joined by `and`. It pages with `$top` (default 500, at
//! most 1000) and `$skip`, and sends no `@odata.nextLink`, so a client pages until a short
//! page.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};

use super::errors::{decode_json, ApiFailure};
use super::filter::{Condition, Filter, Test};
use super::number_changes;
use super::paging::QueryOptions;
use super::server::Shared;
use super::state::{comparable_number, NumberRecord};
use super::views::{self, NUMBERS_ROOT};
use crate::model::{
    ActivationState, AssignmentCategory, AssignmentStatus, NumberCapability, NumberType,
};
use crate::wire::graph::{Collection, NumberAssignment, NumberOperation, UpdateNumberRequest};

/// Page size of the number list without `$top`.
const DEFAULT_NUMBER_PAGE_SIZE: usize = 500;
/// Largest `$top` the number list accepts.
const MAX_NUMBER_PAGE_SIZE: usize = 1000;
/// The only documented reverse number lookup option.
const SKIP_INTERNAL_VOIP: &str = "skipInternalVoip";

/// Routes under `/v1.0` for telephone numbers and their operations.
pub fn routes() -> Router<Arc<Shared>> {
    let root = NUMBERS_ROOT.trim_start_matches("/v1.0");
    Router::new()
        .route(&format!("{root}/numberAssignments"), get(list_numbers))
        .route(&format!("{root}/numberAssignments/{{id}}"), get(get_number))
        .route(
            &format!("{root}/numberAssignments/assignNumber"),
            post(number_changes::assign_number),
        )
        .route(
            &format!("{root}/numberAssignments/unassignNumber"),
            post(number_changes::unassign_number),
        )
        .route(
            &format!("{root}/numberAssignments/updateNumber"),
            post(update_number),
        )
        .route(&format!("{root}/operations/{{id}}"), get(get_operation))
        .route(&format!("{root}/{{segment}}"), get(get_operation_by_key))
}

/// Returns the 404 for a number the tenant does not have.
pub fn number_not_found(number: &str) -> ApiFailure {
    ApiFailure::not_found(
        "NotFound",
        format!("The telephone number {number} was not found in the tenant's inventory."),
    )
}

type ReadText = fn(&NumberAssignment) -> Option<&str>;

/// One checked condition of a number filter.
enum NumberTest {
    Number(Vec<String>),
    Field { read: ReadText, values: Vec<String> },
    Capability(String),
}

impl NumberTest {
    fn matches(&self, record: &NumberAssignment) -> bool {
        match self {
            NumberTest::Number(values) => {
                let actual = comparable_number(&record.telephone_number);
                values.contains(&actual)
            }
            NumberTest::Field { read, values } => read(record).is_some_and(|actual| {
                values
                    .iter()
                    .any(|value| value.eq_ignore_ascii_case(actual))
            }),
            NumberTest::Capability(value) => record
                .capabilities
                .iter()
                .any(|capability| capability.as_str().eq_ignore_ascii_case(value)),
        }
    }
}

/// Returns the reader and known values of an enum property, or the reader of a text one.
fn field(property: &str) -> Option<(ReadText, Option<Vec<&'static str>>)> {
    fn known<T>(
        values: &'static [T],
        as_str: fn(&'static T) -> &'static str,
    ) -> Option<Vec<&'static str>> {
        Some(values.iter().map(as_str).collect())
    }
    let lower = property.to_ascii_lowercase();
    let entry: (ReadText, Option<Vec<&'static str>>) = match lower.as_str() {
        "numbertype" => (
            |r| r.number_type.as_ref().map(NumberType::as_str),
            known(NumberType::KNOWN, NumberType::as_str),
        ),
        "activationstate" => (
            |r| r.activation_state.as_ref().map(ActivationState::as_str),
            known(ActivationState::KNOWN, ActivationState::as_str),
        ),
        "assignmentstatus" => (
            |r| r.assignment_status.as_ref().map(AssignmentStatus::as_str),
            known(AssignmentStatus::KNOWN, AssignmentStatus::as_str),
        ),
        "assignmentcategory" => (
            |r| {
                r.assignment_category
                    .as_ref()
                    .map(AssignmentCategory::as_str)
            },
            known(AssignmentCategory::KNOWN, AssignmentCategory::as_str),
        ),
        "assignmenttargetid" => (|r| r.assignment_target_id.as_deref(), None),
        "isocountrycode" => (|r| r.iso_country_code.as_deref(), None),
        "locationid" => (|r| r.location_id.as_deref(), None),
        "civicaddressid" => (|r| r.civic_address_id.as_deref(), None),
        "networksiteid" => (|r| r.network_site_id.as_deref(), None),
        "operatorid" => (|r| r.operator_id.as_deref(), None),
        "numbersource" => (|r| r.number_source.as_deref(), None),
        "portinstatus" => (|r| r.port_in_status.as_deref(), None),
        _ => return None,
    };
    Some(entry)
}

/// Checks a number filter and compiles it.
fn number_tests(filter: &Filter) -> Result<Vec<NumberTest>, ApiFailure> {
    filter.conditions.iter().map(number_test).collect()
}

fn number_test(condition: &Condition) -> Result<NumberTest, ApiFailure> {
    let unsupported = || {
        ApiFailure::bad_request(format!(
            "Unsupported $filter on numberAssignments: '{condition}'. Filter with eq or in on \
             telephoneNumber, numberType, activationState, assignmentStatus, \
             assignmentCategory, assignmentTargetId, isoCountryCode, locationId, \
             civicAddressId, networkSiteId, operatorId, numberSource or portInStatus, or with \
             capabilities/any(c:c eq '...'), joined by 'and'."
        ))
    };
    if let Test::AnyEquals {
        member: None,
        value,
    } = &condition.test
    {
        if !condition.is_on("capabilities") {
            return Err(unsupported());
        }
        check_enum_value(
            "capabilities",
            value,
            NumberCapability::KNOWN
                .iter()
                .map(NumberCapability::as_str)
                .collect(),
        )?;
        return Ok(NumberTest::Capability(value.clone()));
    }
    let values = condition.accepted_values().ok_or_else(unsupported)?;
    if condition.is_on("telephoneNumber") {
        return Ok(NumberTest::Number(
            values
                .iter()
                .map(|value| comparable_number(value))
                .collect(),
        ));
    }
    let (read, known) = field(&condition.property).ok_or_else(unsupported)?;
    if let Some(known) = known {
        for value in values {
            check_enum_value(&condition.property, value, known.clone())?;
        }
    }
    Ok(NumberTest::Field {
        read,
        values: values.to_vec(),
    })
}

fn check_enum_value(property: &str, value: &str, known: Vec<&str>) -> Result<(), ApiFailure> {
    if known.iter().any(|known| known.eq_ignore_ascii_case(value)) {
        return Ok(());
    }
    Err(ApiFailure::bad_request(format!(
        "The value '{value}' is not valid for {property}; use one of {}.",
        known.join(", ")
    )))
}

async fn list_numbers(
    State(shared): State<Arc<Shared>>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Collection<NumberAssignment>>, ApiFailure> {
    let options = QueryOptions::parse(raw.as_deref());
    let size = options.page_size("$top", DEFAULT_NUMBER_PAGE_SIZE, MAX_NUMBER_PAGE_SIZE)?;
    let offset = options.offset("$skip")?;
    let tests = match options.filter()? {
        Some(filter) => number_tests(&filter)?,
        None => Vec::new(),
    };
    let numbers = shared
        .read(|state, _| {
            state
                .numbers
                .iter()
                .map(|number| &number.assignment)
                .filter(|record| tests.iter().all(|test| test.matches(record)))
                .skip(offset)
                .take(size)
                .cloned()
                .collect()
        })
        .await;
    Ok(Json(Collection {
        value: numbers,
        next_link: None,
    }))
}

async fn get_number(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
) -> Result<Json<NumberAssignment>, ApiFailure> {
    shared
        .read(|state, _| {
            state
                .number_by_id(&id)
                .map(|number| number.assignment.clone())
                .ok_or_else(|| {
                    ApiFailure::not_found(
                        "NotFound",
                        format!("No number assignment has the id '{id}'."),
                    )
                })
        })
        .await
        .map(Json)
}

async fn update_number(
    State(shared): State<Arc<Shared>>,
    body: Bytes,
) -> Result<StatusCode, ApiFailure> {
    let request: UpdateNumberRequest = decode_json(&body)?;
    if let Some(options) = &request.reverse_number_lookup_options {
        if let Some(unknown) = options
            .iter()
            .find(|option| !option.eq_ignore_ascii_case(SKIP_INTERNAL_VOIP))
        {
            return Err(ApiFailure::bad_request(format!(
                "The reverse number lookup option '{unknown}' is not valid; use \
                 {SKIP_INTERNAL_VOIP}."
            )));
        }
    }
    shared
        .write(|state, _| {
            let index = state
                .number_index(&request.telephone_number)
                .ok_or_else(|| number_not_found(&request.telephone_number))?;
            check_update(&state.numbers[index], &request)?;
            apply_update(&mut state.numbers[index].assignment, &request);
            Ok(StatusCode::OK)
        })
        .await
}

fn check_update(number: &NumberRecord, request: &UpdateNumberRequest) -> Result<(), ApiFailure> {
    let record = &number.assignment;
    let number_type = record.number_type.as_ref();
    let clears_location = request.location_id.as_deref() == Some("");
    let location_removable = matches!(
        number_type,
        Some(NumberType::DirectRouting | NumberType::OperatorConnect)
    );
    if clears_location && !location_removable {
        return Err(ApiFailure::bad_request(format!(
            "Removing the emergency location of {} is not supported: only Direct Routing and \
             Operator Connect numbers can have it removed.",
            record.telephone_number
        )));
    }
    let sets_lookup = request
        .reverse_number_lookup_options
        .as_ref()
        .is_some_and(|options| !options.is_empty());
    if sets_lookup && number_type != Some(&NumberType::DirectRouting) {
        return Err(ApiFailure::bad_request(format!(
            "Reverse number lookup options apply only to Direct Routing numbers, and {} is \
             not one.",
            record.telephone_number
        )));
    }
    Ok(())
}

/// Applies an update: an empty string clears a value and a missing one keeps it.
fn apply_update(record: &mut NumberAssignment, request: &UpdateNumberRequest) {
    let change = |current: &mut Option<String>, wanted: &Option<String>| match wanted.as_deref() {
        Some("") => *current = None,
        Some(value) => *current = Some(value.to_owned()),
        None => {}
    };
    change(&mut record.location_id, &request.location_id);
    change(&mut record.network_site_id, &request.network_site_id);
    if let Some(options) = &request.reverse_number_lookup_options {
        record.reverse_number_lookup_options = options
            .iter()
            .map(|_| SKIP_INTERNAL_VOIP.to_owned())
            .collect();
    }
}

async fn get_operation(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<NumberOperation>, ApiFailure> {
    let base_url = shared.base_url(&headers);
    shared
        .read(|state, now_ms| {
            state
                .operation(&id)
                .map(|operation| views::operation(operation, &base_url, now_ms))
                .ok_or_else(|| {
                    ApiFailure::not_found(
                        "NotFound",
                        format!("No telephone number operation has the id '{id}'."),
                    )
                })
        })
        .await
        .map(Json)
}

/// Serves `operations('{id}')`, the OData key form that `Location` headers use.
async fn get_operation_by_key(
    state: State<Arc<Shared>>,
    Path(segment): Path<String>,
    headers: HeaderMap,
) -> Result<Json<NumberOperation>, ApiFailure> {
    let id = segment
        .strip_prefix("operations(")
        .and_then(|rest| rest.strip_suffix(')'))
        .map(|key| key.trim_matches('\''));
    match id {
        Some(id) if !id.is_empty() => get_operation(state, Path(id.to_owned()), headers).await,
        _ => Err(ApiFailure::not_found(
            "NotFound",
            format!("The emulator has no route for {NUMBERS_ROOT}/{segment}."),
        )),
    }
}
