//! Handling of the open dialog's keys: confirming or cancelling a change, accepting typed
//! text or a picked row, and stopping or closing a running change.

use super::{App, Status};
use crate::manage::{plan, Input, Operation};
use crate::tui::dialogs::{Dialog, InputDialog, InputPurpose, PickPurpose, PickerDialog};
use crate::tui::keys::DialogAction;

impl App {
    pub(super) fn on_dialog_action(&mut self, action: DialogAction) {
        match action {
            DialogAction::Confirm => {
                if let Some(Dialog::Confirm(confirm)) = self.dialog.take() {
                    self.start_operation(confirm.operation);
                }
            }
            DialogAction::Cancel => {
                if let Some(Dialog::Confirm(_)) = self.dialog.take() {
                    self.status = Some(Status {
                        text: "Cancelled; nothing was changed.".to_owned(),
                        is_error: false,
                    });
                }
            }
            DialogAction::Submit => match self.dialog.take() {
                Some(Dialog::Input(input)) => self.submit_input(input),
                Some(Dialog::Picker(picker)) => self.submit_pick(picker),
                other => self.dialog = other,
            },
            DialogAction::PickUp | DialogAction::PickDown => {
                if let Some(Dialog::Picker(picker)) = &mut self.dialog {
                    let delta = if action == DialogAction::PickUp {
                        -1
                    } else {
                        1
                    };
                    picker.move_by(delta);
                }
            }
            DialogAction::ClearInput => match &mut self.dialog {
                Some(Dialog::Input(input)) => {
                    input.value.clear();
                    input.error = None;
                }
                Some(Dialog::Picker(picker)) => picker.clear_filter(),
                _ => {}
            },
            DialogAction::StopWaiting => {
                if let Some(Dialog::Progress(progress)) = &mut self.dialog {
                    progress.task.update(Input::StopWaiting);
                    self.manage_requests.clear();
                }
            }
            DialogAction::Close => self.close_progress(),
        }
    }

    /// Applies typed text, or reopens the dialog with the reason it was rejected.
    fn submit_input(&mut self, mut input: InputDialog) {
        let Some(view) = self.tenant.data() else {
            return;
        };
        match &input.purpose {
            InputPurpose::NumberPrefix => {
                let mut filters = self.numbers.filters().clone();
                match filters.set_prefix(&input.value) {
                    Ok(()) => self
                        .numbers
                        .change_filters(&view.numbers, |current| *current = filters),
                    Err(reason) => {
                        input.error = Some(reason);
                        self.dialog = Some(Dialog::Input(input));
                    }
                }
            }
            InputPurpose::EmergencyLocation { number } => {
                let row = view
                    .numbers
                    .iter()
                    .find(|row| row.record.telephone_number == *number);
                let planned = match row {
                    Some(row) => plan::update_location(row, &input.value),
                    None => Err(format!(
                        "{number} is no longer in the loaded inventory; press r to reload."
                    )),
                };
                match planned {
                    Ok(operation) => self.confirm_or_start(operation),
                    Err(reason) => {
                        input.error = Some(reason);
                        self.dialog = Some(Dialog::Input(input));
                    }
                }
            }
        }
    }

    /// Plans the change for the picked row, or reopens the picker with the reason it was
    /// rejected.
    fn submit_pick(&mut self, mut picker: PickerDialog) {
        let Some(view) = self.tenant.data() else {
            return;
        };
        let Some(item) = picker.selected_item().cloned() else {
            self.dialog = Some(Dialog::Picker(picker));
            return;
        };
        let planned = match &picker.purpose {
            PickPurpose::NewNumber { object_id } => {
                let row = view
                    .instances
                    .iter()
                    .find(|row| row.object_id == *object_id);
                let new = view
                    .numbers
                    .iter()
                    .find(|row| row.record.telephone_number == item.key);
                match (row, new) {
                    (Some(row), Some(new)) => {
                        let held = crate::health::held_record(view, row);
                        plan::change_number(row, held, &new.record)
                    }
                    _ => Err(
                        "The instance or the number is no longer loaded; press r to \
                              reload."
                            .to_owned(),
                    ),
                }
            }
            PickPurpose::Instance { number } => {
                let row = view.instances.iter().find(|row| row.object_id == item.key);
                let record = view
                    .numbers
                    .iter()
                    .find(|row| row.record.telephone_number == *number);
                match (row, record) {
                    (Some(row), Some(record)) => plan::assign(row, record),
                    _ => Err(
                        "The instance or the number is no longer loaded; press r to \
                              reload."
                            .to_owned(),
                    ),
                }
            }
        };
        match planned {
            Ok(operation) => self.confirm_or_start(operation),
            Err(reason) => {
                picker.error = Some(reason);
                self.dialog = Some(Dialog::Picker(picker));
            }
        }
    }

    /// Asks for confirmation of a destructive change; starts any other at once.
    fn confirm_or_start(&mut self, operation: Operation) {
        if operation.is_destructive() {
            self.dialog = Some(Dialog::Confirm(crate::tui::dialogs::ConfirmDialog {
                operation,
            }));
        } else {
            self.start_operation(operation);
        }
    }
}
