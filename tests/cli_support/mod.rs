//! Runs the built `botline` binary in a sandbox: its own config, data and cache folders under
//! a temporary directory, and none of the caller's botline variables.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Upper bound on waiting for a line from a child process; only a hung binary reaches it.
pub const LINE_WAIT_LIMIT: Duration = Duration::from_secs(120);

/// A temporary home for one test's runs of the binary.
pub struct Sandbox {
    root: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            root: tempfile::tempdir().expect("create a temporary folder"),
        }
    }

    pub fn root(&self) -> &Path {
        self.root.path()
    }

    pub fn config_dir(&self) -> PathBuf {
        self.root().join("config/botline")
    }

    pub fn data_dir(&self) -> PathBuf {
        self.root().join("data/botline")
    }

    pub fn demo_state_file(&self) -> PathBuf {
        self.data_dir().join("demo-tenant.json")
    }

    /// Writes `config.toml` in the config folder and returns its path.
    pub fn write_config(&self, text: &str) -> PathBuf {
        std::fs::create_dir_all(self.config_dir()).unwrap();
        let path = self.config_dir().join("config.toml");
        std::fs::write(&path, text).unwrap();
        path
    }

    /// Returns the variables that move botline's folders into the sandbox.
    pub fn folder_variables(&self) -> [(&'static str, PathBuf); 4] {
        [
            ("HOME", self.root().to_owned()),
            ("XDG_CONFIG_HOME", self.root().join("config")),
            ("XDG_DATA_HOME", self.root().join("data")),
            ("XDG_CACHE_HOME", self.root().join("cache")),
        ]
    }

    /// Returns a command for the binary with the sandbox's folders.
    pub fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_botline"));
        command
            .envs(self.folder_variables())
            .env_remove("BOTLINE_CLIENT_SECRET")
            .env_remove("BOTLINE_LOG")
            .env_remove("RUST_BACKTRACE")
            .env_remove("RUST_LIB_BACKTRACE")
            .stdin(Stdio::null());
        command
    }

    /// Runs the binary to the end.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("run botline")
    }

    /// Returns the text of every log file in the data folder.
    pub fn log_text(&self) -> String {
        let mut text = String::new();
        for entry in std::fs::read_dir(self.data_dir()).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with("botline.") && name.ends_with(".log") {
                text.push_str(&std::fs::read_to_string(&path).unwrap());
            }
        }
        text
    }
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// Asserts a successful run and returns its standard output.
pub fn success(output: &Output) -> String {
    assert!(
        output.status.success(),
        "botline failed with {}: {}",
        output.status,
        stderr(output)
    );
    stdout(output)
}

/// Returns true for a progress line that a command prints on stderr while it retries.
pub fn is_retry_line(line: &str) -> bool {
    line.starts_with("botline: ") && line.contains(", retrying in ")
}

/// Asserts a failed run with exactly one line on stderr besides retry progress lines, and
/// returns that line.
pub fn one_line_failure(output: &Output) -> String {
    assert!(
        !output.status.success(),
        "botline succeeded: {}",
        stdout(output)
    );
    let text = stderr(output);
    let lines: Vec<&str> = text.lines().filter(|line| !is_retry_line(line)).collect();
    assert_eq!(lines.len(), 1, "expected one line on stderr, got {text:?}");
    assert!(lines[0].starts_with("botline: "), "{text:?}");
    lines[0].to_owned()
}

/// A child process whose standard output is read line by line; killed when dropped.
pub struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Running {
    pub fn spawn(mut command: Command) -> Running {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start botline");
        let stdout = child.stdout.take().unwrap();
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Running { child, lines }
    }

    /// Reads lines until one satisfies `found`, and returns it.
    pub fn wait_for_line(&mut self, found: impl Fn(&str) -> bool) -> String {
        loop {
            match self.lines.recv_timeout(LINE_WAIT_LIMIT) {
                Ok(line) if found(&line) => return line,
                Ok(_) => continue,
                Err(error) => {
                    let _ = self.child.kill();
                    let _ = self.child.wait();
                    let mut stderr = String::new();
                    if let Some(pipe) = self.child.stderr.as_mut() {
                        let _ = std::io::Read::read_to_string(pipe, &mut stderr);
                    }
                    panic!("no matching line from botline ({error}); stderr: {stderr}");
                }
            }
        }
    }
}

impl Running {
    /// Waits for the process to end and returns its exit status; kills it after
    /// [`LINE_WAIT_LIMIT`], which only a hung binary reaches.
    pub fn wait(&mut self) -> std::process::ExitStatus {
        let deadline = std::time::Instant::now() + LINE_WAIT_LIMIT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for botline") {
                return status;
            }
            if std::time::Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("botline did not exit within {LINE_WAIT_LIMIT:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
