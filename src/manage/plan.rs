//! Builds [`Operation`]s from the rows an admin picked, checking first what Teams would
//! reject, so a doomed change is never sent. Each error is one sentence naming the value and
//! the fix.

use uuid::Uuid;

use super::{Account, NumberRef, Operation};
use crate::model::{
    InstanceRow, LicenseState, NumberRow, NumberType, SkuRow, RESOURCE_ACCOUNT_SKU,
    RESOURCE_ACCOUNT_SKU_ID,
};
use crate::wire::graph::NumberAssignment;
use crate::wizard::{number_problem, NumberTarget};

/// Returns the account of an instance row.
pub fn account_of(row: &InstanceRow) -> Account {
    Account {
        object_id: row.object_id.clone(),
        upn: row.user_principal_name.clone(),
    }
}

/// Returns a number with its type, or why botline cannot send requests about it.
pub fn number_ref(record: &NumberAssignment) -> Result<NumberRef, String> {
    let number = &record.telephone_number;
    if let Err(error) = number.parse::<crate::model::PhoneNumber>() {
        return Err(format!(
            "The inventory record {number:?} is not a usable phone number ({error}); check it \
             in the Teams admin center."
        ));
    }
    match &record.number_type {
        Some(kind) if NumberType::assignable().contains(kind) => Ok(NumberRef {
            telephone_number: number.clone(),
            number_type: kind.clone(),
        }),
        _ => Err(format!(
            "The inventory gives {number} no usable number type, so botline cannot send Teams \
             a request about it. Change it in the Teams admin center."
        )),
    }
}

/// Plans unassigning the number an instance holds.
pub fn unassign_instance(row: &InstanceRow, held: Option<&NumberRow>) -> Result<Operation, String> {
    let upn = &row.user_principal_name;
    let Some(number) = row.phone_number.as_deref() else {
        return Err(format!(
            "{upn} holds no number, so there is nothing to unassign."
        ));
    };
    let Some(held) = held else {
        return Err(format!(
            "{number} of {upn} is not in the loaded number inventory; press r to load the \
             tenant again."
        ));
    };
    Ok(Operation::Unassign {
        holder: account_of(row),
        number: number_ref(&held.record)?,
    })
}

/// Plans unassigning a number from whatever account holds it.
pub fn unassign_number(row: &NumberRow) -> Result<Operation, String> {
    let record = &row.record;
    let Some(holder_id) = record
        .assignment_target_id
        .as_deref()
        .filter(|id| !id.trim().is_empty())
    else {
        return Err(format!(
            "{} is not assigned to any account, so there is nothing to unassign.",
            record.telephone_number
        ));
    };
    let upn = row
        .assigned_to
        .clone()
        .unwrap_or_else(|| format!("unknown account {holder_id}"));
    Ok(Operation::Unassign {
        holder: Account {
            object_id: holder_id.to_owned(),
            upn,
        },
        number: number_ref(record)?,
    })
}

/// Plans giving an instance `new` in place of the number it holds, with the wizard's checks
/// on `new`.
pub fn change_number(
    row: &InstanceRow,
    held: Option<&NumberRow>,
    new: &NumberAssignment,
) -> Result<Operation, String> {
    let Operation::Unassign {
        holder,
        number: old,
    } = unassign_instance(row, held)?
    else {
        unreachable!("unassign_instance plans an unassignment");
    };
    if old.telephone_number == new.telephone_number {
        return Err(format!(
            "{} already holds {}; pick another number.",
            holder.upn, old.telephone_number
        ));
    }
    check_target(row, new, None)?;
    Ok(Operation::ChangeNumber {
        account: holder,
        old,
        new: number_ref(new)?,
    })
}

/// Plans assigning a free number to an instance that holds none, with the wizard's checks.
pub fn assign(row: &InstanceRow, number: &NumberRow) -> Result<Operation, String> {
    let upn = &row.user_principal_name;
    if let Some(held) = &row.phone_number {
        return Err(format!(
            "{upn} already holds {held}. Change its number on the Instances screen, or \
             unassign it first."
        ));
    }
    match row.license_state {
        LicenseState::Active => {}
        LicenseState::Unlicensed => {
            return Err(format!(
                "{upn} has no Teams Phone Resource Account license yet, so Teams would reject \
                 the number. Continue its setup on the Instances screen first."
            ));
        }
        LicenseState::Provisioning => {
            return Err(format!(
                "The license of {upn} is still provisioning, so Teams would reject the \
                 number. Wait until the Licenses screen shows it provisioned."
            ));
        }
    }
    check_target(row, &number.record, number.assigned_to.as_deref())?;
    Ok(Operation::Assign {
        account: account_of(row),
        number: number_ref(&number.record)?,
    })
}

/// Applies the wizard's number rules for `row` as the target.
fn check_target(
    row: &InstanceRow,
    record: &NumberAssignment,
    holder: Option<&str>,
) -> Result<(), String> {
    let usage_location = row
        .usage_location
        .as_deref()
        .unwrap_or_default()
        .trim()
        .to_ascii_uppercase();
    let target = NumberTarget {
        object_id: &row.object_id,
        usage_location: &usage_location,
        requested_type: None,
    };
    number_problem(record, holder, target).map(drop)
}

/// Plans removing the resource-account license, rejected while the instance holds a number.
pub fn remove_license(row: &InstanceRow, skus: &[SkuRow]) -> Result<Operation, String> {
    let upn = &row.user_principal_name;
    if row.license_state == LicenseState::Unlicensed {
        return Err(format!(
            "{upn} has no Teams Phone Resource Account license to remove."
        ));
    }
    if let Some(number) = &row.phone_number {
        return Err(format!(
            "{upn} still holds {number}, and Teams needs the license for as long as a number \
             is assigned. Unassign the number first."
        ));
    }
    let sku_id = skus
        .iter()
        .find(|sku| {
            sku.sku_part_number
                .eq_ignore_ascii_case(RESOURCE_ACCOUNT_SKU)
        })
        .map_or_else(
            || RESOURCE_ACCOUNT_SKU_ID.to_owned(),
            |sku| sku.sku_id.clone(),
        );
    Ok(Operation::RemoveLicense {
        account: account_of(row),
        sku_id,
    })
}

/// Plans setting a number's emergency location to `location_id`, or removing it when the
/// text is empty.
pub fn update_location(row: &NumberRow, location_id: &str) -> Result<Operation, String> {
    let record = &row.record;
    let number = &record.telephone_number;
    let location_id = location_id.trim();
    if location_id.is_empty() {
        if record.location_id.is_none() {
            return Err(format!("{number} has no emergency location to remove."));
        }
        let removable = matches!(
            record.number_type,
            Some(NumberType::DirectRouting | NumberType::OperatorConnect)
        );
        if !removable {
            return Err(format!(
                "Teams removes emergency locations only from Direct Routing and Operator \
                 Connect numbers, and {number} is not one; type another location id instead."
            ));
        }
    } else {
        // NOTE: only the id's form is checked. botline does not read the tenant's emergency
        // locations, so an unknown GUID is caught by Teams, not here.
        if Uuid::parse_str(location_id).is_err() {
            return Err(format!(
                "invalid emergency location id {location_id:?}: expected a GUID such as \
                 3f1e2d4c-5b6a-4789-8c0d-1e2f3a4b5c6d, as the Teams admin center lists under \
                 Locations > Emergency addresses"
            ));
        }
        if record
            .location_id
            .as_deref()
            .is_some_and(|current| current.eq_ignore_ascii_case(location_id))
        {
            return Err(format!(
                "{number} already has the emergency location {location_id}."
            ));
        }
    }
    Ok(Operation::UpdateLocation {
        number: number.clone(),
        location_id: location_id.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ActivationState, AssignmentStatus, NumberCapability};

    const BOT_ID: &str = "7e5a0000-0000-4000-8000-000000000003";

    fn instance(number: Option<&str>, license: LicenseState) -> InstanceRow {
        InstanceRow {
            object_id: BOT_ID.into(),
            user_principal_name: "survey-bot@contoso.com".into(),
            display_name: Some("Survey bot".into()),
            application_id: Some("5b9d1f3a-7e2c-4a6b-8d0f-1c3e5a7b9d2f".into()),
            usage_location: Some("US".into()),
            license_state: license,
            phone_number: number.map(str::to_owned),
            number_type: number.map(|_| NumberType::CallingPlan),
            activation_state: number.map(|_| ActivationState::Activated),
            account_found: true,
        }
    }

    fn free(number: &str, kind: NumberType, country: &str) -> NumberRow {
        NumberRow {
            record: NumberAssignment {
                telephone_number: number.into(),
                number_type: Some(kind),
                activation_state: Some(ActivationState::Activated),
                assignment_status: Some(AssignmentStatus::Unassigned),
                capabilities: vec![NumberCapability::VoiceApplicationAssignment],
                iso_country_code: Some(country.into()),
                ..NumberAssignment::default()
            },
            assigned_to: None,
            problem: None,
        }
    }

    fn held(number: &str) -> NumberRow {
        let mut row = free(number, NumberType::CallingPlan, "US");
        row.record.assignment_target_id = Some(BOT_ID.into());
        row.record.assignment_status = Some(AssignmentStatus::VoiceApplicationAssigned);
        row.assigned_to = Some("survey-bot@contoso.com".into());
        row
    }

    #[test]
    fn unassign_names_holder_and_number() {
        let row = instance(Some("+14255550111"), LicenseState::Active);
        let operation = unassign_instance(&row, Some(&held("+14255550111"))).unwrap();
        let Operation::Unassign { holder, number } = &operation else {
            panic!("{operation:?}");
        };
        assert_eq!(holder.upn, "survey-bot@contoso.com");
        assert_eq!(holder.object_id, BOT_ID);
        assert_eq!(number.number_type, NumberType::CallingPlan);
        assert!(operation.is_destructive());
        let question = &operation.confirmation()[0];
        assert!(question.contains("+14255550111"), "{question}");
        assert!(question.contains("survey-bot@contoso.com"), "{question}");
    }

    #[test]
    fn unassign_without_number_is_rejected() {
        let row = instance(None, LicenseState::Active);
        let error = unassign_instance(&row, None).unwrap_err();
        assert!(error.contains("holds no number"), "{error}");
    }

    #[test]
    fn unassign_of_unknown_type_is_rejected() {
        let row = instance(Some("+14255550111"), LicenseState::Active);
        let mut record = held("+14255550111");
        record.record.number_type = Some(NumberType::InternalError);
        let error = unassign_instance(&row, Some(&record)).unwrap_err();
        assert!(error.contains("no usable number type"), "{error}");
    }

    #[test]
    fn unassign_number_names_unknown_holder() {
        let mut row = held("+14255550105");
        row.assigned_to = None;
        row.record.assignment_target_id = Some("0badf00d".into());
        let Operation::Unassign { holder, .. } = unassign_number(&row).unwrap() else {
            panic!("expected an unassignment");
        };
        assert_eq!(holder.upn, "unknown account 0badf00d");
    }

    #[test]
    fn unassign_free_number_is_rejected() {
        let row = free("+14255550112", NumberType::CallingPlan, "US");
        let error = unassign_number(&row).unwrap_err();
        assert!(error.contains("not assigned to any account"), "{error}");
    }

    #[test]
    fn change_number_keeps_old_for_rollback() {
        let row = instance(Some("+14255550111"), LicenseState::Active);
        let new = free("+14255550112", NumberType::CallingPlan, "US");
        let operation = change_number(&row, Some(&held("+14255550111")), &new.record).unwrap();
        let Operation::ChangeNumber { old, new, .. } = &operation else {
            panic!("{operation:?}");
        };
        assert_eq!(old.telephone_number, "+14255550111");
        assert_eq!(new.telephone_number, "+14255550112");
        assert!(operation.confirmation()[1].contains("puts it back"));
    }

    #[test]
    fn change_to_same_number_is_rejected() {
        let row = instance(Some("+14255550111"), LicenseState::Active);
        let same = held("+14255550111");
        let error = change_number(&row, Some(&same), &same.record).unwrap_err();
        assert!(error.contains("already holds"), "{error}");
    }

    #[test]
    fn change_applies_wizard_rules() {
        let row = instance(Some("+14255550111"), LicenseState::Active);
        let foreign = free("+442079460101", NumberType::CallingPlan, "GB");
        let error = change_number(&row, Some(&held("+14255550111")), &foreign.record).unwrap_err();
        assert!(error.contains("Calling Plan number from GB"), "{error}");

        let mut user_number = free("+14255550102", NumberType::CallingPlan, "US");
        user_number.record.capabilities = vec![NumberCapability::UserAssignment];
        let error =
            change_number(&row, Some(&held("+14255550111")), &user_number.record).unwrap_err();
        assert!(error.contains("can only be assigned to users"), "{error}");
    }

    #[test]
    fn assign_needs_active_license_and_no_number() {
        let number = free("+14255550112", NumberType::CallingPlan, "US");
        let unlicensed = instance(None, LicenseState::Unlicensed);
        assert!(assign(&unlicensed, &number)
            .unwrap_err()
            .contains("no Teams Phone Resource Account license"));
        let provisioning = instance(None, LicenseState::Provisioning);
        assert!(assign(&provisioning, &number)
            .unwrap_err()
            .contains("still provisioning"));
        let numbered = instance(Some("+14255550111"), LicenseState::Active);
        assert!(assign(&numbered, &number)
            .unwrap_err()
            .contains("already holds +14255550111"));
        let ready = instance(None, LicenseState::Active);
        let operation = assign(&ready, &number).unwrap();
        assert!(!operation.is_destructive());
    }

    #[test]
    fn assign_held_number_names_holder() {
        let mut number = held("+14255550110");
        number.record.assignment_target_id = Some("someone-else".into());
        number.assigned_to = Some("helpdesk-bot@contoso.com".into());
        let ready = instance(None, LicenseState::Active);
        let error = assign(&ready, &number).unwrap_err();
        assert!(error.contains("helpdesk-bot@contoso.com"), "{error}");
    }

    #[test]
    fn remove_license_rejected_while_number_held() {
        let row = instance(Some("+14255550111"), LicenseState::Active);
        let error = remove_license(&row, &[]).unwrap_err();
        assert!(error.contains("still holds +14255550111"), "{error}");
        assert!(error.contains("Unassign the number first"), "{error}");
    }

    #[test]
    fn remove_license_uses_tenant_sku_id() {
        let row = instance(None, LicenseState::Provisioning);
        let skus = [SkuRow {
            sku_id: "gcc-sku".into(),
            sku_part_number: RESOURCE_ACCOUNT_SKU.into(),
            enabled: 5,
            consumed: 1,
            available: 4,
        }];
        let Operation::RemoveLicense { sku_id, account } = remove_license(&row, &skus).unwrap()
        else {
            panic!("expected a license removal");
        };
        assert_eq!(sku_id, "gcc-sku");
        assert_eq!(account.upn, "survey-bot@contoso.com");
        let Operation::RemoveLicense { sku_id, .. } = remove_license(&row, &[]).unwrap() else {
            panic!("expected a license removal");
        };
        assert_eq!(sku_id, RESOURCE_ACCOUNT_SKU_ID);
    }

    #[test]
    fn remove_missing_license_is_rejected() {
        let row = instance(None, LicenseState::Unlicensed);
        assert!(remove_license(&row, &[])
            .unwrap_err()
            .contains("no Teams Phone Resource Account license to remove"));
    }

    #[test]
    fn location_id_must_be_a_guid() {
        let row = free("+14255550120", NumberType::DirectRouting, "US");
        let error = update_location(&row, "hq").unwrap_err();
        assert!(error.contains("\"hq\""), "{error}");
        assert!(error.contains("GUID"), "{error}");
        let operation = update_location(&row, " 3f1e2d4c-5b6a-4789-8c0d-1e2f3a4b5c6d ").unwrap();
        assert_eq!(
            operation,
            Operation::UpdateLocation {
                number: "+14255550120".into(),
                location_id: "3f1e2d4c-5b6a-4789-8c0d-1e2f3a4b5c6d".into(),
            }
        );
        assert!(!operation.is_destructive());
    }

    #[test]
    fn removing_location_follows_number_type() {
        let mut calling = free("+14255550112", NumberType::CallingPlan, "US");
        calling.record.location_id = Some("loc".into());
        let error = update_location(&calling, "").unwrap_err();
        assert!(error.contains("only from Direct Routing"), "{error}");

        let mut direct = free("+14255550120", NumberType::DirectRouting, "US");
        assert!(update_location(&direct, "")
            .unwrap_err()
            .contains("no emergency location"));
        direct.record.location_id = Some("loc".into());
        let operation = update_location(&direct, "").unwrap();
        assert!(operation.is_destructive());
        assert_eq!(operation.confirm_label(), "remove");
    }

    #[test]
    fn same_location_is_rejected() {
        let mut row = free("+14255550120", NumberType::DirectRouting, "US");
        row.record.location_id = Some("3F1E2D4C-5B6A-4789-8C0D-1E2F3A4B5C6D".into());
        let error = update_location(&row, "3f1e2d4c-5b6a-4789-8c0d-1e2f3a4b5c6d").unwrap_err();
        assert!(error.contains("already has"), "{error}");
    }

    #[test]
    fn malformed_number_cannot_be_referenced() {
        let mut row = free("1", NumberType::DirectRouting, "US");
        row.record.assignment_target_id = Some(BOT_ID.into());
        let error = unassign_number(&row).unwrap_err();
        assert!(error.contains("\"1\""), "{error}");
    }
}
