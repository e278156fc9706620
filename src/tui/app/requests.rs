//! Requests to the API task and the handling of their replies: tenant loads, and the wizard's
//! effects and outcomes. A reply whose request is no longer current is dropped here.

use super::{App, Status};
use crate::model::TenantView;
use crate::tui::loadable::Loadable;
use crate::tui::screens::wizard::{WizardReaction, WizardScreen};
use crate::tui::widgets::format_count;
use crate::worker::{ApiEvent, Command, Reply, Request, RequestId};

impl App {
    pub(super) fn next_request_id(&mut self) -> RequestId {
        let id = RequestId(self.next_request);
        self.next_request += 1;
        id
    }

    /// Starts loading the tenant. From now on, replies to any earlier load are dropped.
    pub fn reload(&mut self) {
        let id = self.next_request_id();
        self.awaited_tenant = Some(id);
        self.tenant.start_loading();
        self.licenses.instance = None;
        self.status = None;
        self.outbox.push(Command {
            id,
            request: Request::LoadTenant,
        });
    }

    pub(super) fn open_wizard(&mut self) {
        if self.read_only {
            return;
        }
        self.wizard = Some(
            WizardScreen::new(self.wizard_timing.clone()).with_connection(self.connection.clone()),
        );
        self.wizard_requests.clear();
        self.wizard_changed_tenant = false;
    }

    pub(super) fn apply_wizard_reaction(&mut self, reaction: WizardReaction) {
        for (ticket, effect) in reaction.effects {
            let id = self.next_request_id();
            self.wizard_requests.insert(id);
            self.outbox.push(Command {
                id,
                request: Request::Wizard(ticket, effect),
            });
        }
        self.wizard_changed_tenant |= reaction.changed_tenant;
        if reaction.closed {
            self.wizard = None;
            self.wizard_requests.clear();
            if std::mem::take(&mut self.wizard_changed_tenant) {
                self.reload();
            }
        }
    }

    /// Handles a reply from the API task, dropping it when its request is no longer current.
    pub fn on_api_event(&mut self, event: ApiEvent) {
        let ApiEvent { id, reply } = event;
        self.end_retry(id, &reply);
        match reply {
            Reply::Retry(notice) => self.on_retry(id, notice),
            Reply::Progress { list, loaded } => {
                if self.awaited_tenant != Some(id) {
                    return;
                }
                if let Loadable::Loading { progress, .. } = &mut self.tenant {
                    progress.record(list, loaded);
                }
            }
            Reply::Tenant(result) => {
                if self.awaited_tenant != Some(id) {
                    tracing::debug!(request = id.0, "dropped a stale tenant reply");
                    return;
                }
                self.awaited_tenant = None;
                match result {
                    Ok(view) => self.show_tenant(view),
                    Err(error) => {
                        tracing::warn!(request = id.0, %error, "loading the tenant failed");
                        let message = error.to_string();
                        let first_line = message.lines().next().unwrap_or_default().to_owned();
                        self.status = Some(Status {
                            text: format!("Loading the tenant failed: {first_line}"),
                            is_error: true,
                        });
                        self.tenant = Loadable::Failed(first_line);
                    }
                }
            }
            Reply::SignIn(notice) => self.on_sign_in_notice(notice),
            Reply::Wizard(ticket, outcome) => {
                if !self.wizard_requests.remove(&id) {
                    tracing::debug!(request = id.0, "dropped a wizard reply for a closed wizard");
                    return;
                }
                if let Some(wizard) = &mut self.wizard {
                    let reaction = wizard.on_outcome(ticket, outcome);
                    self.apply_wizard_reaction(reaction);
                }
            }
            Reply::Manage(ticket, outcome) => self.on_manage_outcome(id, ticket, outcome),
            Reply::LicenseDetails { object_id, result } => {
                self.on_license_details(id, object_id, result)
            }
        }
    }

    fn show_tenant(&mut self, view: TenantView) {
        self.instances.set_tenant(&view);
        self.licenses.set_rows(&view.skus);
        self.numbers.set_rows(&view.numbers);
        // A message set since the load started, such as a change's result, stays.
        if self.status.is_none() {
            let mut text = format!(
                "Loaded {} instances, {} licenses and {} numbers.",
                format_count(view.instances.len()),
                format_count(view.skus.len()),
                format_count(view.numbers.len()),
            );
            text.push_str(&trouble_note(&view));
            self.status = Some(Status {
                text,
                is_error: false,
            });
        }
        self.tenant = Loadable::Loaded(view);
        self.load_instance_licenses();
    }
}

/// Returns " 1 number has a problem (marked !)." and " 2 unreadable records were left out
/// (see the log)." as they apply, or nothing for a clean tenant.
fn trouble_note(view: &TenantView) -> String {
    let mut note = String::new();
    let marked = view
        .numbers
        .iter()
        .filter(|row| row.problem.is_some())
        .count();
    match marked {
        0 => {}
        1 => note.push_str(" 1 number has a problem (marked !)."),
        count => note.push_str(&format!(
            " {} numbers have a problem (marked !).",
            format_count(count)
        )),
    }
    match view.malformed.len() {
        0 => {}
        1 => note.push_str(" 1 unreadable record was left out (see the log)."),
        count => note.push_str(&format!(
            " {} unreadable records were left out (see the log).",
            format_count(count)
        )),
    }
    note
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::tui::{Theme, TuiOptions};
    use crate::wizard::{Effect, Outcome, Ticket, Timing};

    fn app_with_wizard() -> App {
        let options = TuiOptions {
            read_only: false,
            tenant_label: "contoso.com".into(),
            wizard_timing: Timing {
                first_poll: Duration::from_millis(10),
                max_poll: Duration::from_millis(50),
                max_polls: 3,
            },
        };
        let mut app = App::new(&options, Theme::plain());
        app.open_wizard();
        app
    }

    fn license_effect(ticket: u64) -> (Ticket, Effect) {
        let effect = Effect::LoadLicenseContext {
            object_id: "id-1".into(),
        };
        (Ticket(ticket), effect)
    }

    #[test]
    fn each_effect_gets_own_request() {
        let mut app = app_with_wizard();
        app.apply_wizard_reaction(WizardReaction {
            effects: vec![license_effect(1), license_effect(2)],
            ..WizardReaction::default()
        });
        let commands = app.take_commands();
        assert_eq!(commands.len(), 2);
        assert_ne!(commands[0].id, commands[1].id);
        assert!(matches!(
            commands[0].request,
            Request::Wizard(Ticket(1), Effect::LoadLicenseContext { .. })
        ));
        assert_eq!(app.wizard_requests.len(), 2);

        app.on_api_event(ApiEvent {
            id: commands[0].id,
            reply: Reply::Wizard(Ticket(1), Outcome::LicenseAssigned),
        });
        assert_eq!(app.wizard_requests.len(), 1);
        assert!(app.wizard_requests.contains(&commands[1].id));
    }

    #[test]
    fn closing_after_change_reloads_tenant() {
        let mut app = app_with_wizard();
        app.apply_wizard_reaction(WizardReaction {
            effects: vec![license_effect(1)],
            changed_tenant: true,
            ..WizardReaction::default()
        });
        let pending = app.take_commands();
        assert!(app.tenant.data().is_none());
        assert!(!app.tenant.is_loading());

        app.apply_wizard_reaction(WizardReaction {
            closed: true,
            ..WizardReaction::default()
        });
        assert!(app.wizard.is_none());
        assert!(app.tenant.is_loading());
        let commands = app.take_commands();
        assert_eq!(commands.len(), 1);
        assert!(matches!(commands[0].request, Request::LoadTenant));

        // The closed wizard's late reply is dropped and starts nothing.
        app.on_api_event(ApiEvent {
            id: pending[0].id,
            reply: Reply::Wizard(Ticket(1), Outcome::LicenseAssigned),
        });
        assert!(app.take_commands().is_empty());
    }

    #[test]
    fn closing_without_change_keeps_tenant() {
        let mut app = app_with_wizard();
        app.apply_wizard_reaction(WizardReaction {
            closed: true,
            ..WizardReaction::default()
        });
        assert!(app.wizard.is_none());
        assert!(app.take_commands().is_empty());
    }
}
