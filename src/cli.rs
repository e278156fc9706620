//! The command line: options, commands and their arguments, parsed with clap.
//!
//! Parsing checks every value an admin types (UPN, GUID, country code, E.164 number), so a
//! command starts only with values it can use. [`one_line`] turns clap's multi-line usage
//! errors into the single line botline prints for every failure.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::doctor::DoctorFormat;
use crate::model::{AppId, NumberType, PhoneNumber, Upn, UsageLocation};
use crate::report::{Format, List};

/// Default port of the `emulator` command.
pub const DEFAULT_EMULATOR_PORT: u16 = 4780;

/// Give a Microsoft Teams calling bot a phone number, and see which bot holds which number.
///
/// Without a command, botline opens its interactive screens. `--demo` uses a built-in
/// practice tenant instead of a live one.
#[derive(Debug, Parser)]
#[command(name = "botline", version, about, long_about = None)]
pub struct Cli {
    /// Use the built-in practice tenant instead of a live one. Its state is kept in the data
    /// folder between runs.
    #[arg(long)]
    pub demo: bool,

    /// Restore the practice tenant from its seed before starting (only with --demo).
    #[arg(long, requires = "demo")]
    pub reset: bool,

    /// Read the live tenant's settings from FILE instead of config.toml in the config folder.
    #[arg(long, value_name = "FILE", conflicts_with = "demo")]
    pub config: Option<PathBuf>,

    /// Only look: hide and reject every action that changes the tenant.
    #[arg(long)]
    pub read_only: bool,

    /// The command to run; without one botline opens its interactive screens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print application instances, phone numbers or licenses.
    Report(ReportArgs),
    /// Give a bot a phone number in one go: create its application instance, license it and
    /// assign the number.
    Assign(AssignArgs),
    /// Unassign the phone number of a bot's application instance, and wait until it is free.
    Unassign(UnassignArgs),
    /// Check every bot's resource account, license and number (or one bot's), and say how to
    /// fix what fails; exits non-zero when a check fails.
    Doctor(DoctorArgs),
    /// Serve the practice tenant over HTTP in the foreground until Ctrl-C.
    Emulator(EmulatorArgs),
    /// Sign in as an admin with a device code and keep the tokens for later runs; needs
    /// auth = "device-code" in the config file.
    Login,
    /// Delete the cached sign-in tokens.
    Logout,
}

/// Arguments of `report`.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// The list to print.
    #[arg(value_enum, default_value_t)]
    pub list: List,

    /// The output format: aligned columns, a JSON array, or CSV with a header row.
    #[arg(long, value_enum, default_value_t, value_name = "FORMAT")]
    pub format: Format,
}

/// Arguments of `assign`.
#[derive(Debug, Clone, Args)]
pub struct AssignArgs {
    /// Sign-in name of the bot's application instance, such as ivr-bot@contoso.com; created
    /// when it does not exist.
    #[arg(long, value_name = "UPN")]
    pub upn: Upn,

    /// The bot's Application (client) ID in Entra, a GUID.
    #[arg(long = "app-id", value_name = "GUID")]
    pub app_id: AppId,

    /// Display name of the application instance, as Teams shows it to callers.
    #[arg(long, value_name = "NAME", value_parser = parse_display_name)]
    pub display_name: String,

    /// Usage location of the instance, a two-letter country code such as US; the license
    /// needs one.
    #[arg(long, value_name = "CC")]
    pub usage_location: UsageLocation,

    /// The phone number to assign, in E.164 form such as +14255550100. A tel: prefix, a
    /// missing + and a Direct Routing extension such as ;ext=123 are accepted.
    #[arg(long, value_name = "NUMBER")]
    pub number: PhoneNumber,

    /// The number's type: callingPlan, directRouting or operatorConnect. Without it, botline
    /// takes the type from the tenant's number inventory.
    #[arg(long, value_name = "TYPE", value_parser = parse_number_type)]
    pub number_type: Option<NumberType>,
}

/// Arguments of `unassign`.
#[derive(Debug, Clone, Args)]
pub struct UnassignArgs {
    /// Sign-in name of the account whose number is unassigned, such as ivr-bot@contoso.com.
    #[arg(long, value_name = "UPN")]
    pub upn: Upn,
}

/// Arguments of `doctor`.
#[derive(Debug, Clone, Args)]
pub struct DoctorArgs {
    /// Check only the application instance with this sign-in name.
    #[arg(value_name = "UPN")]
    pub upn: Option<Upn>,

    /// The output format: a checklist to read, or a JSON array for scripts.
    #[arg(long, value_enum, default_value_t, value_name = "FORMAT")]
    pub format: DoctorFormat,
}

/// Arguments of `emulator`.
#[derive(Debug, Clone, Args)]
pub struct EmulatorArgs {
    /// Address and port to listen on; port 0 picks a free port.
    #[arg(long, value_name = "ADDR", default_value_t = default_emulator_listen())]
    pub listen: SocketAddr,

    /// Tenant state file, created from the practice tenant's seed when missing. Without it
    /// the state lives in memory and is gone when the emulator stops.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,

    /// Accept a listen address outside loopback. This exposes the practice tenant and its
    /// published client secret to the network.
    #[arg(long)]
    pub allow_non_loopback: bool,

    /// Serve a large tenant: the practice tenant with generated free numbers added until its
    /// inventory holds COUNT numbers. The tenant lives in memory, so it excludes --state.
    #[arg(long, value_name = "COUNT", conflicts_with = "state")]
    pub numbers: Option<usize>,
}

fn default_emulator_listen() -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, DEFAULT_EMULATOR_PORT))
}

/// Maximum length of a user's display name in Entra, in characters.
const MAX_DISPLAY_NAME_CHARS: usize = 256;

fn parse_display_name(value: &str) -> Result<String, String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err("the display name is empty; give the name callers should see".into());
    }
    if trimmed.chars().any(char::is_control) {
        return Err("the display name contains a control character".into());
    }
    if trimmed.chars().count() > MAX_DISPLAY_NAME_CHARS {
        return Err(format!(
            "the display name is longer than {MAX_DISPLAY_NAME_CHARS} characters"
        ));
    }
    Ok(trimmed.to_owned())
}

fn parse_number_type(value: &str) -> Result<NumberType, String> {
    let parsed = NumberType::parse(value.trim());
    if NumberType::assignable().contains(&parsed) {
        return Ok(parsed);
    }
    Err("expected callingPlan, directRouting or operatorConnect".into())
}

/// Turns a clap error into one line: the reason, followed by a pointer to `--help`.
///
/// clap prints the reason, then tips, a usage block and a help hint on separate lines. The
/// reason's own lines (such as the list of missing arguments) are joined with spaces.
pub fn one_line(error: &clap::Error) -> String {
    let rendered = error.render().to_string();
    let mut parts: Vec<&str> = Vec::new();
    for line in rendered.lines() {
        let line = line.trim();
        if line.starts_with("Usage:") || line.starts_with("For more information") {
            break;
        }
        if line.is_empty() || line.starts_with("tip:") {
            continue;
        }
        parts.push(line.strip_prefix("error: ").unwrap_or(line));
    }
    format!("{} (see botline --help)", parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("botline").chain(args.iter().copied()))
    }

    const ASSIGN: [&str; 11] = [
        "assign",
        "--upn",
        "IVR@Contoso.com",
        "--app-id",
        "0b5c7a53-5c1e-4a8e-9d0f-3e7b2a9c1d44",
        "--display-name",
        " IVR bot ",
        "--usage-location",
        "us",
        "--number",
        "+14255550100",
    ];

    #[test]
    fn definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn no_command_opens_screens() {
        let cli = parse(&[]).unwrap();
        assert!(cli.command.is_none());
        assert!(!cli.demo);
    }

    #[test]
    fn report_defaults_to_instances_as_table() {
        let cli = parse(&["--demo", "report"]).unwrap();
        let Some(Command::Report(args)) = cli.command else {
            panic!("expected report");
        };
        assert_eq!(args.list, List::Instances);
        assert_eq!(args.format, Format::Table);
    }

    #[test]
    fn report_takes_list_and_format() {
        let cli = parse(&["report", "numbers", "--format", "csv"]).unwrap();
        let Some(Command::Report(args)) = cli.command else {
            panic!("expected report");
        };
        assert_eq!(args.list, List::Numbers);
        assert_eq!(args.format, Format::Csv);
    }

    #[test]
    fn reset_requires_demo() {
        let error = parse(&["--reset"]).unwrap_err();
        assert_eq!(
            error.kind(),
            clap::error::ErrorKind::MissingRequiredArgument
        );
        assert!(parse(&["--demo", "--reset"]).unwrap().reset);
    }

    #[test]
    fn config_conflicts_with_demo() {
        let error = parse(&["--demo", "--config", "x.toml"]).unwrap_err();
        assert_eq!(error.kind(), clap::error::ErrorKind::ArgumentConflict);
    }

    #[test]
    fn assign_parses_and_normalises_values() {
        let cli = parse(&ASSIGN).unwrap();
        let Some(Command::Assign(args)) = cli.command else {
            panic!("expected assign");
        };
        assert_eq!(args.upn.as_str(), "ivr@contoso.com");
        assert_eq!(args.display_name, "IVR bot");
        assert_eq!(args.usage_location.as_str(), "US");
        assert_eq!(args.number_type, None);
    }

    #[test]
    fn assign_takes_number_type_in_any_case() {
        let mut args = ASSIGN.to_vec();
        args.extend(["--number-type", "DirectRouting"]);
        let Some(Command::Assign(args)) = parse(&args).unwrap().command else {
            panic!("expected assign");
        };
        assert_eq!(args.number_type, Some(NumberType::DirectRouting));
    }

    #[test]
    fn assign_rejects_unassignable_number_type() {
        let mut args = ASSIGN.to_vec();
        args.extend(["--number-type", "internalError"]);
        let line = one_line(&parse(&args).unwrap_err());
        assert!(line.contains("internalError"), "{line}");
        assert!(line.contains("callingPlan"), "{line}");
    }

    #[test]
    fn assign_rejects_bad_app_id_in_one_line() {
        let mut args = ASSIGN.to_vec();
        args[4] = "not-a-guid";
        let line = one_line(&parse(&args).unwrap_err());
        assert!(line.contains("not-a-guid"), "{line}");
        assert!(line.contains("--app-id"), "{line}");
        assert!(!line.contains('\n'), "{line}");
    }

    #[test]
    fn assign_rejects_blank_display_name() {
        let mut args = ASSIGN.to_vec();
        args[6] = "  ";
        let line = one_line(&parse(&args).unwrap_err());
        assert!(line.contains("display name is empty"), "{line}");
    }

    #[test]
    fn missing_arguments_are_listed_on_one_line() {
        let line = one_line(&parse(&["assign", "--upn", "a@b.com"]).unwrap_err());
        assert!(!line.contains('\n'), "{line}");
        assert!(line.contains("--app-id <GUID>"), "{line}");
        assert!(line.contains("--number <NUMBER>"), "{line}");
        assert!(line.ends_with("(see botline --help)"), "{line}");
    }

    #[test]
    fn doctor_takes_optional_upn() {
        let Some(Command::Doctor(args)) = parse(&["doctor"]).unwrap().command else {
            panic!("expected doctor");
        };
        assert_eq!(args.upn, None);
        assert_eq!(args.format, DoctorFormat::Text);
        let Some(Command::Doctor(args)) =
            parse(&["doctor", "Survey-Bot@Contoso.com", "--format", "json"])
                .unwrap()
                .command
        else {
            panic!("expected doctor");
        };
        assert_eq!(args.upn.unwrap().as_str(), "survey-bot@contoso.com");
        assert_eq!(args.format, DoctorFormat::Json);
    }

    #[test]
    fn doctor_rejects_bad_upn() {
        let line = one_line(&parse(&["doctor", "not-a-upn"]).unwrap_err());
        assert!(line.contains("not-a-upn"), "{line}");
    }

    #[test]
    fn unassign_requires_upn() {
        let line = one_line(&parse(&["unassign"]).unwrap_err());
        assert!(line.contains("--upn <UPN>"), "{line}");
        let Some(Command::Unassign(args)) = parse(&["unassign", "--upn", "a@contoso.com"])
            .unwrap()
            .command
        else {
            panic!("expected unassign");
        };
        assert_eq!(args.upn.as_str(), "a@contoso.com");
    }

    #[test]
    fn emulator_defaults_to_loopback() {
        let Some(Command::Emulator(args)) = parse(&["emulator"]).unwrap().command else {
            panic!("expected emulator");
        };
        assert!(args.listen.ip().is_loopback());
        assert_eq!(args.listen.port(), DEFAULT_EMULATOR_PORT);
        assert_eq!(args.state, None);
        assert!(!args.allow_non_loopback);
    }

    #[test]
    fn login_and_logout_parse() {
        assert!(matches!(
            parse(&["login"]).unwrap().command,
            Some(Command::Login)
        ));
        assert!(matches!(
            parse(&["logout"]).unwrap().command,
            Some(Command::Logout)
        ));
        let with_config = parse(&["--config", "c.toml", "login"]).unwrap();
        assert_eq!(with_config.config, Some(PathBuf::from("c.toml")));
    }

    #[test]
    fn unknown_option_in_one_line() {
        let line = one_line(&parse(&["--frobnicate"]).unwrap_err());
        assert!(
            line.starts_with("unexpected argument '--frobnicate' found"),
            "{line}"
        );
    }
}
