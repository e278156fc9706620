//! The practice tenant: `--demo` runs the built-in emulator in-process and points the live
//! client at it, and the `emulator` command serves it in the foreground for other clients.
//!
//! The demo tenant's state lives in `demo-tenant.json` in the data folder. The emulator
//! creates it from the seed on first use and writes every change to it, so the tenant
//! survives restarts until `--reset` replaces it with the seed.

use std::io::{self, Write};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

use color_eyre::eyre::{eyre, WrapErr};
use color_eyre::Result;

use crate::cli::EmulatorArgs;
use crate::client::{Client, ClientOptions, Endpoints};
use crate::emulator::{self, Emulator, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID};
use crate::paths::Paths;

/// A running practice tenant and a client signed in to it.
pub struct Demo {
    emulator: Emulator,
    client: Client,
    state_file: PathBuf,
}

impl Demo {
    /// Starts the emulator on an ephemeral loopback port with the demo tenant's state file.
    ///
    /// With `reset`, the tenant starts again from the seed and replaces the state file. The
    /// reset happens under the state file's lock, so it never touches a tenant that another
    /// botline is using.
    pub async fn start(paths: &Paths, reset: bool) -> Result<Demo> {
        paths.create_data_dir()?;
        let state_file = paths.demo_state_file();
        let options = emulator::Options {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            state_file: Some(state_file.clone()),
            timing: emulator::Timing::demo(),
            ..emulator::Options::default()
        };
        let started = if reset {
            Emulator::start_with_state(options, emulator::practice_tenant()).await
        } else {
            Emulator::start(options).await
        };
        let emulator = match started {
            Ok(emulator) => emulator,
            // Another botline has the tenant locked: `--reset` would not help, so it is not offered.
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                return Err(eyre!("cannot open the practice tenant: {error}"));
            }
            Err(error) => {
                return Err(eyre!(
                    "failed to start the practice tenant from {}: {error}; `botline --demo \
                     --reset` starts again from the seed",
                    state_file.display()
                ));
            }
        };
        if reset {
            tracing::info!(state = %state_file.display(), "practice tenant reset");
        }
        tracing::info!(addr = %emulator.addr(), state = %state_file.display(), "practice tenant started");
        let client = Client::new(
            emulator.endpoints(),
            Emulator::credentials(),
            ClientOptions::default(),
        )?;
        Ok(Demo {
            emulator,
            client,
            state_file,
        })
    }

    /// Returns a client for the practice tenant; clones share one connection pool.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Returns the file that keeps the tenant between runs.
    pub fn state_file(&self) -> &Path {
        &self.state_file
    }

    /// Stops the emulator and waits for its open connections to close.
    pub async fn stop(self) {
        self.emulator.shutdown().await;
        tracing::info!("practice tenant stopped");
    }
}

/// Rejects a listen address outside loopback unless the admin allowed it.
pub fn check_listen_address(listen: SocketAddr, allow_non_loopback: bool) -> Result<()> {
    if listen.ip().is_loopback() || allow_non_loopback {
        return Ok(());
    }
    Err(eyre!(
        "the emulator listens only on loopback, but --listen is {listen}; use 127.0.0.1 or \
         [::1], or add --allow-non-loopback to expose the practice tenant and its published \
         secret to the network"
    ))
}

/// Runs the emulator until Ctrl-C, after printing its endpoints and credentials to `out`.
pub async fn serve(args: &EmulatorArgs, out: &mut dyn Write) -> Result<()> {
    check_listen_address(args.listen, args.allow_non_loopback)?;
    if !args.listen.ip().is_loopback() {
        tracing::warn!(listen = %args.listen, "emulator exposed outside loopback");
    }
    let options = emulator::Options {
        listen: args.listen,
        state_file: args.state.clone(),
        timing: emulator::Timing::demo(),
        allow_non_loopback: args.allow_non_loopback,
    };
    let started = match args.numbers {
        Some(count) => Emulator::start_with_state(options, large_tenant(count)?).await,
        None => Emulator::start(options).await,
    };
    let emulator =
        started.wrap_err_with(|| format!("failed to start the emulator on {}", args.listen))?;
    tracing::info!(
        addr = %emulator.addr(),
        state = ?args.state,
        numbers = ?args.numbers,
        "emulator started"
    );

    print_banner(&emulator.endpoints(), args.state.as_deref(), out)?;
    out.flush()?;

    tokio::signal::ctrl_c()
        .await
        .wrap_err("cannot wait for Ctrl-C")?;
    emulator.shutdown().await;
    tracing::info!("emulator stopped");
    writeln!(out, "emulator stopped")?;
    Ok(())
}

/// Returns the practice tenant with generated free numbers added until it has `count`.
fn large_tenant(count: usize) -> Result<emulator::TenantState> {
    let tenant = emulator::practice_tenant();
    let seeded = tenant.numbers.len();
    if count < seeded {
        return Err(eyre!(
            "--numbers {count} is fewer than the {seeded} numbers the practice tenant starts \
             with; give {seeded} or more"
        ));
    }
    Ok(tenant.with_generated_numbers(count - seeded))
}

/// Prints where the emulator listens and a config file that points botline at it.
fn print_banner(
    endpoints: &Endpoints,
    state: Option<&Path>,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out, "botline emulator: serving the practice tenant")?;
    writeln!(out, "  login  {}", endpoints.login)?;
    writeln!(out, "  graph  {}", endpoints.graph)?;
    writeln!(out, "  teams  {}", endpoints.teams)?;
    match state {
        Some(file) => writeln!(out, "  state  {}", file.display())?,
        None => writeln!(out, "  state  in memory, gone when the emulator stops")?,
    }
    writeln!(out)?;
    writeln!(out, "Credentials (they work only on this emulator):")?;
    writeln!(out, "  tenant_id      {DEMO_TENANT_ID}")?;
    writeln!(out, "  client_id      {DEMO_CLIENT_ID}")?;
    writeln!(out, "  client secret  {DEMO_CLIENT_SECRET}")?;
    writeln!(out)?;
    writeln!(out, "A config.toml for it:")?;
    writeln!(out, "  tenant_id = \"{DEMO_TENANT_ID}\"")?;
    writeln!(out, "  client_id = \"{DEMO_CLIENT_ID}\"")?;
    writeln!(out, "  [endpoints]")?;
    writeln!(out, "  login = \"{}\"", endpoints.login)?;
    writeln!(out, "  graph = \"{}\"", endpoints.graph)?;
    writeln!(out, "  teams = \"{}\"", endpoints.teams)?;
    writeln!(
        out,
        "and in the environment: BOTLINE_CLIENT_SECRET={DEMO_CLIENT_SECRET}"
    )?;
    writeln!(
        out,
        "or, to try device-code sign-in, auth = \"device-code\" and approve the code at \
         {}/_emulator/device",
        endpoints.login.as_str().trim_end_matches('/')
    )?;
    writeln!(out)?;
    writeln!(out, "Press Ctrl-C to stop.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_addresses_pass() {
        assert!(check_listen_address("127.0.0.1:0".parse().unwrap(), false).is_ok());
        assert!(check_listen_address("[::1]:4780".parse().unwrap(), false).is_ok());
    }

    #[test]
    fn other_addresses_are_rejected_by_name() {
        let message = check_listen_address("10.0.0.1:0".parse().unwrap(), false)
            .unwrap_err()
            .to_string();
        assert!(message.contains("10.0.0.1:0"), "{message}");
        assert!(message.contains("--allow-non-loopback"), "{message}");
        assert!(check_listen_address("0.0.0.0:0".parse().unwrap(), false).is_err());
    }

    #[test]
    fn explicit_permission_passes() {
        assert!(check_listen_address("10.0.0.1:0".parse().unwrap(), true).is_ok());
    }

    #[test]
    fn large_tenant_has_exactly_the_count() {
        assert_eq!(large_tenant(2500).unwrap().numbers.len(), 2500);
        let seeded = emulator::practice_tenant().numbers.len();
        assert_eq!(large_tenant(seeded).unwrap().numbers.len(), seeded);
        let message = large_tenant(1).unwrap_err().to_string();
        assert!(message.contains("--numbers 1 is fewer"), "{message}");
    }
}
