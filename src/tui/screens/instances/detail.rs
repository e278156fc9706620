//! The detail pane of the selected instance: every field, then its health checklist with
//! the key that fixes each failing check.

use ratatui::text::{Line, Span};

use super::{application_label, text_or_none, INCOMPLETE_MARKER, NONE};
use crate::health::{Check, Checklist, Remedy, Verdict};
use crate::model::InstanceRow;
use crate::tui::keys::{key_label, Action, InstanceAction};
use crate::tui::theme::Theme;

/// Returns the pane's lines for one instance and its checklist.
pub fn detail_lines(
    row: &InstanceRow,
    checklist: Option<&Checklist>,
    read_only: bool,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let field = |name: &'static str, value: String| {
        Line::from(vec![
            Span::styled(format!("{name:<18}"), theme.header()),
            Span::raw(value),
        ])
    };
    let application = match row.application_id.as_deref() {
        Some(id) => {
            let label = application_label(Some(id));
            if label.ends_with('…') {
                id.to_owned()
            } else {
                format!("{id} ({label})")
            }
        }
        None => NONE.to_owned(),
    };
    let mut lines = vec![
        field("Display name", text_or_none(row.display_name.as_deref())),
        field("UPN", row.user_principal_name.clone()),
        field("Object id", row.object_id.clone()),
        field("Application id", application),
        field(
            "Usage location",
            text_or_none(row.usage_location.as_deref()),
        ),
        field("License", row.license_state.as_str().to_owned()),
        field("Phone number", text_or_none(row.phone_number.as_deref())),
        field(
            "Number type",
            text_or_none(row.number_type.as_ref().map(|kind| kind.label())),
        ),
        field(
            "Activation state",
            text_or_none(row.activation_state.as_ref().map(|state| state.as_str())),
        ),
        Line::default(),
    ];
    if let Some(checklist) = checklist {
        lines.extend(checklist_lines(checklist, read_only, theme));
    }
    lines
}

/// Returns the checklist: a headline, one line per check that ran, the fix under each
/// failing or warning one, and one line naming the checks skipped.
pub fn checklist_lines(
    checklist: &Checklist,
    read_only: bool,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let failures = checklist.failures().count();
    let mut lines = vec![if failures == 0 {
        Line::styled("✓ Ready: licensed, numbered and activated", theme.ok())
    } else {
        let noun = if failures == 1 {
            "check fails"
        } else {
            "checks fail"
        };
        Line::styled(
            format!("{INCOMPLETE_MARKER} Not ready: {failures} {noun}"),
            theme.danger(),
        )
    }];
    let mut skipped = Vec::new();
    for check in &checklist.checks {
        match check.verdict {
            Verdict::Pass => lines.push(Line::from(vec![
                Span::styled("  ✓ ", theme.ok()),
                Span::raw(format!("{}: {}", check.id.title(), check.text)),
            ])),
            Verdict::Skip => skipped.push(check.id.title().to_lowercase()),
            Verdict::Fail | Verdict::Warn => lines.extend(problem_lines(check, read_only, theme)),
        }
    }
    if !skipped.is_empty() {
        lines.push(Line::styled(
            format!(
                "  · Not checked until the above is fixed: {}",
                skipped.join(", ")
            ),
            theme.muted(),
        ));
    }
    lines
}

fn problem_lines(check: &Check, read_only: bool, theme: &Theme) -> Vec<Line<'static>> {
    let (mark, style) = match check.verdict {
        Verdict::Fail => ("✗", theme.danger()),
        _ => ("!", theme.warning()),
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("  {mark} {}: ", check.id.title()), style),
        Span::raw(check.text.clone()),
    ])];
    if let Some(remedy) = check.remedy {
        lines.push(Line::from(vec![
            Span::styled("    Fix: ", theme.key_hint()),
            Span::raw(remedy_text(remedy, read_only)),
        ]));
    }
    lines
}

/// Returns the sentence naming the keys that fix a check. The keys come from the binding
/// table, so the text follows it.
pub fn remedy_text(remedy: Remedy, read_only: bool) -> String {
    let key = |action: Action| key_label(action).unwrap_or_else(|| "?".to_owned());
    let setup = key(Action::Instance(InstanceAction::ContinueSetup));
    let change = key(Action::Instance(InstanceAction::ChangeNumber));
    let unassign = key(Action::Instance(InstanceAction::Unassign));
    let remove = key(Action::Instance(InstanceAction::RemoveLicense));
    let reload = key(Action::Reload);
    let new_bot = key(Action::NewBot);
    let writes = !matches!(remedy, Remedy::Reload | Remedy::AdminCenter);
    if read_only && writes {
        return "start botline without --read-only to fix this here.".to_owned();
    }
    match remedy {
        Remedy::NewBot => format!("press {new_bot} to create it."),
        Remedy::MapApplication => {
            format!("press {setup} to continue the setup and type the bot's application id.")
        }
        Remedy::ContinueSetup => format!("press {setup} to continue the setup."),
        Remedy::WaitForLicense => format!(
            "wait a few minutes and press {reload}; if it never provisions, press {remove} to \
             remove the license, then {setup}."
        ),
        Remedy::WaitForNumber => format!(
            "wait a few minutes and press {reload}; if it stays pending, press {unassign} to \
             unassign it, then {setup}."
        ),
        Remedy::Reassign => format!("press {unassign} to unassign it, then {setup}."),
        Remedy::ChangeNumber => format!("press {change} to change the number."),
        Remedy::Reload => format!(
            "press {reload} later; if it still fails, check the account in the Entra admin \
             center."
        ),
        Remedy::AdminCenter => {
            "check the number in the Teams admin center under Voice > Phone numbers.".to_owned()
        }
    }
}
