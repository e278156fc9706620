//! Runs the built `botline` binary in a pseudo-terminal and reads its screen through a
//! terminal emulator, with waits that end on a condition, not after a fixed sleep.

// Each test file uses only some of these helpers.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize};

/// Terminal size the tests draw in.
const ROWS: u16 = 40;
const COLUMNS: u16 = 140;

/// A running `botline` in a pseudo-terminal.
pub struct PtySession {
    parser: vt100::Parser,
    output: mpsc::Receiver<Vec<u8>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
}

impl PtySession {
    /// Starts the binary with the given arguments and a private home for its files.
    pub fn spawn(args: &[&str], home: &Path) -> PtySession {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLUMNS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pseudo-terminal");
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_botline"));
        command.args(args);
        command.env("HOME", home);
        command.env("XDG_CONFIG_HOME", home.join("config"));
        command.env("XDG_DATA_HOME", home.join("data"));
        command.env("XDG_CACHE_HOME", home.join("cache"));
        command.env("TERM", "xterm-256color");
        command.env_remove("NO_COLOR");
        let child = pair.slave.spawn_command(command).expect("start botline");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("read the pty");
        let writer = pair.master.take_writer().expect("write the pty");
        let (sender, output) = mpsc::channel();
        thread::spawn(move || {
            let mut buffer = [0u8; 8192];
            loop {
                match reader.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(count) => {
                        if sender.send(buffer[..count].to_vec()).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        PtySession {
            parser: vt100::Parser::new(ROWS, COLUMNS, 0),
            output,
            writer,
            child,
            _master: pair.master,
        }
    }

    /// Returns the screen's text, one line per row.
    pub fn screen(&mut self) -> String {
        self.drain(Duration::ZERO);
        self.parser.screen().contents()
    }

    /// Waits until the screen contains `text`, failing with the screen after `timeout`.
    pub fn wait_for(&mut self, text: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            if self.parser.screen().contents().contains(text) {
                return;
            }
            let now = Instant::now();
            if now >= deadline {
                panic!(
                    "screen never showed {text:?} within {timeout:?}; it shows:\n{}",
                    self.parser.screen().contents()
                );
            }
            self.drain(deadline - now);
        }
    }

    /// Types text as keystrokes.
    pub fn type_text(&mut self, text: &str) {
        self.send(text.as_bytes());
    }

    /// Sends raw bytes, such as "\r" for Enter or "\x1b" for Esc.
    pub fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write to the pty");
        self.writer.flush().expect("flush the pty");
    }

    /// Sends SIGTERM to the process, as `kill` does.
    pub fn terminate(&mut self) {
        let pid = self.child.process_id().expect("botline has a process id");
        let status = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -TERM {pid} failed");
    }

    /// Waits for the process to exit and returns whether it succeeded.
    pub fn wait_exit(&mut self, timeout: Duration) -> bool {
        self.wait_status(timeout).success()
    }

    /// Waits for the process to exit and returns its status.
    pub fn wait_status(&mut self, timeout: Duration) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + timeout;
        loop {
            self.drain(Duration::from_millis(20));
            if let Some(status) = self.child.try_wait().expect("poll the child") {
                self.drain(Duration::from_millis(50));
                return status;
            }
            if Instant::now() >= deadline {
                let _ = self.child.kill();
                panic!("botline did not exit within {timeout:?}");
            }
        }
    }

    /// Returns whether the terminal is back on the main screen with a visible cursor.
    pub fn terminal_restored(&mut self) -> bool {
        self.drain(Duration::ZERO);
        let screen = self.parser.screen();
        !screen.alternate_screen() && !screen.hide_cursor()
    }

    fn drain(&mut self, wait: Duration) {
        if let Ok(bytes) = self.output.recv_timeout(wait.max(Duration::from_millis(1))) {
            self.parser.process(&bytes);
        }
        while let Ok(bytes) = self.output.try_recv() {
            self.parser.process(&bytes);
        }
    }
}

impl Drop for PtySession {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
}
