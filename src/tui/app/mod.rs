//! The app: all state of the TUI, and the routing of keys and API replies to the screens.
//!
//! The app never touches the terminal or the network. Keys and
//! [`ApiEvent`](crate::worker::ApiEvent)s go in, and [`Command`]s for the API task come out
//! through [`App::take_commands`], so every behaviour here can be tested by feeding events.
//! Drawing is in `view.rs`.

use std::collections::HashSet;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::dialogs::Dialog;
use super::keys::{self, Action, Context, KeyHint};
use super::loadable::Loadable;
use super::screens::help::{self, HelpOverlay};
use super::screens::instances::InstancesScreen;
use super::screens::licenses::LicensesScreen;
use super::screens::numbers::NumbersScreen;
use super::screens::sign_in::SignInScreen;
use super::screens::wizard::WizardScreen;
use super::screens::ScreenId;
use super::theme::Theme;
use super::widgets::list_state::ListState;
use super::TuiOptions;
use crate::client::RetryNotice;
use crate::model::TenantView;
use crate::wizard::{Connection, Timing};
use crate::worker::{Command, RequestId};

mod actions;
mod dialogs;
mod operations;
mod requests;
mod retry;
mod sign_in;

/// A one-line message under the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The message.
    pub text: String,
    /// Whether it reports a failure.
    pub is_error: bool,
}

/// The whole state of the TUI.
pub struct App {
    pub(super) theme: Theme,
    pub(super) read_only: bool,
    pub(super) tenant_label: String,
    wizard_timing: Timing,
    pub(super) tenant: Loadable<TenantView>,
    pub(super) screen: ScreenId,
    pub(super) instances: InstancesScreen,
    pub(super) licenses: LicensesScreen,
    pub(super) numbers: NumbersScreen,
    pub(super) help: Option<HelpOverlay>,
    pub(super) wizard: Option<WizardScreen>,
    /// The device code to enter, while a request waits for the admin to sign in.
    pub(super) sign_in: Option<SignInScreen>,
    connection: Connection,
    pub(super) dialog: Option<Dialog>,
    pub(super) status: Option<Status>,
    pub(super) spinner_tick: usize,
    /// Id of the tenant load whose replies are current. Other tenant replies are dropped.
    awaited_tenant: Option<RequestId>,
    /// Ids of the open wizard's running effects. Other wizard replies are dropped.
    wizard_requests: HashSet<RequestId>,
    /// The latest retry of a running request, shown in the status line until it ends.
    retry: Option<(RequestId, RetryNotice)>,
    wizard_changed_tenant: bool,
    /// Ids of the running change's effects. Other management replies are dropped.
    manage_requests: HashSet<RequestId>,
    next_request: u64,
    outbox: Vec<Command>,
    quit: bool,
}

impl App {
    /// Builds the app with nothing loaded. Call [`App::reload`] to start loading.
    pub fn new(options: &TuiOptions, theme: Theme) -> Self {
        App {
            theme,
            read_only: options.read_only,
            tenant_label: options.tenant_label.clone(),
            wizard_timing: options.wizard_timing.clone(),
            tenant: Loadable::Idle,
            screen: ScreenId::Instances,
            instances: InstancesScreen::default(),
            licenses: LicensesScreen::default(),
            numbers: NumbersScreen::default(),
            help: None,
            wizard: None,
            sign_in: None,
            connection: Connection::default(),
            dialog: None,
            status: None,
            spinner_tick: 0,
            awaited_tenant: None,
            wizard_requests: HashSet::new(),
            retry: None,
            wizard_changed_tenant: false,
            manage_requests: HashSet::new(),
            next_request: 1,
            outbox: Vec::new(),
            quit: false,
        }
    }

    /// Returns the commands queued for the API task since the last call.
    pub fn take_commands(&mut self) -> Vec<Command> {
        std::mem::take(&mut self.outbox)
    }

    /// Returns true once the admin asked to quit.
    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// Returns true while something runs in the background, so the spinner should turn.
    pub fn is_pending(&self) -> bool {
        self.tenant.is_loading()
            || self.sign_in.is_some()
            || self.wizard.as_ref().is_some_and(WizardScreen::is_busy)
            || self.dialog.as_ref().is_some_and(Dialog::is_busy)
            || self.licenses.is_loading_instance()
    }

    /// Returns the screen shown under any overlay.
    pub fn screen(&self) -> ScreenId {
        self.screen
    }

    /// Returns the tenant's loading state.
    pub fn tenant(&self) -> &Loadable<TenantView> {
        &self.tenant
    }

    /// Returns the list state of a screen.
    pub fn list(&self, screen: ScreenId) -> &ListState {
        match screen {
            ScreenId::Instances => &self.instances.list,
            ScreenId::Licenses => &self.licenses.list,
            ScreenId::Numbers => &self.numbers.list,
        }
    }

    fn list_mut(&mut self, screen: ScreenId) -> &mut ListState {
        match screen {
            ScreenId::Instances => &mut self.instances.list,
            ScreenId::Licenses => &mut self.licenses.list,
            ScreenId::Numbers => &mut self.numbers.list,
        }
    }

    /// Returns true while the instance detail pane is open.
    pub fn is_detail_open(&self) -> bool {
        self.instances.is_detail_open()
    }

    /// Returns true while the help overlay is open.
    pub fn is_help_open(&self) -> bool {
        self.help.is_some()
    }

    /// Returns true while the wizard is open.
    pub fn is_wizard_open(&self) -> bool {
        self.wizard.is_some()
    }

    /// Returns the open wizard's screen.
    pub fn wizard_screen(&self) -> Option<&WizardScreen> {
        self.wizard.as_ref()
    }

    /// Returns the open dialog.
    pub fn dialog(&self) -> Option<&Dialog> {
        self.dialog.as_ref()
    }

    /// Returns the message under the body, if any.
    pub fn status(&self) -> Option<&Status> {
        self.status.as_ref()
    }

    /// Returns the contexts that hold now, which decide the bindings that work.
    pub fn contexts(&self) -> Vec<Context> {
        let mut contexts = vec![Context::Always];
        if self.sign_in.is_some() {
            contexts.push(Context::SignIn);
            return contexts;
        }
        if self.help.is_some() {
            contexts.push(Context::Help);
            return contexts;
        }
        if let Some(dialog) = &self.dialog {
            contexts.push(dialog.context());
            return contexts;
        }
        if let Some(wizard) = &self.wizard {
            if !wizard.is_editing_text() {
                contexts.push(Context::Wizard);
            }
            contexts.push(wizard.context());
            return contexts;
        }

        let list = self.list(self.screen);
        if list.is_editing_filter() {
            contexts.push(Context::FilterInput);
            return contexts;
        }

        contexts.push(Context::Browse);
        if !self.read_only {
            contexts.push(Context::Writable);
        }
        let on_instances = self.screen == ScreenId::Instances;
        if on_instances {
            contexts.push(Context::Instances);
        }
        self.push_row_contexts(&mut contexts);
        if on_instances && self.instances.is_detail_open() {
            contexts.push(Context::DetailOpen);
        } else if list.has_filter() || self.has_screen_filters() {
            contexts.push(Context::FilterApplied);
        } else {
            contexts.push(Context::TopLevel);
        }
        contexts
    }

    /// Returns the footer's hints: the bindings that work now.
    pub fn footer_hints(&self) -> Vec<KeyHint> {
        keys::footer_hints(&self.contexts())
    }

    /// Handles a terminal event. Only key presses change anything.
    pub fn on_terminal_event(&mut self, event: Event) {
        if let Event::Key(key) = event {
            self.on_key(key);
        }
    }

    /// Handles one key: an active binding first, else the open wizard or filter input.
    pub fn on_key(&mut self, key: KeyEvent) {
        if key.kind != KeyEventKind::Press {
            return;
        }
        if let Some(action) = keys::resolve(&key, &self.contexts()) {
            self.apply(action);
            return;
        }
        if self.help.is_some() || self.sign_in.is_some() {
            return;
        }
        if let Some(dialog) = &mut self.dialog {
            dialog.type_key(key);
            return;
        }
        if let Some(wizard) = &mut self.wizard {
            let reaction = wizard.handle_key(key);
            self.apply_wizard_reaction(reaction);
            return;
        }
        let list = self.list_mut(self.screen);
        if list.is_editing_filter() {
            edit_filter(list, key);
        }
    }

    fn apply(&mut self, action: Action) {
        match action {
            Action::Quit => self.quit = true,
            Action::OpenHelp => self.help = Some(HelpOverlay::default()),
            Action::CloseHelp => self.help = None,
            Action::NextScreen => self.show_screen(self.screen.next()),
            Action::PreviousScreen => self.show_screen(self.screen.previous()),
            Action::ShowScreen(screen) => self.show_screen(screen),
            Action::MoveUp
            | Action::MoveDown
            | Action::PageUp
            | Action::PageDown
            | Action::First
            | Action::Last => self.apply_movement(action),
            Action::StartFilter => self.list_mut(self.screen).start_filter(),
            Action::KeepFilter => self.list_mut(self.screen).keep_filter(),
            Action::ClearFilter => self.clear_filters(),
            Action::Reload => self.reload(),
            Action::NewBot => self.open_wizard(),
            Action::ToggleDetail => self.instances.toggle_detail(),
            Action::CloseDetail => self.instances.close_detail(),
            Action::Wizard(action) => {
                if let Some(wizard) = &mut self.wizard {
                    let reaction = wizard.apply(action);
                    self.apply_wizard_reaction(reaction);
                }
            }
            Action::SortNextColumn | Action::ReverseSort => self.sort_instances(action),
            Action::Instance(action) => self.on_instance_action(action),
            Action::Number(action) => self.on_number_action(action),
            Action::Dialog(action) => self.on_dialog_action(action),
        }
    }

    fn help_line_count(&self) -> usize {
        help::line_count(self.read_only)
    }

    /// Moves the help text when the overlay is open, else the current list's selection.
    fn apply_movement(&mut self, action: Action) {
        if self.help.is_some() {
            let line_count = self.help_line_count();
            let Some(help) = &mut self.help else {
                return;
            };
            let page = help.page_lines() as isize;
            match action {
                Action::MoveUp => help.scroll_by(-1, line_count),
                Action::MoveDown => help.scroll_by(1, line_count),
                Action::PageUp => help.scroll_by(-page, line_count),
                Action::PageDown => help.scroll_by(page, line_count),
                Action::First => help.scroll_to_top(),
                Action::Last => help.scroll_by(isize::MAX, line_count),
                _ => {}
            }
            return;
        }
        let list = self.list_mut(self.screen);
        match action {
            Action::MoveUp => list.move_by(-1),
            Action::MoveDown => list.move_by(1),
            Action::PageUp => list.page_up(),
            Action::PageDown => list.page_down(),
            Action::First => list.first(),
            Action::Last => list.last(),
            _ => {}
        }
    }

    /// Advances the spinner by one frame.
    pub fn on_spinner_tick(&mut self) {
        self.spinner_tick = self.spinner_tick.wrapping_add(1);
    }
}

/// Types into a filter input: printable characters add, Backspace removes.
fn edit_filter(list: &mut ListState, key: KeyEvent) {
    let command_key = key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match key.code {
        KeyCode::Char(c) if !command_key => list.push_filter_char(c),
        KeyCode::Backspace => list.pop_filter_char(),
        _ => {}
    }
}
