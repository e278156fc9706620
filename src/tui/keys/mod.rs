//! The one key binding table.
//!
//! Key handling, the footer's list of keys that work now and the `?` help overlay all read
//! [`BINDINGS`], so they cannot drift apart. Text typed into an input (the list filter or a
//! wizard field) is not a binding: the app sends a key there only when no active binding
//! takes it.

mod pattern;
mod table;

pub use pattern::KeyPattern;
pub use table::BINDINGS;

use std::borrow::Cow;

use crossterm::event::KeyEvent;

use super::screens::ScreenId;

/// A command that a key binding triggers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Leave botline.
    Quit,
    /// Open the help overlay.
    OpenHelp,
    /// Close the help overlay.
    CloseHelp,
    /// Show the next screen.
    NextScreen,
    /// Show the previous screen.
    PreviousScreen,
    /// Show one screen.
    ShowScreen(ScreenId),
    /// Move the selection (or the help text) one row up.
    MoveUp,
    /// Move it one row down.
    MoveDown,
    /// Move it one page up.
    PageUp,
    /// Move it one page down.
    PageDown,
    /// Move it to the first row.
    First,
    /// Move it to the last row.
    Last,
    /// Start typing a filter for the current list.
    StartFilter,
    /// Stop typing and keep the filter.
    KeepFilter,
    /// Remove the filter.
    ClearFilter,
    /// Load the tenant again.
    Reload,
    /// Open the new-bot wizard.
    NewBot,
    /// Open or close the detail pane of the selected instance.
    ToggleDetail,
    /// Close the detail pane.
    CloseDetail,
    /// Act in the open wizard.
    Wizard(WizardAction),
    /// Sort the instances by the next column.
    SortNextColumn,
    /// Reverse the instances' sort order.
    ReverseSort,
    /// Act on the selected instance.
    Instance(InstanceAction),
    /// Filter the numbers or act on the selected one.
    Number(NumberAction),
    /// Act in the open dialog.
    Dialog(DialogAction),
}

/// A command for the instance selected on the Instances screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstanceAction {
    /// Open the wizard on the instance, skipping what is done.
    ContinueSetup,
    /// Pick a free number and move the instance to it.
    ChangeNumber,
    /// Unassign the instance's number.
    Unassign,
    /// Remove the resource-account license.
    RemoveLicense,
}

/// A command on the Numbers screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberAction {
    /// Show the next number type only.
    CycleType,
    /// Show the next capability only.
    CycleCapability,
    /// Show the next activation state only.
    CycleActivation,
    /// Show free numbers, held numbers, or both.
    CycleHolder,
    /// Type the prefix the numbers must start with.
    EditPrefix,
    /// Pick an instance and assign the selected free number to it.
    Assign,
    /// Unassign the selected number from its holder.
    Unassign,
    /// Type the selected number's emergency location.
    EditLocation,
}

/// A command for the open dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialogAction {
    /// Run the change the confirmation names.
    Confirm,
    /// Close the dialog without changing anything.
    Cancel,
    /// Accept the typed text or the picked row.
    Submit,
    /// Pick the row above.
    PickUp,
    /// Pick the row below.
    PickDown,
    /// Empty the text field.
    ClearInput,
    /// Stop following the running change.
    StopWaiting,
    /// Close the finished change.
    Close,
}

/// A command for the open wizard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WizardAction {
    /// Submit the current step, or assign the picked number.
    Submit,
    /// Go one step back, leave a failure, or stop waiting.
    Back,
    /// Focus the next field.
    NextField,
    /// Focus the previous field.
    PreviousField,
    /// Pick the number above.
    PickUp,
    /// Pick the number below.
    PickDown,
    /// Empty the focused field.
    ClearField,
    /// Run the failed call again.
    Retry,
    /// Close the finished wizard.
    Close,
}

/// A state of the app in which a binding works. The app computes which contexts apply now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Every state, even while text is typed.
    Always,
    /// A list screen with no overlay, wizard or text input open.
    Browse,
    /// [`Context::Browse`] when the tenant may be changed, so not with `--read-only`.
    Writable,
    /// [`Context::Browse`] on the Instances screen.
    Instances,
    /// [`Context::Instances`] with the detail pane open.
    DetailOpen,
    /// [`Context::Browse`] with a kept filter and no detail pane.
    FilterApplied,
    /// [`Context::Browse`] with no detail pane and no filter, so Esc has nothing to close.
    TopLevel,
    /// Typing a filter.
    FilterInput,
    /// The help overlay is open.
    Help,
    /// The wizard is open and not taking text.
    Wizard,
    /// The wizard shows a form of step 1 or 2.
    WizardForm,
    /// The wizard shows the number picker of step 3.
    WizardPicker,
    /// The wizard waits for Microsoft.
    WizardBusy,
    /// A wizard step failed.
    WizardFailed,
    /// The wizard finished.
    WizardDone,
    /// The sign-in screen shows a device code; nothing else takes keys.
    SignIn,
    /// [`Context::Browse`] on the Numbers screen.
    Numbers,
    /// [`Context::Writable`] on Instances with an instance selected that fails a check.
    InstanceIncomplete,
    /// [`Context::Writable`] on Instances with an instance selected that holds a number.
    InstanceNumbered,
    /// [`Context::Writable`] on Instances with a licensed instance selected.
    InstanceLicensed,
    /// [`Context::Writable`] on Numbers with a free number selected.
    NumberFree,
    /// [`Context::Writable`] on Numbers with a held number selected.
    NumberHeld,
    /// [`Context::Writable`] on Numbers with any number selected.
    NumberSelected,
    /// A confirmation dialog is open.
    Confirm,
    /// A dialog that takes typed text is open.
    Input,
    /// A dialog that picks one row from a list is open.
    Picker,
    /// A change to the tenant runs.
    OperationBusy,
    /// A change to the tenant finished.
    OperationDone,
}

impl Context {
    /// Returns where the context applies, as the help overlay shows it.
    pub fn describe(self) -> &'static str {
        match self {
            Context::Always => "anywhere",
            Context::Browse | Context::Writable => "lists",
            Context::Instances => "Instances",
            Context::DetailOpen => "detail pane",
            Context::FilterApplied => "filtered list",
            Context::TopLevel => "lists with nothing to close",
            Context::FilterInput => "filter input",
            Context::Help => "help",
            Context::Wizard => "wizard",
            Context::WizardForm => "wizard form",
            Context::WizardPicker => "wizard number picker",
            Context::WizardBusy => "wizard waiting",
            Context::WizardFailed => "wizard step failed",
            Context::WizardDone => "wizard finished",
            Context::SignIn => "sign-in",
            Context::Numbers => "Numbers",
            Context::InstanceIncomplete => "instance failing a check",
            Context::InstanceNumbered => "instance with a number",
            Context::InstanceLicensed => "licensed instance",
            Context::NumberFree => "free number",
            Context::NumberHeld => "held number",
            Context::NumberSelected => "Numbers",
            Context::Confirm => "confirmation",
            Context::Input => "text input",
            Context::Picker => "picker",
            Context::OperationBusy => "change running",
            Context::OperationDone => "change finished",
        }
    }

    /// Returns true for contexts that only occur while the tenant may be changed.
    pub fn needs_write_access(self) -> bool {
        matches!(
            self,
            Context::Writable
                | Context::Wizard
                | Context::WizardForm
                | Context::WizardPicker
                | Context::WizardBusy
                | Context::WizardFailed
                | Context::WizardDone
                | Context::InstanceIncomplete
                | Context::InstanceNumbered
                | Context::InstanceLicensed
                | Context::NumberFree
                | Context::NumberHeld
                | Context::NumberSelected
                | Context::Confirm
                | Context::Picker
                | Context::OperationBusy
                | Context::OperationDone
        )
    }
}

/// One entry of the binding table.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// Keys that trigger it, main key first.
    pub keys: &'static [KeyPattern],
    /// The action it triggers.
    pub action: Action,
    /// A word or two for the footer.
    pub label: &'static str,
    /// A sentence for the help overlay.
    pub description: &'static str,
    /// States in which it works, if any one of them holds.
    pub contexts: &'static [Context],
    /// Whether the footer lists it. Movement keys are listed in the help overlay only.
    pub in_footer: bool,
}

impl Binding {
    /// Returns the keys joined with `/`, such as `↓/j`.
    pub fn keys_label(&self) -> String {
        let labels: Vec<String> = self.keys.iter().map(KeyPattern::label).collect();
        labels.join("/")
    }

    /// Returns true when one of its contexts holds.
    pub fn is_active(&self, active: &[Context]) -> bool {
        self.contexts.iter().any(|context| active.contains(context))
    }
}

/// Returns the action of the first active binding that has this key.
pub fn resolve(event: &KeyEvent, active: &[Context]) -> Option<Action> {
    BINDINGS
        .iter()
        .filter(|binding| binding.is_active(active))
        .find(|binding| binding.keys.iter().any(|key| key.matches(event)))
        .map(|binding| binding.action)
}

/// Returns the bindings that work in these contexts, in table order.
pub fn active_bindings(active: &[Context]) -> impl Iterator<Item = &'static Binding> + '_ {
    BINDINGS
        .iter()
        .filter(move |binding| binding.is_active(active))
}

/// Returns the bindings the help overlay lists: all of them, except those that only work
/// while the tenant may be changed when botline runs read-only.
pub fn listed_bindings(read_only: bool) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |binding| {
        !read_only
            || binding
                .contexts
                .iter()
                .any(|context| !context.needs_write_access())
    })
}

/// Returns the first key of the first binding of `action`, as the footer shows it, so that
/// text naming a key follows the table.
pub fn key_label(action: Action) -> Option<String> {
    BINDINGS
        .iter()
        .find(|binding| binding.action == action)
        .map(|binding| binding.keys[0].label())
}

/// A key and what it does, as the footer shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyHint {
    /// The key or keys, such as `Enter` or `↑/↓`.
    pub keys: Cow<'static, str>,
    /// A short label for the action.
    pub label: Cow<'static, str>,
}

impl KeyHint {
    /// Builds a hint from any string-like key and label.
    pub fn new(keys: impl Into<Cow<'static, str>>, label: impl Into<Cow<'static, str>>) -> Self {
        KeyHint {
            keys: keys.into(),
            label: label.into(),
        }
    }
}

/// Returns the footer hints of the bindings that work in these contexts.
pub fn footer_hints(active: &[Context]) -> Vec<KeyHint> {
    active_bindings(active)
        .filter(|binding| binding.in_footer)
        .map(|binding| KeyHint::new(binding.keys[0].label(), binding.label))
        .collect()
}
