//! Step 1: check the UPN and the application, create the instance, and map it to the bot.

use super::license::seat_problem;
use super::number::not_in_inventory;
use super::{Phase, Wizard};
use crate::model::{AppId, PhoneNumber, Upn};
use crate::wire::teams::CreateInstanceRequest;
use crate::wizard::{Effect, InstanceCheck, Outcome, Ticket};

/// Said before an app-only create, because Microsoft is known to refuse it.
const APP_ONLY_WARNING: &str = "Warning: botline signs in app-only (client secret), and \
    Microsoft answers Access Denied when an application creates a resource account. botline \
    tries anyway and shows the PowerShell commands if the tenant refuses.";

/// Maximum length of a display name, in characters, that Entra accepts.
const MAX_DISPLAY_NAME_CHARS: usize = 256;

impl Wizard {
    pub(super) fn submit_instance(&mut self) -> Vec<(Ticket, Effect)> {
        let upn = match self.form.upn.parse::<Upn>() {
            Ok(upn) => upn,
            Err(error) => {
                self.phase = Phase::rejected(error.to_string());
                return Vec::new();
            }
        };
        let app_id = match self.form.app_id.parse::<AppId>() {
            Ok(app_id) => app_id,
            Err(error) => {
                self.phase = Phase::rejected(error.to_string());
                return Vec::new();
            }
        };
        let display_name = self.form.display_name.trim();
        if display_name.is_empty() {
            self.phase = Phase::rejected(
                "The display name is missing: type the name callers and admins will see, \
                 such as \"IVR Bot\".",
            );
            return Vec::new();
        }
        if display_name.chars().count() > MAX_DISPLAY_NAME_CHARS {
            self.phase = Phase::rejected(format!(
                "The display name is longer than {MAX_DISPLAY_NAME_CHARS} characters; shorten it."
            ));
            return Vec::new();
        }
        // A number known from the start (as with `assign`) is checked before anything is
        // created, so a doomed run changes nothing.
        let number = match self.form.number.trim() {
            "" => None,
            text => match text.parse::<PhoneNumber>() {
                Ok(number) => Some(number),
                Err(error) => {
                    self.phase = Phase::rejected(error.to_string());
                    return Vec::new();
                }
            },
        };
        self.facts.upn = Some(upn.clone());
        self.facts.app_id = Some(app_id);
        let activity = format!(
            "Checking {}, application {app_id} and existing accounts",
            upn.domain()
        );
        self.work(
            activity,
            Effect::CheckInstance {
                upn,
                app_id,
                number,
            },
        )
    }

    pub(super) fn on_instance_outcome(&mut self, outcome: Outcome) -> Vec<(Ticket, Effect)> {
        match outcome {
            Outcome::InstanceChecked(check) => self.on_instance_checked(check),
            Outcome::InstanceCreated(instance) => {
                let upn = self.upn_text();
                self.note(format!("Created resource account {upn}"));
                self.facts.object_id = Some(instance.object_id.clone());
                self.facts.created = true;
                self.facts.changed_tenant = true;
                let object_id = instance.object_id;
                self.start_waiting(format!("Waiting for Teams to list {upn}"), |after| {
                    Effect::WaitForInstance { object_id, after }
                })
            }
            Outcome::InstanceFound(found) => self.on_instance_found(found),
            Outcome::InstanceVisible(true) => self.sync(),
            Outcome::InstanceVisible(false) => {
                let upn = self.upn_text();
                let object_id = self.facts.object_id.clone().unwrap_or_default();
                self.keep_waiting(format!("Waiting for Teams to list {upn}"), |after| {
                    Effect::WaitForInstance { object_id, after }
                })
            }
            Outcome::Synced(outcome) => {
                let app = self.app_text();
                let line = match outcome {
                    crate::client::SyncOutcome::Mapped => {
                        self.facts.changed_tenant = true;
                        format!("Mapped to {app}")
                    }
                    crate::client::SyncOutcome::AlreadyMapped if self.facts.created => {
                        format!("Mapped to {app} when it was created")
                    }
                    crate::client::SyncOutcome::AlreadyMapped => {
                        format!("Already mapped to {app}")
                    }
                };
                self.note(line);
                self.enter_license()
            }
            other => self.unexpected(other),
        }
    }

    fn on_instance_checked(&mut self, check: InstanceCheck) -> Vec<(Ticket, Effect)> {
        let (Some(upn), Some(app_id)) = (self.facts.upn.clone(), self.facts.app_id) else {
            return self.unexpected(Outcome::InstanceChecked(check));
        };
        let domain = upn.domain();
        let verified = check
            .verified_domains
            .iter()
            .any(|verified| verified.eq_ignore_ascii_case(domain));
        if !verified {
            let suggestion = suggest_domain(&check.verified_domains, upn.local_part());
            self.phase = Phase::rejected(format!(
                "{domain} is not a verified domain of this tenant, so Teams cannot create \
                 {upn}. Use a verified domain{suggestion}."
            ));
            return Vec::new();
        }
        let Some(app_name) = check.app_name else {
            self.phase = Phase::rejected(format!(
                "No application with id {app_id} exists in this tenant. Copy the bot's \
                 Application (client) ID from Entra > App registrations."
            ));
            return Vec::new();
        };
        self.facts.app_name = Some(app_name);
        if let Some(instance) = &check.existing_instance {
            if !reusable(instance, app_id) {
                let bound_to = instance.application_id.clone().unwrap_or_default();
                self.phase = Phase::rejected(format!(
                    "{upn} already exists and is bound to application {bound_to}. Pick another \
                     user principal name; the wizard does not move an existing account to \
                     another bot."
                ));
                return Vec::new();
            }
            self.facts.object_id = Some(instance.object_id.clone());
        }
        if let Some(lookup) = &check.number {
            let problem = match &lookup.record {
                None => Err(not_in_inventory(&lookup.number.to_string())),
                Some(record) => self
                    .number_problem(record, lookup.holder.as_deref())
                    .map(drop),
            };
            if let Err(reason) = problem {
                self.facts.object_id = None;
                self.phase = Phase::rejected(reason);
                return Vec::new();
            }
        }
        if let Some(instance) = check.existing_instance {
            // Reusable: bound to this bot, or to no application yet.
            let unbound = instance
                .application_id
                .as_deref()
                .is_none_or(|bound| bound.trim().is_empty());
            if unbound {
                self.note(format!(
                    "{upn} exists without an application; mapping it to this bot"
                ));
            } else {
                self.note(format!("{upn} already exists for this bot; reusing it"));
            }
            let existing_name = instance.display_name.clone().unwrap_or_default();
            let requested_name = self.form.display_name.trim();
            if existing_name != requested_name {
                self.note(format!(
                    "Warning: the existing display name \"{existing_name}\" is kept; \
                     botline does not rename accounts"
                ));
            }
            self.facts.object_id = Some(instance.object_id);
            return self.sync();
        }
        if let Some(reason) = seat_problem(check.resource_sku.as_ref()) {
            self.phase = Phase::rejected(reason);
            return Vec::new();
        }
        if check.existing_user.is_some() {
            self.phase = Phase::rejected(format!(
                "{upn} already belongs to a user that Teams does not list as a resource \
                 account. If botline created it moments ago, Teams may still be copying it: \
                 try again in a few minutes. Otherwise pick another user principal name."
            ));
            return Vec::new();
        }
        if self.connection.app_only {
            self.note(APP_ONLY_WARNING);
        }
        // NOTE: the create and sync calls use a route of the Teams admin API that Microsoft
        // does not document and that no live tenant has confirmed. A 403, 404 or 405 moves
        // the wizard to the PowerShell commands (see `manual.rs`).
        let request = CreateInstanceRequest {
            user_principal_name: upn.to_string(),
            application_id: app_id.to_string(),
            display_name: self.form.display_name.trim().to_owned(),
        };
        self.work(format!("Creating {upn}"), Effect::CreateInstance(request))
    }

    fn sync(&mut self) -> Vec<(Ticket, Effect)> {
        let (Some(object_id), Some(app_id)) = (self.facts.object_id.clone(), self.facts.app_id)
        else {
            return self.fail("The resource account is not known yet.".to_owned(), None);
        };
        let activity = format!("Mapping {} to {}", self.upn_text(), self.app_text());
        self.work(activity, Effect::SyncInstance { object_id, app_id })
    }

    pub(super) fn upn_text(&self) -> String {
        self.facts
            .upn
            .as_ref()
            .map_or_else(|| self.form.upn.clone(), ToString::to_string)
    }

    fn app_text(&self) -> String {
        match (&self.facts.app_name, self.facts.app_id) {
            (Some(name), Some(id)) => format!("{name} ({id})"),
            (None, Some(id)) => id.to_string(),
            _ => self.form.app_id.clone(),
        }
    }

    /// Reports an outcome that does not belong to the current step as a failure.
    pub(super) fn unexpected(&mut self, outcome: Outcome) -> Vec<(Ticket, Effect)> {
        tracing::error!(?outcome, step = ?self.step, "outcome does not fit the wizard's step");
        self.fail(
            format!(
                "botline got an answer it did not expect in step {}; go back and try again.",
                self.step.title()
            ),
            None,
        )
    }
}

/// Returns true when the wizard may go on with an existing instance for `app_id`: it is
/// bound to that application, or to none yet, so mapping it changes no other bot.
fn reusable(instance: &crate::wire::teams::ApplicationInstance, app_id: AppId) -> bool {
    match instance.application_id.as_deref().map(str::trim) {
        None | Some("") => true,
        Some(bound) => bound.eq_ignore_ascii_case(&app_id.to_string()),
    }
}

/// Returns ", such as NAME@DOMAIN" for the best verified domain, preferring the initial
/// `onmicrosoft.com` one, which every tenant has.
fn suggest_domain(verified: &[String], local_part: &str) -> String {
    let best = verified
        .iter()
        .find(|domain| domain.to_ascii_lowercase().ends_with(".onmicrosoft.com"))
        .or_else(|| verified.first());
    match best {
        Some(domain) => format!(", such as {local_part}@{domain}"),
        None => String::new(),
    }
}
