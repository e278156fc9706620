//! The sign-in facts the wizard uses to decide whether it can create a resource account
//! itself or must hand the admin PowerShell commands.

use crate::client::Client;

/// Sign-in kind and the cloud's PowerShell environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Connection {
    /// App-only sign-in with a client secret. Microsoft is known to return Access Denied
    /// when an application creates or syncs an application instance, so the wizard warns
    /// before it tries and names the sign-in when it falls back to PowerShell commands.
    pub app_only: bool,
    /// `-TeamsEnvironmentName` of `Connect-MicrosoftTeams` in a national cloud, such as
    /// `TeamsGCCH`; `None` for the worldwide service.
    pub teams_environment: Option<String>,
}

impl Connection {
    /// Returns the connection of a client.
    pub fn of(client: &Client) -> Connection {
        Connection {
            app_only: client.is_app_only(),
            teams_environment: client.endpoints().teams_environment().map(str::to_owned),
        }
    }
}
