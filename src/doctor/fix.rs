//! The command line that fixes a failing check, as `doctor` prints it.

use crate::health::Remedy;
use crate::model::InstanceRow;

/// The facts a fix names: how botline was started, and the instance when it exists.
#[derive(Debug, Clone, Copy)]
pub struct FixContext<'a> {
    /// The program as the admin runs it, such as `botline --demo`.
    pub program: &'a str,
    /// UPN of the instance, or the one asked for.
    pub upn: &'a str,
    /// The instance, when it exists.
    pub row: Option<&'a InstanceRow>,
}

/// Returns one sentence that fixes a failing check, naming the commands to run.
pub fn fix_text(remedy: Remedy, context: FixContext<'_>) -> String {
    let program = context.program;
    let upn = context.upn;
    let assign = assign_command(context, false);
    let doctor = format!("{program} doctor {upn}");
    let unassign = format!("{program} unassign --upn {upn}");
    match remedy {
        Remedy::NewBot => format!("create it with `{}`", assign_command(context, true)),
        Remedy::MapApplication => format!(
            "run `{}` with the bot's application id",
            assign_command(context, true)
        ),
        Remedy::ContinueSetup => format!("run `{assign}`"),
        Remedy::WaitForLicense => format!(
            "wait a few minutes and run `{doctor}` again; if the plan never provisions, remove \
             the license (x on the Instances screen of `{program}`) and run `{assign}`"
        ),
        Remedy::WaitForNumber => format!(
            "wait a few minutes and run `{doctor}` again; if it stays pending, run \
             `{unassign}`, then `{assign}`"
        ),
        Remedy::Reassign => format!("run `{unassign}`, then `{assign}`"),
        Remedy::ChangeNumber => format!(
            "change the number with m on the Instances screen of `{program}`, which puts the \
             old number back if the new one fails, or run `{unassign}`, then `{}`",
            assign_command(context, true)
        ),
        Remedy::Reload => format!(
            "run `{doctor}` again later; if it still fails, check the account in the Entra \
             admin center"
        ),
        Remedy::AdminCenter => {
            let number = context
                .row
                .and_then(|row| row.phone_number.as_deref())
                .unwrap_or("the number");
            format!("check {number} in the Teams admin center under Voice > Phone numbers")
        }
    }
}

/// Returns the `assign` command for the instance, with the values it has and placeholders
/// for the rest. `fresh` leaves out the application id and number it holds now.
fn assign_command(context: FixContext<'_>, fresh: bool) -> String {
    let row = context.row;
    let app_id = row
        .and_then(|row| row.application_id.as_deref())
        .filter(|id| !fresh && !id.trim().is_empty())
        .unwrap_or("GUID");
    let display_name = row
        .and_then(|row| row.display_name.as_deref())
        .filter(|name| !name.trim().is_empty())
        .map_or_else(|| "NAME".to_owned(), shell_word);
    let usage_location = row
        .and_then(|row| row.usage_location.as_deref())
        .filter(|location| !location.trim().is_empty())
        .unwrap_or("CC");
    let number = row
        .and_then(|row| row.phone_number.as_deref())
        .filter(|_| !fresh)
        .unwrap_or("NUMBER");
    format!(
        "{} assign --upn {} --app-id {app_id} --display-name {display_name} --usage-location \
         {usage_location} --number {number}",
        context.program, context.upn
    )
}

/// Quotes a word for a POSIX shell when it holds anything but letters, digits and `-_.@+`.
fn shell_word(word: &str) -> String {
    let plain = word
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.@+".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LicenseState;

    fn row() -> InstanceRow {
        InstanceRow {
            object_id: "id-1".into(),
            user_principal_name: "survey-bot@contoso.com".into(),
            display_name: Some("Contoso Survey Bot".into()),
            application_id: Some("5b9d1f3a-7e2c-4a6b-8d0f-1c3e5a7b9d2f".into()),
            usage_location: Some("US".into()),
            license_state: LicenseState::Active,
            phone_number: None,
            number_type: None,
            activation_state: None,
            account_found: true,
        }
    }

    fn context(row: Option<&InstanceRow>) -> FixContext<'_> {
        FixContext {
            program: "botline --demo",
            upn: "survey-bot@contoso.com",
            row,
        }
    }

    #[test]
    fn continue_setup_fills_known_values() {
        let row = row();
        let text = fix_text(Remedy::ContinueSetup, context(Some(&row)));
        assert_eq!(
            text,
            "run `botline --demo assign --upn survey-bot@contoso.com --app-id \
             5b9d1f3a-7e2c-4a6b-8d0f-1c3e5a7b9d2f --display-name 'Contoso Survey Bot' \
             --usage-location US --number NUMBER`"
        );
    }

    #[test]
    fn missing_instance_gets_placeholders() {
        let text = fix_text(Remedy::NewBot, context(None));
        assert!(text.contains("--app-id GUID --display-name NAME"), "{text}");
        assert!(
            text.contains("--usage-location CC --number NUMBER"),
            "{text}"
        );
    }

    #[test]
    fn pending_number_names_unassign() {
        let row = row();
        let text = fix_text(Remedy::WaitForNumber, context(Some(&row)));
        assert!(
            text.contains("botline --demo doctor survey-bot@contoso.com"),
            "{text}"
        );
        assert!(
            text.contains("botline --demo unassign --upn survey-bot@contoso.com"),
            "{text}"
        );
    }

    #[test]
    fn names_with_quotes_are_quoted() {
        assert_eq!(shell_word("plain-name"), "plain-name");
        assert_eq!(shell_word("Bob's bot"), r"'Bob'\''s bot'");
    }
}
