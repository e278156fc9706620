//! Effects the wizard requests from the API task, and their outcomes.

use std::time::Duration;

use crate::client::{ApiError, SyncOutcome};
use crate::model::{AppId, LicenseState, PhoneNumber, SkuRow, Upn, UsageLocation};
use crate::wire::graph::{AssignNumberRequest, NumberAssignment, NumberOperation};
use crate::wire::teams::{ApplicationInstance, CreateInstanceRequest};

/// One call, or a short sequence of reads, for the API task. Each effect yields exactly one
/// [`Outcome`]; `after` is a wait before the call, so that polling needs no timer in the UI.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Read the verified domains, the application and any account with this UPN.
    CheckInstance {
        /// The UPN to create.
        upn: Upn,
        /// The bot's application id.
        app_id: AppId,
        /// The number to assign in step 3, when it is known from the start.
        number: Option<PhoneNumber>,
    },
    /// Create the application instance.
    CreateInstance(CreateInstanceRequest),
    /// Read the instance again until Teams has replicated it.
    WaitForInstance {
        /// The new instance.
        object_id: String,
        /// Wait before reading.
        after: Duration,
    },
    /// Look for an instance with this UPN in the Teams instance list, after the admin was
    /// shown the PowerShell commands that create it.
    FindInstance {
        /// The account to find.
        upn: Upn,
        /// Wait before reading.
        after: Duration,
    },
    /// Map the instance to the application.
    SyncInstance {
        /// The instance.
        object_id: String,
        /// The application id.
        app_id: AppId,
    },
    /// Read the instance's usage location, its license state and the SKU's seats.
    LoadLicenseContext {
        /// The instance.
        object_id: String,
    },
    /// Set the usage location.
    SetUsageLocation {
        /// The instance.
        object_id: String,
        /// The new country.
        location: UsageLocation,
    },
    /// Add the resource-account license.
    AssignLicense {
        /// The instance.
        object_id: String,
        /// The SKU to add.
        sku_id: String,
    },
    /// Read the license's provisioning state.
    CheckLicense {
        /// The instance.
        object_id: String,
        /// Wait before reading.
        after: Duration,
    },
    /// List free numbers that allow voice applications, and any number the instance holds.
    LoadNumbers {
        /// The instance.
        object_id: String,
    },
    /// Read one number from the inventory, with its holder's UPN.
    LookupNumber(PhoneNumber),
    /// Start the assignment.
    AssignNumber {
        /// The request body.
        request: AssignNumberRequest,
        /// Wait before sending, when retrying for an account that is not replicated yet.
        after: Duration,
    },
    /// Read the assignment's long-running operation.
    PollOperation {
        /// Address from the `Location` header.
        location: String,
        /// Wait before reading.
        after: Duration,
    },
    /// Read the number again to see its activation state.
    ConfirmNumber {
        /// The number.
        number: PhoneNumber,
        /// Wait before reading.
        after: Duration,
    },
    /// Run an effect that has no wait of its own after a wait, such as a call retried while
    /// a new account replicates.
    Delayed {
        /// Wait before the call.
        after: Duration,
        /// The call.
        effect: Box<Effect>,
    },
}

impl Effect {
    /// Returns the wait before the call.
    pub fn delay(&self) -> Duration {
        match self {
            Effect::WaitForInstance { after, .. }
            | Effect::FindInstance { after, .. }
            | Effect::CheckLicense { after, .. }
            | Effect::AssignNumber { after, .. }
            | Effect::PollOperation { after, .. }
            | Effect::ConfirmNumber { after, .. }
            | Effect::Delayed { after, .. } => *after,
            _ => Duration::ZERO,
        }
    }

    /// Returns the effect without a [`Effect::Delayed`] around it.
    pub fn undelayed(&self) -> &Effect {
        match self {
            Effect::Delayed { effect, .. } => effect.undelayed(),
            other => other,
        }
    }

    /// Returns the same call with the wait `after` before it: its own wait when it has one,
    /// else wrapped in [`Effect::Delayed`].
    pub fn with_delay(self, wait: Duration) -> Effect {
        let mut effect = match self {
            Effect::Delayed { effect, .. } => *effect,
            other => other,
        };
        match &mut effect {
            Effect::WaitForInstance { after, .. }
            | Effect::CheckLicense { after, .. }
            | Effect::AssignNumber { after, .. }
            | Effect::PollOperation { after, .. }
            | Effect::ConfirmNumber { after, .. } => {
                *after = wait;
                effect
            }
            _ if wait.is_zero() => effect,
            _ => Effect::Delayed {
                after: wait,
                effect: Box::new(effect),
            },
        }
    }

    /// Returns the object id of the account the call reads or changes, if it names one.
    pub fn account(&self) -> Option<&str> {
        match self.undelayed() {
            Effect::WaitForInstance { object_id, .. }
            | Effect::SyncInstance { object_id, .. }
            | Effect::LoadLicenseContext { object_id }
            | Effect::SetUsageLocation { object_id, .. }
            | Effect::AssignLicense { object_id, .. }
            | Effect::CheckLicense { object_id, .. }
            | Effect::LoadNumbers { object_id } => Some(object_id),
            Effect::AssignNumber { request, .. } => Some(&request.assignment_target_id),
            _ => None,
        }
    }
}

/// Facts about a UPN, an application and a number, read before anything is created.
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceCheck {
    /// The tenant's verified domains.
    pub verified_domains: Vec<String>,
    /// Display name of the application, `None` when no application has that id.
    pub app_name: Option<String>,
    /// An application instance that already has this UPN.
    pub existing_instance: Option<ApplicationInstance>,
    /// Object id of a user (not an instance) that already has this UPN.
    pub existing_user: Option<String>,
    /// The number to assign, read from the inventory, when the effect named one.
    pub number: Option<NumberLookup>,
    /// The resource-account SKU with its seats, `None` when the tenant has none.
    pub resource_sku: Option<SkuRow>,
}

/// A number read from the inventory.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberLookup {
    /// The number that was looked up.
    pub number: PhoneNumber,
    /// Its record; `None` when the tenant has no such number.
    pub record: Option<NumberAssignment>,
    /// UPN of the account holding it, when it is held and the holder exists.
    pub holder: Option<String>,
}

/// Facts that step 2 needs.
#[derive(Debug, Clone, PartialEq)]
pub struct LicenseContext {
    /// The instance's current usage location.
    pub usage_location: Option<String>,
    /// Its resource-account license state.
    pub license_state: LicenseState,
    /// The resource-account SKU, `None` when the tenant has none.
    pub sku: Option<SkuRow>,
}

/// Numbers that step 3 offers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NumberChoices {
    /// Free numbers that allow voice applications, sorted.
    pub free: Vec<NumberAssignment>,
    /// The number the instance already holds.
    pub held: Option<NumberAssignment>,
}

/// The result of one [`Effect`].
#[derive(Debug, Clone, PartialEq)]
#[expect(
    clippy::large_enum_variant,
    reason = "one outcome is moved per HTTP call, so its size costs nothing measurable"
)]
pub enum Outcome {
    /// Result of [`Effect::CheckInstance`].
    InstanceChecked(InstanceCheck),
    /// Result of [`Effect::CreateInstance`].
    InstanceCreated(ApplicationInstance),
    /// Result of [`Effect::WaitForInstance`].
    InstanceVisible(bool),
    /// Result of [`Effect::FindInstance`]: the listed instance with that UPN, if any.
    InstanceFound(Option<ApplicationInstance>),
    /// Result of [`Effect::SyncInstance`].
    Synced(SyncOutcome),
    /// Result of [`Effect::LoadLicenseContext`].
    LicenseContext(LicenseContext),
    /// Result of [`Effect::SetUsageLocation`].
    UsageLocationSet,
    /// Result of [`Effect::AssignLicense`].
    LicenseAssigned,
    /// Result of [`Effect::CheckLicense`]: whether the phone plan is provisioned.
    LicenseChecked(bool),
    /// Result of [`Effect::LoadNumbers`].
    NumbersLoaded(NumberChoices),
    /// Result of [`Effect::LookupNumber`].
    NumberLookedUp(NumberLookup),
    /// Result of [`Effect::AssignNumber`]: the operation's address.
    AssignStarted(String),
    /// Result of [`Effect::PollOperation`].
    OperationPolled(NumberOperation),
    /// Result of [`Effect::ConfirmNumber`].
    NumberConfirmed(Option<NumberAssignment>),
    /// Any effect that failed.
    Failed(ApiError),
}
