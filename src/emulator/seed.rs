//! The built-in practice tenant (Contoso) and generators for large tenants.
//!
//! The tenant is `assets/practice-tenant.json`. Its id is [`super::DEMO_TENANT_ID`]; its
//! domains are `contoso.com` (verified, default), `contoso.onmicrosoft.com` (verified,
//! initial) and `fabrikam-test.com` (not verified).
//!
//! Application instances (resource accounts), object ids `7e5a0000-0000-4000-8000-00000000000N`:
//!
//! | N | UPN | application | usage location | license | number |
//! |---|---|---|---|---|---|
//! | 1 | helpdesk-bot@contoso.com | Contoso Helpdesk Bot | US | active | +14255550110 activated |
//! | 2 | reception-bot@contoso.com | Contoso Reception Bot | none | none | none |
//! | 3 | survey-bot@contoso.com | Contoso Survey Bot | US | active | none |
//! | 4 | scheduling-bot@contoso.com | Contoso Scheduling Bot | US | active | +14255550111 pending |
//! | 5 | alerts-bot@contoso.com | Contoso Alerts Bot | US | never finishes provisioning | none |
//! | 6 | main-line@contoso.com | Auto Attendant | US | active | +14255550115 activated |
//! | 7 | support-queue@contoso.com | Call Queue | GB | active | +442079460102 activated |
//! | 8 | unmapped-bot@contoso.com | none | US | none | none |
//!
//! The Contoso IVR Bot ([`IVR_BOT_APP_ID`]) has a service principal but no instance yet.
//!
//! Users, object ids `05e40000-0000-4000-8000-00000000000N`: 1 adele.vance@contoso.com (US,
//! Office 365 E3, Teams Phone Standard and a Calling Plan; holds +14255550101),
//! 2 megan.bowen@contoso.com (US, E3 and Teams Phone Standard, no number),
//! 3 alex.wilber@contoso.com (GB, E3), 4 admin@contoso.onmicrosoft.com (US, E3).
//! +14255550105 is held by [`MISSING_HOLDER_ID`], which is no user.
//!
//! SKUs: PHONESYSTEM_VIRTUALUSER 6 of 25 seats used, MCOEV 2 of 10, MCOPSTN1 1 of 5,
//! ENTERPRISEPACK 4 of 20.
//!
//! Numbers (ids are `tn-` and the digits, such as `tn-14255550120`), all activated unless
//! listed as held above. The pending number +14255550111 has no operation, so it stays
//! `assignmentPending`.
//!
//! | numbers | type | capabilities | state |
//! |---|---|---|---|
//! | +14255550101 to 0107 | callingPlan | userAssignment | 0101 and 0105 held, the rest free |
//! | +14255550110 to 0115 | callingPlan | voiceApplication, conference | 0112 to 0114 free |
//! | +14255550116 | callingPlan | conferenceAssignment only | free |
//! | +14255550120 to 0129 | directRouting | all three | free |
//! | +14255550130 | operatorConnect | voiceApplication, user | free |
//! | +442079460100 | callingPlan | userAssignment | free |
//! | +442079460101, 0105 | callingPlan | voiceApplication, conference | free |
//! | +442079460102 | directRouting | all three | held by support-queue |
//! | +442079460103 | directRouting | all three | free |

use crate::model::{
    ActivationState, AssignmentStatus, NumberCapability, NumberType, RESOURCE_ACCOUNT_SKU,
};
use crate::wire::graph::NumberAssignment;

use super::state::{InstanceRecord, NumberRecord, TenantState, UserLicense, UserRecord};

/// The practice tenant as JSON.
const PRACTICE_TENANT_JSON: &str = include_str!("../../assets/practice-tenant.json");

/// Application id of the Contoso IVR Bot, which has no instance yet.
pub const IVR_BOT_APP_ID: &str = "0b5c7a53-5c1e-4a8e-9d0f-3e7b2a9c1d44";
/// Application id of the Contoso Helpdesk Bot (helpdesk-bot@contoso.com).
pub const HELPDESK_BOT_APP_ID: &str = "7d3e9f21-8a4b-4c6d-b2e1-5f0a9c8d7e63";
/// Application id of the Contoso Reception Bot (reception-bot@contoso.com).
pub const RECEPTION_BOT_APP_ID: &str = "c4a8e2f6-1d3b-4f5a-9e7c-2b6d8a0f4e19";
/// Application id of the Contoso Survey Bot (survey-bot@contoso.com).
pub const SURVEY_BOT_APP_ID: &str = "5b9d1f3a-7e2c-4a6b-8d0f-1c3e5a7b9d2f";
/// Application id of the Contoso Scheduling Bot (scheduling-bot@contoso.com).
pub const SCHEDULING_BOT_APP_ID: &str = "e8f0a2c4-6b1d-4e3f-a5c7-9d1b3f5a7c0e";
/// Application id of the Contoso Alerts Bot (alerts-bot@contoso.com).
pub const ALERTS_BOT_APP_ID: &str = "2c4e6a8b-0d1f-4a3c-b5e7-f9a1c3e5b7d9";
/// Application id Teams uses for auto attendants.
pub const AUTO_ATTENDANT_APP_ID: &str = "ce933385-9390-45d1-9512-c8d228074e07";
/// Application id Teams uses for call queues.
pub const CALL_QUEUE_APP_ID: &str = "11cd3e2e-fccb-42ad-ad00-878b93575e07";

/// Object id of helpdesk-bot@contoso.com: licensed, provisioned, +14255550110 activated.
pub const HELPDESK_BOT_ID: &str = "7e5a0000-0000-4000-8000-000000000001";
/// Object id of reception-bot@contoso.com: no usage location, no license, no number.
pub const RECEPTION_BOT_ID: &str = "7e5a0000-0000-4000-8000-000000000002";
/// Object id of survey-bot@contoso.com: licensed and provisioned, no number.
pub const SURVEY_BOT_ID: &str = "7e5a0000-0000-4000-8000-000000000003";
/// Object id of scheduling-bot@contoso.com: +14255550111 stays `assignmentPending`.
pub const SCHEDULING_BOT_ID: &str = "7e5a0000-0000-4000-8000-000000000004";
/// Object id of alerts-bot@contoso.com: licensed, its plan never finishes provisioning.
pub const ALERTS_BOT_ID: &str = "7e5a0000-0000-4000-8000-000000000005";
/// Object id of main-line@contoso.com, an auto attendant holding +14255550115.
pub const MAIN_LINE_ID: &str = "7e5a0000-0000-4000-8000-000000000006";
/// Object id of support-queue@contoso.com, a GB call queue holding +442079460102.
pub const SUPPORT_QUEUE_ID: &str = "7e5a0000-0000-4000-8000-000000000007";
/// Object id of unmapped-bot@contoso.com, an instance with no application mapped.
pub const UNMAPPED_BOT_ID: &str = "7e5a0000-0000-4000-8000-000000000008";
/// Object id of adele.vance@contoso.com, who is assigned the user number +14255550101.
pub const ADELE_ID: &str = "05e40000-0000-4000-8000-000000000001";
/// Object id of megan.bowen@contoso.com, licensed for Teams Phone, without a number.
pub const MEGAN_ID: &str = "05e40000-0000-4000-8000-000000000002";
/// Object id that +14255550105 is assigned to, which belongs to no user.
pub const MISSING_HOLDER_ID: &str = "0badf00d-0000-4000-8000-000000000099";

/// Returns the practice tenant.
pub fn practice_tenant() -> TenantState {
    serde_json::from_str(PRACTICE_TENANT_JSON)
        .expect("assets/practice-tenant.json matches TenantState; the seed tests check it")
}

/// Unix millisecond the generated records date from: 2025-01-01T00:00:00Z.
const GENERATED_AT_MS: u64 = 1_735_689_600_000;

impl TenantState {
    /// Adds `count` free, activated numbers (`+1206` and seven digits from 5500000),
    /// cycling through Calling Plan service, Direct Routing and Operator Connect numbers.
    pub fn with_generated_numbers(mut self, count: usize) -> Self {
        for index in 0..count {
            let telephone_number = format!("+1206{:07}", 5_500_000 + index);
            let (number_type, capabilities) = match index % 3 {
                0 => (
                    NumberType::CallingPlan,
                    vec![
                        NumberCapability::VoiceApplicationAssignment,
                        NumberCapability::ConferenceAssignment,
                    ],
                ),
                1 => (
                    NumberType::DirectRouting,
                    vec![
                        NumberCapability::VoiceApplicationAssignment,
                        NumberCapability::ConferenceAssignment,
                        NumberCapability::UserAssignment,
                    ],
                ),
                _ => (
                    NumberType::OperatorConnect,
                    vec![
                        NumberCapability::VoiceApplicationAssignment,
                        NumberCapability::UserAssignment,
                    ],
                ),
            };
            self.numbers.push(NumberRecord {
                assignment: NumberAssignment {
                    id: Some(format!("tn-{}", &telephone_number[1..])),
                    telephone_number,
                    number_type: Some(number_type),
                    activation_state: Some(ActivationState::Activated),
                    assignment_status: Some(AssignmentStatus::Unassigned),
                    capabilities,
                    iso_country_code: Some("US".to_owned()),
                    city: Some("Seattle".to_owned()),
                    number_source: Some("online".to_owned()),
                    ..NumberAssignment::default()
                },
                pending: None,
            });
        }
        self
    }

    /// Adds `count` licensed, provisioned application instances
    /// (`generated-bot-N@contoso.com`, mapped to the IVR bot) without numbers, and enough
    /// resource-account seats for them.
    pub fn with_generated_instances(mut self, count: usize) -> Self {
        let sku_id = match self.sku_by_part_number(RESOURCE_ACCOUNT_SKU) {
            Some(sku) => {
                let count = i64::try_from(count).unwrap_or(i64::MAX);
                sku.enabled_units = sku.enabled_units.saturating_add(count);
                sku.consumed_units = sku.consumed_units.saturating_add(count);
                Some(sku.sku_id.clone())
            }
            None => None,
        };
        for index in 0..count {
            let object_id = format!("9e7e0000-0000-4000-8000-{index:012}");
            self.users.push(UserRecord {
                id: object_id.clone(),
                user_principal_name: format!("generated-bot-{index}@contoso.com"),
                display_name: Some(format!("Generated Bot {index}")),
                account_enabled: false,
                usage_location: Some("US".to_owned()),
                licenses: sku_id
                    .iter()
                    .map(|sku_id| UserLicense {
                        sku_id: sku_id.clone(),
                        disabled_plans: Vec::new(),
                        assigned_at_ms: GENERATED_AT_MS,
                        provisioned_at_ms: Some(GENERATED_AT_MS),
                    })
                    .collect(),
            });
            self.instances.push(InstanceRecord {
                object_id,
                application_id: Some(IVR_BOT_APP_ID.to_owned()),
                visible_at_ms: GENERATED_AT_MS,
            });
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::DEMO_TENANT_ID;

    #[test]
    fn seed_parses_with_its_tenant_id() {
        let state = practice_tenant();
        assert_eq!(state.tenant.id, DEMO_TENANT_ID);
        assert_eq!(state.numbers.len(), 30);
    }

    #[test]
    fn consumed_units_match_assigned_licenses() {
        let state = practice_tenant();
        for sku in &state.skus {
            let holders = state
                .users
                .iter()
                .filter(|user| user.licenses.iter().any(|l| l.sku_id == sku.sku_id))
                .count() as i64;
            assert_eq!(sku.consumed_units, holders, "{}", sku.sku_part_number);
            assert!(sku.consumed_units <= sku.enabled_units);
        }
    }

    #[test]
    fn every_license_names_a_known_sku() {
        let state = practice_tenant();
        for user in &state.users {
            for license in &user.licenses {
                assert!(
                    state.sku(&license.sku_id).is_some(),
                    "{}",
                    user.user_principal_name
                );
            }
        }
    }

    #[test]
    fn every_instance_has_a_user() {
        let state = practice_tenant();
        for instance in &state.instances {
            assert!(state.user(&instance.object_id).is_some());
        }
    }

    #[test]
    fn ids_and_numbers_are_unique_and_valid() {
        let state = practice_tenant();
        let mut ids: Vec<&str> = state.numbers.iter().map(|n| n.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), state.numbers.len());
        for number in &state.numbers {
            assert!(
                number
                    .assignment
                    .telephone_number
                    .parse::<crate::model::PhoneNumber>()
                    .is_ok(),
                "{}",
                number.assignment.telephone_number
            );
            assert!(number.assignment.number_type.as_ref().unwrap().is_known());
        }
    }

    #[test]
    fn ivr_bot_has_no_instance() {
        let state = practice_tenant();
        assert!(state
            .service_principals
            .iter()
            .any(|principal| principal.app_id == IVR_BOT_APP_ID));
        assert!(state
            .instances
            .iter()
            .all(|instance| instance.application_id.as_deref() != Some(IVR_BOT_APP_ID)));
    }

    #[test]
    fn constants_match_the_seed() {
        let state = practice_tenant();
        let upn = |id: &str| state.user(id).unwrap().user_principal_name.clone();
        assert_eq!(upn(HELPDESK_BOT_ID), "helpdesk-bot@contoso.com");
        assert_eq!(upn(RECEPTION_BOT_ID), "reception-bot@contoso.com");
        assert_eq!(upn(SURVEY_BOT_ID), "survey-bot@contoso.com");
        assert_eq!(upn(SCHEDULING_BOT_ID), "scheduling-bot@contoso.com");
        assert_eq!(upn(ALERTS_BOT_ID), "alerts-bot@contoso.com");
        assert_eq!(upn(MAIN_LINE_ID), "main-line@contoso.com");
        assert_eq!(upn(SUPPORT_QUEUE_ID), "support-queue@contoso.com");
        assert_eq!(upn(UNMAPPED_BOT_ID), "unmapped-bot@contoso.com");
        assert_eq!(upn(ADELE_ID), "adele.vance@contoso.com");
        assert_eq!(upn(MEGAN_ID), "megan.bowen@contoso.com");
        assert!(state.user(MISSING_HOLDER_ID).is_none());
        let app = |id: &str| state.instance(id).unwrap().application_id.clone();
        assert_eq!(app(HELPDESK_BOT_ID).as_deref(), Some(HELPDESK_BOT_APP_ID));
        assert_eq!(app(MAIN_LINE_ID).as_deref(), Some(AUTO_ATTENDANT_APP_ID));
        assert_eq!(app(SUPPORT_QUEUE_ID).as_deref(), Some(CALL_QUEUE_APP_ID));
        assert_eq!(app(UNMAPPED_BOT_ID), None);
    }

    #[test]
    fn generated_numbers_are_unique() {
        let state = practice_tenant().with_generated_numbers(2500);
        assert_eq!(state.numbers.len(), 2530);
        let mut numbers: Vec<&str> = state
            .numbers
            .iter()
            .map(|n| n.assignment.telephone_number.as_str())
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        assert_eq!(numbers.len(), 2530);
    }

    #[test]
    fn generated_instances_keep_seats_consistent() {
        let mut state = practice_tenant().with_generated_instances(40);
        let sku = state.sku_by_part_number(RESOURCE_ACCOUNT_SKU).unwrap();
        assert_eq!(sku.consumed_units, 46);
        assert_eq!(sku.enabled_units, 65);
        assert_eq!(state.instances.len(), 48);
    }
}
