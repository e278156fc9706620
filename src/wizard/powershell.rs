//! The PowerShell commands that create and map a resource account by hand, with the admin's
//! values filled in, for when botline cannot do it through the Teams admin API.
//!
//! The cmdlets are those of the MicrosoftTeams module: `Connect-MicrosoftTeams`,
//! `New-CsOnlineApplicationInstance -UserPrincipalName -ApplicationId -DisplayName` and
//! `Sync-CsOnlineApplicationInstance -ObjectId -ApplicationId`, as Microsoft documents them.

use std::fmt;

use crate::model::{AppId, Upn};

/// One cmdlet call with its parameters, already quoted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PowerShellCommand {
    /// Everything before the parameters, such as `$instance = New-CsOnlineApplicationInstance`.
    pub head: String,
    /// Parameter names without the dash, and their values as PowerShell reads them.
    pub parameters: Vec<(&'static str, String)>,
}

impl PowerShellCommand {
    fn new(head: impl Into<String>) -> Self {
        PowerShellCommand {
            head: head.into(),
            parameters: Vec::new(),
        }
    }

    fn parameter(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.parameters.push((name, value.into()));
        self
    }

    /// Returns the command over several lines, one parameter each, joined by PowerShell's
    /// line continuation (a trailing backtick), so a narrow screen need not wrap it and a
    /// pasted copy still runs as one command.
    pub fn continued_lines(&self) -> Vec<String> {
        let mut lines = vec![self.head.clone()];
        for (name, value) in &self.parameters {
            if let Some(last) = lines.last_mut() {
                last.push_str(" `");
            }
            lines.push(format!("    -{name} {value}"));
        }
        lines
    }
}

impl fmt::Display for PowerShellCommand {
    /// Writes the command on one line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.head)?;
        for (name, value) in &self.parameters {
            write!(f, " -{name} {value}")?;
        }
        Ok(())
    }
}

/// The resource account the commands are for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManualAccount<'a> {
    /// Its sign-in name.
    pub upn: &'a Upn,
    /// The bot's application id.
    pub app_id: AppId,
    /// Display name for `New-CsOnlineApplicationInstance`.
    pub display_name: &'a str,
    /// Object id of an account that exists already, so only the mapping is missing.
    pub object_id: Option<&'a str>,
    /// `-TeamsEnvironmentName` for a national cloud.
    pub teams_environment: Option<&'a str>,
}

/// Returns the commands, in the order to run them, with the admin's values.
///
/// Without an object id the account is created first and its id is taken from the result
/// (`$instance.ObjectId`), so the commands run as they are.
pub fn commands(account: &ManualAccount<'_>) -> Vec<PowerShellCommand> {
    let mut connect = PowerShellCommand::new("Connect-MicrosoftTeams");
    if let Some(environment) = account.teams_environment {
        connect = connect.parameter("TeamsEnvironmentName", environment);
    }
    let mut commands = vec![connect];
    let object_id = match account.object_id {
        Some(object_id) => object_id.to_owned(),
        None => {
            commands.push(
                PowerShellCommand::new("$instance = New-CsOnlineApplicationInstance")
                    .parameter("UserPrincipalName", account.upn.to_string())
                    .parameter("ApplicationId", account.app_id.to_string())
                    .parameter("DisplayName", quote(account.display_name)),
            );
            "$instance.ObjectId".to_owned()
        }
    };
    commands.push(
        PowerShellCommand::new("Sync-CsOnlineApplicationInstance")
            .parameter("ObjectId", object_id)
            .parameter("ApplicationId", account.app_id.to_string()),
    );
    commands
}

/// Writes text as a PowerShell double-quoted string. A backtick escapes the characters that
/// would end the string or start an expansion there: `"`, `` ` ``, `$`, and the typographic
/// double quotes, which PowerShell also treats as quotes.
pub fn quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        if matches!(c, '"' | '`' | '$' | '\u{201C}' | '\u{201D}' | '\u{201E}') {
            quoted.push('`');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP_ID: &str = "0b5c7a53-5c1e-4a8e-9d0f-3e7b2a9c1d44";

    fn upn() -> Upn {
        "ivr-bot@contoso.com".parse().unwrap()
    }

    #[test]
    fn new_account_is_created_then_synced() {
        let upn = upn();
        let lines: Vec<String> = commands(&ManualAccount {
            upn: &upn,
            app_id: APP_ID.parse().unwrap(),
            display_name: "IVR Bot",
            object_id: None,
            teams_environment: None,
        })
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(
            lines,
            [
                "Connect-MicrosoftTeams".to_owned(),
                format!(
                    "$instance = New-CsOnlineApplicationInstance -UserPrincipalName \
                     ivr-bot@contoso.com -ApplicationId {APP_ID} -DisplayName \"IVR Bot\""
                ),
                format!(
                    "Sync-CsOnlineApplicationInstance -ObjectId $instance.ObjectId \
                     -ApplicationId {APP_ID}"
                ),
            ]
        );
    }

    #[test]
    fn existing_account_is_only_synced() {
        let upn = upn();
        let lines: Vec<String> = commands(&ManualAccount {
            upn: &upn,
            app_id: APP_ID.parse().unwrap(),
            display_name: "IVR Bot",
            object_id: Some("7f3e2d1c-0b9a-4c8d-8e7f-6a5b4c3d2e1f"),
            teams_environment: Some("TeamsGCCH"),
        })
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[0],
            "Connect-MicrosoftTeams -TeamsEnvironmentName TeamsGCCH"
        );
        assert_eq!(
            lines[1],
            format!(
                "Sync-CsOnlineApplicationInstance -ObjectId 7f3e2d1c-0b9a-4c8d-8e7f-6a5b4c3d2e1f \
                 -ApplicationId {APP_ID}"
            )
        );
    }

    #[test]
    fn continued_lines_end_in_backticks() {
        let upn = upn();
        let all = commands(&ManualAccount {
            upn: &upn,
            app_id: APP_ID.parse().unwrap(),
            display_name: "IVR Bot",
            object_id: None,
            teams_environment: None,
        });
        assert_eq!(all[0].continued_lines(), ["Connect-MicrosoftTeams"]);
        assert_eq!(
            all[1].continued_lines(),
            [
                "$instance = New-CsOnlineApplicationInstance `".to_owned(),
                "    -UserPrincipalName ivr-bot@contoso.com `".to_owned(),
                format!("    -ApplicationId {APP_ID} `"),
                "    -DisplayName \"IVR Bot\"".to_owned(),
            ]
        );
    }

    #[test]
    fn quotes_escape_expansions_and_quotes() {
        assert_eq!(quote("IVR Bot"), "\"IVR Bot\"");
        assert_eq!(quote("Say \"hi\""), "\"Say `\"hi`\"\"");
        assert_eq!(quote("$env:USER `x`"), "\"`$env:USER ``x``\"");
        assert_eq!(quote("\u{201C}A\u{201D}"), "\"`\u{201C}A`\u{201D}\"");
    }
}
