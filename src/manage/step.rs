//! One step of a management operation: what it changes, the request that starts it, and how
//! it is described to the admin.

use super::{Account, Effect, NumberRef};
use crate::model::RESOURCE_ACCOUNT_SKU;
use crate::wire::graph::{AssignNumberRequest, UnassignNumberRequest, UpdateNumberRequest};

/// One step of an operation.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Step {
    /// Unassign a number from its holder.
    Unassign { holder: Account, number: NumberRef },
    /// Assign a number to an account.
    Assign { account: Account, number: NumberRef },
    /// Set or remove a number's emergency location.
    Update { number: String, location_id: String },
    /// Remove a license from an account.
    RemoveLicense { account: Account, sku_id: String },
}

impl Step {
    /// Returns the number the step changes, or an empty string for a license step.
    pub(super) fn telephone_number(&self) -> &str {
        match self {
            Step::Unassign { number, .. } | Step::Assign { number, .. } => &number.telephone_number,
            Step::Update { number, .. } => number,
            Step::RemoveLicense { .. } => "",
        }
    }

    /// Returns the request that starts the step.
    pub(super) fn effect(&self) -> Effect {
        match self {
            Step::Unassign { number, .. } => Effect::UnassignNumber(UnassignNumberRequest {
                telephone_number: number.telephone_number.clone(),
                number_type: number.number_type.clone(),
            }),
            Step::Assign { account, number } => Effect::AssignNumber(AssignNumberRequest {
                telephone_number: number.telephone_number.clone(),
                assignment_target_id: account.object_id.clone(),
                number_type: number.number_type.clone(),
                assignment_category: None,
                location_id: None,
            }),
            Step::Update {
                number,
                location_id,
            } => Effect::UpdateNumber(UpdateNumberRequest {
                telephone_number: number.clone(),
                location_id: Some(location_id.clone()),
                ..UpdateNumberRequest::default()
            }),
            Step::RemoveLicense { account, sku_id } => Effect::RemoveLicense {
                object_id: account.object_id.clone(),
                sku_id: sku_id.clone(),
            },
        }
    }
}

/// Returns what a step does, such as "Unassigning +14255550111 from survey-bot@contoso.com".
pub(super) fn describe(step: &Step) -> String {
    match step {
        Step::Unassign { holder, number } => format!(
            "Unassigning {} from {}",
            number.telephone_number, holder.upn
        ),
        Step::Assign { account, number } => format!(
            "Assigning {} ({}) to {}",
            number.telephone_number,
            number.number_type.label(),
            account.upn
        ),
        Step::Update {
            number,
            location_id,
        } if location_id.is_empty() => format!("Removing the emergency location of {number}"),
        Step::Update {
            number,
            location_id,
        } => format!("Setting the emergency location of {number} to {location_id}"),
        Step::RemoveLicense { account, .. } => {
            format!("Removing {RESOURCE_ACCOUNT_SKU} from {}", account.upn)
        }
    }
}
