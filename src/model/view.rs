//! The joined view of a tenant: each instance with its license and number, each number with
//! its holder, each SKU with its seats.
//!
//! [`TenantView::build`] is pure, so the TUI, `report` and the tests share one join.

use std::collections::HashMap;

use serde::Serialize;

use super::{
    ActivationState, LicenseState, NumberType, PhoneNumber, RESOURCE_ACCOUNT_PLAN_ID,
    RESOURCE_ACCOUNT_SKU_ID,
};
use crate::wire::graph::{NumberAssignment, SubscribedSku, User};
use crate::wire::teams::ApplicationInstance;

/// One application instance as `report instances` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceRow {
    /// Object id of the resource account.
    pub object_id: String,
    /// Sign-in name.
    pub user_principal_name: String,
    /// Display name.
    pub display_name: Option<String>,
    /// The bound application id.
    pub application_id: Option<String>,
    /// Two-letter country code.
    pub usage_location: Option<String>,
    /// Resource-account license state.
    pub license_state: LicenseState,
    /// The number it holds.
    pub phone_number: Option<String>,
    /// That number's type.
    pub number_type: Option<NumberType>,
    /// That number's activation state.
    pub activation_state: Option<ActivationState>,
    /// Whether Entra returned the user behind the instance. When it did not, the usage
    /// location and license state are unknown rather than empty.
    #[serde(skip)]
    pub account_found: bool,
}

impl InstanceRow {
    /// Returns true when the instance has a license, a number, and both have taken effect.
    pub fn is_complete(&self) -> bool {
        self.license_state == LicenseState::Active
            && self.phone_number.is_some()
            && self.activation_state == Some(ActivationState::Activated)
    }
}

/// One number as `report numbers` prints it: Graph's fields plus the holder's name.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NumberRow {
    /// The record as Graph sent it.
    #[serde(flatten)]
    pub record: NumberAssignment,
    /// UPN of the holder; `None` when free or when the holder is not found.
    pub assigned_to: Option<String>,
    /// Reason the record looks wrong, such as a number that is not E.164.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// One SKU as `report licenses` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SkuRow {
    /// The SKU's GUID.
    pub sku_id: String,
    /// Product code.
    pub sku_part_number: String,
    /// Seats that can be assigned.
    pub enabled: i64,
    /// Seats in use.
    pub consumed: i64,
    /// Seats still free.
    pub available: i64,
}

impl From<&SubscribedSku> for SkuRow {
    fn from(sku: &SubscribedSku) -> Self {
        SkuRow {
            sku_id: sku.sku_id.clone(),
            sku_part_number: sku.sku_part_number.clone(),
            enabled: sku.prepaid_units.enabled,
            consumed: sku.consumed_units,
            available: sku.available_units(),
        }
    }
}

/// Everything botline shows about a tenant, joined.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TenantView {
    /// Application instances, sorted by UPN.
    pub instances: Vec<InstanceRow>,
    /// Numbers, sorted by number.
    pub numbers: Vec<NumberRow>,
    /// SKUs, sorted by part number.
    pub skus: Vec<SkuRow>,
    /// One line per record that could not be read while loading and is not shown as a row,
    /// with the reason.
    pub malformed: Vec<String>,
}

/// Returns the license state of a user from its licenses and plans.
pub fn license_state(user: &User) -> LicenseState {
    let licensed = user
        .assigned_licenses
        .iter()
        .any(|license| license.sku_id.eq_ignore_ascii_case(RESOURCE_ACCOUNT_SKU_ID));
    if !licensed {
        return LicenseState::Unlicensed;
    }
    let provisioned = user.assigned_plans.iter().any(|plan| {
        plan.service_plan_id
            .eq_ignore_ascii_case(RESOURCE_ACCOUNT_PLAN_ID)
            && plan.capability_status.eq_ignore_ascii_case("Enabled")
    });
    if provisioned {
        LicenseState::Active
    } else {
        LicenseState::Provisioning
    }
}

impl TenantView {
    /// Joins instances with their users and numbers.
    ///
    /// `users` maps object ids to users for instances and for other number holders. An
    /// instance whose user is missing is shown unlicensed with no usage location.
    pub fn build(
        instances: Vec<ApplicationInstance>,
        users: &HashMap<String, User>,
        numbers: Vec<NumberAssignment>,
        skus: &[SubscribedSku],
    ) -> Self {
        // An account may point at several numbers: a primary one and others, or a number
        // whose assignment failed next to the one it still holds. Callers reach it on the
        // primary number that did not fail.
        let rank = |number: &NumberAssignment| {
            let is_primary = number
                .assignment_category
                .as_ref()
                .is_none_or(|category| *category == super::AssignmentCategory::Primary);
            let failed = number.activation_state == Some(ActivationState::AssignmentFailed);
            (is_primary, !failed)
        };
        let mut number_by_holder: HashMap<String, &NumberAssignment> = HashMap::new();
        for number in &numbers {
            if let Some(target) = number.assignment_target_id.as_deref() {
                let key = target.to_ascii_lowercase();
                let better = number_by_holder
                    .get(&key)
                    .is_none_or(|current| rank(number) > rank(current));
                if better {
                    number_by_holder.insert(key, number);
                }
            }
        }

        let mut instance_rows: Vec<InstanceRow> = instances
            .into_iter()
            .map(|instance| {
                let key = instance.object_id.to_ascii_lowercase();
                let user = users.get(&key).or_else(|| users.get(&instance.object_id));
                let number = number_by_holder.get(&key);
                InstanceRow {
                    usage_location: user.and_then(|user| user.usage_location.clone()),
                    license_state: user.map_or(LicenseState::Unlicensed, license_state),
                    phone_number: number.map(|number| number.telephone_number.clone()),
                    number_type: number.and_then(|number| number.number_type.clone()),
                    activation_state: number.and_then(|number| number.activation_state.clone()),
                    account_found: user.is_some(),
                    object_id: instance.object_id,
                    user_principal_name: instance.user_principal_name,
                    display_name: instance.display_name,
                    application_id: instance.application_id,
                }
            })
            .collect();
        instance_rows.sort_by(|a, b| a.user_principal_name.cmp(&b.user_principal_name));

        let upn_by_id: HashMap<String, &str> = users
            .values()
            .map(|user| {
                (
                    user.id.to_ascii_lowercase(),
                    user.user_principal_name.as_str(),
                )
            })
            .chain(instance_rows.iter().map(|row| {
                (
                    row.object_id.to_ascii_lowercase(),
                    row.user_principal_name.as_str(),
                )
            }))
            .collect();
        let mut number_rows: Vec<NumberRow> = numbers
            .iter()
            .map(|record| {
                let assigned_to = record
                    .assignment_target_id
                    .as_deref()
                    .and_then(|id| upn_by_id.get(&id.to_ascii_lowercase()))
                    .map(|upn| (*upn).to_owned());
                NumberRow {
                    problem: record_problem(record),
                    assigned_to,
                    record: record.clone(),
                }
            })
            .collect();
        number_rows.sort_by(|a, b| a.record.telephone_number.cmp(&b.record.telephone_number));

        let mut sku_rows: Vec<SkuRow> = skus.iter().map(SkuRow::from).collect();
        sku_rows.sort_by(|a, b| a.sku_part_number.cmp(&b.sku_part_number));

        TenantView {
            instances: instance_rows,
            numbers: number_rows,
            skus: sku_rows,
            malformed: Vec::new(),
        }
    }
}

/// Returns why a number record cannot be trusted, if it cannot.
pub fn record_problem(record: &NumberAssignment) -> Option<String> {
    if let Err(error) = record.telephone_number.parse::<PhoneNumber>() {
        return Some(error.to_string());
    }
    if let Some(kind) = record.number_type.as_ref().filter(|kind| !kind.is_known()) {
        return Some(format!("unknown number type {kind:?}"));
    }
    if let Some(state) = record
        .activation_state
        .as_ref()
        .filter(|state| !state.is_known())
    {
        return Some(format!("unknown activation state {state:?}"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AssignmentStatus;
    use crate::wire::graph::{AssignedLicense, AssignedPlan};

    fn user(id: &str, upn: &str, licensed: bool, provisioned: bool) -> User {
        User {
            id: id.into(),
            user_principal_name: upn.into(),
            usage_location: Some("US".into()),
            assigned_licenses: if licensed {
                vec![AssignedLicense {
                    sku_id: RESOURCE_ACCOUNT_SKU_ID.into(),
                    disabled_plans: vec![],
                }]
            } else {
                vec![]
            },
            assigned_plans: if provisioned {
                vec![AssignedPlan {
                    service_plan_id: RESOURCE_ACCOUNT_PLAN_ID.into(),
                    capability_status: "Enabled".into(),
                    ..AssignedPlan::default()
                }]
            } else {
                vec![]
            },
            ..User::default()
        }
    }

    #[test]
    fn license_states() {
        assert_eq!(
            license_state(&user("a", "a@x.com", false, false)),
            LicenseState::Unlicensed
        );
        assert_eq!(
            license_state(&user("a", "a@x.com", true, false)),
            LicenseState::Provisioning
        );
        assert_eq!(
            license_state(&user("a", "a@x.com", true, true)),
            LicenseState::Active
        );
    }

    #[test]
    fn join_puts_number_on_instance_and_holder_on_number() {
        let instance = ApplicationInstance {
            object_id: "ID-1".into(),
            user_principal_name: "bot@contoso.com".into(),
            ..ApplicationInstance::default()
        };
        let users = HashMap::from([(
            "id-1".to_owned(),
            user("ID-1", "bot@contoso.com", true, true),
        )]);
        let number = NumberAssignment {
            telephone_number: "+14255550100".into(),
            assignment_target_id: Some("id-1".into()),
            assignment_status: Some(AssignmentStatus::VoiceApplicationAssigned),
            activation_state: Some(ActivationState::Activated),
            number_type: Some(NumberType::CallingPlan),
            ..NumberAssignment::default()
        };
        let view = TenantView::build(vec![instance], &users, vec![number], &[]);
        let row = &view.instances[0];
        assert_eq!(row.phone_number.as_deref(), Some("+14255550100"));
        assert_eq!(row.license_state, LicenseState::Active);
        assert!(row.is_complete());
        assert_eq!(
            view.numbers[0].assigned_to.as_deref(),
            Some("bot@contoso.com")
        );
    }

    #[test]
    fn failed_assignment_does_not_hide_held_number() {
        let instance = ApplicationInstance {
            object_id: "id-1".into(),
            user_principal_name: "bot@contoso.com".into(),
            ..ApplicationInstance::default()
        };
        let number = |value: &str, state: ActivationState| NumberAssignment {
            telephone_number: value.into(),
            assignment_target_id: Some("id-1".into()),
            assignment_category: Some(crate::model::AssignmentCategory::Primary),
            activation_state: Some(state),
            ..NumberAssignment::default()
        };
        for numbers in [
            vec![
                number("+14255550110", ActivationState::Activated),
                number("+14255550112", ActivationState::AssignmentFailed),
            ],
            vec![
                number("+14255550112", ActivationState::AssignmentFailed),
                number("+14255550110", ActivationState::Activated),
            ],
        ] {
            let view = TenantView::build(vec![instance.clone()], &HashMap::new(), numbers, &[]);
            assert_eq!(
                view.instances[0].phone_number.as_deref(),
                Some("+14255550110")
            );
        }
    }

    #[test]
    fn malformed_number_is_marked() {
        let record = NumberAssignment {
            telephone_number: "1".into(),
            ..NumberAssignment::default()
        };
        assert!(record_problem(&record).unwrap().contains("phone number"));
    }
}
