//! Calls that the management machine requests from the API task, and their outcomes.

use std::time::Duration;

use crate::client::ApiError;
use crate::model::PhoneNumber;
use crate::wire::graph::{
    AssignNumberRequest, NumberAssignment, NumberOperation, UnassignNumberRequest,
    UpdateNumberRequest,
};

/// One call for the API task. Each effect yields exactly one [`Outcome`]; `after` is a wait
/// before the call, so polling needs no timer in the UI.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Start an unassignment.
    UnassignNumber(UnassignNumberRequest),
    /// Start an assignment.
    AssignNumber(AssignNumberRequest),
    /// Read a number operation.
    PollOperation {
        /// Address from the `Location` header.
        location: String,
        /// Wait before reading.
        after: Duration,
    },
    /// Read a number from the inventory.
    ReadNumber {
        /// The number.
        number: PhoneNumber,
        /// Wait before reading.
        after: Duration,
    },
    /// Change a number's emergency location.
    UpdateNumber(UpdateNumberRequest),
    /// Remove a license from an account.
    RemoveLicense {
        /// The account.
        object_id: String,
        /// The license's SKU id.
        sku_id: String,
    },
}

impl Effect {
    /// Returns the wait before the call.
    pub fn delay(&self) -> Duration {
        match self {
            Effect::PollOperation { after, .. } | Effect::ReadNumber { after, .. } => *after,
            _ => Duration::ZERO,
        }
    }
}

/// The result of one [`Effect`].
#[derive(Debug, Clone, PartialEq)]
#[expect(
    clippy::large_enum_variant,
    reason = "one outcome is moved per HTTP reply, so its size costs nothing measurable"
)]
pub enum Outcome {
    /// An assignment or unassignment started; the operation's address.
    Started(String),
    /// The operation as Teams reports it now.
    OperationPolled(NumberOperation),
    /// The number's record, or `None` when the inventory no longer has it.
    NumberRead(Option<NumberAssignment>),
    /// The emergency location was changed.
    Updated,
    /// The license was removed.
    LicenseRemoved,
    /// The call failed.
    Failed(ApiError),
}
