//! Lists as large tenants and odd records make them: 2,500 numbers across pages while the
//! service throttles, and one malformed record among many, which stays visible as a marked row
//! while the rest load normally.

mod cli_support;
mod field_support;
mod tui_support;

use std::collections::HashSet;
use std::time::Duration;

use botline::emulator::{self, Fault, FaultKind, Timing};
use crossterm::event::KeyCode;
use serde_json::{json, Value};

use cli_support::{is_retry_line, stderr, success, Running, Sandbox};
use field_support::*;
use tui_support::{lines, press, press_char, render, row_with, text};

/// Numbers in the large tenant.
const LARGE_TENANT_NUMBERS: usize = 2500;
/// Maximum wait the in-process clients honour, enough for a `Retry-After` of one second.
const RETRY_WAIT: Duration = Duration::from_secs(2);

/// Returns a number record whose `capabilities` has the wrong JSON type, so it cannot decode.
fn undecodable_number() -> Value {
    json!({
        "id": "tn-14255550199",
        "telephoneNumber": "+14255550199",
        "numberType": "directRouting",
        "activationState": "activated",
        "assignmentStatus": "unassigned",
        "capabilities": "voiceApplicationAssignment",
        "isoCountryCode": "US",
    })
}

fn malformed(record: Value) -> Fault {
    Fault {
        route: "numberAssignments".to_owned(),
        method: None,
        times: 1,
        kind: FaultKind::MalformedRecord {
            record: Some(record),
        },
    }
}

fn report_rows(output: &std::process::Output) -> Vec<Value> {
    let rows: Value = serde_json::from_str(&success(output)).expect("stdout is JSON only");
    rows.as_array().unwrap().clone()
}

/// Posts a fault to an emulator that runs in another process.
fn post_fault(addr: &str, fault: Value) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let status = runtime.block_on(async {
        reqwest::Client::new()
            .post(format!("http://{addr}/_emulator/faults"))
            .json(&fault)
            .send()
            .await
            .unwrap()
            .status()
    });
    assert_eq!(status.as_u16(), 204);
}

#[test]
fn report_lists_large_tenant_while_throttled() {
    let sandbox = Sandbox::new();
    let mut command = sandbox.command();
    command.args([
        "emulator",
        "--listen",
        "127.0.0.1:0",
        "--numbers",
        &LARGE_TENANT_NUMBERS.to_string(),
    ]);
    let mut served = Running::spawn(command);
    let endpoint = |line: String| line.split_whitespace().nth(1).unwrap().to_owned();
    let login = endpoint(served.wait_for_line(|line| line.trim().starts_with("login ")));
    let graph = endpoint(served.wait_for_line(|line| line.trim().starts_with("graph ")));
    let teams = endpoint(served.wait_for_line(|line| line.trim().starts_with("teams ")));
    served.wait_for_line(|line| line.starts_with("Press Ctrl-C"));
    let addr = graph
        .strip_prefix("http://")
        .and_then(|rest| rest.strip_suffix("/v1.0"))
        .unwrap_or_else(|| panic!("unexpected graph endpoint {graph}"))
        .to_owned();
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");

    sandbox.write_config(&format!(
        "tenant_id = \"{}\"\nclient_id = \"{}\"\nauth = \"client-secret\"\n\
         [endpoints]\nlogin = \"{login}\"\ngraph = \"{graph}\"\nteams = \"{teams}\"\n",
        emulator::DEMO_TENANT_ID,
        emulator::DEMO_CLIENT_ID,
    ));
    post_fault(
        &addr,
        json!({
            "route": "numberAssignments",
            "kind": "throttle",
            "retryAfterSeconds": 1,
            "times": 3
        }),
    );

    let output = run_live(&sandbox, &["report", "numbers", "--format", "json"]);
    let rows = report_rows(&output);
    assert_eq!(rows.len(), LARGE_TENANT_NUMBERS);
    let unique: HashSet<&str> = rows
        .iter()
        .map(|row| row["telephoneNumber"].as_str().unwrap())
        .collect();
    assert_eq!(unique.len(), LARGE_TENANT_NUMBERS);
    assert!(unique.contains("+12065500000"));
    assert!(unique.contains("+12065502469"));
    let retries: Vec<String> = stderr(&output)
        .lines()
        .filter(|line| is_retry_line(line))
        .map(str::to_owned)
        .collect();
    assert_eq!(retries.len(), 3, "{retries:?}");
    assert!(retries
        .iter()
        .all(|line| line.starts_with("botline: throttled, retrying in 1 s")));

    let table = success(&run_live(&sandbox, &["report", "numbers"]));
    assert_eq!(table.lines().last(), Some("2,500 numbers"));
    assert_eq!(table.lines().count(), 1 + LARGE_TENANT_NUMBERS + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn numbers_screen_counts_large_tenant() {
    let seeded = emulator::practice_tenant().numbers.len();
    let state = emulator::practice_tenant().with_generated_numbers(LARGE_TENANT_NUMBERS - seeded);
    let (emulator, client) = start_emulator(Timing::instant(), state, RETRY_WAIT).await;
    emulator
        .inject(Fault::throttle("numberAssignments", 3, 1))
        .await;
    let worker = botline::worker::spawn(client);
    let mut screens = Screens {
        app: tui_support::app(false),
        worker,
    };
    screens.app.reload();
    screens.pump(|app| app.retry_status().is_some()).await;
    let status = lines(&render(&screens.app, 160, 30))[28].clone();
    assert!(status.contains("Loading the tenant: throttled"), "{status}");

    screens.pump(is_loaded).await;
    press_char(&mut screens.app, '3');
    let buffer = render(&screens.app, 160, 30);
    let rows = lines(&buffer);
    assert!(rows[0].contains("3 Numbers (2,500)"), "{}", rows[0]);
    assert_eq!(
        rows[28],
        "Loaded 8 instances, 4 licenses and 2,500 numbers."
    );
    assert!(text(&buffer).contains("+12065500000"), "{}", text(&buffer));

    press(&mut screens.app, KeyCode::End);
    let last = render(&screens.app, 160, 30);
    row_with(&last, "+442079460105");
}

#[test]
fn report_marks_malformed_number() {
    let tenant = Tenant::start();
    tenant.inject(Fault::malformed_record("numberAssignments"));
    let sandbox = Sandbox::new();
    tenant.configure(&sandbox, "");

    let output = run_live(&sandbox, &["report", "numbers", "--format", "json"]);
    let rows = report_rows(&output);
    assert_eq!(rows.len(), 31, "the thirty good numbers and the bad one");
    let marked: Vec<&Value> = rows
        .iter()
        .filter(|row| row.get("problem").is_some())
        .collect();
    assert_eq!(marked.len(), 1, "{marked:?}");
    assert_eq!(marked[0]["telephoneNumber"], "1");
    assert_eq!(marked[0]["numberType"], "futureNumberType");
    let warning = stderr(&output);
    assert_eq!(warning.lines().count(), 1, "{warning}");
    assert!(
        warning.starts_with("botline: warning: 1 number record has a problem and is marked: 1: "),
        "{warning}"
    );
    assert!(
        sandbox
            .log_text()
            .contains("number record marked with a problem"),
        "the bad row is logged"
    );

    tenant.inject(Fault::malformed_record("numberAssignments"));
    let table = success(&run_live(&sandbox, &["report", "numbers"]));
    let header = table.lines().next().unwrap();
    assert!(header.trim_end().ends_with("PROBLEM"), "{header}");
    let bad = table
        .lines()
        .find(|line| line.starts_with("1 "))
        .unwrap_or_else(|| panic!("no row for the bad record:\n{table}"));
    assert!(bad.contains("phone number"), "{bad}");
    assert_eq!(table.lines().last(), Some("31 numbers"));
}

#[test]
fn report_keeps_undecodable_number() {
    let tenant = Tenant::start();
    tenant.inject(malformed(undecodable_number()));
    let sandbox = Sandbox::new();
    tenant.configure(&sandbox, "");

    let output = run_live(&sandbox, &["report", "numbers", "--format", "json"]);
    let rows = report_rows(&output);
    assert_eq!(rows.len(), 31);
    let bad = rows
        .iter()
        .find(|row| row["telephoneNumber"] == "+14255550199")
        .expect("the record that does not decode is listed");
    let problem = bad["problem"].as_str().unwrap();
    assert!(
        problem.starts_with("number record 2 (telephoneNumber \"+14255550199\") could not be read"),
        "{problem}"
    );
    assert_eq!(bad["numberType"], "directRouting");
    assert_eq!(bad["isoCountryCode"], "US");
    assert!(
        stderr(&output).contains("1 number record has a problem and is marked"),
        "{}",
        stderr(&output)
    );
    let good = rows
        .iter()
        .filter(|row| row.get("problem").is_none())
        .count();
    assert_eq!(good, 30);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn numbers_screen_marks_malformed_row() {
    let (emulator, client) =
        start_emulator(Timing::instant(), emulator::practice_tenant(), RETRY_WAIT).await;
    emulator
        .inject(Fault::malformed_record("numberAssignments"))
        .await;
    let worker = botline::worker::spawn(client);
    let mut screens = Screens {
        app: tui_support::app(false),
        worker,
    };
    screens.app.reload();
    screens.pump(is_loaded).await;

    press_char(&mut screens.app, '3');
    let buffer = render(&screens.app, 160, 40);
    let rows = lines(&buffer);
    assert!(rows[0].contains("3 Numbers (31)"), "{}", rows[0]);
    assert_eq!(
        rows[38],
        "Loaded 8 instances, 4 licenses and 31 numbers. 1 number has a problem (marked !)."
    );
    let good = row_with(&buffer, "+14255550120");
    assert!(!good.contains('!'), "{good}");

    // The bad number "1" sorts after every "+..." number.
    press(&mut screens.app, KeyCode::End);
    let buffer = render(&screens.app, 160, 40);
    let bad = row_with(&buffer, "futureNumberType");
    assert!(bad.contains("▶ ! 1 "), "{bad}");
    let note = row_with(&buffer, "Problem with the selected record");
    assert!(note.contains("phone number"), "{note}");
}
