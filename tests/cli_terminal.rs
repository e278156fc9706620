//! `botline --demo` in a pseudo-terminal: the screens open on the practice tenant, and `q`
//! quits with status 0 and the terminal restored.

mod cli_support;

use std::io::{Read, Write};
use std::sync::mpsc;

use portable_pty::{native_pty_system, CommandBuilder, PtySize};

use cli_support::{Sandbox, LINE_WAIT_LIMIT};

const ROWS: u16 = 30;
const COLUMNS: u16 = 120;

/// Feeds terminal output into a screen model until `found` matches its text.
fn wait_for_screen(
    output: &mpsc::Receiver<Vec<u8>>,
    screen: &mut vt100::Parser,
    found: impl Fn(&str) -> bool,
) {
    loop {
        if found(&screen.screen().contents()) {
            return;
        }
        match output.recv_timeout(LINE_WAIT_LIMIT) {
            Ok(bytes) => screen.process(&bytes),
            Err(error) => panic!(
                "screen never matched ({error}); it shows:\n{}",
                screen.screen().contents()
            ),
        }
    }
}

#[test]
fn demo_screens_open_and_quit() {
    let sandbox = Sandbox::new();
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLUMNS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_botline"));
    command.arg("--demo");
    command.env("TERM", "xterm-256color");
    command.env_remove("BOTLINE_LOG");
    for (name, value) in sandbox.folder_variables() {
        command.env(name, value);
    }
    let mut child = pty.slave.spawn_command(command).unwrap();
    drop(pty.slave);

    let mut reader = pty.master.try_clone_reader().unwrap();
    let (sender, output) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buffer = [0u8; 4096];
        while let Ok(count) = reader.read(&mut buffer) {
            if count == 0 || sender.send(buffer[..count].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut writer = pty.master.take_writer().unwrap();
    let mut screen = vt100::Parser::new(ROWS, COLUMNS, 0);

    wait_for_screen(&output, &mut screen, |text| {
        text.contains("Loaded 8 instances")
    });
    let contents = screen.screen().contents();
    assert!(contents.contains("practice tenant"), "{contents}");
    assert!(contents.contains("helpdesk-bot@contoso.com"), "{contents}");

    writer.write_all(b"q").unwrap();
    writer.flush().unwrap();
    let mut killer = child.clone_killer();
    let (status_sender, status) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = status_sender.send(child.wait());
    });
    let exit = match status.recv_timeout(LINE_WAIT_LIMIT) {
        Ok(exit) => exit.unwrap(),
        Err(error) => {
            let _ = killer.kill();
            panic!("botline did not quit on q ({error})");
        }
    };
    assert!(exit.success(), "botline exited with {exit:?}");
    while let Ok(bytes) = output.try_recv() {
        screen.process(&bytes);
    }
    assert!(
        !screen.screen().alternate_screen(),
        "the terminal was left on the alternate screen"
    );
    assert!(sandbox.demo_state_file().is_file());
}
