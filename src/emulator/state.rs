//! The emulated tenant's data, as stored in the state file.
//!
//! Records keep what the tenant knows plus the unix millisecond at which each asynchronous
//! step completes (license provisioning, instance replication, number operations). Reads
//! compare those timestamps with the clock, so no background timer is needed;
//! [`TenantState::settle`] applies number changes whose time has come. How records look on
//! the wire is in the `views` module.

use serde::{Deserialize, Serialize};

use crate::model::{ActivationState, AssignmentStatus};
use crate::wire::graph::{Domain, NumberAssignment, ServicePrincipal};

/// The emulated tenant: its records and the completion times of pending steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TenantState {
    /// Id and name of the tenant.
    pub tenant: TenantInfo,
    /// Domains, verified or not.
    #[serde(default)]
    pub domains: Vec<Domain>,
    /// Applications registered in the tenant.
    #[serde(default)]
    pub service_principals: Vec<ServicePrincipal>,
    /// Users, including the disabled users behind application instances.
    #[serde(default)]
    pub users: Vec<UserRecord>,
    /// Application instances; each one's `object_id` is also a user's id.
    #[serde(default)]
    pub instances: Vec<InstanceRecord>,
    /// License products with their seats.
    #[serde(default)]
    pub skus: Vec<SkuRecord>,
    /// Telephone numbers with their assignments.
    #[serde(default)]
    pub numbers: Vec<NumberRecord>,
    /// Telephone-number operations started by assignNumber and unassignNumber.
    #[serde(default)]
    pub operations: Vec<OperationRecord>,
}

/// Id and name of the tenant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TenantInfo {
    /// Directory (tenant) id.
    pub id: String,
    /// Organisation name.
    pub display_name: String,
}

/// An Entra user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserRecord {
    /// Object id.
    pub id: String,
    /// Sign-in name.
    pub user_principal_name: String,
    /// Display name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// False for resource accounts.
    #[serde(default)]
    pub account_enabled: bool,
    /// Two-letter country code.
    #[serde(default)]
    pub usage_location: Option<String>,
    /// Licenses assigned directly.
    #[serde(default)]
    pub licenses: Vec<UserLicense>,
}

/// A license on a user and when its service plans become provisioned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserLicense {
    /// The SKU.
    pub sku_id: String,
    /// Service plans switched off.
    #[serde(default)]
    pub disabled_plans: Vec<String>,
    /// When the license was assigned, in unix milliseconds.
    pub assigned_at_ms: u64,
    /// When its plans become provisioned, in unix milliseconds; `None` never provisions.
    #[serde(default)]
    pub provisioned_at_ms: Option<u64>,
}

impl UserLicense {
    /// Returns true once the license's plans are provisioned.
    pub fn is_provisioned(&self, now_ms: u64) -> bool {
        self.provisioned_at_ms.is_some_and(|at_ms| at_ms <= now_ms)
    }
}

/// An application instance: the user with this object id, bound to an application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceRecord {
    /// Object id of the user behind it.
    pub object_id: String,
    /// The mapped application; `None` after a sync with the all-zero id.
    #[serde(default)]
    pub application_id: Option<String>,
    /// When the Teams admin API starts to find it, in unix milliseconds.
    #[serde(default)]
    pub visible_at_ms: u64,
}

impl InstanceRecord {
    /// Returns true once the Teams admin API finds the instance.
    pub fn is_visible(&self, now_ms: u64) -> bool {
        self.visible_at_ms <= now_ms
    }
}

/// A license product the tenant subscribes to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkuRecord {
    /// The SKU's GUID.
    pub sku_id: String,
    /// Product code such as `PHONESYSTEM_VIRTUALUSER`.
    pub sku_part_number: String,
    /// `Enabled`, `Suspended`, ...
    #[serde(default = "enabled_status")]
    pub capability_status: String,
    /// Seats bought.
    pub enabled_units: i64,
    /// Seats assigned to users; kept equal to the users holding this SKU.
    #[serde(default)]
    pub consumed_units: i64,
    /// Service plans inside the SKU.
    #[serde(default)]
    pub service_plans: Vec<SkuPlan>,
}

fn enabled_status() -> String {
    "Enabled".to_owned()
}

/// A service plan inside a SKU.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkuPlan {
    /// The plan's GUID.
    pub service_plan_id: String,
    /// Plan code such as `MCOEV_VIRTUALUSER`.
    pub service_plan_name: String,
    /// Service family shown in a user's `assignedPlans`, such as
    /// `MicrosoftCommunicationsOnline`.
    pub service: String,
}

/// A telephone number, its assignment, and a change in progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NumberRecord {
    /// The record as Graph returns it.
    #[serde(flatten)]
    pub assignment: NumberAssignment,
    /// An assignment or unassignment that has not taken effect yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<PendingChange>,
}

impl NumberRecord {
    /// Returns the record's id, or an empty string for a record stored without one.
    pub fn id(&self) -> &str {
        self.assignment.id.as_deref().unwrap_or_default()
    }

    /// Returns true when `number` names this record's number, with or without `+`.
    pub fn has_number(&self, number: &str) -> bool {
        comparable_number(&self.assignment.telephone_number) == comparable_number(number)
    }

    /// Returns true when the number is assigned to an account and the assignment has not
    /// failed.
    pub fn is_held(&self) -> bool {
        self.assignment.assignment_target_id.is_some()
            && self.assignment.activation_state != Some(ActivationState::AssignmentFailed)
    }

    /// Returns true when the number is assigned to `target_id` and the assignment has not
    /// failed.
    pub fn is_held_by(&self, target_id: &str) -> bool {
        self.is_held()
            && self
                .assignment
                .assignment_target_id
                .as_deref()
                .is_some_and(|holder| holder.eq_ignore_ascii_case(target_id))
    }

    /// Applies a pending change whose time has come.
    fn complete(&mut self, change: PendingChange) {
        let record = &mut self.assignment;
        match (change.kind, change.failure.is_some()) {
            (ChangeKind::Assign, false) => {
                record.activation_state = Some(ActivationState::Activated);
            }
            (ChangeKind::Assign, true) => {
                record.activation_state = Some(ActivationState::AssignmentFailed);
            }
            (ChangeKind::Unassign, false) => {
                record.assignment_target_id = None;
                record.assignment_status = Some(AssignmentStatus::Unassigned);
                record.assignment_category = None;
                record.activation_state = Some(ActivationState::Activated);
            }
            (ChangeKind::Unassign, true) => {
                record.activation_state = Some(ActivationState::Activated);
            }
        }
    }
}

/// Returns a number without `+`, spaces and a `tel:` prefix, for comparing.
pub fn comparable_number(number: &str) -> String {
    let trimmed = number.trim();
    let without_scheme = match trimmed.get(..4) {
        Some(prefix) if prefix.eq_ignore_ascii_case("tel:") => &trimmed[4..],
        _ => trimmed,
    };
    // A Direct Routing extension names a line on the number, not another number.
    let without_extension = without_scheme
        .split_once(';')
        .map_or(without_scheme, |(number, _)| number);
    without_extension
        .chars()
        .filter(|c| !matches!(c, '+' | ' ' | '-' | '(' | ')'))
        .collect::<String>()
        .to_ascii_lowercase()
}

/// The kind of a pending number change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ChangeKind {
    /// assignNumber.
    Assign,
    /// unassignNumber.
    Unassign,
}

/// A change to a number that takes effect later.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingChange {
    /// The kind of change.
    pub kind: ChangeKind,
    /// The operation that tracks it.
    pub operation_id: String,
    /// When it takes effect, in unix milliseconds.
    pub completes_at_ms: u64,
    /// Failure detail, when the change is set to fail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
}

/// A telephone-number long-running operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationRecord {
    /// Opaque id.
    pub id: String,
    /// The kind of change.
    pub kind: ChangeKind,
    /// Id of the number it changes.
    pub number_id: String,
    /// When it started, in unix milliseconds.
    pub created_at_ms: u64,
    /// When it finishes, in unix milliseconds.
    pub completes_at_ms: u64,
    /// Failure detail when it ends failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
}

impl TenantState {
    /// Applies every pending number change whose time has come; returns true if any was.
    pub fn settle(&mut self, now_ms: u64) -> bool {
        let mut changed = false;
        for number in &mut self.numbers {
            let due = number
                .pending
                .as_ref()
                .is_some_and(|change| change.completes_at_ms <= now_ms);
            if !due {
                continue;
            }
            if let Some(change) = number.pending.take() {
                number.complete(change);
                changed = true;
            }
        }
        changed
    }

    /// Finds a user by object id or sign-in name, ignoring case.
    pub fn user(&self, id_or_upn: &str) -> Option<&UserRecord> {
        self.user_index(id_or_upn).map(|index| &self.users[index])
    }

    /// Finds the position of a user by object id or sign-in name, ignoring case.
    pub fn user_index(&self, id_or_upn: &str) -> Option<usize> {
        self.users.iter().position(|user| {
            user.id.eq_ignore_ascii_case(id_or_upn)
                || user.user_principal_name.eq_ignore_ascii_case(id_or_upn)
        })
    }

    /// Finds an application instance by object id, whether replicated or not.
    pub fn instance(&self, object_id: &str) -> Option<&InstanceRecord> {
        self.instances
            .iter()
            .find(|instance| instance.object_id.eq_ignore_ascii_case(object_id))
    }

    /// Finds a SKU by its GUID.
    pub fn sku(&self, sku_id: &str) -> Option<&SkuRecord> {
        self.skus
            .iter()
            .find(|sku| sku.sku_id.eq_ignore_ascii_case(sku_id))
    }

    /// Finds a SKU by its product code, such as `PHONESYSTEM_VIRTUALUSER`.
    pub fn sku_by_part_number(&mut self, part_number: &str) -> Option<&mut SkuRecord> {
        self.skus
            .iter_mut()
            .find(|sku| sku.sku_part_number.eq_ignore_ascii_case(part_number))
    }

    /// Finds a number record by its id.
    pub fn number_by_id(&self, id: &str) -> Option<&NumberRecord> {
        self.numbers.iter().find(|number| number.id() == id)
    }

    /// Finds the position of a number record by its telephone number, with or without `+`.
    pub fn number_index(&self, telephone_number: &str) -> Option<usize> {
        self.numbers
            .iter()
            .position(|number| number.has_number(telephone_number))
    }

    /// Finds an operation by id.
    pub fn operation(&self, id: &str) -> Option<&OperationRecord> {
        self.operations.iter().find(|operation| operation.id == id)
    }

    /// Returns true when `domain` is one of the tenant's verified domains.
    pub fn is_verified_domain(&self, domain: &str) -> bool {
        self.domains
            .iter()
            .any(|known| known.is_verified && known.id.eq_ignore_ascii_case(domain))
    }

    /// Returns the tenant's initial `*.onmicrosoft.com` domain.
    pub fn initial_domain(&self) -> Option<&str> {
        self.domains
            .iter()
            .find(|domain| domain.is_initial)
            .map(|domain| domain.id.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending_number(completes_at_ms: u64) -> NumberRecord {
        NumberRecord {
            assignment: NumberAssignment {
                id: Some("tn-1".to_owned()),
                telephone_number: "+14255550100".to_owned(),
                activation_state: Some(ActivationState::AssignmentPending),
                assignment_target_id: Some("target".to_owned()),
                assignment_status: Some(AssignmentStatus::VoiceApplicationAssigned),
                ..NumberAssignment::default()
            },
            pending: Some(PendingChange {
                kind: ChangeKind::Assign,
                operation_id: "op".to_owned(),
                completes_at_ms,
                failure: None,
            }),
        }
    }

    fn state_with(numbers: Vec<NumberRecord>) -> TenantState {
        TenantState {
            tenant: TenantInfo {
                id: "tenant".to_owned(),
                display_name: "Tenant".to_owned(),
            },
            domains: Vec::new(),
            service_principals: Vec::new(),
            users: Vec::new(),
            instances: Vec::new(),
            skus: Vec::new(),
            numbers,
            operations: Vec::new(),
        }
    }

    #[test]
    fn settle_keeps_changes_not_yet_due() {
        let mut state = state_with(vec![pending_number(2_000)]);
        assert!(!state.settle(1_999));
        assert!(state.numbers[0].pending.is_some());
        assert!(state.settle(2_000));
        assert!(state.numbers[0].pending.is_none());
        assert_eq!(
            state.numbers[0].assignment.activation_state,
            Some(ActivationState::Activated)
        );
    }

    #[test]
    fn failed_assignment_frees_number() {
        let mut number = pending_number(0);
        number.pending.as_mut().unwrap().failure = Some("detail".to_owned());
        let mut state = state_with(vec![number]);
        state.settle(1);
        let record = &state.numbers[0];
        assert_eq!(
            record.assignment.activation_state,
            Some(ActivationState::AssignmentFailed)
        );
        assert!(!record.is_held());
    }

    #[test]
    fn unassignment_clears_holder() {
        let mut number = pending_number(0);
        number.pending.as_mut().unwrap().kind = ChangeKind::Unassign;
        let mut state = state_with(vec![number]);
        state.settle(1);
        let record = &state.numbers[0].assignment;
        assert_eq!(record.assignment_target_id, None);
        assert_eq!(record.assignment_status, Some(AssignmentStatus::Unassigned));
    }

    #[test]
    fn number_comparison_ignores_plus_and_scheme() {
        assert_eq!(comparable_number("tel:+1 425-555-0100"), "14255550100");
        assert_eq!(comparable_number("14255550100"), "14255550100");
    }
}
