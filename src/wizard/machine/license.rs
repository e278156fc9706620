//! Step 2: set the usage location and assign the resource-account license, then wait until
//! its phone plan is provisioned.

use super::{Phase, Step, Wizard};
use crate::model::{
    LicenseState, SkuRow, UsageLocation, RESOURCE_ACCOUNT_PLAN, RESOURCE_ACCOUNT_SKU,
};
use crate::wizard::{Effect, LicenseContext, Outcome, Ticket};

impl Wizard {
    /// Enters step 2 by reading what it needs.
    pub(super) fn enter_license(&mut self) -> Vec<(Ticket, Effect)> {
        self.step = Step::License;
        let Some(object_id) = self.facts.object_id.clone() else {
            return self.fail("The resource account is not known yet.".to_owned(), None);
        };
        self.work(
            "Reading usage location and licenses",
            Effect::LoadLicenseContext { object_id },
        )
    }

    pub(super) fn submit_license(&mut self) -> Vec<(Ticket, Effect)> {
        let location = match self.form.usage_location.parse::<UsageLocation>() {
            Ok(location) => location,
            Err(error) => {
                self.phase = Phase::rejected(error.to_string());
                return Vec::new();
            }
        };
        let Some(context) = self.facts.license.clone() else {
            return self.enter_license();
        };
        let Some(object_id) = self.facts.object_id.clone() else {
            return self.enter_license();
        };
        if context.license_state == LicenseState::Unlicensed {
            if let Some(reason) = seat_problem(context.sku.as_ref()) {
                self.phase = Phase::rejected(reason);
                return Vec::new();
            }
        }
        let current = context.usage_location.as_deref().unwrap_or("");
        if !current.eq_ignore_ascii_case(location.as_str()) {
            let activity = format!("Setting usage location {location}");
            return self.work(
                activity,
                Effect::SetUsageLocation {
                    object_id,
                    location,
                },
            );
        }
        self.after_usage_location(context)
    }

    pub(super) fn on_license_outcome(&mut self, outcome: Outcome) -> Vec<(Ticket, Effect)> {
        match outcome {
            Outcome::LicenseContext(context) => self.on_license_context(context),
            Outcome::UsageLocationSet => {
                let location = self.form.usage_location.trim().to_ascii_uppercase();
                self.note(format!("Usage location set to {location}"));
                self.facts.changed_tenant = true;
                let Some(mut context) = self.facts.license.clone() else {
                    return self.enter_license();
                };
                context.usage_location = Some(location);
                self.facts.license = Some(context.clone());
                self.after_usage_location(context)
            }
            Outcome::LicenseAssigned => {
                self.note(format!("Assigned {RESOURCE_ACCOUNT_SKU}"));
                self.facts.changed_tenant = true;
                if let Some(context) = self.facts.license.as_mut() {
                    context.license_state = LicenseState::Provisioning;
                }
                self.wait_for_plan(true)
            }
            Outcome::LicenseChecked(true) => {
                self.note(format!("{RESOURCE_ACCOUNT_PLAN} is provisioned"));
                if let Some(context) = self.facts.license.as_mut() {
                    context.license_state = LicenseState::Active;
                }
                self.enter_number()
            }
            Outcome::LicenseChecked(false) => self.wait_for_plan(false),
            other => self.unexpected(other),
        }
    }

    fn on_license_context(&mut self, context: LicenseContext) -> Vec<(Ticket, Effect)> {
        if self.form.usage_location.trim().is_empty() {
            self.form.usage_location = context.usage_location.clone().unwrap_or_default();
        }
        let state = context.license_state;
        let current = context.usage_location.clone().unwrap_or_default();
        let requested = self.form.usage_location.trim().to_owned();
        self.facts.license = Some(context);
        if state != LicenseState::Unlicensed && !current.eq_ignore_ascii_case(&requested) {
            // A usage location given in advance (as with `assign`) that differs from the
            // account's is applied by the submit of this step, not skipped.
            self.phase = Phase::Editing { error: None };
            return Vec::new();
        }
        match state {
            LicenseState::Active => {
                self.note(format!(
                    "{RESOURCE_ACCOUNT_SKU} is already assigned and active"
                ));
                self.enter_number()
            }
            LicenseState::Provisioning => self.wait_for_plan(true),
            LicenseState::Unlicensed => {
                self.phase = Phase::Editing { error: None };
                Vec::new()
            }
        }
    }

    /// Assigns the license unless the account already has it.
    fn after_usage_location(&mut self, context: LicenseContext) -> Vec<(Ticket, Effect)> {
        let Some(object_id) = self.facts.object_id.clone() else {
            return self.enter_license();
        };
        match context.license_state {
            LicenseState::Active => self.enter_number(),
            LicenseState::Provisioning => self.wait_for_plan(true),
            LicenseState::Unlicensed => {
                let Some(sku) = context.sku else {
                    self.phase = Phase::rejected(missing_sku_text());
                    return Vec::new();
                };
                let activity = format!("Assigning {RESOURCE_ACCOUNT_SKU} to {}", self.upn_text());
                self.work(
                    activity,
                    Effect::AssignLicense {
                        object_id,
                        sku_id: sku.sku_id,
                    },
                )
            }
        }
    }

    fn wait_for_plan(&mut self, first: bool) -> Vec<(Ticket, Effect)> {
        let object_id = self.facts.object_id.clone().unwrap_or_default();
        let activity = format!("Waiting for {RESOURCE_ACCOUNT_PLAN} to be provisioned");
        let effect = |after| Effect::CheckLicense { object_id, after };
        if first {
            self.start_waiting(activity, effect)
        } else {
            self.keep_waiting(activity, effect)
        }
    }
}

/// Returns why the license cannot be assigned for lack of seats, naming the counts.
pub(super) fn seat_problem(sku: Option<&SkuRow>) -> Option<String> {
    let Some(sku) = sku else {
        return Some(missing_sku_text());
    };
    if sku.available > 0 {
        return None;
    }
    Some(format!(
        "No free seat of Microsoft Teams Phone Resource Account ({RESOURCE_ACCOUNT_SKU}): {} \
         enabled, {} in use. The license costs nothing, but seats must first be acquired in the \
         Microsoft 365 admin center under Billing > Purchase services > Add-ons.",
        sku.enabled, sku.consumed
    ))
}

fn missing_sku_text() -> String {
    format!(
        "This tenant has no Microsoft Teams Phone Resource Account license \
         ({RESOURCE_ACCOUNT_SKU}). It costs nothing: acquire it in the Microsoft 365 admin \
         center under Billing > Purchase services > Add-ons, then try again."
    )
}
