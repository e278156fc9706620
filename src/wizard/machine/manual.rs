//! Step 1 by hand: when botline cannot create or map the resource account itself, the wizard
//! shows the PowerShell commands with the admin's values, polls the instance list until the
//! account appears, and then goes on with step 2.
//!
//! This happens after a create or sync call returns 403, 404 or 405, which is what a tenant
//! returns when it does not allow the call or does not have the route botline guessed. With
//! app-only sign-in Microsoft is known to answer Access Denied, so the wizard warns before
//! it tries and the reason it shows names the app-only sign-in.

use crate::client::ApiError;
use crate::wire::teams::ApplicationInstance;
use crate::wizard::powershell::{self, ManualAccount, PowerShellCommand};
use crate::wizard::{Effect, Ticket};

use super::{Phase, Wizard};

/// Statuses of a create or sync call that move the wizard to the PowerShell commands.
const MANUAL_STATUSES: [u16; 3] = [403, 404, 405];

/// Commands the admin runs by hand, and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManualSetup {
    /// One or two sentences: why botline cannot do it itself.
    pub reason: String,
    /// PowerShell commands with the admin's values, in the order to run them.
    pub commands: Vec<PowerShellCommand>,
}

impl Wizard {
    /// Moves to the PowerShell commands when a create or sync call returned 403, 404 or
    /// 405; returns `None` for any other failure.
    pub(super) fn manual_fallback(
        &mut self,
        error: &ApiError,
        effect: &Effect,
    ) -> Option<Vec<(Ticket, Effect)>> {
        let status = error
            .status()
            .filter(|status| MANUAL_STATUSES.contains(status))?;
        let action = match effect {
            Effect::CreateInstance(_) => "creating",
            Effect::SyncInstance { .. } => "mapping",
            _ => return None,
        };
        let upn = self.upn_text();
        tracing::warn!(
            %error,
            action,
            upn = %upn,
            "the Teams admin API rejected the call; showing PowerShell commands"
        );
        let reason = if self.connection.app_only {
            format!(
                "Teams answered HTTP {status} to {action} {upn} ({error}): botline signs in \
                 app-only (client secret), and Microsoft answers Access Denied when an \
                 application creates a resource account. Run these commands in PowerShell as a \
                 Teams administrator, or sign in with auth = \"device-code\"."
            )
        } else {
            format!(
                "Teams answered HTTP {status} to {action} {upn} ({error}). botline reaches \
                 resource accounts through an undocumented Teams admin API that a tenant may \
                 refuse. Run these commands in PowerShell as a Teams administrator."
            )
        };
        Some(self.start_manual_setup(reason))
    }

    /// Records the commands and starts polling the instance list.
    fn start_manual_setup(&mut self, reason: String) -> Vec<(Ticket, Effect)> {
        let (Some(upn), Some(app_id)) = (self.facts.upn.clone(), self.facts.app_id) else {
            return self.fail("The resource account is not known yet.".to_owned(), None);
        };
        let display_name = self.form.display_name.trim().to_owned();
        let commands = powershell::commands(&ManualAccount {
            upn: &upn,
            app_id,
            display_name: &display_name,
            object_id: self.facts.object_id.as_deref(),
            teams_environment: self.connection.teams_environment.as_deref(),
        });
        self.facts.manual = Some(ManualSetup { reason, commands });
        let activity = self.manual_activity();
        self.start_waiting(activity, |after| Effect::FindInstance { upn, after })
    }

    fn manual_activity(&self) -> String {
        format!(
            "Waiting for {} to appear in Teams after the commands above",
            self.upn_text()
        )
    }

    /// Goes on with step 2 once the account is listed with the bot's application id.
    pub(super) fn on_instance_found(
        &mut self,
        found: Option<ApplicationInstance>,
    ) -> Vec<(Ticket, Effect)> {
        let (Some(upn), Some(app_id)) = (self.facts.upn.clone(), self.facts.app_id) else {
            return self.fail("The resource account is not known yet.".to_owned(), None);
        };
        let wanted = app_id.to_string();
        let mapped_to = found
            .as_ref()
            .and_then(|instance| instance.application_id.clone())
            .map(|id| id.trim().to_ascii_lowercase())
            .filter(|id| !id.is_empty());
        match (found, mapped_to) {
            (Some(instance), Some(mapped)) if mapped == wanted => {
                self.note(format!("Found {upn} in Teams, mapped to {app_id}"));
                self.facts.object_id = Some(instance.object_id);
                self.facts.manual = None;
                // The account is as new as one botline creates, so a "not found" from the
                // number assignment means it is not replicated yet.
                self.facts.created = true;
                self.facts.changed_tenant = true;
                self.enter_license()
            }
            (Some(_), Some(other)) => self.fail(
                format!(
                    "{upn} appeared in Teams bound to application {other}, not {app_id}. Map \
                     it to the bot with Sync-CsOnlineApplicationInstance, or pick another user \
                     principal name."
                ),
                None,
            ),
            (Some(_), None) => {
                let activity = format!(
                    "{upn} is in Teams; waiting for it to be mapped to {app_id} \
                     (Sync-CsOnlineApplicationInstance)"
                );
                self.keep_waiting(activity, |after| Effect::FindInstance { upn, after })
            }
            (None, _) => {
                let activity = self.manual_activity();
                self.keep_waiting(activity, |after| Effect::FindInstance { upn, after })
            }
        }
    }

    /// Leaves the PowerShell commands, when the admin stops waiting or leaves a failure.
    pub(super) fn leave_manual_setup(&mut self) {
        self.facts.manual = None;
    }

    /// Returns true while the wizard shows the PowerShell commands.
    pub fn is_manual(&self) -> bool {
        self.facts.manual.is_some() && !matches!(self.phase, Phase::Editing { .. })
    }
}
