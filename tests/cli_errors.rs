//! The binary's help, its one-line errors, and its handling of missing or bad config files.

mod cli_support;

use cli_support::{one_line_failure, stderr, stdout, success, Sandbox};

const TENANT: &str = "9d2c6f1e-4b7a-4c3e-8f5d-2a1b0c9e8d7f";
const CLIENT: &str = "5e0f3d2c-1b4a-4e6f-9a8b-7c6d5e4f3a2b";

#[test]
fn help_lists_commands_and_options() {
    let sandbox = Sandbox::new();
    let text = success(&sandbox.run(&["--help"]));
    for expected in [
        "report",
        "assign",
        "emulator",
        "--demo",
        "--reset",
        "--config",
        "--read-only",
    ] {
        assert!(text.contains(expected), "help lacks {expected}: {text}");
    }
}

#[test]
fn report_help_names_formats() {
    let sandbox = Sandbox::new();
    let text = success(&sandbox.run(&["report", "--help"]));
    assert!(text.contains("instances"), "{text}");
    assert!(text.contains("json"), "{text}");
    assert!(text.contains("csv"), "{text}");
}

#[test]
fn version_prints_package_version() {
    let sandbox = Sandbox::new();
    let text = success(&sandbox.run(&["--version"]));
    assert_eq!(
        text.trim(),
        format!("botline {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn unknown_option_fails_in_one_line() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&["--frobnicate"]);
    let line = one_line_failure(&output);
    assert!(line.contains("--frobnicate"), "{line}");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn missing_assign_arguments_fail_in_one_line() {
    let sandbox = Sandbox::new();
    let line = one_line_failure(&sandbox.run(&["--demo", "assign", "--upn", "a@contoso.com"]));
    assert!(line.contains("--app-id"), "{line}");
    assert!(line.contains("--number"), "{line}");
}

#[test]
fn invalid_value_fails_in_one_line() {
    let sandbox = Sandbox::new();
    let line = one_line_failure(&sandbox.run(&["--demo", "report", "--format", "xml"]));
    assert!(line.contains("xml"), "{line}");
    let line = one_line_failure(&sandbox.run(&["--demo", "report", "phones"]));
    assert!(line.contains("phones"), "{line}");
}

#[test]
fn reset_without_demo_is_rejected() {
    let sandbox = Sandbox::new();
    let line = one_line_failure(&sandbox.run(&["--reset", "report"]));
    assert!(line.contains("--demo"), "{line}");
}

#[test]
fn missing_config_explains_setup() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&["report"]);
    assert!(!output.status.success());
    let text = stderr(&output);
    let expected_path = sandbox.config_dir().join("config.toml");
    let first = text.lines().next().unwrap();
    assert_eq!(
        first,
        format!("botline: no config file at {}", expected_path.display())
    );
    assert!(text.contains("tenant_id = "), "{text}");
    assert!(text.contains("client_id = "), "{text}");
    assert!(text.contains("botline --demo"), "{text}");
    assert!(stdout(&output).is_empty());
}

#[test]
fn missing_explicit_config_is_named() {
    let sandbox = Sandbox::new();
    let path = sandbox.root().join("elsewhere.toml");
    let output = sandbox.run(&["--config", path.to_str().unwrap(), "report"]);
    let first = stderr(&output).lines().next().unwrap().to_owned();
    assert_eq!(
        first,
        format!("botline: no config file at {}", path.display())
    );
}

#[test]
fn secret_in_config_is_rejected() {
    let sandbox = Sandbox::new();
    let path = sandbox.write_config(&format!(
        "tenant_id = \"{TENANT}\"\nclient_id = \"{CLIENT}\"\nclient_secret = \"hunter2\"\n"
    ));
    let line = one_line_failure(&sandbox.run(&["report"]));
    assert!(line.contains("client_secret is not allowed"), "{line}");
    assert!(line.contains(&path.display().to_string()), "{line}");
    assert!(line.contains("BOTLINE_CLIENT_SECRET"), "{line}");
    assert!(!line.contains("hunter2"), "{line}");
}

#[test]
fn bad_cloud_names_key_and_file() {
    let sandbox = Sandbox::new();
    let path = sandbox.write_config(&format!(
        "tenant_id = \"{TENANT}\"\nclient_id = \"{CLIENT}\"\ncloud = \"mars\"\n"
    ));
    let line = one_line_failure(&sandbox.run(&["report"]));
    assert_eq!(
        line,
        format!(
            "botline: invalid cloud \"mars\" in {}: expected one of global, gcc, gcc-high, dod, \
             china",
            path.display()
        )
    );
}

#[test]
fn missing_tenant_id_is_named() {
    let sandbox = Sandbox::new();
    let path = sandbox.root().join("custom.toml");
    std::fs::write(&path, format!("client_id = \"{CLIENT}\"\n")).unwrap();
    let line = one_line_failure(&sandbox.run(&["--config", path.to_str().unwrap(), "report"]));
    assert!(
        line.starts_with(&format!("botline: missing tenant_id in {}", path.display())),
        "{line}"
    );
}

#[test]
fn toml_error_gives_line_in_one_line() {
    let sandbox = Sandbox::new();
    sandbox.write_config(&format!(
        "tenant_id = \"{TENANT}\"\nclient_id = \"{CLIENT}\"\n[endpoints\n"
    ));
    let line = one_line_failure(&sandbox.run(&["report"]));
    assert!(line.contains("line 3"), "{line}");
}

#[test]
fn missing_secret_names_both_sources() {
    let sandbox = Sandbox::new();
    sandbox.write_config(&format!(
        "tenant_id = \"{TENANT}\"\nclient_id = \"{CLIENT}\"\n"
    ));
    let line = one_line_failure(&sandbox.run(&["report"]));
    assert!(line.contains("BOTLINE_CLIENT_SECRET"), "{line}");
    assert!(line.contains("client_secret_file"), "{line}");
}

#[test]
fn emulator_rejects_non_loopback_listen() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&["emulator", "--listen", "10.0.0.1:0"]);
    let line = one_line_failure(&output);
    assert!(line.contains("10.0.0.1:0"), "{line}");
    assert!(line.contains("--allow-non-loopback"), "{line}");
    assert!(stdout(&output).is_empty(), "the emulator printed endpoints");
}

#[test]
fn emulator_rejects_demo_flag() {
    let sandbox = Sandbox::new();
    let line = one_line_failure(&sandbox.run(&["--demo", "emulator", "--listen", "127.0.0.1:0"]));
    assert!(line.contains("--demo"), "{line}");
}

#[test]
fn assign_is_rejected_when_read_only() {
    let sandbox = Sandbox::new();
    let line = one_line_failure(&sandbox.run(&[
        "--demo",
        "--read-only",
        "assign",
        "--upn",
        "ivr@contoso.com",
        "--app-id",
        "0b5c7a53-5c1e-4a8e-9d0f-3e7b2a9c1d44",
        "--display-name",
        "IVR",
        "--usage-location",
        "US",
        "--number",
        "+14255550100",
    ]));
    assert!(line.contains("--read-only"), "{line}");
}

#[test]
fn screens_need_a_terminal() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&["--demo"]);
    let line = one_line_failure(&output);
    assert!(line.contains("need a terminal"), "{line}");
    assert!(line.contains("botline report"), "{line}");
    assert!(
        !sandbox.demo_state_file().exists(),
        "the practice tenant started without a terminal"
    );
}
