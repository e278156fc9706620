//! The PowerShell commands that create and map a resource account by hand, with the admin's
//! values filled in, for when botline cannot do it through the Teams admin API.
//!
//! The cmdlets are those of the MicrosoftTeams module: `Connect-MicrosoftTeams`,
//! `New-CsOnlineApplicationInstance -UserPrincipalName -ApplicationId -DisplayName` and
//! `Sync-CsOnlineApplicationInstance -ObjectId -ApplicationId`, as Microsoft documents them.

use crate::model::{AppId, Upn};

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

/// Returns the commands, one line each, ready to paste into PowerShell.
///
/// Without an object id the account is created first and its id is taken from the result
/// (`$instance.ObjectId`), so the lines run as they are.
pub fn commands(account: &ManualAccount<'_>) -> Vec<String> {
    let mut lines = vec![match account.teams_environment {
        Some(environment) => format!("Connect-MicrosoftTeams -TeamsEnvironmentName {environment}"),
        None => "Connect-MicrosoftTeams".to_owned(),
    }];
    let object_id = match account.object_id {
        Some(object_id) => object_id.to_owned(),
        None => {
            lines.push(format!(
                "$instance = New-CsOnlineApplicationInstance -UserPrincipalName {} \
                 -ApplicationId {} -DisplayName {}",
                account.upn,
                account.app_id,
                quote(account.display_name)
            ));
            "$instance.ObjectId".to_owned()
        }
    };
    lines.push(format!(
        "Sync-CsOnlineApplicationInstance -ObjectId {object_id} -ApplicationId {}",
        account.app_id
    ));
    lines
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
        let lines = commands(&ManualAccount {
            upn: &upn,
            app_id: APP_ID.parse().unwrap(),
            display_name: "IVR Bot",
            object_id: None,
            teams_environment: None,
        });
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
        let lines = commands(&ManualAccount {
            upn: &upn,
            app_id: APP_ID.parse().unwrap(),
            display_name: "IVR Bot",
            object_id: Some("7f3e2d1c-0b9a-4c8d-8e7f-6a5b4c3d2e1f"),
            teams_environment: Some("TeamsGCCH"),
        });
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
    fn quotes_escape_expansions_and_quotes() {
        assert_eq!(quote("IVR Bot"), "\"IVR Bot\"");
        assert_eq!(quote("Say \"hi\""), "\"Say `\"hi`\"\"");
        assert_eq!(quote("$env:USER `x`"), "\"`$env:USER ``x``\"");
        assert_eq!(quote("\u{201C}A\u{201D}"), "\"`\u{201C}A`\u{201D}\"");
    }
}
