//! The rules Teams enforces when a number is given to a resource account, checked before
//! anything is sent. The wizard, `assign` and the management actions share them.

use crate::model::NumberType;
use crate::wire::graph::NumberAssignment;

/// The account a number is meant for, as far as the number rules need it.
#[derive(Debug, Clone, Copy, Default)]
pub struct NumberTarget<'a> {
    /// Object id of the account; empty while it does not exist yet.
    pub object_id: &'a str,
    /// Usage location the account has or is about to get, upper case; empty when unknown.
    pub usage_location: &'a str,
    /// A number type the admin insists on; checked against the inventory.
    pub requested_type: Option<&'a NumberType>,
}

/// Returns why Teams would refuse to give `record` to the target, or the number's real type.
///
/// `holder` is the UPN of the account that holds the number, when it is held and the holder
/// is known. A number the target itself holds is no problem.
pub fn number_problem(
    record: &NumberAssignment,
    holder: Option<&str>,
    target: NumberTarget<'_>,
) -> Result<NumberType, String> {
    let number = &record.telephone_number;
    let object_id = target.object_id;
    let held_here = !object_id.is_empty()
        && record
            .assignment_target_id
            .as_deref()
            .is_some_and(|holder_id| holder_id.eq_ignore_ascii_case(object_id));
    if !record.is_unassigned() && !held_here {
        let holder_id = record.assignment_target_id.clone().unwrap_or_default();
        let holder = holder.map_or_else(|| format!("unknown account {holder_id}"), str::to_owned);
        return Err(format!(
            "{number} is already assigned to {holder}. Unassign it there first, or pick a \
             free number."
        ));
    }
    if !record.allows_voice_applications() {
        let capabilities: Vec<&str> = record.capabilities.iter().map(|c| c.as_str()).collect();
        let capabilities = if capabilities.is_empty() {
            "none".to_owned()
        } else {
            capabilities.join(", ")
        };
        return Err(format!(
            "{number} can only be assigned to users (capabilities: {capabilities}). Bots \
             need a service number with the voiceApplicationAssignment capability; pick one \
             from the list."
        ));
    }
    let Some(real_type) = record.number_type.clone().filter(|kind| kind.is_known()) else {
        return Err(format!(
            "The inventory gives no usable number type for {number}, so botline cannot \
             assign it. Check the number in the Teams admin center."
        ));
    };
    if let Some(requested) = target.requested_type {
        if *requested != real_type {
            return Err(format!(
                "{number} is a {} number ({real_type}), not {} ({requested}). botline takes \
                 the type from the inventory: leave the type out or use {real_type}.",
                real_type.label(),
                requested.label(),
            ));
        }
    }
    let location = target.usage_location;
    let country = record.iso_country_code.as_deref().unwrap_or_default();
    let mismatch =
        !location.is_empty() && !country.is_empty() && !country.eq_ignore_ascii_case(location);
    if mismatch && real_type == NumberType::CallingPlan {
        return Err(format!(
            "{number} is a Calling Plan number from {country}, but the usage location is \
             {location}. Teams assigns Calling Plan numbers only within the usage location's \
             country: pick a {location} number, or set the usage location to {country} in \
             step 2."
        ));
    }
    Ok(real_type)
}
