//! Keys that act on the selected row: sorting the instances, filtering the numbers, and the
//! changes an admin starts from the Instances and Numbers screens. [`plan`] checks each
//! change first. A rejected change goes to the status line, a destructive one to a
//! confirmation dialog, and one that needs a pick to a picker.

use super::{App, Status};
use crate::manage::plan;
use crate::model::{InstanceRow, LicenseState, NumberRow, TenantView};
use crate::tui::dialogs::{
    ConfirmDialog, Dialog, InputDialog, InputPurpose, PickItem, PickPurpose, PickerDialog,
};
use crate::tui::keys::{Action, Context, InstanceAction, NumberAction};
use crate::tui::loadable::Loadable;
use crate::tui::screens::licenses::InstanceLicenses;
use crate::tui::screens::wizard::WizardScreen;
use crate::tui::screens::ScreenId;
use crate::wizard::Form;
use crate::worker::{Command, Request};

impl App {
    /// Adds the contexts that depend on the selected row.
    pub(super) fn push_row_contexts(&self, contexts: &mut Vec<Context>) {
        if self.screen == ScreenId::Numbers {
            contexts.push(Context::Numbers);
        }
        if self.read_only {
            return;
        }
        let Some(view) = self.tenant.data() else {
            return;
        };
        match self.screen {
            ScreenId::Instances => {
                let Some((index, row)) = self.instances.selected(view) else {
                    return;
                };
                if self
                    .instances
                    .health(index)
                    .is_some_and(|list| !list.is_healthy())
                {
                    contexts.push(Context::InstanceIncomplete);
                }
                if row.phone_number.is_some() {
                    contexts.push(Context::InstanceNumbered);
                }
                if row.license_state != LicenseState::Unlicensed {
                    contexts.push(Context::InstanceLicensed);
                }
            }
            ScreenId::Numbers => {
                let Some(row) = self.numbers.selected(view) else {
                    return;
                };
                contexts.push(Context::NumberSelected);
                if row.record.is_unassigned() {
                    contexts.push(Context::NumberFree);
                } else {
                    contexts.push(Context::NumberHeld);
                }
            }
            ScreenId::Licenses => {}
        }
    }

    /// Returns true when the current screen's own filters hide rows.
    pub(super) fn has_screen_filters(&self) -> bool {
        self.screen == ScreenId::Numbers && self.numbers.filters().is_active()
    }

    /// Removes the text filter; outside the filter input, the screen's own filters too.
    pub(super) fn clear_filters(&mut self) {
        let list = self.list_mut(self.screen);
        let typing = list.is_editing_filter();
        list.clear_filter();
        if typing || self.screen != ScreenId::Numbers {
            return;
        }
        if let Some(view) = self.tenant.data() {
            self.numbers
                .change_filters(&view.numbers, |filters| filters.clear());
        }
    }

    /// Shows a screen, and loads what it shows on demand.
    pub(super) fn show_screen(&mut self, screen: ScreenId) {
        self.screen = screen;
        self.load_instance_licenses();
    }

    pub(super) fn sort_instances(&mut self, action: Action) {
        let rows = self
            .tenant
            .data()
            .map_or(&[][..], |view| view.instances.as_slice());
        match action {
            Action::ReverseSort => self.instances.reverse_sort(rows),
            _ => self.instances.next_sort_column(rows),
        }
    }

    /// Starts loading the licenses of the instance selected on Instances, when the Licenses
    /// screen shows and they are not loaded yet.
    pub(super) fn load_instance_licenses(&mut self) {
        if self.screen != ScreenId::Licenses {
            return;
        }
        let Some(view) = self.tenant.data() else {
            return;
        };
        let Some((_, row)) = self.instances.selected(view) else {
            self.licenses.instance = None;
            return;
        };
        if !self.licenses.needs_instance(&row.object_id) {
            return;
        }
        let object_id = row.object_id.clone();
        let upn = row.user_principal_name.clone();
        let id = self.next_request_id();
        let mut state = Loadable::Idle;
        state.start_loading();
        self.licenses.instance = Some(InstanceLicenses {
            object_id: object_id.clone(),
            upn,
            request: Some(id),
            state,
        });
        self.outbox.push(Command {
            id,
            request: Request::LicenseDetails { object_id },
        });
    }

    pub(super) fn show_error(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            is_error: true,
        });
    }

    /// Returns the selected instance and the record of the number it holds.
    fn selected_instance(&self) -> Option<(InstanceRow, Option<NumberRow>)> {
        let view = self.tenant.data()?;
        let (_, row) = self.instances.selected(view)?;
        let held = crate::health::held_record(view, row).cloned();
        Some((row.clone(), held))
    }

    pub(super) fn on_instance_action(&mut self, action: InstanceAction) {
        if self.read_only {
            return;
        }
        let Some((row, held)) = self.selected_instance() else {
            return;
        };
        let planned = match action {
            InstanceAction::ContinueSetup => {
                self.continue_setup(&row);
                return;
            }
            InstanceAction::ChangeNumber => {
                self.pick_new_number(&row, held.as_ref());
                return;
            }
            InstanceAction::Unassign => plan::unassign_instance(&row, held.as_ref()),
            InstanceAction::RemoveLicense => {
                let skus = self.tenant.data().map_or(&[][..], |view| &view.skus);
                plan::remove_license(&row, skus)
            }
        };
        match planned {
            Ok(operation) => self.dialog = Some(Dialog::Confirm(ConfirmDialog { operation })),
            Err(reason) => self.show_error(reason),
        }
    }

    /// Opens the wizard on the instance with what it has filled in. When the UPN and the
    /// application id are known, step 1 runs at once and the wizard skips the steps that
    /// are done. Otherwise the admin types what is missing.
    fn continue_setup(&mut self, row: &InstanceRow) {
        let display_name = row
            .display_name
            .clone()
            .filter(|name| !name.trim().is_empty())
            .unwrap_or_else(|| {
                let upn = &row.user_principal_name;
                upn.split('@').next().unwrap_or(upn).to_owned()
            });
        let form = Form {
            upn: row.user_principal_name.clone(),
            app_id: row.application_id.clone().unwrap_or_default(),
            display_name,
            usage_location: row.usage_location.clone().unwrap_or_default(),
            number: String::new(),
            number_type: None,
        };
        let missing_app = form.app_id.trim().is_empty();
        let (screen, reaction) =
            WizardScreen::prefilled(form, self.wizard_timing.clone(), self.connection.clone());
        self.wizard = Some(screen);
        self.wizard_requests.clear();
        self.wizard_changed_tenant = false;
        self.apply_wizard_reaction(reaction);
        if missing_app {
            self.status = Some(Status {
                text: format!(
                    "{} is bound to no application: type the bot's application id, then \
                     press Enter.",
                    row.user_principal_name
                ),
                is_error: false,
            });
        }
    }

    fn pick_new_number(&mut self, row: &InstanceRow, held: Option<&NumberRow>) {
        if let Err(reason) = plan::unassign_instance(row, held) {
            self.show_error(reason);
            return;
        }
        let Some(view) = self.tenant.data() else {
            return;
        };
        let items = free_voice_numbers(view, row.usage_location.as_deref());
        if items.is_empty() {
            self.show_error(
                "No free number in this tenant allows voice applications. Acquire a service \
                 number or upload a Direct Routing number first.",
            );
            return;
        }
        let title = format!("New number for {}", row.user_principal_name);
        let purpose = PickPurpose::NewNumber {
            object_id: row.object_id.clone(),
        };
        self.dialog = Some(Dialog::Picker(PickerDialog::new(purpose, title, items)));
    }

    pub(super) fn on_number_action(&mut self, action: NumberAction) {
        let Some(view) = self.tenant.data() else {
            return;
        };
        let rows = &view.numbers;
        let selected = self.numbers.selected(view).cloned();
        match action {
            NumberAction::CycleType => self.numbers.change_filters(rows, |f| f.cycle_type()),
            NumberAction::CycleCapability => {
                self.numbers.change_filters(rows, |f| f.cycle_capability())
            }
            NumberAction::CycleActivation => {
                self.numbers.change_filters(rows, |f| f.cycle_activation())
            }
            NumberAction::CycleHolder => self.numbers.change_filters(rows, |f| f.cycle_holder()),
            NumberAction::EditPrefix => {
                let prefix = self.numbers.filters().prefix.clone();
                let input = InputDialog::new(InputPurpose::NumberPrefix, prefix);
                self.dialog = Some(Dialog::Input(input));
            }
            NumberAction::Assign | NumberAction::Unassign | NumberAction::EditLocation
                if self.read_only => {}
            NumberAction::Assign => {
                let Some(number) = selected else {
                    return;
                };
                let items = instance_choices(view);
                if items.is_empty() {
                    self.show_error("This tenant has no application instance to assign it to.");
                    return;
                }
                let title = format!("Assign {} to", number.record.telephone_number);
                let purpose = PickPurpose::Instance {
                    number: number.record.telephone_number.clone(),
                };
                self.dialog = Some(Dialog::Picker(PickerDialog::new(purpose, title, items)));
            }
            NumberAction::Unassign => {
                let Some(number) = selected else {
                    return;
                };
                match plan::unassign_number(&number) {
                    Ok(operation) => {
                        self.dialog = Some(Dialog::Confirm(ConfirmDialog { operation }));
                    }
                    Err(reason) => self.show_error(reason),
                }
            }
            NumberAction::EditLocation => {
                let Some(number) = selected else {
                    return;
                };
                let current = number.record.location_id.clone().unwrap_or_default();
                let purpose = InputPurpose::EmergencyLocation {
                    number: number.record.telephone_number.clone(),
                };
                self.dialog = Some(Dialog::Input(InputDialog::new(purpose, current)));
            }
        }
    }
}

/// Returns the free numbers that allow voice applications, those of `country` first.
fn free_voice_numbers(view: &TenantView, country: Option<&str>) -> Vec<PickItem> {
    let mut numbers: Vec<&NumberRow> = view
        .numbers
        .iter()
        .filter(|row| {
            row.problem.is_none()
                && row.record.is_unassigned()
                && row.record.allows_voice_applications()
        })
        .collect();
    let home = |row: &NumberRow| {
        let same = match (country, row.record.iso_country_code.as_deref()) {
            (Some(wanted), Some(actual)) => wanted.eq_ignore_ascii_case(actual),
            _ => false,
        };
        !same
    };
    numbers.sort_by_key(|row| home(row));
    numbers
        .into_iter()
        .map(|row| {
            let record = &row.record;
            let kind = record.number_type.as_ref().map_or("—", |kind| kind.label());
            let place = [record.iso_country_code.as_deref(), record.city.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            PickItem {
                key: record.telephone_number.clone(),
                label: format!("{:<16} {kind:<16} {place}", record.telephone_number),
            }
        })
        .collect()
}

/// Returns every instance with what it holds, those ready for a number first.
fn instance_choices(view: &TenantView) -> Vec<PickItem> {
    let mut rows: Vec<&InstanceRow> = view.instances.iter().collect();
    let ready =
        |row: &InstanceRow| row.phone_number.is_none() && row.license_state == LicenseState::Active;
    rows.sort_by_key(|row| !ready(row));
    rows.into_iter()
        .map(|row| {
            let state = match (&row.phone_number, row.license_state) {
                (Some(number), _) => format!("holds {number}"),
                (None, LicenseState::Active) => "ready for a number".to_owned(),
                (None, LicenseState::Provisioning) => "license provisioning".to_owned(),
                (None, LicenseState::Unlicensed) => "unlicensed".to_owned(),
            };
            PickItem {
                key: row.object_id.clone(),
                label: format!("{:<36} {state}", row.user_principal_name),
            }
        })
        .collect()
}
