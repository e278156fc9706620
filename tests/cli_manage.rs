//! `botline --demo doctor` and `botline --demo unassign` through the built binary, against
//! the practice tenant in a sandbox.

mod cli_support;

use serde_json::Value;

use cli_support::{one_line_failure, stderr, stdout, success, Sandbox};

/// The practice tenant's unhealthy bots, each with one check it must fail.
const UNHEALTHY: [(&str, &str); 5] = [
    ("reception-bot@contoso.com", "license assigned"),
    ("survey-bot@contoso.com", "number assigned"),
    ("scheduling-bot@contoso.com", "number activated"),
    ("alerts-bot@contoso.com", "license provisioned"),
    ("unmapped-bot@contoso.com", "application id bound"),
];

/// Returns the lines of the text checklist of one instance, from its title to the blank line.
fn checklist_of(text: &str, upn: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|line| line.starts_with(upn))
        .unwrap_or_else(|| panic!("no checklist of {upn} in:\n{text}"));
    lines[start..]
        .iter()
        .take_while(|line| !line.is_empty())
        .map(|line| (*line).to_owned())
        .collect()
}

fn line_of<'a>(checklist: &'a [String], title: &str) -> &'a str {
    checklist
        .iter()
        .find(|line| line.contains(title))
        .unwrap_or_else(|| panic!("no {title:?} line in {checklist:#?}"))
}

#[test]
fn doctor_lists_every_unhealthy_bot() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&["--demo", "doctor"]);
    let reason = one_line_failure(&output);
    assert!(
        reason.starts_with("botline: 5 of 8 instances fail checks: "),
        "{reason}"
    );
    for (upn, check) in UNHEALTHY {
        let named = format!("{upn} (");
        let at = reason
            .find(&named)
            .unwrap_or_else(|| panic!("{upn} missing in {reason}"));
        let listed = &reason[at + named.len()..];
        let listed = &listed[..listed.find(')').unwrap()];
        assert!(listed.contains(check), "{upn}: {check} missing in {listed}");
    }
    assert!(!reason.contains("helpdesk-bot"), "{reason}");

    let text = stdout(&output);
    assert!(
        text.ends_with("8 instances checked: 3 healthy, 5 with failing checks.\n"),
        "{text}"
    );
    let reception = checklist_of(&text, "reception-bot@contoso.com");
    assert!(line_of(&reception, "Usage location set").contains("FAIL"));
    assert!(line_of(&reception, "License assigned").contains("FAIL"));
    assert!(line_of(&reception, "License provisioned").contains("skip"));
    assert!(
        reception
            .iter()
            .any(|line| line
                .contains("fix: run `botline --demo assign --upn reception-bot@contoso.com")),
        "{reception:#?}"
    );
    let scheduling = checklist_of(&text, "scheduling-bot@contoso.com");
    let activated = line_of(&scheduling, "Number activated");
    assert!(activated.contains("FAIL"), "{activated}");
    assert!(activated.contains("assignmentPending"), "{activated}");
    assert!(
        scheduling
            .iter()
            .any(|line| line.contains("botline --demo unassign --upn scheduling-bot@contoso.com")),
        "{scheduling:#?}"
    );
    let helpdesk = checklist_of(&text, "helpdesk-bot@contoso.com");
    assert!(
        helpdesk[1..]
            .iter()
            .all(|line| line.trim_start().starts_with("ok")),
        "{helpdesk:#?}"
    );
}

#[test]
fn doctor_of_healthy_bot_succeeds() {
    let sandbox = Sandbox::new();
    let text = success(&sandbox.run(&["--demo", "doctor", "HelpDesk-Bot@contoso.com"]));
    assert!(
        text.starts_with("helpdesk-bot@contoso.com  (Contoso Helpdesk Bot)\n"),
        "{text}"
    );
    assert!(!text.contains("FAIL"), "{text}");
    assert!(text.ends_with("1 instance checked: 1 healthy, 0 with failing checks.\n"));
}

#[test]
fn doctor_of_unknown_upn_fails() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&["--demo", "doctor", "ghost-bot@contoso.com"]);
    let reason = one_line_failure(&output);
    assert!(
        reason.contains("ghost-bot@contoso.com (resource account exists)"),
        "{reason}"
    );
    let text = stdout(&output);
    assert!(
        text.contains("No application instance has the user principal name ghost-bot@contoso.com"),
        "{text}"
    );
    assert!(text.contains("--app-id GUID"), "{text}");
}

#[test]
fn doctor_json_lists_checks() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&["--demo", "doctor", "--format", "json"]);
    assert!(!output.status.success());
    let reports: Value = serde_json::from_str(&stdout(&output)).expect("doctor prints JSON");
    let reports = reports.as_array().unwrap();
    assert_eq!(reports.len(), 8);
    let survey = reports
        .iter()
        .find(|report| report["userPrincipalName"] == "survey-bot@contoso.com")
        .unwrap();
    assert_eq!(survey["healthy"], false);
    assert_eq!(survey["objectId"], "7e5a0000-0000-4000-8000-000000000003");

    let checks = survey["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 10);
    let number = checks
        .iter()
        .find(|check| check["id"] == "numberAssigned")
        .unwrap();
    assert_eq!(number["status"], "fail");
    assert_eq!(number["title"], "Number assigned");
    assert!(number["fix"]
        .as_str()
        .unwrap()
        .contains("assign --upn survey-bot@contoso.com"));
    let license = checks
        .iter()
        .find(|check| check["id"] == "licenseProvisioned")
        .unwrap();
    assert_eq!(license["status"], "pass");
    assert_eq!(license["fix"], Value::Null);
}

#[test]
fn unassign_frees_number_and_says_so() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&["--demo", "unassign", "--upn", "scheduling-bot@contoso.com"]);
    let text = success(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.first(),
        Some(&"Unassigning +14255550111 from scheduling-bot@contoso.com…")
    );
    assert!(
        lines
            .iter()
            .any(|line| line.starts_with("Teams is unassigning +14255550111… (check 1 of")),
        "{text}"
    );
    assert_eq!(
        lines.last(),
        Some(&"Unassigned +14255550111 from scheduling-bot@contoso.com; the number is free.")
    );
    assert_eq!(stderr(&output), "");

    // The practice tenant keeps the change, so the next commands see it.
    let report = success(&sandbox.run(&["--demo", "report", "numbers", "--format", "json"]));
    let numbers: Value = serde_json::from_str(&report).unwrap();
    let freed = numbers
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["telephoneNumber"] == "+14255550111")
        .unwrap();
    assert_eq!(freed["assignmentStatus"], "unassigned");
    assert_eq!(freed["assignedTo"], Value::Null);

    let again =
        success(&sandbox.run(&["--demo", "unassign", "--upn", "scheduling-bot@contoso.com"]));
    assert_eq!(
        again,
        "scheduling-bot@contoso.com holds no number, so nothing was unassigned.\n"
    );
}

#[test]
fn unassign_of_unknown_account_names_it() {
    let sandbox = Sandbox::new();
    let reason =
        one_line_failure(&sandbox.run(&["--demo", "unassign", "--upn", "nobody@contoso.com"]));
    assert!(
        reason.contains("no account has the user principal name nobody@contoso.com"),
        "{reason}"
    );
    assert!(reason.contains("botline --demo report"), "{reason}");
}

#[test]
fn unassign_is_rejected_read_only() {
    let sandbox = Sandbox::new();
    let reason = one_line_failure(&sandbox.run(&[
        "--demo",
        "--read-only",
        "unassign",
        "--upn",
        "helpdesk-bot@contoso.com",
    ]));
    assert!(reason.contains("--read-only"), "{reason}");
    let report = success(&sandbox.run(&["--demo", "doctor", "helpdesk-bot@contoso.com"]));
    assert!(
        report.contains("+14255550110"),
        "the number is still held: {report}"
    );
}
