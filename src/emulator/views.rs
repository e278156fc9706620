//! Wire forms of the stored records at a given moment.
//!
//! License provisioning, instance replication and operation status depend on the time of
//! the read, so each view takes the current unix millisecond.

use crate::model::OperationStatus;
use crate::wire::graph::{
    AssignedLicense, AssignedPlan, LicenseDetails, NumberOperation, NumberOperationDetails,
    PrepaidUnits, ServicePlanInfo, SubscribedSku, User,
};
use crate::wire::teams::ApplicationInstance;

use super::clock::rfc3339;
use super::state::{InstanceRecord, OperationRecord, SkuRecord, TenantState, UserRecord};

/// Path of the telephone number management root under the Graph base.
pub const NUMBERS_ROOT: &str = "/v1.0/admin/teams/telephoneNumberManagement";

/// Returns a user as Graph shows it, with plans listed only once provisioned.
pub fn user(state: &TenantState, record: &UserRecord, now_ms: u64) -> User {
    let assigned_licenses = record
        .licenses
        .iter()
        .map(|license| AssignedLicense {
            sku_id: license.sku_id.clone(),
            disabled_plans: license.disabled_plans.clone(),
        })
        .collect();
    let mut assigned_plans = Vec::new();
    for license in &record.licenses {
        let (Some(sku), Some(provisioned_at_ms)) =
            (state.sku(&license.sku_id), license.provisioned_at_ms)
        else {
            continue;
        };
        if !license.is_provisioned(now_ms) {
            continue;
        }
        for plan in &sku.service_plans {
            if is_disabled(&license.disabled_plans, &plan.service_plan_id) {
                continue;
            }
            assigned_plans.push(AssignedPlan {
                service_plan_id: plan.service_plan_id.clone(),
                capability_status: "Enabled".to_owned(),
                service: Some(plan.service.clone()),
                assigned_date_time: Some(rfc3339(provisioned_at_ms)),
            });
        }
    }
    User {
        id: record.id.clone(),
        user_principal_name: record.user_principal_name.clone(),
        display_name: record.display_name.clone(),
        usage_location: record.usage_location.clone(),
        account_enabled: Some(record.account_enabled),
        assigned_licenses,
        assigned_plans,
    }
}

fn is_disabled(disabled_plans: &[String], plan_id: &str) -> bool {
    disabled_plans
        .iter()
        .any(|disabled| disabled.eq_ignore_ascii_case(plan_id))
}

/// Returns a user's licenses with each plan's provisioning state.
pub fn license_details(
    state: &TenantState,
    record: &UserRecord,
    now_ms: u64,
) -> Vec<LicenseDetails> {
    record
        .licenses
        .iter()
        .map(|license| {
            let sku = state.sku(&license.sku_id);
            let provisioned = license.is_provisioned(now_ms);
            let service_plans = sku
                .map(|sku| {
                    sku.service_plans
                        .iter()
                        .map(|plan| {
                            let status =
                                if is_disabled(&license.disabled_plans, &plan.service_plan_id) {
                                    "Disabled"
                                } else if provisioned {
                                    "Success"
                                } else {
                                    "PendingProvisioning"
                                };
                            ServicePlanInfo {
                                service_plan_id: plan.service_plan_id.clone(),
                                service_plan_name: plan.service_plan_name.clone(),
                                provisioning_status: Some(status.to_owned()),
                                applies_to: Some("User".to_owned()),
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            LicenseDetails {
                id: Some(format!("{}_{}", record.id, license.sku_id)),
                sku_id: license.sku_id.clone(),
                sku_part_number: sku
                    .map(|sku| sku.sku_part_number.clone())
                    .unwrap_or_default(),
                service_plans,
            }
        })
        .collect()
}

/// Returns a SKU as `subscribedSkus` lists it.
pub fn subscribed_sku(state: &TenantState, sku: &SkuRecord) -> SubscribedSku {
    SubscribedSku {
        id: Some(format!("{}_{}", state.tenant.id, sku.sku_id)),
        sku_id: sku.sku_id.clone(),
        sku_part_number: sku.sku_part_number.clone(),
        capability_status: Some(sku.capability_status.clone()),
        consumed_units: sku.consumed_units,
        prepaid_units: PrepaidUnits {
            enabled: sku.enabled_units,
            ..PrepaidUnits::default()
        },
        service_plans: sku
            .service_plans
            .iter()
            .map(|plan| ServicePlanInfo {
                service_plan_id: plan.service_plan_id.clone(),
                service_plan_name: plan.service_plan_name.clone(),
                provisioning_status: Some("Success".to_owned()),
                applies_to: Some("User".to_owned()),
            })
            .collect(),
    }
}

/// Returns an instance as the Teams admin API shows it, or `None` while it is not
/// replicated or when its user is gone.
pub fn instance(
    state: &TenantState,
    record: &InstanceRecord,
    now_ms: u64,
) -> Option<ApplicationInstance> {
    if !record.is_visible(now_ms) {
        return None;
    }
    let user = state.user(&record.object_id)?;
    let phone_number = state
        .numbers
        .iter()
        .find(|number| number.is_held_by(&record.object_id))
        .map(|number| number.assignment.telephone_number.clone());
    Some(ApplicationInstance {
        object_id: record.object_id.clone(),
        user_principal_name: user.user_principal_name.clone(),
        display_name: user.display_name.clone(),
        application_id: record.application_id.clone(),
        phone_number,
    })
}

/// Returns the address of a number record.
pub fn number_location(base_url: &str, number_id: &str) -> String {
    format!("{base_url}{NUMBERS_ROOT}/numberAssignments/{number_id}")
}

/// Returns the address of an operation, in the OData key form Graph puts in `Location`.
pub fn operation_location(base_url: &str, operation_id: &str) -> String {
    format!("{base_url}{NUMBERS_ROOT}/operations('{operation_id}')")
}

/// Returns an operation: `running` until its time, then `succeeded` or `failed`.
pub fn operation(record: &OperationRecord, base_url: &str, now_ms: u64) -> NumberOperation {
    let status = if now_ms < record.completes_at_ms {
        OperationStatus::Running
    } else if record.failure.is_some() {
        OperationStatus::Failed
    } else {
        OperationStatus::Succeeded
    };
    let status_detail = (status == OperationStatus::Failed)
        .then(|| record.failure.clone())
        .flatten();
    NumberOperation {
        id: record.id.clone(),
        created_date_time: Some(rfc3339(record.created_at_ms)),
        status: status.clone(),
        numbers: vec![NumberOperationDetails {
            resource_location: Some(number_location(base_url, &record.number_id)),
            status,
            status_detail,
        }],
    }
}
