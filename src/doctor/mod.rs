//! `botline doctor`: the health checklist of every bot, or of one, with the command that
//! fixes each failing check.
//!
//! The checklists go to stdout, as text or JSON. When a check fails, [`run`] returns an error
//! naming each unhealthy instance and its failing checks, which `main` prints as one line on
//! stderr with a non-zero exit status. Warnings alone keep the status zero.

mod fix;

pub use fix::{fix_text, FixContext};

use std::io::{self, Write};

use color_eyre::eyre::{eyre, WrapErr};
use serde::Serialize;

use crate::client::Client;
use crate::health::{self, Check, CheckId, Checklist, Verdict};
use crate::model::{InstanceRow, TenantView, Upn};

/// Output format of `doctor`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum DoctorFormat {
    /// A checklist per instance, for reading.
    #[default]
    Text,
    /// A JSON array, for scripts.
    Json,
}

/// Width of the verdict column of the text output.
const VERDICT_WIDTH: usize = 6;

/// Loads the tenant, prints the checklists, and fails when a check fails.
pub async fn run(
    client: &Client,
    upn: Option<&Upn>,
    format: DoctorFormat,
    program: &str,
) -> color_eyre::Result<()> {
    let view = client
        .tenant_view()
        .await
        .wrap_err("failed to load the tenant")?;
    let reports = reports(&view, upn);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let written = match format {
        DoctorFormat::Text => write_text(&reports, program, &mut out),
        DoctorFormat::Json => write_json(&reports, program, &mut out),
    }
    .and_then(|()| out.flush());
    match written {
        // A reader such as `head` that closes the pipe early has all it wanted.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => {}
        other => other.wrap_err("failed to write the checklists to standard output")?,
    }
    match failure_line(&reports) {
        Some(line) => Err(eyre!(line)),
        None => Ok(()),
    }
}

/// One instance's checklist with the row it was computed from.
#[derive(Debug, Clone)]
pub struct Report<'a> {
    /// The instance, or `None` when no instance has the UPN asked for.
    pub row: Option<&'a InstanceRow>,
    /// Its checks.
    pub checklist: Checklist,
}

/// Returns the checklists of every instance, or of the one with `upn`.
pub fn reports<'a>(view: &'a TenantView, upn: Option<&Upn>) -> Vec<Report<'a>> {
    let all = health::checklists(view);
    let pairs = view.instances.iter().zip(all);
    match upn {
        None => pairs
            .map(|(row, checklist)| Report {
                row: Some(row),
                checklist,
            })
            .collect(),
        Some(upn) => {
            let found = pairs
                .into_iter()
                .find(|(row, _)| row.user_principal_name.eq_ignore_ascii_case(upn.as_str()));
            match found {
                Some((row, checklist)) => vec![Report {
                    row: Some(row),
                    checklist,
                }],
                None => vec![Report {
                    row: None,
                    checklist: health::missing_instance(upn.as_str()),
                }],
            }
        }
    }
}

/// Returns the one line that names every unhealthy instance and its failing checks, or
/// `None` when no check fails.
pub fn failure_line(reports: &[Report<'_>]) -> Option<String> {
    let unhealthy: Vec<String> = reports
        .iter()
        .filter(|report| !report.checklist.is_healthy())
        .map(|report| {
            let failing: Vec<String> = report
                .checklist
                .failures()
                .map(|check| check.id.title().to_lowercase())
                .collect();
            format!("{} ({})", report.checklist.upn, failing.join(", "))
        })
        .collect();
    if unhealthy.is_empty() {
        return None;
    }
    let noun = if reports.len() == 1 {
        "instance fails"
    } else {
        "instances fail"
    };
    Some(format!(
        "{} of {} {noun} checks: {}",
        unhealthy.len(),
        reports.len(),
        unhealthy.join("; ")
    ))
}

fn fix_context<'a>(report: &'a Report<'a>, program: &'a str) -> FixContext<'a> {
    FixContext {
        program,
        upn: &report.checklist.upn,
        row: report.row,
    }
}

/// Writes each checklist as a title line and one line per check, a fix under each failing
/// or warning check, and a closing count.
pub fn write_text(reports: &[Report<'_>], program: &str, out: &mut dyn Write) -> io::Result<()> {
    let title_width = CheckId::ALL
        .iter()
        .map(|id| id.title().chars().count())
        .max()
        .unwrap_or(0);
    for (index, report) in reports.iter().enumerate() {
        if index > 0 {
            writeln!(out)?;
        }
        let list = &report.checklist;
        match report.row.and_then(|row| row.display_name.as_deref()) {
            Some(name) => writeln!(out, "{}  ({name})", list.upn)?,
            None => writeln!(out, "{}", list.upn)?,
        }
        let mut previous_fix: Option<String> = None;
        for check in &list.checks {
            writeln!(
                out,
                "  {:<VERDICT_WIDTH$}{:<title_width$}  {}",
                check.verdict.label(),
                check.id.title(),
                check.text
            )?;
            if let Some(remedy) = check.remedy {
                let fix = fix_text(remedy, fix_context(report, program));
                if previous_fix.as_ref() == Some(&fix) {
                    writeln!(
                        out,
                        "  {:<VERDICT_WIDTH$}fix: the same command fixes this",
                        ""
                    )?;
                } else {
                    writeln!(out, "  {:<VERDICT_WIDTH$}fix: {fix}", "")?;
                }
                previous_fix = Some(fix);
            }
        }
    }
    let healthy = reports
        .iter()
        .filter(|report| report.checklist.is_healthy())
        .count();
    if !reports.is_empty() {
        writeln!(out)?;
    }
    writeln!(
        out,
        "{} checked: {healthy} healthy, {} with failing checks.",
        match reports.len() {
            1 => "1 instance".to_owned(),
            count => format!("{count} instances"),
        },
        reports.len() - healthy
    )
}

/// One checklist as `doctor --format json` prints it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonReport<'a> {
    user_principal_name: &'a str,
    object_id: Option<&'a str>,
    healthy: bool,
    checks: Vec<JsonCheck<'a>>,
}

/// One check as `doctor --format json` prints it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonCheck<'a> {
    id: CheckId,
    title: &'static str,
    status: Verdict,
    text: &'a str,
    fix: Option<String>,
}

/// Writes the checklists as a JSON array.
pub fn write_json(reports: &[Report<'_>], program: &str, out: &mut dyn Write) -> io::Result<()> {
    let json: Vec<JsonReport<'_>> = reports
        .iter()
        .map(|report| JsonReport {
            user_principal_name: &report.checklist.upn,
            object_id: report.checklist.object_id.as_deref(),
            healthy: report.checklist.is_healthy(),
            checks: report
                .checklist
                .checks
                .iter()
                .map(|check: &Check| JsonCheck {
                    id: check.id,
                    title: check.id.title(),
                    status: check.verdict,
                    text: &check.text,
                    fix: check
                        .remedy
                        .map(|remedy| fix_text(remedy, fix_context(report, program))),
                })
                .collect(),
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &json)?;
    writeln!(out)
}
