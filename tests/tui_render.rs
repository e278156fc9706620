//! Rendering of every screen through ratatui's `TestBackend`: loading, loaded, empty and
//! failed states, filtering, the detail pane, selection and the plain `NO_COLOR` theme.

mod tui_support;

use botline::client::ApiError;
use botline::model::TenantView;
use botline::tui::keys::BINDINGS;
use botline::tui::{App, Theme};
use botline::worker::Reply;
use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use tui_support::*;

const WIDTH: u16 = 160;
const HEIGHT: u16 = 30;

fn loaded_app() -> App {
    let mut app = app(false);
    load(&mut app, tenant());
    app
}

/// Returns the style of the first cell of `needle` on the row that contains it.
fn cell_at(buffer: &Buffer, needle: &str) -> ratatui::buffer::Cell {
    let y = row_index(buffer, needle);
    let row: Vec<&str> = (0..buffer.area.width)
        .map(|x| buffer[(x, y)].symbol())
        .collect();
    let first = needle.chars().next().unwrap().to_string();
    let x = (0..row.len())
        .find(|&x| {
            row[x] == first
                && row[x..]
                    .iter()
                    .take(needle.chars().count())
                    .copied()
                    .collect::<String>()
                    == needle
        })
        .unwrap();
    buffer[(x as u16, y)].clone()
}

#[test]
fn idle_app_asks_for_load() {
    let app = app(false);
    let screen = text(&render(&app, WIDTH, HEIGHT));
    assert!(
        screen.contains("The tenant is not loaded yet. Press r to load it."),
        "{screen}"
    );
}

#[test]
fn loading_shows_counts_and_spinner() {
    let mut app = app(false);
    app.reload();
    let id = take_load_id(&mut app);
    reply(
        &mut app,
        id,
        Reply::Progress {
            list: "instances",
            loaded: 3,
        },
    );
    reply(
        &mut app,
        id,
        Reply::Progress {
            list: "numbers",
            loaded: 1_000,
        },
    );
    let buffer = render(&app, WIDTH, HEIGHT);
    let screen = text(&buffer);
    assert!(
        screen.contains("Loading the tenant… instances 3, numbers 1,000…"),
        "{screen}"
    );
    let status = row_with(&buffer, "Loading the tenant: instances 3, numbers 1,000…");
    assert!(status.starts_with('⠋'), "{status}");
    let header = lines(&buffer)[0].clone();
    assert!(header.contains("[1 Instances (3…)]"), "{header}");
    assert!(header.contains("3 Numbers (1,000…)"), "{header}");

    app.on_spinner_tick();
    let status = row_with(&render(&app, WIDTH, HEIGHT), "Loading the tenant:");
    assert!(status.starts_with('⠙'), "{status}");
}

#[test]
fn instances_show_every_column() {
    let app = loaded_app();
    let buffer = render(&app, WIDTH, HEIGHT);
    let ivr = row_with(&buffer, "ivr-bot@contoso.com");
    for expected in [
        "IVR bot",
        "0b5c7a53…",
        "US",
        "active",
        "+14255550100",
        "Calling Plan",
        "activated",
    ] {
        assert!(ivr.contains(expected), "{expected:?} missing in {ivr}");
    }
    assert!(!ivr.contains('!'), "complete row is marked: {ivr}");

    let auto_attendant = row_with(&buffer, "aa-main@contoso.com");
    assert!(
        auto_attendant.contains("! Main auto attendant"),
        "{auto_attendant}"
    );
    assert!(
        auto_attendant.contains("Auto attendant"),
        "{auto_attendant}"
    );
    assert!(auto_attendant.contains("provisioning"), "{auto_attendant}");

    let queue = row_with(&buffer, "cq-sales@contoso.com");
    assert!(queue.contains("! Sales queue"), "{queue}");
    assert!(queue.contains("Call queue"), "{queue}");
    assert!(queue.contains("unlicensed"), "{queue}");
    assert!(queue.contains("Direct Routing"), "{queue}");
    assert!(queue.contains("assignmentPending"), "{queue}");

    let header = lines(&buffer)[0].clone();
    assert!(header.contains("contoso.com"), "{header}");
    assert!(header.contains("[1 Instances (3)]"), "{header}");
    assert!(header.contains("2 Licenses (2)"), "{header}");
    assert!(header.contains("3 Numbers (5)"), "{header}");
    assert!(text(&buffer).contains("Instances (3)"));
}

#[test]
fn selection_marker_moves_down() {
    let mut app = loaded_app();
    let before = render(&app, WIDTH, HEIGHT);
    assert!(row_with(&before, "aa-main@").starts_with("│▶"));
    assert!(row_with(&before, "cq-sales@").starts_with("│ "));

    press_char(&mut app, 'j');
    let after = render(&app, WIDTH, HEIGHT);
    assert!(row_with(&after, "aa-main@").starts_with("│ "));
    assert!(row_with(&after, "cq-sales@").starts_with("│▶"));
    let selected = cell_at(&after, "cq-sales@");
    assert!(selected.modifier.contains(Modifier::REVERSED));
}

#[test]
fn detail_pane_lists_fields_and_checklist() {
    let mut app = loaded_app();
    press_char(&mut app, 'j');
    press(&mut app, KeyCode::Enter);
    let screen = text(&render(&app, WIDTH, 40));
    for expected in [
        "Details",
        "Object id",
        "id-cq",
        "11cd3e2e-fccb-42ad-ad00-878b93575e07 (Call queue)",
        "! Not ready: 3 checks fail",
        "✓ Application id bound: 11cd3e2e-fccb-42ad-ad00-878b93575e07",
        "✗ Usage location set: cq-sales@contoso.com has no usage location",
        "✗ License assigned: cq-sales@contoso.com has no Teams Phone Resource Account",
        "✗ Number activated: Teams has not finished assigning +14255550101 (assignmentPending)",
        "Fix: press c to continue the setup.",
        "Fix: wait a few minutes and press r; if it stays pending, press u to unassign it",
        "· Not checked until the above is fixed: license provisioned",
    ] {
        assert!(
            screen.contains(expected),
            "{expected:?} missing in\n{screen}"
        );
    }

    press(&mut app, KeyCode::Esc);
    let screen = text(&render(&app, WIDTH, 40));
    assert!(!screen.contains("Details"), "{screen}");
}

#[test]
fn detail_pane_of_ready_instance() {
    let mut app = loaded_app();
    press_char(&mut app, 'G');
    press(&mut app, KeyCode::Enter);
    // A narrow terminal puts the pane below the table.
    let screen = text(&render(&app, 100, 40));
    assert!(
        screen.contains("✓ Ready: licensed, numbered and activated"),
        "{screen}"
    );
    assert!(
        screen.contains("0b5c7a53-5c1e-4a8e-9d0f-3e7b2a9c1d44"),
        "{screen}"
    );
}

#[test]
fn licenses_mark_resource_account_and_no_seats() {
    let mut app = loaded_app();
    press_char(&mut app, '2');
    let buffer = render(&app, WIDTH, HEIGHT);
    let resource = row_with(&buffer, "PHONESYSTEM_VIRTUALUSER");
    assert!(resource.contains('★'), "{resource}");
    assert!(
        resource.contains("Teams Phone Resource Account"),
        "{resource}"
    );
    assert!(resource.contains(" 5 "), "{resource}");
    assert!(resource.contains(" 2 "), "{resource}");
    assert!(resource.contains(" 3"), "{resource}");
    assert_eq!(
        cell_at(&buffer, "PHONESYSTEM_VIRTUALUSER").fg,
        Color::Magenta
    );

    let full = row_with(&buffer, "MCOEV");
    assert!(full.contains("0 none free"), "{full}");
    assert_eq!(cell_at(&buffer, "0 none free").fg, Color::Yellow);
    assert!(!text(&buffer).contains("No Teams Phone Resource Account license"));
}

#[test]
fn numbers_show_holders_and_problems() {
    let mut app = loaded_app();
    press_char(&mut app, '3');
    let buffer = render(&app, WIDTH, HEIGHT);
    let held = row_with(&buffer, "+14255550100");
    assert!(held.contains("ivr-bot@contoso.com"), "{held}");
    assert!(held.contains("voice app"), "{held}");
    let free = row_with(&buffer, "+14255550102");
    for expected in [
        "Operator Connect",
        "voice app, conf, user",
        "unassigned",
        "US",
        "—",
    ] {
        assert!(free.contains(expected), "{expected:?} missing in {free}");
    }
    let ghost = row_with(&buffer, "+14255550103");
    assert!(
        ghost.contains(&format!("unknown account {GHOST_ID}")),
        "{ghost}"
    );
    let broken = row_with(&buffer, "12345");
    assert!(broken.contains("! 12345"), "{broken}");
    assert!(!text(&buffer).contains("Problem with the selected record"));

    press_char(&mut app, 'G');
    let buffer = render(&app, WIDTH, HEIGHT);
    let note = row_with(&buffer, "Problem with the selected record");
    assert!(note.contains("invalid phone number \"12345\""), "{note}");
}

#[test]
fn empty_lists_say_so() {
    let mut app = app(false);
    load(&mut app, TenantView::default());
    let screen = text(&render(&app, WIDTH, HEIGHT));
    assert!(
        screen.contains("No application instances in this tenant. Press n to give a bot"),
        "{screen}"
    );
    press_char(&mut app, '2');
    let screen = text(&render(&app, WIDTH, HEIGHT));
    assert!(screen.contains("No licenses in this tenant."), "{screen}");
    assert!(
        screen.contains("! No Teams Phone Resource Account license"),
        "{screen}"
    );
    press_char(&mut app, '3');
    let screen = text(&render(&app, WIDTH, HEIGHT));
    assert!(
        screen.contains("No phone numbers in this tenant."),
        "{screen}"
    );

    let mut read_only = tui_support::app(true);
    load(&mut read_only, TenantView::default());
    let screen = text(&render(&read_only, WIDTH, HEIGHT));
    assert!(
        screen.contains("No application instances in this tenant."),
        "{screen}"
    );
    assert!(!screen.contains("Press n"), "{screen}");
}

#[test]
fn failed_load_shows_error_and_retry() {
    let mut app = app(false);
    app.reload();
    let id = take_load_id(&mut app);
    let error = ApiError::Timeout("https://graph.microsoft.com/v1.0/users".into());
    reply(&mut app, id, Reply::Tenant(Err(error)));
    let buffer = render(&app, WIDTH, HEIGHT);
    let screen = text(&buffer);
    assert!(screen.contains("✗ Could not load the tenant:"), "{screen}");
    assert!(
        screen.contains("request to https://graph.microsoft.com/v1.0/users timed out"),
        "{screen}"
    );
    assert!(screen.contains("Press r to retry."), "{screen}");
    let status = row_with(&buffer, "Loading the tenant failed:");
    assert!(status.contains("timed out"), "{status}");
}

#[test]
fn filter_narrows_and_clears() {
    let mut app = loaded_app();
    press_char(&mut app, '3');
    press_char(&mut app, '/');
    type_text(&mut app, "CONF");
    let buffer = render(&app, WIDTH, HEIGHT);
    let screen = text(&buffer);
    assert!(screen.contains("Numbers (1 of 5)"), "{screen}");
    assert!(screen.contains("+14255550102"), "{screen}");
    assert!(!screen.contains("+14255550100"), "{screen}");
    assert!(
        screen.contains("Filter (Enter keeps, Esc clears): CONF"),
        "{screen}"
    );

    press(&mut app, KeyCode::Enter);
    let screen = text(&render(&app, WIDTH, HEIGHT));
    assert!(screen.contains("Filter: CONF"), "{screen}");
    assert!(!screen.contains("+14255550100"), "{screen}");

    press(&mut app, KeyCode::Esc);
    let screen = text(&render(&app, WIDTH, HEIGHT));
    assert!(screen.contains("Numbers (5)"), "{screen}");
    assert!(screen.contains("+14255550100"), "{screen}");
    assert!(!screen.contains("Filter"), "{screen}");
}

#[test]
fn filter_without_match_says_so() {
    let mut app = loaded_app();
    press_char(&mut app, '/');
    type_text(&mut app, "nobody");
    let screen = text(&render(&app, WIDTH, HEIGHT));
    assert!(screen.contains("No rows match \"nobody\""), "{screen}");
    assert!(screen.contains("Instances (0 of 3)"), "{screen}");
}

#[test]
fn reload_keeps_rows_visible() {
    let mut app = loaded_app();
    press_char(&mut app, 'r');
    let buffer = render(&app, WIDTH, HEIGHT);
    assert!(text(&buffer).contains("ivr-bot@contoso.com"));
    row_with(&buffer, "Loading the tenant…");
}

#[test]
fn large_list_draws_last_page() {
    let template = tenant().numbers[0].clone();
    let numbers = (0..50_000)
        .map(|index| {
            let mut row = template.clone();
            row.record.telephone_number = format!("+1425{index:07}");
            row
        })
        .collect();
    let view = TenantView {
        numbers,
        ..TenantView::default()
    };
    let mut app = app(false);
    load(&mut app, view);
    press_char(&mut app, '3');
    press_char(&mut app, 'G');
    let buffer = render(&app, WIDTH, HEIGHT);
    assert!(row_with(&buffer, "+14250049999").starts_with("│▶"));
    assert!(text(&buffer).contains("Numbers (50,000)"));
    assert!(!text(&buffer).contains("+14250000000"));
}

#[test]
fn no_color_theme_has_no_colour_anywhere() {
    let mut app = App::new(&options(false), Theme::plain());
    load(&mut app, tenant());
    let mut buffers = Vec::new();
    press(&mut app, KeyCode::Enter);
    buffers.push(render(&app, WIDTH, 40));
    press_char(&mut app, '2');
    buffers.push(render(&app, WIDTH, HEIGHT));
    press_char(&mut app, '3');
    press_char(&mut app, 'G');
    buffers.push(render(&app, WIDTH, HEIGHT));
    press_char(&mut app, '?');
    buffers.push(render(&app, WIDTH, 40));

    for buffer in &buffers {
        for cell in buffer.content() {
            assert_eq!(cell.fg, Color::Reset, "{cell:?}");
            assert_eq!(cell.bg, Color::Reset, "{cell:?}");
        }
    }
    let numbers = &buffers[2];
    let selected = row_with(numbers, "12345");
    assert!(selected.starts_with("│> ! 12345"), "{selected}");
    let cell = cell_at(numbers, "12345");
    assert!(cell.modifier.contains(Modifier::REVERSED | Modifier::BOLD));
}

#[test]
fn help_overlay_scrolls_to_end() {
    let mut app = loaded_app();
    press_char(&mut app, '?');
    let top = text(&render(&app, WIDTH, 14));
    assert!(top.contains("Quit botline, whatever is open"), "{top}");
    assert!(!top.contains("Load the tenant again"), "{top}");

    let last = BINDINGS.last().unwrap().description;
    press_char(&mut app, 'G');
    let bottom = text(&render(&app, WIDTH, 14));
    assert!(bottom.contains(last), "{bottom}");
    assert!(
        !bottom.contains("Quit botline, whatever is open"),
        "{bottom}"
    );

    // One line up from the end shows the line above the first one visible at the end.
    press_char(&mut app, 'k');
    let one_up = text(&render(&app, WIDTH, 14));
    assert!(!one_up.contains(last), "{one_up}");

    press_char(&mut app, 'g');
    let again = text(&render(&app, WIDTH, 14));
    assert!(again.contains("Quit botline, whatever is open"), "{again}");
}

#[test]
fn wizard_fills_body() {
    let mut app = loaded_app();
    press_char(&mut app, 'n');
    let buffer = render(&app, WIDTH, HEIGHT);
    let screen = text(&buffer);
    assert!(screen.contains("New bot"), "{screen}");
    assert!(!screen.contains("ivr-bot@contoso.com"), "{screen}");
    assert!(lines(&buffer)[0].contains("[New bot]"));
    assert!(lines(&buffer)[1].starts_with("New bot  [1 Resource account]"));
    assert!(row_with(&buffer, "1 Resource account─").starts_with('┌'));
    assert!(row_with(&buffer, "Progress").starts_with('┌'));
}

#[test]
fn narrow_screen_keeps_key_columns_whole() {
    let app = loaded_app();
    let buffer = render(&app, 80, 24);
    let header = row_with(&buffer, "Activation");
    assert!(header.contains("Number"), "{header}");
    assert!(header.contains("License"), "{header}");
    assert!(!header.contains("Display name"), "{header}");
    let screen = text(&buffer);
    assert!(screen.contains("+14255550101"), "{screen}");
    assert!(screen.contains("assignmentPending"), "{screen}");

    let mut numbers = loaded_app();
    press_char(&mut numbers, '3');
    let buffer = render(&numbers, 80, 24);
    let header = row_with(&buffer, "Holder");
    assert!(header.contains("Number "), "{header}");
    assert!(header.contains("Activation"), "{header}");
}

#[test]
fn cut_values_end_with_ellipsis() {
    let mut app = loaded_app();
    press_char(&mut app, '3');
    let buffer = render(&app, 80, 24);
    let row = row_with(&buffer, "unknown account");
    assert!(row.contains("…"), "{row}");
}
