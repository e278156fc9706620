//! The built binary in a pseudo-terminal, ended by a signal instead of a key: the terminal
//! must come back in the state it was in.

#[path = "common/pty.rs"]
mod pty;

use std::time::Duration;

use pty::PtySession;

/// Maximum wait for one screen change.
const SCREEN_WAIT: Duration = Duration::from_secs(30);

#[test]
fn sigterm_restores_terminal() {
    let home = tempfile::tempdir().unwrap();
    let mut session = PtySession::spawn(&["--demo"], home.path());
    session.wait_for("Loaded 8 instances", SCREEN_WAIT);
    session.terminate();
    let status = session.wait_status(SCREEN_WAIT);
    assert!(
        status.success(),
        "botline exits with status 0, not {status:?}; the screen shows:\n{}",
        session.screen()
    );
    assert!(
        session.terminal_restored(),
        "the main screen and cursor are back"
    );
}

#[test]
fn second_demo_is_refused_while_first_runs() {
    let home = tempfile::tempdir().unwrap();
    let mut first = PtySession::spawn(&["--demo"], home.path());
    first.wait_for("Loaded 8 instances", SCREEN_WAIT);
    let state_file = home.path().join("data/botline/demo-tenant.json");
    let before = std::fs::read(&state_file).expect("the first run keeps its state file");
    let mut second = PtySession::spawn(&["--demo", "--reset", "report"], home.path());
    assert!(!second.wait_exit(SCREEN_WAIT), "the second run fails");
    let screen = second.screen();
    assert!(screen.contains("in use by another botline"), "{screen}");
    assert!(
        !screen.contains("--reset` starts"),
        "no reset is offered: {screen}"
    );
    let after = std::fs::read(&state_file).unwrap();
    assert_eq!(
        before, after,
        "the refused reset left the running tenant alone"
    );
    first.type_text("q");
    assert!(first.wait_exit(SCREEN_WAIT));
}
