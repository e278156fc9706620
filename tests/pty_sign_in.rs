//! The built binary in a pseudo-terminal on a device-code config whose endpoints point at an
//! emulator this test runs in-process: the sign-in screen shows a code, the admin approves
//! it, and the tenant loads; or the admin cancels and botline quits cleanly.

#[path = "common/pty.rs"]
mod pty;

use std::path::Path;
use std::time::Duration;

use botline::emulator::{self, Emulator};
use pty::PtySession;

/// Maximum wait for one screen change; the emulator's device-code poll takes 1 s.
const SCREEN_WAIT: Duration = Duration::from_secs(30);

/// Starts an emulator on its own runtime and writes a device-code config for it under `home`.
fn start(home: &Path) -> (tokio::runtime::Runtime, Emulator) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let emulator = runtime
        .block_on(Emulator::start(emulator::Options {
            timing: emulator::Timing::instant(),
            ..emulator::Options::default()
        }))
        .unwrap();
    let endpoints = emulator.endpoints();
    let folder = home.join("config/botline");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("config.toml"),
        format!(
            "tenant_id = \"{}\"\nclient_id = \"{}\"\nauth = \"device-code\"\n[endpoints]\n\
             login = \"{}\"\ngraph = \"{}\"\nteams = \"{}\"\n",
            emulator::DEMO_TENANT_ID,
            emulator::DEMO_CLIENT_ID,
            endpoints.login,
            endpoints.graph,
            endpoints.teams
        ),
    )
    .unwrap();
    (runtime, emulator)
}

/// Returns the code on the sign-in screen's "2. Enter" line.
fn code_on_screen(screen: &str) -> String {
    let line = screen
        .lines()
        .find(|line| line.contains("2. Enter"))
        .unwrap_or_else(|| panic!("no code on the screen:\n{screen}"));
    let (_, rest) = line.split_once("2. Enter").unwrap();
    rest.split_whitespace()
        .next()
        .unwrap_or_else(|| panic!("no code after \"2. Enter\":\n{screen}"))
        .to_owned()
}

#[test]
fn sign_in_screen_leads_to_the_tenant() {
    let home = tempfile::tempdir().unwrap();
    let (runtime, emulator) = start(home.path());
    let mut session = PtySession::spawn(&[], home.path());
    session.wait_for("The code expires in", SCREEN_WAIT);
    let screen = session.screen();
    assert!(screen.contains("/_emulator/device"), "{screen}");
    assert!(screen.contains("Esc cancel and quit"), "{screen}");
    let code = code_on_screen(&screen);
    assert!(runtime.block_on(emulator.approve_device_code(&code)));

    session.wait_for("Loaded 8 instances", SCREEN_WAIT);
    assert!(!session.screen().contains(&code));
    session.type_text("q");
    assert!(
        session.wait_exit(SCREEN_WAIT),
        "botline exits with status 0"
    );
    assert!(session.terminal_restored());
    assert!(home.path().join("cache/botline/tokens.json").exists());
    runtime.block_on(emulator.shutdown());
}

#[test]
fn esc_on_sign_in_quits_cleanly() {
    let home = tempfile::tempdir().unwrap();
    let (runtime, emulator) = start(home.path());
    let mut session = PtySession::spawn(&[], home.path());
    session.wait_for("The code expires in", SCREEN_WAIT);
    session.send(b"\x1b");
    assert!(
        session.wait_exit(SCREEN_WAIT),
        "botline exits with status 0"
    );
    assert!(session.terminal_restored());
    assert!(!home.path().join("cache/botline/tokens.json").exists());
    runtime.block_on(emulator.shutdown());
}
