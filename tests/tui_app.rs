//! The app driven by key events and API replies, without a terminal: routing of keys,
//! quitting, screen switching, filtering, the wizard hand-off and dropping of stale replies.

mod tui_support;

use botline::client::ApiError;
use botline::model::TenantView;
use botline::tui::loadable::Loadable;
use botline::tui::screens::ScreenId;
use botline::wizard::{Outcome, Ticket};
use botline::worker::{Reply, RequestId};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_support::*;

fn loaded_instance_count(app: &botline::tui::App) -> Option<usize> {
    match app.tenant() {
        Loadable::Loaded(view) => Some(view.instances.len()),
        _ => None,
    }
}

#[test]
fn stale_tenant_reply_is_dropped() {
    let mut app = app(false);
    app.reload();
    let first = take_load_id(&mut app);
    press_char(&mut app, 'r');
    let second = take_load_id(&mut app);
    assert_ne!(first, second);

    reply(
        &mut app,
        first,
        Reply::Progress {
            list: "numbers",
            loaded: 7,
        },
    );
    reply(&mut app, first, Reply::Tenant(Ok(TenantView::default())));
    assert!(app.tenant().is_loading());
    assert_eq!(app.tenant().progress().unwrap().loaded("numbers"), None);

    reply(
        &mut app,
        second,
        Reply::Progress {
            list: "numbers",
            loaded: 5,
        },
    );
    assert_eq!(app.tenant().progress().unwrap().loaded("numbers"), Some(5));
    reply(&mut app, second, Reply::Tenant(Ok(tenant())));
    assert_eq!(loaded_instance_count(&app), Some(3));

    // A late reply to the first load must not replace the current data.
    reply(&mut app, first, Reply::Tenant(Ok(TenantView::default())));
    assert_eq!(loaded_instance_count(&app), Some(3));
}

#[test]
fn failed_load_then_retry() {
    let mut app = app(false);
    app.reload();
    let id = take_load_id(&mut app);
    let error = ApiError::Transport("connection refused".into());
    reply(&mut app, id, Reply::Tenant(Err(error)));
    assert_eq!(
        app.tenant(),
        &Loadable::Failed("connection failed: connection refused".into())
    );
    assert!(app.status().unwrap().is_error);
    assert!(!app.is_pending());

    press_char(&mut app, 'r');
    take_load_id(&mut app);
    assert!(app.is_pending());
}

#[test]
fn release_events_are_ignored() {
    let mut app = app(false);
    release(&mut app, KeyCode::Char('q'));
    assert!(!app.should_quit());
    release(&mut app, KeyCode::Char('3'));
    assert_eq!(app.screen(), ScreenId::Instances);
}

#[test]
fn q_and_esc_quit_from_top_level() {
    let mut app = app(false);
    press_char(&mut app, 'q');
    assert!(app.should_quit());

    let mut app = tui_support::app(false);
    press(&mut app, KeyCode::Esc);
    assert!(app.should_quit());
}

#[test]
fn esc_closes_detail_then_filter_then_quits() {
    let mut app = app(false);
    load(&mut app, tenant());
    press_char(&mut app, '/');
    type_text(&mut app, "bot");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert!(app.is_detail_open());

    press(&mut app, KeyCode::Esc);
    assert!(!app.is_detail_open());
    assert_eq!(app.list(ScreenId::Instances).filter(), "bot");
    assert!(!app.should_quit());

    press(&mut app, KeyCode::Esc);
    assert_eq!(app.list(ScreenId::Instances).filter(), "");
    assert!(!app.should_quit());

    press(&mut app, KeyCode::Esc);
    assert!(app.should_quit());
}

#[test]
fn typing_in_filter_does_not_trigger_keys() {
    let mut app = app(false);
    load(&mut app, tenant());
    press_char(&mut app, '/');
    type_text(&mut app, "q2rn?");
    assert!(!app.should_quit());
    assert_eq!(app.screen(), ScreenId::Instances);
    assert!(!app.is_wizard_open());
    assert!(!app.is_help_open());
    assert_eq!(app.list(ScreenId::Instances).filter(), "q2rn?");
    assert!(app.take_commands().is_empty());

    press(&mut app, KeyCode::Backspace);
    assert_eq!(app.list(ScreenId::Instances).filter(), "q2rn");
    press_ctrl(&mut app, 'c');
    assert!(app.should_quit());
}

#[test]
fn screens_switch_by_tab_and_number() {
    let mut app = app(false);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.screen(), ScreenId::Licenses);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.screen(), ScreenId::Numbers);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.screen(), ScreenId::Instances);
    press(&mut app, KeyCode::BackTab);
    assert_eq!(app.screen(), ScreenId::Numbers);
    // Some terminals send Tab with Shift instead of Back-Tab.
    app.on_key(KeyEvent::new(KeyCode::Tab, KeyModifiers::SHIFT));
    assert_eq!(app.screen(), ScreenId::Licenses);
    press_char(&mut app, '1');
    assert_eq!(app.screen(), ScreenId::Instances);
    press_char(&mut app, '3');
    assert_eq!(app.screen(), ScreenId::Numbers);
}

#[test]
fn selection_moves_within_bounds() {
    let mut app = app(false);
    load(&mut app, tenant());
    press_char(&mut app, '3');
    let selected = |app: &botline::tui::App| app.list(ScreenId::Numbers).selected_row();
    assert_eq!(selected(&app), Some(0));
    press_char(&mut app, 'k');
    assert_eq!(selected(&app), Some(0));
    press_char(&mut app, 'j');
    press(&mut app, KeyCode::Down);
    assert_eq!(selected(&app), Some(2));
    press(&mut app, KeyCode::Up);
    assert_eq!(selected(&app), Some(1));
    press_char(&mut app, 'G');
    assert_eq!(selected(&app), Some(4));
    press(&mut app, KeyCode::PageDown);
    assert_eq!(selected(&app), Some(4));
    press(&mut app, KeyCode::Home);
    assert_eq!(selected(&app), Some(0));
    press(&mut app, KeyCode::End);
    assert_eq!(selected(&app), Some(4));
    press_char(&mut app, 'g');
    assert_eq!(selected(&app), Some(0));
    // Each screen keeps its own selection.
    assert_eq!(app.list(ScreenId::Instances).selected_row(), Some(0));
}

#[test]
fn admin_can_work_while_loading() {
    let mut app = app(false);
    app.reload();
    let id = take_load_id(&mut app);
    press_char(&mut app, '3');
    press_char(&mut app, '/');
    type_text(&mut app, "5550102");
    press(&mut app, KeyCode::Enter);
    assert!(app.tenant().is_loading());
    assert_eq!(app.screen(), ScreenId::Numbers);

    reply(&mut app, id, Reply::Tenant(Ok(tenant())));
    let numbers = app.list(ScreenId::Numbers);
    assert_eq!(numbers.matches(), &[2]);
    assert_eq!(numbers.row_count(), 5);
}

#[test]
fn help_overlay_takes_movement_keys() {
    let mut app = app(false);
    load(&mut app, tenant());
    press_char(&mut app, '?');
    assert!(app.is_help_open());
    press_char(&mut app, 'j');
    press_char(&mut app, 'q');
    assert!(!app.should_quit());
    assert_eq!(app.list(ScreenId::Instances).selected_row(), Some(0));
    press_char(&mut app, '?');
    assert!(!app.is_help_open());
    press_char(&mut app, '?');
    press(&mut app, KeyCode::Esc);
    assert!(!app.is_help_open());
    assert!(!app.should_quit());
}

#[test]
fn wizard_takes_keys_first() {
    let mut app = app(false);
    load(&mut app, tenant());
    press_char(&mut app, 'n');
    assert!(app.is_wizard_open());
    press_char(&mut app, 'q');
    press_char(&mut app, '2');
    assert!(!app.should_quit());
    assert_eq!(app.screen(), ScreenId::Instances);

    press_char(&mut app, '?');
    assert!(app.is_help_open());
    press(&mut app, KeyCode::Esc);
    assert!(!app.is_help_open());
    assert!(app.is_wizard_open());

    press(&mut app, KeyCode::Esc);
    assert!(!app.is_wizard_open());
    assert!(!app.should_quit());

    press_char(&mut app, 'n');
    press_ctrl(&mut app, 'c');
    assert!(app.should_quit());
}

#[test]
fn wizard_reply_without_request_is_dropped() {
    let mut app = app(false);
    load(&mut app, tenant());
    press_char(&mut app, 'n');
    let outcome = Outcome::LicenseAssigned;
    reply(&mut app, RequestId(999), Reply::Wizard(Ticket(1), outcome));
    assert!(app.is_wizard_open());
    assert!(app.take_commands().is_empty());
}

#[test]
fn read_only_has_no_wizard() {
    let mut app = app(true);
    load(&mut app, tenant());
    press_char(&mut app, 'n');
    assert!(!app.is_wizard_open());
}
