//! The pane under the Licenses table: the licenses of the instance selected on the
//! Instances screen, read on demand from `licenseDetails`, and whether its
//! MCOEV_VIRTUALUSER plan is provisioned.

use ratatui::text::{Line, Span};

use super::RESOURCE_ACCOUNT_LABEL;
use crate::model::{RESOURCE_ACCOUNT_PLAN, RESOURCE_ACCOUNT_SKU};
use crate::tui::loadable::Loadable;
use crate::tui::theme::Theme;
use crate::wire::graph::LicenseDetails;
use crate::worker::RequestId;

/// The provisioning status Graph reports for a finished plan.
const PROVISIONED: &str = "Success";

/// The licenses of one instance, loading or loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceLicenses {
    /// Object id of the instance.
    pub object_id: String,
    /// Its UPN.
    pub upn: String,
    /// The request whose reply is awaited.
    pub request: Option<RequestId>,
    /// The licenses.
    pub state: Loadable<Vec<LicenseDetails>>,
}

impl InstanceLicenses {
    /// Returns the pane's lines.
    pub fn lines(&self, theme: &Theme, spinner: &str) -> Vec<Line<'static>> {
        let upn = &self.upn;
        match &self.state {
            Loadable::Idle | Loadable::Loading { .. } => vec![Line::styled(
                format!("{spinner} Loading the licenses of {upn}…"),
                theme.warning(),
            )],
            Loadable::Failed(message) => vec![
                Line::styled(
                    format!("✗ Could not read the licenses of {upn}: {message}"),
                    theme.danger(),
                ),
                Line::from("Press r to load the tenant and its licenses again."),
            ],
            Loadable::Loaded(licenses) => license_lines(upn, licenses, theme),
        }
    }
}

fn license_lines(upn: &str, licenses: &[LicenseDetails], theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let resource_account = licenses.iter().find(|license| {
        license
            .sku_part_number
            .eq_ignore_ascii_case(RESOURCE_ACCOUNT_SKU)
    });
    match resource_account {
        None => lines.push(Line::styled(
            format!(
                "! {upn} has no {RESOURCE_ACCOUNT_LABEL} license ({RESOURCE_ACCOUNT_SKU}), so \
                 Teams will not give it a number: select it on Instances and press c."
            ),
            theme.warning(),
        )),
        Some(license) => {
            lines.push(Line::from(vec![
                Span::styled("★ ", theme.highlight()),
                Span::raw(format!("{RESOURCE_ACCOUNT_SKU} ({RESOURCE_ACCOUNT_LABEL})")),
            ]));
            lines.push(plan_line(license, theme));
        }
    }
    for license in licenses {
        if resource_account.is_some_and(|resource| std::ptr::eq(resource, license)) {
            continue;
        }
        let name = if license.sku_part_number.is_empty() {
            license.sku_id.clone()
        } else {
            license.sku_part_number.clone()
        };
        let provisioned = license
            .service_plans
            .iter()
            .filter(|plan| is_provisioned(plan.provisioning_status.as_deref()))
            .count();
        lines.push(Line::from(format!(
            "  {name}: {provisioned} of {} plans provisioned",
            license.service_plans.len()
        )));
    }
    lines
}

fn is_provisioned(status: Option<&str>) -> bool {
    status.is_some_and(|status| status.eq_ignore_ascii_case(PROVISIONED))
}

/// Returns the line that says whether the license's phone plan is provisioned.
fn plan_line(license: &LicenseDetails, theme: &Theme) -> Line<'static> {
    let plan = license.service_plans.iter().find(|plan| {
        plan.service_plan_name
            .eq_ignore_ascii_case(RESOURCE_ACCOUNT_PLAN)
    });
    match plan.map(|plan| plan.provisioning_status.as_deref()) {
        Some(status) if is_provisioned(status) => Line::styled(
            format!("  ✓ {RESOURCE_ACCOUNT_PLAN} provisioned ({PROVISIONED})"),
            theme.ok(),
        ),
        Some(status) => Line::styled(
            format!(
                "  ! {RESOURCE_ACCOUNT_PLAN} not provisioned ({}): Teams rejects numbers until \
                 it is. Press r to check again.",
                status.unwrap_or("no status")
            ),
            theme.warning(),
        ),
        None => Line::styled(
            format!(
                "  ! The license lists no {RESOURCE_ACCOUNT_PLAN} plan, so it gives no phone plan."
            ),
            theme.warning(),
        ),
    }
}
