//! The `botline` command: parses the command line, starts logging, connects to the live tenant
//! or the practice tenant, and runs the command.
//!
//! Every failure ends the process with a non-zero status and one line on stderr,
//! `botline: <reason>`; the full error goes to the log file.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use color_eyre::eyre::{eyre, WrapErr};
use color_eyre::{Report, Result};

use botline::cli::{self, Cli, Command, ReportArgs};
use botline::client::{Client, ClientOptions};
use botline::config::{self, ConfigError};
use botline::demo::{self, Demo};
use botline::paths::Paths;
use botline::tui::TuiOptions;
use botline::{logging, report, wizard};

/// Exit status for a command line that does not parse, as clap uses it.
const USAGE_EXIT_STATUS: u8 = 2;

fn main() -> ExitCode {
    // Installing fails only when a hook is already set, which cannot happen this early.
    let _ = color_eyre::install();

    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("botline: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            print_failure(&error);
            ExitCode::FAILURE
        }
    }
}

/// Prints `--help` and `--version` as clap formats them, and anything else as one line.
fn usage_error(error: &clap::Error) -> ExitCode {
    if !error.use_stderr() {
        let _ = error.print();
        return ExitCode::SUCCESS;
    }
    eprintln!("botline: {}", cli::one_line(error));
    ExitCode::from(USAGE_EXIT_STATUS)
}

async fn run(cli: Cli) -> Result<()> {
    let paths = Paths::discover()?;
    let _log_guard = start_logging(&paths);
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "botline started");

    let result = run_command(cli, &paths).await;
    match &result {
        Ok(()) => tracing::info!("botline finished"),
        Err(error) => tracing::error!(error = %one_line(error), "botline failed"),
    }
    result
}

/// Starts the log file, or warns once on stderr and runs without a log.
fn start_logging(paths: &Paths) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let started = paths
        .create_data_dir()
        .map_err(|error| error.to_string())
        .and_then(|folder| logging::init(folder).map_err(|error| error.to_string()));
    match started {
        Ok(guard) => Some(guard),
        Err(reason) => {
            eprintln!("botline: warning: running without a log file: {reason}");
            None
        }
    }
}

async fn run_command(mut cli: Cli, paths: &Paths) -> Result<()> {
    let command = match cli.command.take() {
        Some(Command::Emulator(args)) => {
            if cli.demo || cli.config.is_some() || cli.read_only {
                return Err(eyre!(
                    "the emulator command takes no --demo, --config or --read-only, because it \
                     serves the practice tenant itself; put its options after `emulator`"
                ));
            }
            return demo::serve(&args, &mut io::stdout()).await;
        }
        other => other,
    };

    if command.is_none() && !(io::stdin().is_terminal() && io::stdout().is_terminal()) {
        return Err(eyre!(
            "the interactive screens need a terminal on standard input and output; run botline \
             in one, or use `botline report` in scripts"
        ));
    }
    let changes_tenant = match &command {
        Some(Command::Assign(_)) => Some("assign"),
        Some(Command::Unassign(_)) => Some("unassign"),
        _ => None,
    };
    if let (true, Some(name)) = (cli.read_only, changes_tenant) {
        return Err(eyre!(
            "{name} changes the tenant, which --read-only forbids; drop --read-only"
        ));
    }

    let tenant = Tenant::connect(&cli, paths).await?;
    let result = match command {
        Some(Command::Report(args)) => print_report(&tenant.client(), &args).await,
        Some(Command::Assign(args)) => {
            let timing = wizard_timing(cli.demo);
            botline::assign::run(tenant.client(), args, timing).await
        }
        Some(Command::Unassign(args)) => {
            let timing = wizard_timing(cli.demo);
            botline::unassign::run(&tenant.client(), &args.upn, timing, &program(&cli)).await
        }
        Some(Command::Doctor(args)) => {
            botline::doctor::run(
                &tenant.client(),
                args.upn.as_ref(),
                args.format,
                &program(&cli),
            )
            .await
        }
        Some(Command::Emulator(_)) => unreachable!("handled above"),
        None => {
            let options = TuiOptions {
                read_only: cli.read_only,
                tenant_label: tenant.label(),
                wizard_timing: wizard_timing(cli.demo),
            };
            botline::tui::run(tenant.client(), options).await
        }
    };
    tenant.stop().await;
    result
}

/// The tenant a command works on.
enum Tenant {
    /// A real tenant from the config file.
    Live {
        /// Client signed in with the config's credentials.
        client: Client,
        /// The config's `tenant_id`, shown in the screens' header.
        tenant_id: String,
    },
    /// The practice tenant, running in-process for this run.
    Demo(Demo),
}

impl Tenant {
    async fn connect(cli: &Cli, paths: &Paths) -> Result<Tenant> {
        if cli.demo {
            return Ok(Tenant::Demo(Demo::start(paths, cli.reset).await?));
        }
        let path = cli.config.clone().unwrap_or_else(|| paths.config_file());
        let config = config::load(&path)?;
        let credentials = config.credentials()?;
        tracing::info!(
            config = %path.display(),
            cloud = %config.cloud,
            tenant = %config.tenant_id,
            graph = %config.endpoints.graph,
            "using a live tenant"
        );
        let client = Client::new(config.endpoints, credentials, ClientOptions::default())?;
        Ok(Tenant::Live {
            client,
            tenant_id: config.tenant_id,
        })
    }

    fn client(&self) -> Client {
        match self {
            Tenant::Live { client, .. } => client.clone(),
            Tenant::Demo(demo) => demo.client().clone(),
        }
    }

    /// Returns the name the screens show for the tenant.
    fn label(&self) -> String {
        match self {
            Tenant::Live { tenant_id, .. } => tenant_id.clone(),
            Tenant::Demo(_) => "practice tenant (--demo)".to_owned(),
        }
    }

    async fn stop(self) {
        if let Tenant::Demo(demo) = self {
            demo.stop().await;
        }
    }
}

async fn print_report(client: &Client, args: &ReportArgs) -> Result<()> {
    let view = client
        .tenant_view()
        .await
        .wrap_err("failed to load the tenant")?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let written = report::write(&view, args.list, args.format, &mut out).and_then(|()| out.flush());
    match written {
        // A reader such as `head` that closes the pipe early has all it wanted.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => return Ok(()),
        other => other.wrap_err("failed to write the report to standard output")?,
    }
    if let Some(first) = view.malformed.first() {
        // The client logs every malformed record, so one line with the first is enough here.
        let first = first.replace(['\r', '\n'], " ");
        match view.malformed.len() {
            1 => eprintln!("botline: warning: skipped 1 unreadable record: {first}"),
            count => eprintln!(
                "botline: warning: skipped {count} unreadable records, the first: {first}"
            ),
        }
    }
    Ok(())
}

/// Returns the program as the admin started it, for commands that botline suggests.
fn program(cli: &Cli) -> String {
    match (&cli.config, cli.demo) {
        (_, true) => "botline --demo".to_owned(),
        (Some(path), false) => format!("botline --config {}", path.display()),
        (None, false) => "botline".to_owned(),
    }
}

/// Poll bounds of the wizard: quick against the emulator, patient against Microsoft.
fn wizard_timing(demo: bool) -> wizard::Timing {
    if demo {
        wizard::Timing {
            first_poll: Duration::from_millis(250),
            max_poll: Duration::from_secs(1),
            max_polls: 120,
        }
    } else {
        wizard::Timing {
            first_poll: Duration::from_secs(2),
            max_poll: Duration::from_secs(30),
            max_polls: 60,
        }
    }
}

/// Joins an error and its causes into one line, skipping a cause its parent already quotes.
fn one_line(error: &Report) -> String {
    let mut line = String::new();
    for cause in error.chain() {
        let text = cause.to_string().replace(['\r', '\n'], " ");
        if line.contains(text.trim()) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(text.trim());
    }
    line
}

fn print_failure(error: &Report) {
    eprintln!("botline: {}", one_line(error));
    if let Some(ConfigError::Missing { path }) = error.downcast_ref::<ConfigError>() {
        eprintln!();
        eprintln!(
            "botline needs a config file for a live tenant. Create {} like this:",
            path.display()
        );
        eprintln!();
        for line in config::example().lines() {
            eprintln!("  {line}");
        }
        eprintln!();
        eprintln!("or try the built-in practice tenant first: botline --demo");
    }
}
