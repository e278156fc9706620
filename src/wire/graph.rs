//! Microsoft Graph v1.0 resources botline reads and writes.
//!
//! Users, domains, service principals, licenses (`subscribedSkus`, `assignLicense`,
//! `licenseDetails`) and Teams telephone number management (`numberAssignments` and their
//! long-running `operations`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::{
    ActivationState, AssignmentCategory, AssignmentStatus, NumberCapability, NumberType,
    OperationStatus,
};

/// One page of an OData collection, with records left as JSON so that each one is decoded
/// on its own and one malformed record cannot fail the page.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ODataPage {
    /// The records of this page.
    #[serde(default)]
    pub value: Vec<Value>,
    /// Address of the next page, when the service pages with links.
    #[serde(
        rename = "@odata.nextLink",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub next_link: Option<String>,
}

/// A collection as the emulator writes it, with typed records.
#[derive(Debug, Clone, Serialize)]
pub struct Collection<T> {
    /// The records.
    pub value: Vec<T>,
    /// Address of the next page.
    #[serde(rename = "@odata.nextLink", skip_serializing_if = "Option::is_none")]
    pub next_link: Option<String>,
}

/// An Entra user; resource accounts are disabled users.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// Object id.
    pub id: String,
    /// Sign-in name.
    #[serde(default)]
    pub user_principal_name: String,
    /// Display name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// Two-letter country code, required before a license can be assigned.
    #[serde(default)]
    pub usage_location: Option<String>,
    /// Whether sign-in is allowed; false for resource accounts.
    #[serde(default)]
    pub account_enabled: Option<bool>,
    /// Licenses assigned to the user.
    #[serde(default)]
    pub assigned_licenses: Vec<AssignedLicense>,
    /// Service plans of those licenses and their state.
    #[serde(default)]
    pub assigned_plans: Vec<AssignedPlan>,
}

/// One license on a user.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignedLicense {
    /// The SKU.
    pub sku_id: String,
    /// Service plans switched off.
    #[serde(default)]
    pub disabled_plans: Vec<String>,
}

/// One service plan on a user.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignedPlan {
    /// The service plan.
    pub service_plan_id: String,
    /// `Enabled` once provisioned; also `Warning`, `Suspended`, `Deleted`, `LockedOut`.
    #[serde(default)]
    pub capability_status: String,
    /// Service family, such as `MicrosoftCommunicationsOnline`.
    #[serde(default)]
    pub service: Option<String>,
    /// When the plan was assigned.
    #[serde(default)]
    pub assigned_date_time: Option<String>,
}

/// Body of `PATCH /users/{id}` for the usage location.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserPatch {
    /// New two-letter country code.
    pub usage_location: Option<String>,
}

/// A domain of the tenant.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Domain {
    /// The domain name.
    pub id: String,
    /// Whether ownership was proven.
    #[serde(default)]
    pub is_verified: bool,
    /// Whether it is the default for new users.
    #[serde(default)]
    pub is_default: bool,
    /// Whether it is the `*.onmicrosoft.com` domain made with the tenant.
    #[serde(default)]
    pub is_initial: bool,
}

/// A service principal, the tenant's instance of an application.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServicePrincipal {
    /// Object id.
    pub id: String,
    /// Application (client) id.
    pub app_id: String,
    /// Display name.
    #[serde(default)]
    pub display_name: Option<String>,
}

/// A license product the tenant subscribes to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscribedSku {
    /// Composite id of the subscription.
    #[serde(default)]
    pub id: Option<String>,
    /// The SKU's GUID.
    pub sku_id: String,
    /// Product code such as `PHONESYSTEM_VIRTUALUSER`.
    pub sku_part_number: String,
    /// `Enabled`, `Suspended`, `Warning`, `LockedOut`, ...
    #[serde(default)]
    pub capability_status: Option<String>,
    /// Seats in use.
    #[serde(default)]
    pub consumed_units: i64,
    /// Seats bought, by state.
    #[serde(default)]
    pub prepaid_units: PrepaidUnits,
    /// Service plans inside the SKU.
    #[serde(default)]
    pub service_plans: Vec<ServicePlanInfo>,
}

impl SubscribedSku {
    /// Returns the seats still free: enabled minus consumed, never below zero.
    pub fn available_units(&self) -> i64 {
        (self.prepaid_units.enabled - self.consumed_units).max(0)
    }
}

/// Seat counts of a subscription.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrepaidUnits {
    /// Seats that can be assigned.
    #[serde(default)]
    pub enabled: i64,
    /// Seats in a suspended subscription.
    #[serde(default)]
    pub suspended: i64,
    /// Seats in their grace period.
    #[serde(default)]
    pub warning: i64,
    /// Seats locked out.
    #[serde(default)]
    pub locked_out: i64,
}

/// A service plan inside a SKU or a user's license.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServicePlanInfo {
    /// The plan's GUID.
    pub service_plan_id: String,
    /// Plan code such as `MCOEV_VIRTUALUSER`.
    pub service_plan_name: String,
    /// `Success` once provisioned, `PendingProvisioning` before.
    #[serde(default)]
    pub provisioning_status: Option<String>,
    /// `User` or `Company`.
    #[serde(default)]
    pub applies_to: Option<String>,
}

/// One license of a user, from `GET /users/{id}/licenseDetails`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LicenseDetails {
    /// Id of this license on the user.
    #[serde(default)]
    pub id: Option<String>,
    /// The SKU.
    pub sku_id: String,
    /// Product code.
    #[serde(default)]
    pub sku_part_number: String,
    /// Plans with their provisioning state.
    #[serde(default)]
    pub service_plans: Vec<ServicePlanInfo>,
}

/// Body of `POST /users/{id}/assignLicense`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignLicenseRequest {
    /// Licenses to add.
    #[serde(default)]
    pub add_licenses: Vec<AssignedLicense>,
    /// SKU ids to remove.
    #[serde(default)]
    pub remove_licenses: Vec<String>,
}

/// A Teams telephone number and its assignment (`numberAssignment`).
///
/// `telephoneNumber` stays a string so that a malformed number is shown, not dropped.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NumberAssignment {
    /// Opaque id.
    #[serde(default)]
    pub id: Option<String>,
    /// The number, with a leading `+`.
    pub telephone_number: String,
    /// Kind of connection to the public network.
    #[serde(default)]
    pub number_type: Option<NumberType>,
    /// Whether the last change has taken effect.
    #[serde(default)]
    pub activation_state: Option<ActivationState>,
    /// Kind of account that has it.
    #[serde(default)]
    pub assignment_status: Option<AssignmentStatus>,
    /// Object id of the holder.
    #[serde(default)]
    pub assignment_target_id: Option<String>,
    /// Primary, private or alternate.
    #[serde(default)]
    pub assignment_category: Option<AssignmentCategory>,
    /// Kinds of account it may be assigned to.
    #[serde(default)]
    pub capabilities: Vec<NumberCapability>,
    /// Country of the number.
    #[serde(default)]
    pub iso_country_code: Option<String>,
    /// City of the number.
    #[serde(default)]
    pub city: Option<String>,
    /// Emergency location.
    #[serde(default)]
    pub location_id: Option<String>,
    /// Civic address of the emergency location.
    #[serde(default)]
    pub civic_address_id: Option<String>,
    /// Reserved by Microsoft.
    #[serde(default)]
    pub network_site_id: Option<String>,
    /// The operator, for Operator Connect numbers.
    #[serde(default)]
    pub operator_id: Option<String>,
    /// `online` or `onPremises`.
    #[serde(default)]
    pub number_source: Option<String>,
    /// Porting state.
    #[serde(default)]
    pub port_in_status: Option<String>,
    /// Actions allowed on this number, such as `locationUpdate` and `release`.
    #[serde(default)]
    pub supported_customer_actions: Vec<String>,
    /// Options such as `skipInternalVoip`.
    #[serde(default)]
    pub reverse_number_lookup_options: Vec<String>,
}

impl NumberAssignment {
    /// Returns true when the number may be given to a resource account.
    pub fn allows_voice_applications(&self) -> bool {
        self.capabilities
            .contains(&NumberCapability::VoiceApplicationAssignment)
    }

    /// Returns true when no account holds the number.
    pub fn is_unassigned(&self) -> bool {
        let no_target = self
            .assignment_target_id
            .as_deref()
            .is_none_or(|id| id.is_empty());
        matches!(
            self.assignment_status,
            Some(AssignmentStatus::Unassigned) | None
        ) && no_target
    }
}

/// Body of `POST .../numberAssignments/assignNumber`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignNumberRequest {
    /// The number.
    pub telephone_number: String,
    /// Object id of the account that gets it.
    pub assignment_target_id: String,
    /// The number's real type.
    pub number_type: NumberType,
    /// Defaults to primary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignment_category: Option<AssignmentCategory>,
    /// Emergency location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_id: Option<String>,
}

/// Body of `POST .../numberAssignments/unassignNumber`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnassignNumberRequest {
    /// The number.
    pub telephone_number: String,
    /// The number's real type.
    pub number_type: NumberType,
}

/// Body of `POST .../numberAssignments/updateNumber`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateNumberRequest {
    /// The number.
    pub telephone_number: String,
    /// Emergency location; an empty string clears it and `None` keeps it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_id: Option<String>,
    /// Network site; an empty string clears it and `None` keeps it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_site_id: Option<String>,
    /// Options such as `skipInternalVoip`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverse_number_lookup_options: Option<Vec<String>>,
}

/// A telephone-number long-running operation (`telephoneNumberLongRunningOperation`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NumberOperation {
    /// Opaque id.
    pub id: String,
    /// When the operation was created.
    #[serde(default)]
    pub created_date_time: Option<String>,
    /// Overall state.
    pub status: OperationStatus,
    /// Per-number state.
    #[serde(default)]
    pub numbers: Vec<NumberOperationDetails>,
}

impl NumberOperation {
    /// Returns the first `statusDetail` of its numbers, or "no detail given", to show why a
    /// failed operation failed.
    pub fn failure_detail(&self) -> String {
        self.numbers
            .iter()
            .find_map(|detail| detail.status_detail.clone())
            .unwrap_or_else(|| "no detail given".to_owned())
    }
}

/// The state of one number inside an operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NumberOperationDetails {
    /// Address of the affected `numberAssignments/{id}`.
    #[serde(default)]
    pub resource_location: Option<String>,
    /// State for this number.
    pub status: OperationStatus,
    /// Free-text failure detail.
    #[serde(default)]
    pub status_detail: Option<String>,
}

/// Decodes an operation that may arrive bare or wrapped in `{"value": {...}}`, because the
/// documentation shows the wrapped form and it is not known which one the service sends.
pub fn decode_operation(body: &Value) -> Result<NumberOperation, serde_json::Error> {
    let inner = match body.get("value") {
        Some(value) if value.is_object() => value,
        _ => body,
    };
    NumberOperation::deserialize(inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn operation_decodes_bare_and_wrapped() {
        let bare = json!({"id": "op1", "status": "running", "numbers": []});
        let wrapped = json!({"value": bare.clone()});
        assert_eq!(decode_operation(&bare).unwrap().id, "op1");
        assert_eq!(decode_operation(&wrapped).unwrap().id, "op1");
    }

    #[test]
    fn number_keeps_unknown_enum_values() {
        let record: NumberAssignment = serde_json::from_value(json!({
            "telephoneNumber": "+14255550100",
            "numberType": "somethingNew",
            "capabilities": ["voiceApplicationAssignment", "futureThing"],
            "extraField": 1
        }))
        .unwrap();
        assert_eq!(
            record.number_type,
            Some(NumberType::Other("somethingNew".into()))
        );
        assert!(record.allows_voice_applications());
    }

    #[test]
    fn free_seats_never_negative() {
        let sku = SubscribedSku {
            consumed_units: 7,
            prepaid_units: PrepaidUnits {
                enabled: 5,
                ..PrepaidUnits::default()
            },
            ..SubscribedSku::default()
        };
        assert_eq!(sku.available_units(), 0);
    }
}
