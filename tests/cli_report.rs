//! `botline --demo report` against the practice tenant, its state between runs, `--reset`, and
//! `report` on a live config that points at the `emulator` command.

mod cli_support;

use std::net::{Ipv4Addr, SocketAddr};

use serde_json::Value;

use botline::client::{Client, ClientOptions};
use botline::emulator::{self, seed, Emulator};
use botline::model::UsageLocation;
use cli_support::{success, Running, Sandbox};

const INSTANCE_FIELDS: [&str; 9] = [
    "objectId",
    "userPrincipalName",
    "displayName",
    "applicationId",
    "usageLocation",
    "licenseState",
    "phoneNumber",
    "numberType",
    "activationState",
];

fn report_json(sandbox: &Sandbox, args: &[&str]) -> Vec<Value> {
    let text = success(&sandbox.run(args));
    let value: Value = serde_json::from_str(&text).expect("report prints JSON");
    value
        .as_array()
        .expect("report prints a JSON array")
        .clone()
}

fn instance<'a>(rows: &'a [Value], upn: &str) -> &'a Value {
    rows.iter()
        .find(|row| row["userPrincipalName"] == upn)
        .unwrap_or_else(|| panic!("no instance {upn}"))
}

#[test]
fn instances_json_follows_contract() {
    let sandbox = Sandbox::new();
    let rows = report_json(
        &sandbox,
        &["--demo", "report", "instances", "--format", "json"],
    );
    assert_eq!(rows.len(), 8);
    for row in &rows {
        let object = row.as_object().unwrap();
        for field in INSTANCE_FIELDS {
            assert!(object.contains_key(field), "{field} missing in {row}");
        }
        let state = row["licenseState"].as_str().unwrap();
        assert!(
            ["unlicensed", "provisioning", "active"].contains(&state),
            "{state}"
        );
    }

    let helpdesk = instance(&rows, "helpdesk-bot@contoso.com");
    assert_eq!(helpdesk["objectId"], seed::HELPDESK_BOT_ID);
    assert_eq!(helpdesk["applicationId"], seed::HELPDESK_BOT_APP_ID);
    assert_eq!(helpdesk["licenseState"], "active");
    assert_eq!(helpdesk["phoneNumber"], "+14255550110");
    assert_eq!(helpdesk["numberType"], "callingPlan");
    assert_eq!(helpdesk["activationState"], "activated");

    let reception = instance(&rows, "reception-bot@contoso.com");
    assert_eq!(reception["licenseState"], "unlicensed");
    assert!(reception["usageLocation"].is_null());
    assert!(reception["phoneNumber"].is_null());
    assert!(reception["numberType"].is_null());

    let alerts = instance(&rows, "alerts-bot@contoso.com");
    assert_eq!(alerts["licenseState"], "provisioning");
    let unmapped = instance(&rows, "unmapped-bot@contoso.com");
    assert!(unmapped["applicationId"].is_null());
}

#[test]
fn numbers_json_names_holders() {
    let sandbox = Sandbox::new();
    let rows = report_json(
        &sandbox,
        &["--demo", "report", "numbers", "--format", "json"],
    );
    assert_eq!(rows.len(), 30);
    for row in &rows {
        let object = row.as_object().unwrap();
        for field in [
            "telephoneNumber",
            "numberType",
            "activationState",
            "assignmentStatus",
            "capabilities",
            "assignmentTargetId",
            "isoCountryCode",
            "assignedTo",
        ] {
            assert!(object.contains_key(field), "{field} missing in {row}");
        }
    }

    let by_number = |number: &str| {
        rows.iter()
            .find(|row| row["telephoneNumber"] == number)
            .unwrap_or_else(|| panic!("no number {number}"))
    };
    let held = by_number("+14255550110");
    assert_eq!(held["assignedTo"], "helpdesk-bot@contoso.com");
    assert_eq!(held["assignmentStatus"], "voiceApplicationAssigned");
    assert_eq!(held["capabilities"][0], "voiceApplicationAssignment");
    let user_number = by_number("+14255550101");
    assert_eq!(user_number["assignedTo"], "adele.vance@contoso.com");
    let orphan = by_number("+14255550105");
    assert!(orphan["assignedTo"].is_null());
    assert_eq!(orphan["assignmentTargetId"], seed::MISSING_HOLDER_ID);
    let free = by_number("+14255550130");
    assert!(free["assignedTo"].is_null());
    assert_eq!(free["numberType"], "operatorConnect");
}

#[test]
fn licenses_json_counts_seats() {
    let sandbox = Sandbox::new();
    let rows = report_json(
        &sandbox,
        &["--demo", "report", "licenses", "--format", "json"],
    );
    assert_eq!(rows.len(), 4);
    for row in &rows {
        let enabled = row["enabled"].as_i64().unwrap();
        let consumed = row["consumed"].as_i64().unwrap();
        assert_eq!(
            row["available"].as_i64().unwrap(),
            enabled - consumed,
            "{row}"
        );
    }
    let resource = rows
        .iter()
        .find(|row| row["skuPartNumber"] == "PHONESYSTEM_VIRTUALUSER")
        .expect("the resource-account SKU is listed");
    assert_eq!(resource["skuId"], botline::model::RESOURCE_ACCOUNT_SKU_ID);
    assert_eq!(resource["enabled"], 25);
    assert_eq!(resource["consumed"], 6);
    assert_eq!(resource["available"], 19);
}

#[test]
fn csv_has_header_and_one_record_per_row() {
    let sandbox = Sandbox::new();
    let text = success(&sandbox.run(&["--demo", "report", "instances", "--format", "csv"]));
    let records: Vec<&str> = text.split_terminator("\r\n").collect();
    assert_eq!(records[0], INSTANCE_FIELDS.join(","));
    assert_eq!(records.len(), 1 + 8);
    let reception = records
        .iter()
        .find(|record| record.contains("reception-bot@contoso.com"))
        .unwrap();
    assert!(reception.ends_with(",,unlicensed,,,"), "{reception}");

    let text = success(&sandbox.run(&["--demo", "report", "numbers", "--format", "csv"]));
    let helpdesk = text
        .split_terminator("\r\n")
        .find(|record| record.starts_with("+14255550110,"))
        .unwrap();
    assert!(
        helpdesk.contains(",voiceApplicationAssignment;conferenceAssignment,"),
        "{helpdesk}"
    );
}

#[test]
fn table_is_the_default_format() {
    let sandbox = Sandbox::new();
    let text = success(&sandbox.run(&["--demo", "report"]));
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("UPN "), "{text}");
    assert_eq!(lines.last(), Some(&"8 instances"));
    assert_eq!(lines.len(), 1 + 8 + 1);
    let text = success(&sandbox.run(&["--demo", "report", "licenses", "--format", "table"]));
    assert_eq!(text.lines().last(), Some("4 SKUs"));
}

/// Changes the demo tenant through the emulator's HTTP surface, as another botline run would.
fn set_reception_location(sandbox: &Sandbox, location: &str) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let emulator = Emulator::start(emulator::Options {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            state_file: Some(sandbox.demo_state_file()),
            timing: emulator::Timing::instant(),
            ..emulator::Options::default()
        })
        .await
        .unwrap();
        let client = Client::new(
            emulator.endpoints(),
            Emulator::credentials(),
            ClientOptions::default(),
        )
        .unwrap();
        let location: UsageLocation = location.parse().unwrap();
        client
            .set_usage_location(seed::RECEPTION_BOT_ID, location)
            .await
            .unwrap();
        emulator.shutdown().await;
    });
}

#[test]
fn demo_state_persists_until_reset() {
    let sandbox = Sandbox::new();
    let args = ["--demo", "report", "--format", "json"];
    let first = report_json(&sandbox, &args);
    assert!(
        sandbox.demo_state_file().is_file(),
        "first run creates the state file"
    );
    assert!(instance(&first, "reception-bot@contoso.com")["usageLocation"].is_null());

    set_reception_location(&sandbox, "DE");
    let second = report_json(&sandbox, &args);
    assert_eq!(
        instance(&second, "reception-bot@contoso.com")["usageLocation"],
        "DE"
    );
    let third = report_json(&sandbox, &args);
    assert_eq!(
        instance(&third, "reception-bot@contoso.com")["usageLocation"],
        "DE"
    );

    let reset = report_json(
        &sandbox,
        &["--demo", "--reset", "report", "--format", "json"],
    );
    assert!(instance(&reset, "reception-bot@contoso.com")["usageLocation"].is_null());
    assert_eq!(reset, first);
}

#[test]
fn log_file_records_run_without_secrets() {
    let sandbox = Sandbox::new();
    success(&sandbox.run(&["--demo", "report"]));
    let log = sandbox.log_text();
    assert!(log.contains("botline started"), "{log}");
    assert!(log.contains("practice tenant started"), "{log}");
    assert!(!log.contains(emulator::DEMO_CLIENT_SECRET), "{log}");
}

#[test]
fn live_config_reaches_emulator_command() {
    let sandbox = Sandbox::new();
    let mut command = sandbox.command();
    command.args(["emulator", "--listen", "127.0.0.1:0"]);
    let mut running = Running::spawn(command);
    let endpoint = |line: &str, name: &str| {
        line.trim()
            .strip_prefix(name)
            .map(|rest| rest.trim().to_owned())
    };
    let login_line = running.wait_for_line(|line| line.trim().starts_with("login "));
    let login = endpoint(&login_line, "login").unwrap();
    let graph_line = running.wait_for_line(|line| line.trim().starts_with("graph "));
    let graph = endpoint(&graph_line, "graph").unwrap();
    let teams_line = running.wait_for_line(|line| line.trim().starts_with("teams "));
    let teams = endpoint(&teams_line, "teams").unwrap();
    running.wait_for_line(|line| line.starts_with("Press Ctrl-C"));
    assert!(graph.starts_with("http://127.0.0.1:"), "{graph}");

    let secret_file = sandbox.root().join("secret.txt");
    std::fs::write(&secret_file, format!("{}\n", emulator::DEMO_CLIENT_SECRET)).unwrap();
    sandbox.write_config(&format!(
        "tenant_id = \"{}\"\nclient_id = \"{}\"\nclient_secret_file = \"{}\"\n\
         [endpoints]\nlogin = \"{login}\"\ngraph = \"{graph}\"\nteams = \"{teams}\"\n",
        emulator::DEMO_TENANT_ID,
        emulator::DEMO_CLIENT_ID,
        secret_file.display()
    ));
    let rows = report_json(&sandbox, &["report", "licenses", "--format", "json"]);
    assert_eq!(rows.len(), 4);

    let wrong = "not-the-practice-secret-5f1c";
    let output = sandbox
        .command()
        .args(["report"])
        .env("BOTLINE_CLIENT_SECRET", wrong)
        .output()
        .unwrap();
    let line = cli_support::one_line_failure(&output);
    assert!(line.contains("sign-in failed"), "{line}");
    assert!(!line.contains(wrong), "{line}");
    assert!(!sandbox.log_text().contains(wrong));
}

#[test]
fn corrupt_demo_state_points_to_reset() {
    let sandbox = Sandbox::new();
    std::fs::create_dir_all(sandbox.data_dir()).unwrap();
    std::fs::write(sandbox.demo_state_file(), "{ not json").unwrap();
    let line = cli_support::one_line_failure(&sandbox.run(&["--demo", "report"]));
    assert!(
        line.contains(&sandbox.demo_state_file().display().to_string()),
        "{line}"
    );
    assert!(line.contains("--reset"), "{line}");

    let text = success(&sandbox.run(&["--demo", "--reset", "report"]));
    assert_eq!(text.lines().last(), Some("8 instances"));
}
