//! The built binary in a pseudo-terminal, walked through the wizard as an admin would:
//! open the practice tenant, create a bot, license it, give it a number, and quit.

#[path = "common/pty.rs"]
mod pty;

use std::time::Duration;

use pty::PtySession;

/// Maximum wait for one screen change; the demo tenant's slowest step takes about 3 s.
const SCREEN_WAIT: Duration = Duration::from_secs(30);

#[test]
fn wizard_gives_new_bot_a_number() {
    let home = tempfile::tempdir().unwrap();
    let mut session = PtySession::spawn(&["--demo"], home.path());
    session.wait_for("Loaded 8 instances", SCREEN_WAIT);

    // Movement keys must not stop the screen from taking later keys.
    session.type_text("jk");
    session.type_text("n");
    session.wait_for("[1 Resource account]", SCREEN_WAIT);
    session.type_text("ivr-bot@contoso.com");
    session.send(b"\t");
    session.type_text("0b5c7a53-5c1e-4a8e-9d0f-3e7b2a9c1d44");
    session.send(b"\t");
    session.type_text("IVR Bot");
    session.send(b"\r");

    session.wait_for("[2 License]", SCREEN_WAIT);
    session.wait_for("19 free of 25", SCREEN_WAIT);
    session.type_text("US");
    session.send(b"\r");

    session.wait_for("Free numbers for voice applications", SCREEN_WAIT);
    session.type_text("0120");
    session.wait_for("1 of 17", SCREEN_WAIT);
    session.send(b"\r");

    session.wait_for("The bot can be reached at its number.", SCREEN_WAIT);
    let summary = session.screen();
    assert!(summary.contains("+14255550120"), "{summary}");
    assert!(summary.contains("Direct Routing"), "{summary}");
    session.send(b"\r");

    session.wait_for("Loaded 9 instances", SCREEN_WAIT);
    let screen = session.screen();
    let row = screen
        .lines()
        .find(|line| line.contains("ivr-bot@contoso.com"))
        .unwrap_or_else(|| panic!("no row for the new bot:\n{screen}"));
    assert!(row.contains("+14255550120"), "{row}");
    assert!(row.contains("active"), "{row}");
    assert!(row.contains("activated"), "{row}");

    session.type_text("q");
    assert!(
        session.wait_exit(SCREEN_WAIT),
        "botline exits with status 0"
    );
    assert!(
        session.terminal_restored(),
        "the main screen and cursor are back"
    );
}
