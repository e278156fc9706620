//! The checks themselves: each reads one instance row and the record of the number it holds.

use std::collections::HashMap;

use super::{Check, CheckId, Checklist, Remedy};
use crate::model::{
    ActivationState, InstanceRow, LicenseState, NumberRow, NumberType, TenantView,
    RESOURCE_ACCOUNT_PLAN, RESOURCE_ACCOUNT_SKU,
};
use crate::wire::graph::NumberAssignment;

/// Returns the checklist of every instance of the tenant, in the order of
/// [`TenantView::instances`].
pub fn checklists(view: &TenantView) -> Vec<Checklist> {
    let records: HashMap<&str, &NumberAssignment> = view
        .numbers
        .iter()
        .map(|row| (row.record.telephone_number.as_str(), &row.record))
        .collect();
    view.instances
        .iter()
        .map(|row| {
            let record = row
                .phone_number
                .as_deref()
                .and_then(|number| records.get(number).copied());
            checklist(row, record)
        })
        .collect()
}

/// Returns the checklist of one instance; `record` is the inventory record of the number it
/// holds, when botline loaded it.
pub fn checklist(row: &InstanceRow, record: Option<&NumberAssignment>) -> Checklist {
    let checks = vec![
        instance_exists(row),
        application_bound(row),
        usage_location(row),
        license_assigned(row),
        license_provisioned(row),
        number_assigned(row),
        number_activated(row),
        number_capability(row, record),
        number_type(row, record),
        country_match(row, record),
    ];
    Checklist {
        upn: row.user_principal_name.clone(),
        object_id: Some(row.object_id.clone()),
        checks,
    }
}

/// Returns the checklist of a UPN that no application instance has.
pub fn missing_instance(upn: &str) -> Checklist {
    let mut checks = vec![Check::fail(
        CheckId::InstanceExists,
        format!(
            "No application instance has the user principal name {upn}, so no bot can be \
             reached through it."
        ),
        Remedy::NewBot,
    )];
    checks.extend(
        CheckId::ALL[1..]
            .iter()
            .map(|id| Check::skip(*id, "needs the resource account")),
    );
    Checklist {
        upn: upn.to_owned(),
        object_id: None,
        checks,
    }
}

fn instance_exists(row: &InstanceRow) -> Check {
    if row.account_found {
        return Check::pass(
            CheckId::InstanceExists,
            format!("object id {}", row.object_id),
        );
    }
    Check::fail(
        CheckId::InstanceExists,
        format!(
            "Teams lists {} but Entra returned no user with object id {}, so its usage \
             location and license cannot be read.",
            row.user_principal_name, row.object_id
        ),
        Remedy::Reload,
    )
}

fn application_bound(row: &InstanceRow) -> Check {
    match row.application_id.as_deref().map(str::trim) {
        Some(app_id) if !app_id.is_empty() => Check::pass(CheckId::ApplicationBound, app_id),
        _ => Check::fail(
            CheckId::ApplicationBound,
            format!(
                "{} is bound to no application, so calls to it reach no bot.",
                row.user_principal_name
            ),
            Remedy::MapApplication,
        ),
    }
}

fn usage_location(row: &InstanceRow) -> Check {
    if !row.account_found {
        return Check::skip(CheckId::UsageLocation, "needs the account's user");
    }
    match row.usage_location.as_deref().map(str::trim) {
        Some(location) if !location.is_empty() => Check::pass(CheckId::UsageLocation, location),
        _ => Check::fail(
            CheckId::UsageLocation,
            format!(
                "{} has no usage location, so Microsoft 365 cannot license it.",
                row.user_principal_name
            ),
            Remedy::ContinueSetup,
        ),
    }
}

fn license_assigned(row: &InstanceRow) -> Check {
    if !row.account_found {
        return Check::skip(CheckId::LicenseAssigned, "needs the account's user");
    }
    if row.license_state == LicenseState::Unlicensed {
        return Check::fail(
            CheckId::LicenseAssigned,
            format!(
                "{} has no Teams Phone Resource Account license ({RESOURCE_ACCOUNT_SKU}), so \
                 Teams will not give it a number.",
                row.user_principal_name
            ),
            Remedy::ContinueSetup,
        );
    }
    Check::pass(CheckId::LicenseAssigned, RESOURCE_ACCOUNT_SKU)
}

// NOTE: the license state comes from the user's assignedPlans, read with the tenant. The
// Licenses screen reads licenseDetails, whose provisioningStatus may lag or lead it.
fn license_provisioned(row: &InstanceRow) -> Check {
    match row.license_state {
        _ if !row.account_found => {
            Check::skip(CheckId::LicenseProvisioned, "needs the account's user")
        }
        LicenseState::Unlicensed => Check::skip(CheckId::LicenseProvisioned, "needs the license"),
        LicenseState::Provisioning => Check::fail(
            CheckId::LicenseProvisioned,
            format!(
                "The license is assigned, but its {RESOURCE_ACCOUNT_PLAN} plan is not \
                 provisioned yet, so Teams rejects number assignments to {}.",
                row.user_principal_name
            ),
            Remedy::WaitForLicense,
        ),
        LicenseState::Active => Check::pass(
            CheckId::LicenseProvisioned,
            format!("{RESOURCE_ACCOUNT_PLAN} provisioned"),
        ),
    }
}

fn number_assigned(row: &InstanceRow) -> Check {
    match &row.phone_number {
        Some(number) => Check::pass(CheckId::NumberAssigned, number.as_str()),
        None => Check::fail(
            CheckId::NumberAssigned,
            format!(
                "{} holds no phone number, so nobody can call the bot.",
                row.user_principal_name
            ),
            Remedy::ContinueSetup,
        ),
    }
}

fn number_activated(row: &InstanceRow) -> Check {
    let Some(number) = &row.phone_number else {
        return Check::skip(CheckId::NumberActivated, "needs a number");
    };
    match &row.activation_state {
        Some(ActivationState::Activated) => Check::pass(CheckId::NumberActivated, "activated"),
        Some(state @ (ActivationState::AssignmentFailed | ActivationState::UpdateFailed)) => {
            Check::fail(
                CheckId::NumberActivated,
                format!(
                    "Teams reports the assignment of {number} as {state}, so it carries no calls."
                ),
                Remedy::Reassign,
            )
        }
        Some(state @ (ActivationState::AssignmentPending | ActivationState::UpdatePending)) => {
            Check::fail(
                CheckId::NumberActivated,
                format!(
                    "Teams has not finished assigning {number} ({state}), so calls may not \
                     reach the bot yet."
                ),
                Remedy::WaitForNumber,
            )
        }
        Some(state) => Check::fail(
            CheckId::NumberActivated,
            format!("Teams reports {number} as {state}, a state botline does not know."),
            Remedy::WaitForNumber,
        ),
        None => Check::fail(
            CheckId::NumberActivated,
            format!("Teams reports no activation state for {number}."),
            Remedy::WaitForNumber,
        ),
    }
}

fn number_capability(row: &InstanceRow, record: Option<&NumberAssignment>) -> Check {
    let Some(record) = record else {
        return Check::skip(CheckId::NumberCapability, number_prerequisite(row));
    };
    if record.allows_voice_applications() {
        return Check::pass(CheckId::NumberCapability, "voiceApplicationAssignment");
    }
    let capabilities: Vec<&str> = record.capabilities.iter().map(|c| c.as_str()).collect();
    let capabilities = if capabilities.is_empty() {
        "none".to_owned()
    } else {
        capabilities.join(", ")
    };
    Check::fail(
        CheckId::NumberCapability,
        format!(
            "{} lacks the voiceApplicationAssignment capability (it has {capabilities}), so it \
             is a user number; resource accounts need a service number.",
            record.telephone_number
        ),
        Remedy::ChangeNumber,
    )
}

fn number_type(row: &InstanceRow, record: Option<&NumberAssignment>) -> Check {
    let Some(record) = record else {
        return Check::skip(CheckId::NumberType, number_prerequisite(row));
    };
    match &record.number_type {
        Some(kind) if NumberType::assignable().contains(kind) => {
            Check::pass(CheckId::NumberType, kind.label())
        }
        other => {
            let shown = other.as_ref().map_or("none", NumberType::as_str);
            Check::fail(
                CheckId::NumberType,
                format!(
                    "The inventory gives {} the number type {shown}, so botline cannot \
                     unassign or change it.",
                    record.telephone_number
                ),
                Remedy::AdminCenter,
            )
        }
    }
}

fn country_match(row: &InstanceRow, record: Option<&NumberAssignment>) -> Check {
    let Some(record) = record else {
        return Check::skip(CheckId::CountryMatch, number_prerequisite(row));
    };
    let location = row
        .usage_location
        .as_deref()
        .map(str::trim)
        .filter(|location| !location.is_empty());
    let Some(location) = location else {
        return Check::skip(CheckId::CountryMatch, "needs a usage location");
    };
    let country = record
        .iso_country_code
        .as_deref()
        .map(str::trim)
        .filter(|country| !country.is_empty());
    let Some(country) = country else {
        return Check::skip(CheckId::CountryMatch, "the inventory gives no country");
    };
    if country.eq_ignore_ascii_case(location) {
        return Check::pass(CheckId::CountryMatch, country);
    }
    let number = &record.telephone_number;
    if record.number_type == Some(NumberType::CallingPlan) {
        return Check::fail(
            CheckId::CountryMatch,
            format!(
                "{number} is a Calling Plan number from {country}, but the usage location is \
                 {location}; Teams serves Calling Plan numbers only in the usage location's \
                 country."
            ),
            Remedy::ChangeNumber,
        );
    }
    Check::warn(
        CheckId::CountryMatch,
        format!(
            "{number} is from {country}, but the usage location is {location}; emergency \
             calls and caller id may use the wrong country."
        ),
        Remedy::ChangeNumber,
    )
}

/// Returns why a check of the number's record cannot run.
fn number_prerequisite(row: &InstanceRow) -> &'static str {
    if row.phone_number.is_some() {
        "the number is not in the loaded inventory"
    } else {
        "needs a number"
    }
}

/// Returns the record of the number an instance holds, from the view's inventory.
pub fn held_record<'a>(view: &'a TenantView, row: &InstanceRow) -> Option<&'a NumberRow> {
    let number = row.phone_number.as_deref()?;
    view.numbers
        .iter()
        .find(|candidate| candidate.record.telephone_number == number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::health::Verdict;
    use crate::model::{AssignmentStatus, NumberCapability};

    fn healthy_row() -> InstanceRow {
        InstanceRow {
            object_id: "7e5a0000-0000-4000-8000-000000000001".into(),
            user_principal_name: "helpdesk-bot@contoso.com".into(),
            display_name: Some("Helpdesk bot".into()),
            application_id: Some("7d3e9f21-8a4b-4c6d-b2e1-5f0a9c8d7e63".into()),
            usage_location: Some("US".into()),
            license_state: LicenseState::Active,
            phone_number: Some("+14255550110".into()),
            number_type: Some(NumberType::CallingPlan),
            activation_state: Some(ActivationState::Activated),
            account_found: true,
        }
    }

    fn record() -> NumberAssignment {
        NumberAssignment {
            telephone_number: "+14255550110".into(),
            number_type: Some(NumberType::CallingPlan),
            activation_state: Some(ActivationState::Activated),
            assignment_status: Some(AssignmentStatus::VoiceApplicationAssigned),
            assignment_target_id: Some("7e5a0000-0000-4000-8000-000000000001".into()),
            capabilities: vec![NumberCapability::VoiceApplicationAssignment],
            iso_country_code: Some("US".into()),
            ..NumberAssignment::default()
        }
    }

    fn verdict(list: &Checklist, id: CheckId) -> Verdict {
        list.check(id).unwrap().verdict
    }

    fn line(list: &Checklist, id: CheckId) -> &Check {
        list.check(id).unwrap()
    }

    #[test]
    fn healthy_instance_passes_every_check() {
        let list = checklist(&healthy_row(), Some(&record()));
        assert_eq!(list.checks.len(), CheckId::ALL.len());
        for check in &list.checks {
            assert_eq!(check.verdict, Verdict::Pass, "{check:?}");
            assert_eq!(check.remedy, None, "{check:?}");
        }
        assert!(list.is_healthy());
        assert_eq!(list.worst(), Verdict::Pass);
    }

    #[test]
    fn checks_keep_checklist_order() {
        let list = checklist(&healthy_row(), Some(&record()));
        let ids: Vec<CheckId> = list.checks.iter().map(|check| check.id).collect();
        assert_eq!(ids, CheckId::ALL);
    }

    #[test]
    fn missing_user_fails_existence_and_skips_directory_checks() {
        let row = InstanceRow {
            account_found: false,
            usage_location: None,
            license_state: LicenseState::Unlicensed,
            ..healthy_row()
        };
        let list = checklist(&row, Some(&record()));
        let exists = line(&list, CheckId::InstanceExists);
        assert_eq!(exists.verdict, Verdict::Fail);
        assert!(exists.text.contains("7e5a0000-0000-4000-8000-000000000001"));
        assert_eq!(exists.remedy, Some(Remedy::Reload));
        for id in [
            CheckId::UsageLocation,
            CheckId::LicenseAssigned,
            CheckId::LicenseProvisioned,
        ] {
            assert_eq!(verdict(&list, id), Verdict::Skip, "{id:?}");
        }
    }

    #[test]
    fn unbound_application_fails() {
        for application_id in [None, Some("  ".to_owned())] {
            let row = InstanceRow {
                application_id,
                ..healthy_row()
            };
            let list = checklist(&row, Some(&record()));
            let check = line(&list, CheckId::ApplicationBound);
            assert_eq!(check.verdict, Verdict::Fail);
            assert!(check.text.contains("bound to no application"), "{check:?}");
            assert_eq!(check.remedy, Some(Remedy::MapApplication));
        }
    }

    #[test]
    fn missing_usage_location_fails() {
        let row = InstanceRow {
            usage_location: None,
            ..healthy_row()
        };
        let list = checklist(&row, Some(&record()));
        let check = line(&list, CheckId::UsageLocation);
        assert_eq!(check.verdict, Verdict::Fail);
        assert!(check.text.contains("no usage location"), "{check:?}");
        assert_eq!(check.remedy, Some(Remedy::ContinueSetup));
        assert_eq!(verdict(&list, CheckId::CountryMatch), Verdict::Skip);
    }

    #[test]
    fn unlicensed_fails_and_skips_provisioning() {
        let row = InstanceRow {
            license_state: LicenseState::Unlicensed,
            ..healthy_row()
        };
        let list = checklist(&row, Some(&record()));
        let check = line(&list, CheckId::LicenseAssigned);
        assert_eq!(check.verdict, Verdict::Fail);
        assert!(check.text.contains(RESOURCE_ACCOUNT_SKU), "{check:?}");
        assert_eq!(check.remedy, Some(Remedy::ContinueSetup));
        let provisioned = line(&list, CheckId::LicenseProvisioned);
        assert_eq!(provisioned.verdict, Verdict::Skip);
        assert_eq!(provisioned.text, "needs the license");
    }

    #[test]
    fn provisioning_license_fails() {
        let row = InstanceRow {
            license_state: LicenseState::Provisioning,
            ..healthy_row()
        };
        let list = checklist(&row, Some(&record()));
        assert_eq!(verdict(&list, CheckId::LicenseAssigned), Verdict::Pass);
        let check = line(&list, CheckId::LicenseProvisioned);
        assert_eq!(check.verdict, Verdict::Fail);
        assert!(check.text.contains(RESOURCE_ACCOUNT_PLAN), "{check:?}");
        assert_eq!(check.remedy, Some(Remedy::WaitForLicense));
    }

    #[test]
    fn missing_number_fails_and_skips_number_checks() {
        let row = InstanceRow {
            phone_number: None,
            number_type: None,
            activation_state: None,
            ..healthy_row()
        };
        let list = checklist(&row, None);
        let check = line(&list, CheckId::NumberAssigned);
        assert_eq!(check.verdict, Verdict::Fail);
        assert!(check.text.contains("holds no phone number"), "{check:?}");
        assert_eq!(check.remedy, Some(Remedy::ContinueSetup));
        for id in [
            CheckId::NumberActivated,
            CheckId::NumberCapability,
            CheckId::NumberType,
            CheckId::CountryMatch,
        ] {
            let skipped = line(&list, id);
            assert_eq!(skipped.verdict, Verdict::Skip, "{id:?}");
            assert_eq!(skipped.text, "needs a number", "{id:?}");
        }
    }

    #[test]
    fn pending_number_fails_with_wait() {
        for state in [
            ActivationState::AssignmentPending,
            ActivationState::UpdatePending,
        ] {
            let row = InstanceRow {
                activation_state: Some(state.clone()),
                ..healthy_row()
            };
            let list = checklist(&row, Some(&record()));
            let check = line(&list, CheckId::NumberActivated);
            assert_eq!(check.verdict, Verdict::Fail, "{state:?}");
            assert!(check.text.contains(state.as_str()), "{check:?}");
            assert_eq!(check.remedy, Some(Remedy::WaitForNumber));
        }
    }

    #[test]
    fn failed_assignment_fails_with_reassign() {
        let row = InstanceRow {
            activation_state: Some(ActivationState::AssignmentFailed),
            ..healthy_row()
        };
        let list = checklist(&row, Some(&record()));
        let check = line(&list, CheckId::NumberActivated);
        assert_eq!(check.verdict, Verdict::Fail);
        assert!(check.text.contains("assignmentFailed"), "{check:?}");
        assert_eq!(check.remedy, Some(Remedy::Reassign));
    }

    #[test]
    fn unknown_or_missing_activation_fails() {
        for state in [Some(ActivationState::Other("portingIn".into())), None] {
            let row = InstanceRow {
                activation_state: state,
                ..healthy_row()
            };
            let list = checklist(&row, Some(&record()));
            let check = line(&list, CheckId::NumberActivated);
            assert_eq!(check.verdict, Verdict::Fail);
            assert_eq!(check.remedy, Some(Remedy::WaitForNumber));
        }
    }

    #[test]
    fn user_number_fails_capability() {
        let user_number = NumberAssignment {
            capabilities: vec![NumberCapability::UserAssignment],
            ..record()
        };
        let list = checklist(&healthy_row(), Some(&user_number));
        let check = line(&list, CheckId::NumberCapability);
        assert_eq!(check.verdict, Verdict::Fail);
        assert!(check.text.contains("it has userAssignment"), "{check:?}");
        assert_eq!(check.remedy, Some(Remedy::ChangeNumber));
    }

    #[test]
    fn unknown_number_type_fails() {
        for kind in [
            None,
            Some(NumberType::InternalError),
            Some(NumberType::Other("futureType".into())),
        ] {
            let odd = NumberAssignment {
                number_type: kind.clone(),
                ..record()
            };
            let list = checklist(&healthy_row(), Some(&odd));
            let check = line(&list, CheckId::NumberType);
            assert_eq!(check.verdict, Verdict::Fail, "{kind:?}");
            assert_eq!(check.remedy, Some(Remedy::AdminCenter));
        }
    }

    #[test]
    fn record_missing_from_inventory_skips() {
        let list = checklist(&healthy_row(), None);
        let check = line(&list, CheckId::NumberCapability);
        assert_eq!(check.verdict, Verdict::Skip);
        assert!(check.text.contains("not in the loaded inventory"));
    }

    #[test]
    fn calling_plan_from_other_country_fails() {
        let row = InstanceRow {
            usage_location: Some("GB".into()),
            ..healthy_row()
        };
        let list = checklist(&row, Some(&record()));
        let check = line(&list, CheckId::CountryMatch);
        assert_eq!(check.verdict, Verdict::Fail);
        assert!(check.text.contains("from US"), "{check:?}");
        assert!(check.text.contains("usage location is GB"), "{check:?}");
        assert_eq!(check.remedy, Some(Remedy::ChangeNumber));
    }

    #[test]
    fn direct_routing_from_other_country_warns() {
        let row = InstanceRow {
            usage_location: Some("gb".into()),
            ..healthy_row()
        };
        let direct = NumberAssignment {
            number_type: Some(NumberType::DirectRouting),
            ..record()
        };
        let list = checklist(&row, Some(&direct));
        let check = line(&list, CheckId::CountryMatch);
        assert_eq!(check.verdict, Verdict::Warn);
        assert!(list.is_healthy());
        assert_eq!(list.worst(), Verdict::Warn);
        assert_eq!(list.warnings().count(), 1);
    }

    #[test]
    fn country_compares_without_case() {
        let row = InstanceRow {
            usage_location: Some("us".into()),
            ..healthy_row()
        };
        let list = checklist(&row, Some(&record()));
        assert_eq!(verdict(&list, CheckId::CountryMatch), Verdict::Pass);
    }

    #[test]
    fn number_without_country_skips_match() {
        let no_country = NumberAssignment {
            iso_country_code: None,
            ..record()
        };
        let list = checklist(&healthy_row(), Some(&no_country));
        assert_eq!(verdict(&list, CheckId::CountryMatch), Verdict::Skip);
    }

    #[test]
    fn missing_instance_fails_first_and_skips_rest() {
        let list = missing_instance("ghost-bot@contoso.com");
        assert_eq!(list.object_id, None);
        assert_eq!(list.checks.len(), CheckId::ALL.len());
        let first = &list.checks[0];
        assert_eq!(first.verdict, Verdict::Fail);
        assert!(first.text.contains("ghost-bot@contoso.com"));
        assert_eq!(first.remedy, Some(Remedy::NewBot));
        assert!(list.checks[1..]
            .iter()
            .all(|check| check.verdict == Verdict::Skip));
        assert_eq!(list.failures().count(), 1);
    }

    #[test]
    fn checklists_join_numbers_by_value() {
        let row = healthy_row();
        let mut user_number = record();
        user_number.capabilities = vec![NumberCapability::UserAssignment];
        let view = TenantView {
            instances: vec![row],
            numbers: vec![NumberRow {
                record: user_number,
                assigned_to: Some("helpdesk-bot@contoso.com".into()),
                problem: None,
            }],
            ..TenantView::default()
        };
        let lists = checklists(&view);
        assert_eq!(lists.len(), 1);
        assert_eq!(verdict(&lists[0], CheckId::NumberCapability), Verdict::Fail);
        assert!(held_record(&view, &view.instances[0]).is_some());
    }
}
