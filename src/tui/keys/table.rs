//! The binding table itself: every key botline knows, where it works and what it does.

use crossterm::event::KeyCode;

use super::{Action, Binding, Context, KeyPattern, WizardAction};
use crate::tui::screens::ScreenId;

const fn plain(code: KeyCode) -> KeyPattern {
    KeyPattern { code, ctrl: false }
}

const fn char(c: char) -> KeyPattern {
    plain(KeyCode::Char(c))
}

const fn ctrl(c: char) -> KeyPattern {
    KeyPattern {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

const LISTS: &[Context] = &[Context::Browse];
const MOVES: &[Context] = &[Context::Browse, Context::Help];

/// Every key binding, in the order the help overlay lists them. When two active bindings
/// share a key, the first wins, and a test checks that no reachable state has such a clash.
pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: &[ctrl('c')],
        action: Action::Quit,
        label: "quit",
        description: "Quit botline, whatever is open",
        contexts: &[Context::Always],
        in_footer: false,
    },
    Binding {
        keys: &[char('q')],
        action: Action::Quit,
        label: "quit",
        description: "Quit botline",
        contexts: LISTS,
        in_footer: true,
    },
    Binding {
        keys: &[plain(KeyCode::Esc), char('q')],
        action: Action::Quit,
        label: "cancel and quit",
        description: "Stop signing in and quit botline",
        contexts: &[Context::SignIn],
        in_footer: true,
    },
    Binding {
        keys: &[plain(KeyCode::Esc)],
        action: Action::Quit,
        label: "quit",
        description: "Quit botline when nothing is open",
        contexts: &[Context::TopLevel],
        in_footer: false,
    },
    Binding {
        keys: &[char('?')],
        action: Action::OpenHelp,
        label: "help",
        description: "Show every key",
        contexts: &[Context::Browse, Context::Wizard],
        in_footer: true,
    },
    Binding {
        keys: &[plain(KeyCode::Esc), char('?')],
        action: Action::CloseHelp,
        label: "close help",
        description: "Close this help",
        contexts: &[Context::Help],
        in_footer: true,
    },
    Binding {
        keys: &[plain(KeyCode::Tab)],
        action: Action::NextScreen,
        label: "next screen",
        description: "Show the next screen",
        contexts: LISTS,
        in_footer: true,
    },
    Binding {
        keys: &[plain(KeyCode::BackTab)],
        action: Action::PreviousScreen,
        label: "previous screen",
        description: "Show the previous screen",
        contexts: LISTS,
        in_footer: false,
    },
    Binding {
        keys: &[char('1')],
        action: Action::ShowScreen(ScreenId::Instances),
        label: "instances",
        description: "Show application instances",
        contexts: LISTS,
        in_footer: false,
    },
    Binding {
        keys: &[char('2')],
        action: Action::ShowScreen(ScreenId::Licenses),
        label: "licenses",
        description: "Show licenses and their seats",
        contexts: LISTS,
        in_footer: false,
    },
    Binding {
        keys: &[char('3')],
        action: Action::ShowScreen(ScreenId::Numbers),
        label: "numbers",
        description: "Show phone numbers and their holders",
        contexts: LISTS,
        in_footer: false,
    },
    Binding {
        keys: &[plain(KeyCode::Up), char('k')],
        action: Action::MoveUp,
        label: "up",
        description: "Move up one row",
        contexts: MOVES,
        in_footer: false,
    },
    Binding {
        keys: &[plain(KeyCode::Down), char('j')],
        action: Action::MoveDown,
        label: "down",
        description: "Move down one row",
        contexts: MOVES,
        in_footer: false,
    },
    Binding {
        keys: &[plain(KeyCode::PageUp)],
        action: Action::PageUp,
        label: "page up",
        description: "Move up one page",
        contexts: MOVES,
        in_footer: false,
    },
    Binding {
        keys: &[plain(KeyCode::PageDown)],
        action: Action::PageDown,
        label: "page down",
        description: "Move down one page",
        contexts: MOVES,
        in_footer: false,
    },
    Binding {
        keys: &[plain(KeyCode::Home), char('g')],
        action: Action::First,
        label: "first",
        description: "Move to the first row",
        contexts: MOVES,
        in_footer: false,
    },
    Binding {
        keys: &[plain(KeyCode::End), char('G')],
        action: Action::Last,
        label: "last",
        description: "Move to the last row",
        contexts: MOVES,
        in_footer: false,
    },
    Binding {
        keys: &[char('/')],
        action: Action::StartFilter,
        label: "filter",
        description: "Filter the list by text in any column",
        contexts: LISTS,
        in_footer: true,
    },
    Binding {
        keys: &[plain(KeyCode::Enter)],
        action: Action::KeepFilter,
        label: "keep filter",
        description: "Stop typing and keep the filter",
        contexts: &[Context::FilterInput],
        in_footer: true,
    },
    Binding {
        keys: &[plain(KeyCode::Esc)],
        action: Action::ClearFilter,
        label: "clear filter",
        description: "Remove the filter",
        contexts: &[Context::FilterInput, Context::FilterApplied],
        in_footer: true,
    },
    Binding {
        keys: &[plain(KeyCode::Enter)],
        action: Action::ToggleDetail,
        label: "details",
        description: "Open or close the selected instance's details",
        contexts: &[Context::Instances],
        in_footer: true,
    },
    Binding {
        keys: &[plain(KeyCode::Esc)],
        action: Action::CloseDetail,
        label: "close details",
        description: "Close the detail pane",
        contexts: &[Context::DetailOpen],
        in_footer: true,
    },
    Binding {
        keys: &[char('r')],
        action: Action::Reload,
        label: "reload",
        description: "Load the tenant again",
        contexts: LISTS,
        in_footer: true,
    },
    Binding {
        keys: &[char('n')],
        action: Action::NewBot,
        label: "new bot",
        description: "Give a new bot a phone number, step by step",
        contexts: &[Context::Writable],
        in_footer: true,
    },
    Binding {
        keys: &[plain(KeyCode::Enter)],
        action: Action::Wizard(WizardAction::Submit),
        label: "next",
        description: "Check and run the wizard's step",
        contexts: &[Context::WizardForm],
        in_footer: true,
    },
    Binding {
        keys: &[plain(KeyCode::Enter)],
        action: Action::Wizard(WizardAction::Submit),
        label: "assign",
        description: "Assign the picked or typed number",
        contexts: &[Context::WizardPicker],
        in_footer: true,
    },
    Binding {
        keys: &[plain(KeyCode::Tab), plain(KeyCode::Down)],
        action: Action::Wizard(WizardAction::NextField),
        label: "next field",
        description: "Move to the next field",
        contexts: &[Context::WizardForm],
        in_footer: true,
    },
    Binding {
        keys: &[plain(KeyCode::BackTab), plain(KeyCode::Up)],
        action: Action::Wizard(WizardAction::PreviousField),
        label: "previous field",
        description: "Move to the previous field",
        contexts: &[Context::WizardForm],
        in_footer: false,
    },
    Binding {
        keys: &[plain(KeyCode::Down)],
        action: Action::Wizard(WizardAction::PickDown),
        label: "pick",
        description: "Pick the number below",
        contexts: &[Context::WizardPicker],
        in_footer: true,
    },
    Binding {
        keys: &[plain(KeyCode::Up)],
        action: Action::Wizard(WizardAction::PickUp),
        label: "pick up",
        description: "Pick the number above",
        contexts: &[Context::WizardPicker],
        in_footer: false,
    },
    Binding {
        keys: &[ctrl('u')],
        action: Action::Wizard(WizardAction::ClearField),
        label: "clear",
        description: "Empty the field",
        contexts: &[Context::WizardForm, Context::WizardPicker],
        in_footer: false,
    },
    Binding {
        keys: &[plain(KeyCode::Esc)],
        action: Action::Wizard(WizardAction::Back),
        label: "back",
        description: "Go one step back; on step 1, leave the wizard",
        contexts: &[Context::WizardForm, Context::WizardPicker],
        in_footer: true,
    },
    Binding {
        keys: &[plain(KeyCode::Esc)],
        action: Action::Wizard(WizardAction::Back),
        label: "stop waiting",
        description: "Stop waiting; what Microsoft started goes on",
        contexts: &[Context::WizardBusy],
        in_footer: true,
    },
    Binding {
        keys: &[char('r')],
        action: Action::Wizard(WizardAction::Retry),
        label: "retry",
        description: "Run the failed call again",
        contexts: &[Context::WizardFailed],
        in_footer: true,
    },
    Binding {
        keys: &[plain(KeyCode::Esc), plain(KeyCode::Enter)],
        action: Action::Wizard(WizardAction::Back),
        label: "edit",
        description: "Leave the failure and edit the step",
        contexts: &[Context::WizardFailed],
        in_footer: true,
    },
    Binding {
        keys: &[plain(KeyCode::Enter), plain(KeyCode::Esc)],
        action: Action::Wizard(WizardAction::Close),
        label: "close",
        description: "Close the finished wizard",
        contexts: &[Context::WizardDone],
        in_footer: true,
    },
];
