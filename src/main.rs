//! The `botline` command: parses the command line, starts logging, connects to the live tenant
//! or the practice tenant, and runs the command.
//!
//! Every failure ends the process with a non-zero status and one line on stderr,
//! `botline: <reason>`, after any retry progress lines; the full error goes to the log file.

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
use botline::wizard::Connection;
use botline::{logging, progress, report, wizard};

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
        Some(Command::Login) => {
            reject_demo(&cli, "login")?;
            let path = cli.config.clone().unwrap_or_else(|| paths.config_file());
            let config = config::load(&path)?;
            let token_file = paths.token_cache_file();
            return botline::login::login(&config, token_file, &mut io::stdout()).await;
        }
        Some(Command::Logout) => {
            reject_demo(&cli, "logout")?;
            return botline::login::logout(&paths.token_cache_file(), &mut io::stdout());
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
    if command.is_some() {
        progress::print_retries(&tenant.client());
        // The screens show a sign-in of their own; a command prints it on stderr.
        botline::login::print_sign_in_on_stderr(&tenant.client());
    }
    let result = match command {
        Some(Command::Report(args)) => print_report(&tenant.client(), &args).await,
        Some(Command::Assign(args)) => {
            botline::assign::run_with_connection(
                tenant.client(),
                args,
                tenant.wizard_timing(),
                tenant.connection(),
            )
            .await
        }
        Some(Command::Emulator(_) | Command::Login | Command::Logout) => {
            unreachable!("handled above")
        }
        Some(Command::Unassign(args)) => {
            botline::unassign::run(
                &tenant.client(),
                &args.upn,
                tenant.wizard_timing(),
                &program(&cli),
            )
            .await
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
        None => {
            let options = TuiOptions {
                read_only: cli.read_only,
                tenant_label: tenant.label(),
                wizard_timing: tenant.wizard_timing(),
            };
            botline::tui::run_with_connection(tenant.client(), options, tenant.connection()).await
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
        /// Poll bounds of the wizard, with the config's `[polling]` applied.
        wizard_timing: wizard::Timing,
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
        let client = Client::with_token_cache(
            config.endpoints,
            credentials,
            ClientOptions::default(),
            paths.token_cache_file(),
        )?;
        Ok(Tenant::Live {
            client,
            tenant_id: config.tenant_id,
            wizard_timing: config.polling.timing(&wizard_timing(false)),
        })
    }

    fn client(&self) -> Client {
        match self {
            Tenant::Live { client, .. } => client.clone(),
            Tenant::Demo(demo) => demo.client().clone(),
        }
    }

    /// Returns the wizard's poll bounds for this tenant.
    fn wizard_timing(&self) -> wizard::Timing {
        match self {
            Tenant::Live { wizard_timing, .. } => wizard_timing.clone(),
            Tenant::Demo(_) => wizard_timing(true),
        }
    }

    /// Returns how botline reaches the tenant, for the wizard. The practice tenant lets an
    /// application create resource accounts, so only a live tenant's app-only sign-in makes
    /// the wizard show PowerShell commands instead.
    fn connection(&self) -> Connection {
        match self {
            Tenant::Live { client, .. } => Connection::of(client),
            Tenant::Demo(_) => Connection::default(),
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
    for warning in report::warnings(&view, args.list) {
        eprintln!("botline: {warning}");
    }
    Ok(())
}

/// Rejects `--demo` for a command that works on the live tenant's sign-in only.
fn reject_demo(cli: &Cli, command: &str) -> Result<()> {
    if cli.demo {
        return Err(eyre!(
            "{command} works on the sign-in of a live tenant, and the practice tenant (--demo)              needs none; drop --demo"
        ));
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
