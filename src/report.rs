//! `botline report`: a tenant's instances, numbers or licenses as a table, JSON or CSV.
//!
//! Formatting only: the functions here take rows of a [`TenantView`] and write to any
//! [`Write`]; loading the tenant is the caller's job.
//!
//! - `table` is for people: aligned columns, `-` for absent values, and a total line such as
//!   `2,500 numbers`.
//! - `json` is the contract for scripts: an array of the rows' serde form, absent values `null`.
//! - `csv` follows RFC 4180 (CRLF line ends, fields quoted when they hold a comma, a quote or a
//!   line break). Its header uses the JSON field names, absent values are empty fields, and
//!   lists such as `capabilities` are joined with `;`.

use std::io::{self, Write};

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::model::{InstanceRow, NumberRow, SkuRow, TenantView};
use crate::tui::widgets::format_count;

mod warnings;

pub use warnings::warnings;

/// Output format of `report`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for reading.
    #[default]
    Table,
    /// A JSON array.
    Json,
    /// Comma-separated values with a header row.
    Csv,
}

/// The list `report` prints.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum List {
    /// Application instances with their license and number.
    #[default]
    Instances,
    /// Phone numbers with their holder.
    Numbers,
    /// Subscribed SKUs with their seats.
    Licenses,
}

/// Writes one list of a tenant in the given format.
pub fn write(view: &TenantView, list: List, format: Format, out: &mut dyn Write) -> io::Result<()> {
    match list {
        List::Instances => write_instances(&view.instances, format, out),
        List::Numbers => write_numbers(&view.numbers, format, out),
        List::Licenses => write_licenses(&view.skus, format, out),
    }
}

/// Writes application instances.
pub fn write_instances(
    rows: &[InstanceRow],
    format: Format,
    out: &mut dyn Write,
) -> io::Result<()> {
    let cells = rows.iter().map(|row| {
        vec![
            Some(row.object_id.clone()),
            Some(row.user_principal_name.clone()),
            row.display_name.clone(),
            row.application_id.clone(),
            row.usage_location.clone(),
            Some(row.license_state.as_str().to_owned()),
            row.phone_number.clone(),
            row.number_type.as_ref().map(ToString::to_string),
            row.activation_state.as_ref().map(ToString::to_string),
        ]
    });
    let sheet = Sheet::new(&INSTANCE_COLUMNS, cells.collect());
    emit(rows, &sheet, format, ("instance", "instances"), out)
}

/// Writes phone numbers. The table names a holder that matches no account as `unknown
/// account <id>`; JSON and CSV leave `assignedTo` empty for it, next to `assignmentTargetId`.
pub fn write_numbers(rows: &[NumberRow], format: Format, out: &mut dyn Write) -> io::Result<()> {
    let cells = rows.iter().map(|row| {
        let record = &row.record;
        let joined = |values: Vec<String>| (!values.is_empty()).then(|| values.join(";"));
        let holder = match (&row.assigned_to, &record.assignment_target_id) {
            (None, Some(id)) if format == Format::Table && !id.is_empty() => {
                Some(format!("unknown account {id}"))
            }
            (holder, _) => holder.clone(),
        };
        vec![
            Some(record.telephone_number.clone()),
            record.number_type.as_ref().map(ToString::to_string),
            record.activation_state.as_ref().map(ToString::to_string),
            record.assignment_status.as_ref().map(ToString::to_string),
            record.assignment_category.as_ref().map(ToString::to_string),
            record.assignment_target_id.clone(),
            holder,
            joined(
                record
                    .capabilities
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
            ),
            record.iso_country_code.clone(),
            record.city.clone(),
            record.location_id.clone(),
            record.civic_address_id.clone(),
            record.network_site_id.clone(),
            record.operator_id.clone(),
            record.number_source.clone(),
            record.port_in_status.clone(),
            joined(record.supported_customer_actions.clone()),
            joined(record.reverse_number_lookup_options.clone()),
            record.id.clone(),
            row.problem.clone(),
        ]
    });
    let sheet = Sheet::new(&NUMBER_COLUMNS, cells.collect());
    emit(rows, &sheet, format, ("number", "numbers"), out)
}

/// Writes subscribed SKUs.
pub fn write_licenses(rows: &[SkuRow], format: Format, out: &mut dyn Write) -> io::Result<()> {
    let cells = rows.iter().map(|row| {
        vec![
            Some(row.sku_id.clone()),
            Some(row.sku_part_number.clone()),
            Some(row.enabled.to_string()),
            Some(row.consumed.to_string()),
            Some(row.available.to_string()),
        ]
    });
    let sheet = Sheet::new(&SKU_COLUMNS, cells.collect());
    emit(rows, &sheet, format, ("SKU", "SKUs"), out)
}

/// One column: its CSV header (the JSON field name), its table header, and how it is shown.
struct Column {
    field: &'static str,
    title: &'static str,
    shown: Shown,
    right_aligned: bool,
}

/// When a column appears in the table; CSV has every column.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shown {
    Always,
    /// Only when some row has a value, such as `problem`.
    WhenPresent,
    /// Never, such as long ids that make the table too wide to read.
    CsvOnly,
}

const fn column(field: &'static str, title: &'static str, shown: Shown) -> Column {
    Column {
        field,
        title,
        shown,
        right_aligned: false,
    }
}

const fn count(field: &'static str, title: &'static str) -> Column {
    Column {
        field,
        title,
        shown: Shown::Always,
        right_aligned: true,
    }
}

const INSTANCE_COLUMNS: [Column; 9] = [
    column("objectId", "OBJECT ID", Shown::CsvOnly),
    column("userPrincipalName", "UPN", Shown::Always),
    column("displayName", "DISPLAY NAME", Shown::Always),
    column("applicationId", "APPLICATION ID", Shown::Always),
    column("usageLocation", "LOCATION", Shown::Always),
    column("licenseState", "LICENSE", Shown::Always),
    column("phoneNumber", "NUMBER", Shown::Always),
    column("numberType", "TYPE", Shown::Always),
    column("activationState", "ACTIVATION", Shown::Always),
];

const NUMBER_COLUMNS: [Column; 20] = [
    column("telephoneNumber", "NUMBER", Shown::Always),
    column("numberType", "TYPE", Shown::Always),
    column("activationState", "ACTIVATION", Shown::Always),
    column("assignmentStatus", "STATUS", Shown::Always),
    column("assignmentCategory", "CATEGORY", Shown::CsvOnly),
    column("assignmentTargetId", "TARGET ID", Shown::CsvOnly),
    column("assignedTo", "ASSIGNED TO", Shown::Always),
    column("capabilities", "CAPABILITIES", Shown::Always),
    column("isoCountryCode", "COUNTRY", Shown::Always),
    column("city", "CITY", Shown::CsvOnly),
    column("locationId", "LOCATION ID", Shown::CsvOnly),
    column("civicAddressId", "CIVIC ADDRESS ID", Shown::CsvOnly),
    column("networkSiteId", "NETWORK SITE ID", Shown::CsvOnly),
    column("operatorId", "OPERATOR ID", Shown::CsvOnly),
    column("numberSource", "SOURCE", Shown::CsvOnly),
    column("portInStatus", "PORT-IN STATUS", Shown::CsvOnly),
    column("supportedCustomerActions", "ACTIONS", Shown::CsvOnly),
    column(
        "reverseNumberLookupOptions",
        "LOOKUP OPTIONS",
        Shown::CsvOnly,
    ),
    column("id", "ID", Shown::CsvOnly),
    column("problem", "PROBLEM", Shown::WhenPresent),
];

const SKU_COLUMNS: [Column; 5] = [
    column("skuId", "SKU ID", Shown::Always),
    column("skuPartNumber", "SKU", Shown::Always),
    count("enabled", "ENABLED"),
    count("consumed", "CONSUMED"),
    count("available", "AVAILABLE"),
];

/// Rows as text cells, shared by the table and CSV writers.
struct Sheet<'a> {
    columns: &'a [Column],
    rows: Vec<Vec<Option<String>>>,
}

impl<'a> Sheet<'a> {
    fn new(columns: &'a [Column], rows: Vec<Vec<Option<String>>>) -> Self {
        debug_assert!(rows.iter().all(|row| row.len() == columns.len()));
        Sheet { columns, rows }
    }
}

fn emit<T: Serialize>(
    rows: &[T],
    sheet: &Sheet<'_>,
    format: Format,
    noun: (&str, &str),
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Json => write_json(rows, out),
        Format::Csv => write_csv(sheet, out),
        Format::Table => write_table(sheet, noun, out),
    }
}

fn write_json<T: Serialize>(rows: &[T], out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, rows)?;
    writeln!(out)
}

fn write_csv(sheet: &Sheet<'_>, out: &mut dyn Write) -> io::Result<()> {
    let header: Vec<&str> = sheet.columns.iter().map(|column| column.field).collect();
    write_csv_record(header.into_iter(), out)?;
    for row in &sheet.rows {
        write_csv_record(row.iter().map(|cell| cell.as_deref().unwrap_or("")), out)?;
    }
    Ok(())
}

fn write_csv_record<'a>(
    fields: impl Iterator<Item = &'a str>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let line: Vec<String> = fields.map(csv_field).collect();
    write!(out, "{}\r\n", line.join(","))
}

/// Quotes a field when RFC 4180 requires it, doubling the quotes inside.
fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

fn write_table(sheet: &Sheet<'_>, noun: (&str, &str), out: &mut dyn Write) -> io::Result<()> {
    let visible: Vec<usize> = (0..sheet.columns.len())
        .filter(|&index| match sheet.columns[index].shown {
            Shown::Always => true,
            Shown::CsvOnly => false,
            Shown::WhenPresent => sheet.rows.iter().any(|row| row[index].is_some()),
        })
        .collect();
    let cells: Vec<Vec<String>> = sheet
        .rows
        .iter()
        .map(|row| {
            visible
                .iter()
                .map(|&index| {
                    row[index]
                        .as_deref()
                        .map_or_else(|| "-".to_owned(), printable)
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = visible
        .iter()
        .enumerate()
        .map(|(position, &index)| {
            cells
                .iter()
                .map(|row| row[position].width())
                .chain([sheet.columns[index].title.width()])
                .max()
                .unwrap_or(0)
        })
        .collect();

    let header: Vec<String> = visible
        .iter()
        .map(|&index| sheet.columns[index].title.to_owned())
        .collect();
    write_table_line(&header, &visible, &widths, sheet.columns, out)?;
    for row in &cells {
        write_table_line(row, &visible, &widths, sheet.columns, out)?;
    }
    let count = sheet.rows.len();
    let name = if count == 1 { noun.0 } else { noun.1 };
    writeln!(out, "{} {name}", format_count(count))
}

fn write_table_line(
    cells: &[String],
    visible: &[usize],
    widths: &[usize],
    columns: &[Column],
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut line = String::new();
    for (position, cell) in cells.iter().enumerate() {
        if position > 0 {
            line.push_str("  ");
        }
        let padding = " ".repeat(widths[position].saturating_sub(cell.width()));
        if columns[visible[position]].right_aligned {
            line.push_str(&padding);
            line.push_str(cell);
        } else {
            line.push_str(cell);
            line.push_str(&padding);
        }
    }
    writeln!(out, "{}", line.trim_end())
}

/// Replaces control characters, so that a name from the tenant cannot break the table's lines
/// or send escape sequences to the terminal.
fn printable(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        ActivationState, AssignmentStatus, LicenseState, NumberCapability, NumberType,
    };
    use crate::wire::graph::NumberAssignment;

    fn instance(upn: &str, display_name: Option<&str>) -> InstanceRow {
        InstanceRow {
            object_id: format!("id-{upn}"),
            user_principal_name: upn.into(),
            display_name: display_name.map(Into::into),
            application_id: Some("0b5c7a53-5c1e-4a8e-9d0f-3e7b2a9c1d44".into()),
            usage_location: Some("US".into()),
            license_state: LicenseState::Active,
            phone_number: Some("+14255550100".into()),
            number_type: Some(NumberType::CallingPlan),
            activation_state: Some(ActivationState::Activated),
            account_found: true,
        }
    }

    fn bare_instance(upn: &str) -> InstanceRow {
        InstanceRow {
            object_id: format!("id-{upn}"),
            user_principal_name: upn.into(),
            display_name: None,
            application_id: None,
            usage_location: None,
            license_state: LicenseState::Unlicensed,
            phone_number: None,
            number_type: None,
            activation_state: None,
            account_found: true,
        }
    }

    fn number(telephone_number: &str, assigned_to: Option<&str>) -> NumberRow {
        NumberRow {
            record: NumberAssignment {
                telephone_number: telephone_number.into(),
                number_type: Some(NumberType::DirectRouting),
                activation_state: Some(ActivationState::Activated),
                assignment_status: Some(AssignmentStatus::VoiceApplicationAssigned),
                assignment_target_id: assigned_to.map(|_| "target-1".into()),
                capabilities: vec![
                    NumberCapability::VoiceApplicationAssignment,
                    NumberCapability::ConferenceAssignment,
                ],
                iso_country_code: Some("US".into()),
                ..NumberAssignment::default()
            },
            assigned_to: assigned_to.map(Into::into),
            problem: None,
        }
    }

    fn sku(part: &str, enabled: i64, consumed: i64) -> SkuRow {
        SkuRow {
            sku_id: format!("{part}-id"),
            sku_part_number: part.into(),
            enabled,
            consumed,
            available: enabled - consumed,
        }
    }

    fn render(write: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        write(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn instance_json_has_contract_fields_and_nulls() {
        let rows = [
            instance("bot@contoso.com", Some("Bot")),
            bare_instance("b@contoso.com"),
        ];
        let text = render(|out| write_instances(&rows, Format::Json, out));
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let array = value.as_array().unwrap();
        assert_eq!(array.len(), 2);
        let full = &array[0];
        for field in [
            "objectId",
            "userPrincipalName",
            "displayName",
            "applicationId",
            "usageLocation",
            "licenseState",
            "phoneNumber",
            "numberType",
            "activationState",
        ] {
            assert!(full.get(field).is_some(), "missing {field}");
        }
        assert_eq!(full["licenseState"], "active");
        assert_eq!(full["numberType"], "callingPlan");
        let bare = &array[1];
        assert_eq!(bare["licenseState"], "unlicensed");
        assert!(bare["phoneNumber"].is_null());
        assert!(bare["displayName"].is_null());
        assert!(bare["activationState"].is_null());
    }

    #[test]
    fn empty_list_is_empty_json_array() {
        let text = render(|out| write_instances(&[], Format::Json, out));
        assert_eq!(text.trim(), "[]");
    }

    #[test]
    fn number_json_has_graph_fields_and_holder() {
        let rows = [
            number("+14255550100", Some("bot@contoso.com")),
            number("+14255550101", None),
        ];
        let text = render(|out| write_numbers(&rows, Format::Json, out));
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let held = &value[0];
        assert_eq!(held["telephoneNumber"], "+14255550100");
        assert_eq!(held["assignedTo"], "bot@contoso.com");
        assert_eq!(held["assignmentStatus"], "voiceApplicationAssigned");
        assert_eq!(held["capabilities"][0], "voiceApplicationAssignment");
        assert_eq!(held["isoCountryCode"], "US");
        assert!(held.get("problem").is_none());
        let free = &value[1];
        assert!(free["assignedTo"].is_null());
        assert!(free["assignmentTargetId"].is_null());
    }

    #[test]
    fn license_json_fields() {
        let text = render(|out| {
            write_licenses(&[sku("PHONESYSTEM_VIRTUALUSER", 5, 2)], Format::Json, out)
        });
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let row = &value[0];
        assert_eq!(row["skuId"], "PHONESYSTEM_VIRTUALUSER-id");
        assert_eq!(row["skuPartNumber"], "PHONESYSTEM_VIRTUALUSER");
        assert_eq!(row["enabled"], 5);
        assert_eq!(row["consumed"], 2);
        assert_eq!(row["available"], 3);
    }

    #[test]
    fn csv_quotes_commas_quotes_and_line_breaks() {
        let rows = [instance(
            "bot@contoso.com",
            Some("Front desk, \"main\"\nline"),
        )];
        let text = render(|out| write_instances(&rows, Format::Csv, out));
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "objectId,userPrincipalName,displayName,applicationId,usageLocation,licenseState,\
             phoneNumber,numberType,activationState"
        );
        assert!(
            text.contains(",\"Front desk, \"\"main\"\"\nline\","),
            "{text}"
        );
        assert!(text.ends_with("activated\r\n"), "{text:?}");
    }

    #[test]
    fn csv_nulls_are_empty_fields() {
        let text =
            render(|out| write_instances(&[bare_instance("b@contoso.com")], Format::Csv, out));
        let record = text.split("\r\n").nth(1).unwrap();
        assert_eq!(record, "id-b@contoso.com,b@contoso.com,,,,unlicensed,,,");
    }

    #[test]
    fn csv_joins_capabilities_with_semicolons() {
        let text = render(|out| write_numbers(&[number("+14255550100", None)], Format::Csv, out));
        let header: Vec<&str> = text.split("\r\n").next().unwrap().split(',').collect();
        let record: Vec<&str> = text.split("\r\n").nth(1).unwrap().split(',').collect();
        assert_eq!(header.len(), record.len());
        let capabilities = header
            .iter()
            .position(|&name| name == "capabilities")
            .unwrap();
        assert_eq!(
            record[capabilities],
            "voiceApplicationAssignment;conferenceAssignment"
        );
        let assigned_to = header
            .iter()
            .position(|&name| name == "assignedTo")
            .unwrap();
        assert_eq!(record[assigned_to], "");
    }

    #[test]
    fn table_aligns_columns_and_counts_rows() {
        let rows = [
            instance("a@contoso.com", Some("Reception")),
            bare_instance("longer-name@contoso.com"),
        ];
        let text = render(|out| write_instances(&rows, Format::Table, out));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4);
        assert!(lines[0].starts_with("UPN                      DISPLAY NAME  APPLICATION ID"));
        assert!(lines[1].starts_with("a@contoso.com            Reception     0b5c7a53-"));
        assert!(lines[2].starts_with("longer-name@contoso.com  -             -"));
        let license_column = lines[0].find("LICENSE").unwrap();
        assert_eq!(&lines[1][license_column..license_column + 6], "active");
        assert_eq!(&lines[2][license_column..license_column + 10], "unlicensed");
        assert_eq!(lines[3], "2 instances");
        assert!(
            !text.contains("id-a@contoso.com"),
            "object ids stay out of the table"
        );
    }

    #[test]
    fn table_total_is_singular_for_one_row() {
        let text =
            render(|out| write_instances(&[bare_instance("a@contoso.com")], Format::Table, out));
        assert_eq!(text.lines().last(), Some("1 instance"));
    }

    #[test]
    fn table_right_aligns_counts() {
        let rows = [sku("PHONESYSTEM_VIRTUALUSER", 25, 3), sku("MCOEV", 5, 5)];
        let text = render(|out| write_licenses(&rows, Format::Table, out));
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].ends_with("ENABLED  CONSUMED  AVAILABLE"),
            "{}",
            lines[0]
        );
        assert!(
            lines[1].ends_with("     25         3         22"),
            "{}",
            lines[1]
        );
        assert!(
            lines[2].ends_with("      5         5          0"),
            "{}",
            lines[2]
        );
        assert_eq!(lines[3], "2 SKUs");
    }

    #[test]
    fn table_shows_problem_column_only_when_needed() {
        let clean =
            render(|out| write_numbers(&[number("+14255550100", None)], Format::Table, out));
        assert!(!clean.contains("PROBLEM"));
        let mut broken = number("555", None);
        broken.problem = Some("not E.164".into());
        let text = render(|out| write_numbers(&[broken], Format::Table, out));
        assert!(text.lines().next().unwrap().ends_with("PROBLEM"));
        assert!(text.contains("not E.164"));
    }

    #[test]
    fn table_replaces_control_characters() {
        let rows = [instance("a@contoso.com", Some("evil\u{1b}[2Jname\nx"))];
        let text = render(|out| write_instances(&rows, Format::Table, out));
        assert!(!text.contains('\u{1b}'));
        assert_eq!(text.lines().count(), 3);
        assert!(text.contains("evil\u{fffd}[2Jname\u{fffd}x"));
    }

    #[test]
    fn table_measures_wide_characters() {
        let rows = [
            instance("a@contoso.com", Some("受付")),
            instance("b@contoso.com", Some("Desk")),
        ];
        let text = render(|out| write_instances(&rows, Format::Table, out));
        let lines: Vec<&str> = text.lines().collect();
        // Both names take four terminal columns, so the next column starts at the same place.
        let start = |line: &str| line[..line.find("0b5c").unwrap()].width();
        assert_eq!(start(lines[1]), start(lines[2]));
        let header_start = lines[0][..lines[0].find("APPLICATION ID").unwrap()].width();
        assert_eq!(header_start, start(lines[1]));
    }

    #[test]
    fn write_dispatches_on_list() {
        let view = TenantView {
            instances: vec![bare_instance("a@contoso.com")],
            numbers: vec![],
            skus: vec![sku("MCOEV", 1, 0)],
            ..TenantView::default()
        };
        let text = render(|out| write(&view, List::Licenses, Format::Table, out));
        assert_eq!(text.lines().last(), Some("1 SKU"));
        let text = render(|out| write(&view, List::Numbers, Format::Table, out));
        assert_eq!(text.lines().last(), Some("0 numbers"));
    }
}
