//! The changes an admin makes to a bot day to day, as values that name exactly the account
//! and number they touch. The TUI holds a destructive one in a confirmation dialog and runs
//! it only once the admin confirms.

use crate::model::{NumberType, RESOURCE_ACCOUNT_SKU};

/// The account a change applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Object id of the account.
    pub object_id: String,
    /// Its UPN, or `unknown account <id>` when botline could not read it.
    pub upn: String,
}

/// A number a change touches, with the real type that Teams needs in its requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberRef {
    /// The number as the inventory spells it, such as `+14255550111`.
    pub telephone_number: String,
    /// Its type from the inventory.
    pub number_type: NumberType,
}

/// One change, ready to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    /// Unassign a number from the account that holds it.
    Unassign {
        /// The holder.
        holder: Account,
        /// The number.
        number: NumberRef,
    },
    /// Unassign `old` and assign `new` to the same account, putting `old` back when `new`
    /// cannot be assigned.
    ChangeNumber {
        /// The account whose number changes.
        account: Account,
        /// The number it holds now.
        old: NumberRef,
        /// The number it gets.
        new: NumberRef,
    },
    /// Assign a free number to an account that holds none.
    Assign {
        /// The account.
        account: Account,
        /// The number.
        number: NumberRef,
    },
    /// Set a number's emergency location, or remove it with an empty id.
    UpdateLocation {
        /// The number.
        number: String,
        /// The emergency location id; empty removes the location.
        location_id: String,
    },
    /// Remove the resource-account license from an account.
    RemoveLicense {
        /// The account.
        account: Account,
        /// The license's SKU id.
        sku_id: String,
    },
}

impl Operation {
    /// Returns the dialog title, such as "Unassign number".
    pub fn title(&self) -> &'static str {
        match self {
            Operation::Unassign { .. } => "Unassign number",
            Operation::ChangeNumber { .. } => "Change number",
            Operation::Assign { .. } => "Assign number",
            Operation::UpdateLocation { .. } => "Emergency location",
            Operation::RemoveLicense { .. } => "Remove license",
        }
    }

    /// Returns true when the change takes something away, so it runs only after the admin
    /// confirms it.
    pub fn is_destructive(&self) -> bool {
        match self {
            Operation::Assign { .. } => false,
            Operation::UpdateLocation { location_id, .. } => location_id.is_empty(),
            Operation::Unassign { .. }
            | Operation::ChangeNumber { .. }
            | Operation::RemoveLicense { .. } => true,
        }
    }

    /// Returns the confirmation question, naming the exact account and number, followed by
    /// one sentence on what happens.
    pub fn confirmation(&self) -> Vec<String> {
        match self {
            Operation::Unassign { holder, number } => vec![
                format!("Unassign {} from {}?", number.telephone_number, holder.upn),
                "Callers can no longer reach it on this number. The number stays in the \
                 tenant, free."
                    .to_owned(),
            ],
            Operation::ChangeNumber { account, old, new } => vec![
                format!(
                    "Change the number of {} from {} to {}?",
                    account.upn, old.telephone_number, new.telephone_number
                ),
                format!(
                    "botline unassigns {} first and puts it back if {} cannot be assigned.",
                    old.telephone_number, new.telephone_number
                ),
            ],
            Operation::Assign { account, number } => vec![format!(
                "Assign {} ({}) to {}?",
                number.telephone_number,
                number.number_type.label(),
                account.upn
            )],
            Operation::UpdateLocation {
                number,
                location_id,
            } if location_id.is_empty() => vec![
                format!("Remove the emergency location of {number}?"),
                "Emergency calls from this number then carry no address.".to_owned(),
            ],
            Operation::UpdateLocation {
                number,
                location_id,
            } => vec![format!(
                "Set the emergency location of {number} to {location_id}?"
            )],
            Operation::RemoveLicense { account, .. } => vec![
                format!("Remove {RESOURCE_ACCOUNT_SKU} from {}?", account.upn),
                "The seat becomes free, and the account cannot get a number until it is \
                 licensed again."
                    .to_owned(),
            ],
        }
    }

    /// Returns the verb on the confirming key, such as "unassign".
    pub fn confirm_label(&self) -> &'static str {
        match self {
            Operation::Unassign { .. } => "unassign",
            Operation::ChangeNumber { .. } => "change",
            Operation::Assign { .. } => "assign",
            Operation::UpdateLocation { location_id, .. } if location_id.is_empty() => "remove",
            Operation::UpdateLocation { .. } => "set",
            Operation::RemoveLicense { .. } => "remove",
        }
    }

    /// Returns the sentence shown once the change is done.
    pub(super) fn summary(&self) -> String {
        match self {
            Operation::Unassign { holder, number } => format!(
                "Unassigned {} from {}; the number is free.",
                number.telephone_number, holder.upn
            ),
            Operation::ChangeNumber { account, old, new } => format!(
                "{} now holds {} instead of {}.",
                account.upn, new.telephone_number, old.telephone_number
            ),
            Operation::Assign { account, number } => format!(
                "{} now holds {}, activated.",
                account.upn, number.telephone_number
            ),
            Operation::UpdateLocation {
                number,
                location_id,
            } if location_id.is_empty() => {
                format!("{number} has no emergency location now.")
            }
            Operation::UpdateLocation {
                number,
                location_id,
            } => format!("The emergency location of {number} is {location_id}."),
            Operation::RemoveLicense { account, .. } => {
                format!("Removed {RESOURCE_ACCOUNT_SKU} from {}.", account.upn)
            }
        }
    }
}
