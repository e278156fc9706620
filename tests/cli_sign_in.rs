//! The built binary on a live-tenant config whose endpoints point at an emulator that this
//! test runs in-process: `login`, `logout`, commands that sign in with a device code, and
//! `assign` with app-only sign-in, which prints the PowerShell commands and waits.

mod cli_support;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;

use botline::emulator::state::{InstanceRecord, UserRecord};
use botline::emulator::{self, Emulator, Fault};
use cli_support::{one_line_failure, stderr, success, Sandbox, LINE_WAIT_LIMIT};

/// Application id of the practice tenant's bot that has no instance yet.
const BOT_APP_ID: &str = "0b5c7a53-5c1e-4a8e-9d0f-3e7b2a9c1d44";

/// An emulator on an ephemeral loopback port, served by its own runtime's worker threads while
/// the test runs the binary.
struct Tenant {
    runtime: tokio::runtime::Runtime,
    emulator: Option<Emulator>,
}

impl Tenant {
    fn start() -> Tenant {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let emulator = runtime
            .block_on(Emulator::start(emulator::Options {
                timing: emulator::Timing::instant(),
                ..emulator::Options::default()
            }))
            .unwrap();
        Tenant {
            runtime,
            emulator: Some(emulator),
        }
    }

    fn emulator(&self) -> &Emulator {
        self.emulator.as_ref().unwrap()
    }

    /// Writes a config for this emulator into the sandbox, with `auth` as given.
    fn configure(&self, sandbox: &Sandbox, auth: &str) {
        let endpoints = self.emulator().endpoints();
        sandbox.write_config(&format!(
            "tenant_id = \"{}\"\nclient_id = \"{}\"\nauth = \"{auth}\"\n[endpoints]\n\
             login = \"{}\"\ngraph = \"{}\"\nteams = \"{}\"\n",
            emulator::DEMO_TENANT_ID,
            emulator::DEMO_CLIENT_ID,
            endpoints.login,
            endpoints.graph,
            endpoints.teams
        ));
    }

    fn approve(&self, user_code: &str) {
        assert!(self
            .runtime
            .block_on(self.emulator().approve_device_code(user_code)));
    }

    fn decline(&self, user_code: &str) {
        assert!(self
            .runtime
            .block_on(self.emulator().decline_device_code(user_code)));
    }

    /// Adds the new bot's account, as the PowerShell commands would.
    fn create_in_powershell(&self) {
        let object_id = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d";
        self.runtime.block_on(self.emulator().edit_state(|state| {
            state.users.push(UserRecord {
                id: object_id.to_owned(),
                user_principal_name: "ivr-bot@contoso.com".to_owned(),
                display_name: Some("IVR Bot".to_owned()),
                account_enabled: false,
                usage_location: None,
                licenses: Vec::new(),
            });
            state.instances.push(InstanceRecord {
                object_id: object_id.to_owned(),
                application_id: Some(BOT_APP_ID.to_owned()),
                visible_at_ms: 0,
            });
        }));
    }
}

impl Drop for Tenant {
    fn drop(&mut self) {
        if let Some(emulator) = self.emulator.take() {
            self.runtime.block_on(emulator.shutdown());
        }
    }
}

fn token_file(sandbox: &Sandbox) -> PathBuf {
    sandbox.root().join("cache/botline/tokens.json")
}

/// A running binary whose stdout and stderr lines are read as they come.
struct Session {
    child: Child,
    lines: mpsc::Receiver<(bool, String)>,
    stdout: Vec<String>,
    stderr: Vec<String>,
}

impl Session {
    fn spawn(mut command: Command) -> Session {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start botline");
        let (sender, lines) = mpsc::channel();
        let out = child.stdout.take().unwrap();
        let err = child.stderr.take().unwrap();
        for (is_stderr, pipe) in [
            (false, Box::new(out) as Box<dyn std::io::Read + Send>),
            (true, Box::new(err)),
        ] {
            let sender = sender.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines() {
                    let Ok(line) = line else { break };
                    if sender.send((is_stderr, line)).is_err() {
                        break;
                    }
                }
            });
        }
        Session {
            child,
            lines,
            stdout: Vec::new(),
            stderr: Vec::new(),
        }
    }

    /// Reads lines until one satisfies `found`, and returns it.
    fn wait_for(&mut self, found: impl Fn(&str) -> bool) -> String {
        loop {
            let (is_stderr, line) = self
                .lines
                .recv_timeout(LINE_WAIT_LIMIT)
                .unwrap_or_else(|_| {
                    let _ = self.child.kill();
                    panic!(
                        "no matching line; stdout {:?}, stderr {:?}",
                        self.stdout, self.stderr
                    )
                });
            if is_stderr {
                self.stderr.push(line.clone());
            } else {
                self.stdout.push(line.clone());
            }
            if found(&line) {
                return line;
            }
        }
    }

    /// Waits for the exit and reads the remaining lines.
    fn finish(mut self) -> (ExitStatus, Vec<String>, Vec<String>) {
        let status = self.child.wait().unwrap();
        while let Ok((is_stderr, line)) = self.lines.recv_timeout(LINE_WAIT_LIMIT) {
            if is_stderr {
                self.stderr.push(line);
            } else {
                self.stdout.push(line);
            }
        }
        (status, self.stdout, self.stderr)
    }
}

/// Returns the code of a line such as "To sign in, open URL and enter the code ABC."
fn user_code(line: &str) -> String {
    let (_, rest) = line
        .split_once("enter the code ")
        .expect("a code in the line");
    rest.split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap()
        .to_owned()
}

/// Returns every token in the cache file, so tests can check that none leaked.
fn cached_tokens(sandbox: &Sandbox) -> Vec<String> {
    let cache: serde_json::Value =
        serde_json::from_slice(&std::fs::read(token_file(sandbox)).unwrap()).unwrap();
    let mut tokens = Vec::new();
    for account in cache["accounts"].as_array().unwrap() {
        tokens.push(account["refreshToken"].as_str().unwrap().to_owned());
        for token in account["accessTokens"].as_array().unwrap() {
            tokens.push(token["accessToken"].as_str().unwrap().to_owned());
        }
    }
    tokens
}

#[test]
fn login_report_logout() {
    let tenant = Tenant::start();
    let sandbox = Sandbox::new();
    tenant.configure(&sandbox, "device-code");

    let mut login = Session::spawn({
        let mut command = sandbox.command();
        command.arg("login");
        command
    });
    let prompt = login.wait_for(|line| line.contains("enter the code"));
    let address = format!("http://{}/_emulator/device", tenant.emulator().addr());
    assert_eq!(
        prompt,
        format!(
            "To sign in, open {address} and enter the code {}.",
            user_code(&prompt)
        )
    );
    tenant.approve(&user_code(&prompt));
    let (status, stdout, errors) = login.finish();
    assert!(status.success(), "login failed: {errors:?}");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        stdout[1],
        "The code expires in 15:00. Sign in as a Teams administrator."
    );
    assert!(stdout.contains(&"Signed in.".to_owned()), "{stdout:?}");
    let saved = stdout.last().unwrap();
    assert!(
        saved.contains(&token_file(&sandbox).display().to_string()),
        "{saved}"
    );

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(token_file(&sandbox))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "token cache mode {mode:o}");
    }
    let tokens = cached_tokens(&sandbox);
    assert_eq!(tokens.len(), 3, "a refresh token and one per API");

    // A later command uses the cached sign-in without asking again.
    let report = sandbox.run(&["report"]);
    let text = success(&report);
    assert_eq!(text.lines().last(), Some("8 instances"));
    assert!(stderr(&report).is_empty(), "{}", stderr(&report));

    let log = sandbox.log_text();
    assert!(log.contains("device-code sign-in approved"), "{log}");
    for token in &tokens {
        assert!(!log.contains(token.as_str()), "a token reached the log");
        assert!(!stdout.iter().any(|line| line.contains(token.as_str())));
        assert!(!text.contains(token.as_str()));
    }

    let logout = success(&sandbox.run(&["logout"]));
    let lines: Vec<&str> = logout.lines().collect();
    assert_eq!(
        lines[0],
        format!("Removed {} with 1 sign-in:", token_file(&sandbox).display())
    );
    assert_eq!(
        lines[1],
        format!(
            "  tenant {}, client {}, at http://{}: a refresh token and 2 access tokens",
            emulator::DEMO_TENANT_ID,
            emulator::DEMO_CLIENT_ID,
            tenant.emulator().addr()
        )
    );
    assert!(!token_file(&sandbox).exists());
    let again = success(&sandbox.run(&["logout"]));
    assert!(again.starts_with("No sign-in to remove: "), "{again}");
}

#[test]
fn report_signs_in_on_stderr_after_corrupt_cache() {
    let tenant = Tenant::start();
    let sandbox = Sandbox::new();
    tenant.configure(&sandbox, "device-code");
    std::fs::create_dir_all(token_file(&sandbox).parent().unwrap()).unwrap();
    std::fs::write(token_file(&sandbox), "{\"version\": 1, \"accounts\": [").unwrap();

    let mut report = Session::spawn({
        let mut command = sandbox.command();
        command.args(["report", "--format", "json"]);
        command
    });
    let prompt = report.wait_for(|line| line.contains("enter the code"));
    assert!(prompt.starts_with("botline: To sign in, open "), "{prompt}");
    assert!(prompt.ends_with("; the code expires in 15:00."), "{prompt}");
    tenant.approve(&user_code(&prompt));
    let (status, stdout, stderr) = report.finish();
    assert!(status.success(), "{stderr:?}");
    let rows: serde_json::Value = serde_json::from_str(&stdout.join("\n")).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 8);
    assert!(
        stderr.contains(&"botline: Signed in.".to_owned()),
        "{stderr:?}"
    );
    let log = sandbox.log_text();
    assert!(log.contains("ignoring the token cache"), "{log}");
    assert!(log.contains("line 1"), "{log}");
}

#[test]
fn declined_login_fails_in_one_line() {
    let tenant = Tenant::start();
    let sandbox = Sandbox::new();
    tenant.configure(&sandbox, "device-code");
    let mut login = Session::spawn({
        let mut command = sandbox.command();
        command.arg("login");
        command
    });
    let prompt = login.wait_for(|line| line.contains("enter the code"));
    tenant.decline(&user_code(&prompt));
    let (status, _, stderr) = login.finish();
    assert!(!status.success());
    assert_eq!(stderr.len(), 1, "{stderr:?}");
    assert!(
        stderr[0].starts_with(&format!(
            "botline: signing in to {} failed: sign-in failed: the sign-in was declined",
            emulator::DEMO_TENANT_ID
        )),
        "{stderr:?}"
    );
    assert!(!token_file(&sandbox).exists());
}

#[test]
fn login_needs_device_code_config() {
    let tenant = Tenant::start();
    let sandbox = Sandbox::new();
    tenant.configure(&sandbox, "client-secret");
    let line = one_line_failure(&sandbox.run(&["login"]));
    assert!(line.contains("auth = \"client-secret\""), "{line}");
    assert!(line.contains("auth = \"device-code\""), "{line}");

    let line = one_line_failure(&sandbox.run(&["--demo", "login"]));
    assert!(line.contains("drop --demo"), "{line}");
}

#[test]
fn app_only_assign_prints_commands_and_waits() {
    let tenant = Tenant::start();
    // Microsoft refuses an application that creates a resource account; the emulator allows
    // it unless told to refuse.
    tenant.runtime.block_on(
        tenant
            .emulator()
            .inject(Fault::client_error("ApplicationInstances", 1, 403).on_method("POST")),
    );
    let sandbox = Sandbox::new();
    tenant.configure(&sandbox, "client-secret");
    let mut assign = Session::spawn({
        let mut command = sandbox.command();
        command
            .env("BOTLINE_CLIENT_SECRET", emulator::DEMO_CLIENT_SECRET)
            .args([
                "assign",
                "--upn",
                "ivr-bot@contoso.com",
                "--app-id",
                BOT_APP_ID,
                "--display-name",
                "IVR Bot",
                "--usage-location",
                "US",
                "--number",
                "+14255550120",
            ]);
        command
    });
    let reason = assign.wait_for(|line| line.contains("app-only"));
    assert!(reason.contains("Access Denied"), "{reason}");
    let connect = assign.wait_for(|line| line.contains("Connect-MicrosoftTeams"));
    assert_eq!(connect, "    Connect-MicrosoftTeams");
    let create = assign.wait_for(|line| line.contains("New-CsOnlineApplicationInstance"));
    assert_eq!(
        create,
        format!(
            "    $instance = New-CsOnlineApplicationInstance -UserPrincipalName \
             ivr-bot@contoso.com -ApplicationId {BOT_APP_ID} -DisplayName \"IVR Bot\""
        )
    );
    let sync = assign.wait_for(|line| line.contains("Sync-CsOnlineApplicationInstance -ObjectId"));
    assert_eq!(
        sync,
        format!(
            "    Sync-CsOnlineApplicationInstance -ObjectId $instance.ObjectId -ApplicationId \
             {BOT_APP_ID}"
        )
    );
    assign.wait_for(|line| line.starts_with("Waiting for ivr-bot@contoso.com to appear"));
    tenant.create_in_powershell();

    let (status, stdout, stderr) = assign.finish();
    assert!(status.success(), "{stderr:?}");
    assert!(
        stdout
            .iter()
            .any(|line| line.starts_with("Found ivr-bot@contoso.com in Teams")),
        "{stdout:?}"
    );
    assert_eq!(
        stdout.last().unwrap(),
        "ivr-bot@contoso.com holds +14255550120 (Direct Routing, activated)"
    );
}
