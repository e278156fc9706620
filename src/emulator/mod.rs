//! A loopback HTTP server that speaks the wire surface of Microsoft Graph, the Teams admin
//! API and the login endpoints, backed by a tenant state file.
//!
//! `--demo` and the tests start it in-process on an ephemeral loopback port and point the
//! live client at it, so both exercise the real client.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::client::{Credentials, Endpoints};

/// Tenant id the emulator's practice tenant answers to.
pub const DEMO_TENANT_ID: &str = "9d2c6f1e-4b7a-4c3e-8f5d-2a1b0c9e8d7f";
/// Client id the emulator accepts for client-credential sign-in.
pub const DEMO_CLIENT_ID: &str = "5e0f3d2c-1b4a-4e6f-9a8b-7c6d5e4f3a2b";
/// Client secret the emulator accepts; it protects nothing outside the emulator.
pub const DEMO_CLIENT_SECRET: &str = "practice-tenant-secret";

/// How long the emulated tenant takes for its asynchronous steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timing {
    /// From assignNumber or unassignNumber until the operation finishes.
    pub assignment_delay: Duration,
    /// From assignLicense until the phone plan is provisioned.
    pub license_delay: Duration,
    /// From creating an instance until reads find it.
    pub replication_delay: Duration,
}

/// Settings of one emulator run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Address to listen on; must be loopback unless `allow_non_loopback` is set.
    pub listen: SocketAddr,
    /// File that holds the tenant state; created from the seed when missing.
    pub state_file: Option<PathBuf>,
    /// Delays of the asynchronous steps.
    pub timing: Timing,
}

/// A running emulator; dropping it stops the server.
pub struct Emulator {
    addr: SocketAddr,
}

impl Emulator {
    /// Starts the server and returns once it accepts connections.
    pub async fn start(options: Options) -> std::io::Result<Emulator> {
        todo!("{options:?}")
    }

    /// Returns the address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Returns the endpoints a client uses to reach it.
    pub fn endpoints(&self) -> Endpoints {
        todo!()
    }

    /// Returns credentials the emulator accepts.
    pub fn credentials() -> Credentials {
        Credentials::ClientSecret {
            tenant_id: DEMO_TENANT_ID.to_owned(),
            client_id: DEMO_CLIENT_ID.to_owned(),
            client_secret: DEMO_CLIENT_SECRET.to_owned(),
        }
    }
}
