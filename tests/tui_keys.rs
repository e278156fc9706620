//! The binding table against the rendered screen: no two active bindings share a key in any
//! state the app can reach, the help overlay lists every binding, and the footer shows the
//! keys of the current state only.

mod tui_support;

use botline::tui::keys::{active_bindings, listed_bindings, Context, KeyPattern, BINDINGS};
use botline::tui::App;
use crossterm::event::KeyCode;
use tui_support::*;

/// Returns the app in every kind of state, with a name for failure messages.
fn reachable_states() -> Vec<(&'static str, App)> {
    let mut states = Vec::new();
    for read_only in [false, true] {
        let mut top = app(read_only);
        load(&mut top, tenant());
        states.push(("instances", top));

        let mut licenses = app(read_only);
        press_char(&mut licenses, '2');
        states.push(("licenses", licenses));

        let mut detail = app(read_only);
        load(&mut detail, tenant());
        press(&mut detail, KeyCode::Enter);
        states.push(("detail", detail));

        let mut typing = app(read_only);
        press_char(&mut typing, '/');
        states.push(("filter input", typing));

        let mut filtered = app(read_only);
        press_char(&mut filtered, '3');
        press_char(&mut filtered, '/');
        press_char(&mut filtered, 'x');
        press(&mut filtered, KeyCode::Enter);
        states.push(("filtered", filtered));

        let mut help = app(read_only);
        press_char(&mut help, '?');
        states.push(("help", help));

        for upn in ["aa-main@", "cq-sales@", "ivr-bot@"] {
            states.push(("instance selected", select_instance(read_only, upn)));
        }

        for number in ["+14255550100", "+14255550102"] {
            let mut state = app(read_only);
            load(&mut state, tenant());
            press_char(&mut state, '3');
            select_row(&mut state, number);
            states.push(("number selected", state));
        }

        let mut numbers_filtered = app(read_only);
        load(&mut numbers_filtered, tenant());
        press_char(&mut numbers_filtered, '3');
        press_char(&mut numbers_filtered, 't');
        states.push(("numbers filtered", numbers_filtered));

        let mut prefix = app(read_only);
        load(&mut prefix, tenant());
        press_char(&mut prefix, '3');
        press_char(&mut prefix, 'p');
        states.push(("prefix input", prefix));

        let mut licenses_loaded = app(read_only);
        load(&mut licenses_loaded, tenant());
        press_char(&mut licenses_loaded, '2');
        states.push(("licenses loaded", licenses_loaded));
    }
    let mut confirm = select_instance(false, "ivr-bot@");
    press_char(&mut confirm, 'u');
    states.push(("confirm", confirm));

    let mut picker = select_instance(false, "ivr-bot@");
    press_char(&mut picker, 'm');
    states.push(("picker", picker));

    let mut busy = select_instance(false, "ivr-bot@");
    press_char(&mut busy, 'u');
    press_char(&mut busy, 'y');
    states.push(("change running", busy));

    let mut done = select_instance(false, "ivr-bot@");
    press_char(&mut done, 'u');
    press_char(&mut done, 'y');
    answer_manage(
        &mut done,
        botline::manage::Outcome::Failed(botline::client::ApiError::Timeout("x".into())),
    );
    states.push(("change finished", done));

    let mut wizard = app(false);
    press_char(&mut wizard, 'n');
    states.push(("wizard form", wizard));
    states.push(("wizard busy", wizard_checking(false)));
    states.push(("wizard failed", wizard_failed()));
    states.push(("wizard picker", wizard_picking()));
    states.push(("wizard done", wizard_done()));
    let mut signing_in = app(false);
    signing_in.reload();
    start_sign_in(&mut signing_in);
    states.push(("sign-in", signing_in));
    states
}

#[test]
fn no_key_clash_in_any_state() {
    for (name, app) in reachable_states() {
        let contexts = app.contexts();
        let mut seen: Vec<(KeyPattern, &str)> = Vec::new();
        for binding in active_bindings(&contexts) {
            for key in binding.keys {
                if let Some((_, other)) = seen.iter().find(|(seen_key, _)| seen_key == key) {
                    panic!(
                        "in {name} ({contexts:?}) {} is bound to both {other:?} and {:?}",
                        key.label(),
                        binding.description
                    );
                }
                seen.push((*key, binding.description));
            }
        }
    }
}

#[test]
fn every_binding_is_reachable() {
    let states = reachable_states();
    for binding in BINDINGS {
        let reachable = states
            .iter()
            .any(|(_, app)| binding.is_active(&app.contexts()));
        assert!(reachable, "{:?} works in no state", binding.description);
    }
}

#[test]
fn help_lists_every_binding() {
    let mut app = app(false);
    press_char(&mut app, '?');
    let buffer = render(&app, 120, 100);
    let screen = text(&buffer);
    for binding in listed_bindings(false) {
        let row = row_with(&buffer, &format!("{} (", binding.description));
        assert!(
            row.contains(&format!(" {} ", binding.keys_label())),
            "keys {} missing in {row}",
            binding.keys_label()
        );
    }
    assert_eq!(listed_bindings(false).count(), BINDINGS.len());
    assert!(screen.contains("Give a new bot a phone number"), "{screen}");
}

#[test]
fn read_only_help_hides_new_bot() {
    let mut app = app(true);
    press_char(&mut app, '?');
    let screen = text(&render(&app, 120, 50));
    assert!(
        !screen.contains("Give a new bot a phone number"),
        "{screen}"
    );
    assert!(screen.contains("Load the tenant again"), "{screen}");
    let wizard_only = BINDINGS
        .iter()
        .filter(|binding| {
            binding
                .contexts
                .iter()
                .all(|context| context.needs_write_access())
        })
        .count();
    assert!(wizard_only > 1, "the wizard's keys are in the table");
    assert_eq!(listed_bindings(true).count(), BINDINGS.len() - wizard_only);
}

#[test]
fn help_shows_wizard_keys_when_open() {
    let mut app = wizard_failed();
    press_char(&mut app, '?');
    assert!(app.is_help_open());
    let buffer = render(&app, 120, 60);
    assert!(row_with(&buffer, "Run the failed call again").contains(" r "));
    assert!(row_with(&buffer, "Assign the picked or typed number").contains("Enter"));
}

fn footer(app: &App) -> String {
    let buffer = render(app, 120, 20);
    lines(&buffer).last().cloned().unwrap()
}

#[test]
fn footer_follows_context() {
    let mut app = app(false);
    load(&mut app, tenant());
    let top = footer(&app);
    for hint in [
        "q quit",
        "? help",
        "Tab next screen",
        "/ filter",
        "Enter details",
        "r reload",
        "n new bot",
    ] {
        assert!(top.contains(hint), "{hint:?} missing in {top}");
    }
    assert!(!top.contains("keep filter"), "{top}");

    press_char(&mut app, '2');
    let licenses = footer(&app);
    assert!(!licenses.contains("Enter details"), "{licenses}");

    press_char(&mut app, '/');
    let typing = footer(&app);
    assert_eq!(typing, "Enter keep filter  Esc clear filter");
    press_char(&mut app, 'm');

    press(&mut app, KeyCode::Enter);
    let filtered = footer(&app);
    assert!(filtered.contains("Esc clear filter"), "{filtered}");
    assert!(filtered.contains("q quit"), "{filtered}");

    press_char(&mut app, '1');
    press(&mut app, KeyCode::Enter);
    let detail = footer(&app);
    assert!(detail.contains("Esc close details"), "{detail}");

    press_char(&mut app, '?');
    assert_eq!(footer(&app), "Esc close help");
}

#[test]
fn footer_in_wizard_and_read_only() {
    let mut app = app(false);
    press_char(&mut app, 'n');
    assert_eq!(footer(&app), "Enter next  Tab next field  Esc back");
    assert_eq!(footer(&wizard_checking(false)), "? help  Esc stop waiting");
    assert_eq!(footer(&wizard_failed()), "? help  r retry  Esc edit");
    assert_eq!(footer(&wizard_picking()), "Enter assign  ↓ pick  Esc back");
    assert_eq!(footer(&wizard_done()), "? help  Enter close");

    let read_only = tui_support::app(true);
    let hints = footer(&read_only);
    assert!(!hints.contains("new bot"), "{hints}");
    assert!(read_only.contexts().contains(&Context::Browse));
    assert!(!read_only.contexts().contains(&Context::Writable));
}

#[test]
fn footer_matches_binding_table() {
    let mut app = app(false);
    load(&mut app, tenant());
    let hints = app.footer_hints();
    let expected: Vec<String> = active_bindings(&app.contexts())
        .filter(|binding| binding.in_footer)
        .map(|binding| format!("{} {}", binding.keys[0].label(), binding.label))
        .collect();
    let shown: Vec<String> = hints
        .iter()
        .map(|hint| format!("{} {}", hint.keys, hint.label))
        .collect();
    assert_eq!(shown, expected);
    assert_eq!(footer(&app), expected.join("  "));
}
