//! `botline report` on a live config whose endpoints point at an emulator that this test runs
//! in-process, so that it can inject faults the practice tenant never shows.

mod cli_support;

use botline::emulator::{self, Emulator, Fault};
use cli_support::{one_line_failure, stderr, success, Sandbox};

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

    fn inject(&self, fault: Fault) {
        self.runtime.block_on(self.emulator().inject(fault));
    }

    /// Writes a config for this emulator into the sandbox.
    fn configure(&self, sandbox: &Sandbox) {
        let endpoints = self.emulator().endpoints();
        sandbox.write_config(&format!(
            "tenant_id = \"{}\"\nclient_id = \"{}\"\n[endpoints]\nlogin = \"{}\"\ngraph = \"{}\"\n\
             teams = \"{}\"\n",
            emulator::DEMO_TENANT_ID,
            emulator::DEMO_CLIENT_ID,
            endpoints.login,
            endpoints.graph,
            endpoints.teams
        ));
    }
}

impl Drop for Tenant {
    fn drop(&mut self) {
        if let Some(emulator) = self.emulator.take() {
            self.runtime.block_on(emulator.shutdown());
        }
    }
}

fn report(sandbox: &Sandbox, args: &[&str]) -> std::process::Output {
    sandbox
        .command()
        .args(args)
        .env("BOTLINE_CLIENT_SECRET", emulator::DEMO_CLIENT_SECRET)
        .output()
        .unwrap()
}

#[test]
fn live_report_lists_tenant() {
    let tenant = Tenant::start();
    let sandbox = Sandbox::new();
    tenant.configure(&sandbox);
    let output = report(&sandbox, &["report"]);
    let text = success(&output);
    assert_eq!(text.lines().last(), Some("8 instances"));
    assert!(stderr(&output).is_empty(), "{}", stderr(&output));
}

#[test]
fn malformed_record_warns_once() {
    let tenant = Tenant::start();
    tenant.inject(Fault::malformed_record("ApplicationInstances"));
    let sandbox = Sandbox::new();
    tenant.configure(&sandbox);
    let output = report(&sandbox, &["report", "--format", "json"]);
    let text = success(&output);
    let rows: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 8);
    let warning = stderr(&output);
    assert_eq!(warning.lines().count(), 1, "{warning}");
    assert!(
        warning.starts_with("botline: warning: skipped 1 unreadable record: "),
        "{warning}"
    );
}

#[test]
fn server_error_fails_in_one_line() {
    let tenant = Tenant::start();
    tenant.inject(Fault::html_error("subscribedSkus", 100));
    let sandbox = Sandbox::new();
    tenant.configure(&sandbox);
    let output = report(&sandbox, &["report", "licenses"]);
    let line = one_line_failure(&output);
    assert!(
        line.starts_with("botline: failed to load the tenant: "),
        "{line}"
    );
    assert!(line.contains("500"), "{line}");
    assert!(!line.contains('<'), "HTML leaked into {line}");
}
