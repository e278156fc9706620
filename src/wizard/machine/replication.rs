//! Waiting for an account this run created to reach every service.
//!
//! Entra, Teams and the agent provisioning service copy a new account among themselves for a
//! while after it is created. Until then a call about it can be answered 404 even though the
//! create succeeded. Such an answer means "not provisioned yet", so the call is sent again
//! with the wizard's backoff, up to its bound, instead of being reported as "not found".

use super::Wizard;
use crate::client::ApiError;
use crate::wizard::{Effect, Ticket};

impl Wizard {
    /// Sends a call again after a wait when the service answered 404 about the account this
    /// run created; returns `None` when the failure is not that case.
    pub(super) fn wait_for_replication(
        &mut self,
        error: &ApiError,
        effect: &Effect,
    ) -> Option<Vec<(Ticket, Effect)>> {
        if !self.facts.created || !error.is_not_found() {
            return None;
        }
        let created = self.facts.object_id.as_deref()?;
        let account = effect.account()?;
        if !account.eq_ignore_ascii_case(created) {
            return None;
        }
        tracing::info!(object_id = created, %error, "new account not provisioned yet");
        let activity = format!(
            "{} is not provisioned everywhere yet; waiting to retry: {}",
            self.upn_text(),
            super::describe_effect(effect)
        );
        let call = effect.undelayed().clone();
        Some(self.keep_waiting(activity, |wait| call.with_delay(wait)))
    }
}
