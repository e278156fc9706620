//! Sorting of the Instances screen: the column to sort by, its direction, and the order of
//! the rows. The sort happens in memory on loaded rows.

use std::cmp::Ordering;

use crate::health::{Checklist, Verdict};
use crate::model::{InstanceRow, LicenseState};

/// A column the instances can be sorted by, in the order `s` steps through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortColumn {
    /// Failing instances first, ascending.
    Health,
    /// Display name.
    DisplayName,
    /// Sign-in name.
    Upn,
    /// Application label.
    Application,
    /// Usage location.
    UsageLocation,
    /// License state, unlicensed first.
    License,
    /// Phone number.
    Number,
    /// Number type.
    NumberType,
    /// Activation state.
    Activation,
}

impl SortColumn {
    /// Every column, in table order.
    pub const ALL: [SortColumn; 9] = [
        SortColumn::Health,
        SortColumn::DisplayName,
        SortColumn::Upn,
        SortColumn::Application,
        SortColumn::UsageLocation,
        SortColumn::License,
        SortColumn::Number,
        SortColumn::NumberType,
        SortColumn::Activation,
    ];

    /// Returns the column after this one, wrapping around.
    pub fn next(self) -> SortColumn {
        let at = Self::ALL
            .iter()
            .position(|column| *column == self)
            .unwrap_or(0);
        Self::ALL[(at + 1) % Self::ALL.len()]
    }

    /// Returns the column's index in the table, after the selection marker.
    pub fn table_index(self) -> usize {
        Self::ALL
            .iter()
            .position(|column| *column == self)
            .unwrap_or(0)
    }

    /// Returns the column's name as the title shows it.
    pub fn name(self) -> &'static str {
        match self {
            SortColumn::Health => "health",
            SortColumn::DisplayName => "display name",
            SortColumn::Upn => "UPN",
            SortColumn::Application => "application",
            SortColumn::UsageLocation => "usage location",
            SortColumn::License => "license",
            SortColumn::Number => "number",
            SortColumn::NumberType => "type",
            SortColumn::Activation => "activation",
        }
    }
}

/// The column and direction of the sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    /// The column.
    pub column: SortColumn,
    /// Whether the order is reversed.
    pub descending: bool,
}

impl Default for Sort {
    /// By UPN, ascending: the order the tenant loads in.
    fn default() -> Self {
        Sort {
            column: SortColumn::Upn,
            descending: false,
        }
    }
}

/// Returns the row indices in sorted order. Ties keep UPN order, and absent values sort
/// last in both directions.
pub fn order(rows: &[InstanceRow], health: &[Checklist], sort: Sort) -> Vec<usize> {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&a, &b| {
        let ordering = compare(rows, health, sort.column, a, b);
        let ordering = if sort.descending {
            ordering.reverse()
        } else {
            ordering
        };
        ordering.then_with(|| {
            rows[a]
                .user_principal_name
                .cmp(&rows[b].user_principal_name)
        })
    });
    order
}

fn compare(
    rows: &[InstanceRow],
    health: &[Checklist],
    column: SortColumn,
    a: usize,
    b: usize,
) -> Ordering {
    let (left, right) = (&rows[a], &rows[b]);
    match column {
        SortColumn::Health => health_key(health.get(b)).cmp(&health_key(health.get(a))),
        SortColumn::DisplayName => {
            text(left.display_name.as_deref(), right.display_name.as_deref())
        }
        SortColumn::Upn => left.user_principal_name.cmp(&right.user_principal_name),
        SortColumn::Application => {
            let label = |row: &InstanceRow| {
                row.application_id
                    .as_deref()
                    .map(|id| super::application_label(Some(id)))
            };
            text(label(left).as_deref(), label(right).as_deref())
        }
        SortColumn::UsageLocation => text(
            left.usage_location.as_deref(),
            right.usage_location.as_deref(),
        ),
        SortColumn::License => {
            license_rank(left.license_state).cmp(&license_rank(right.license_state))
        }
        SortColumn::Number => text(left.phone_number.as_deref(), right.phone_number.as_deref()),
        SortColumn::NumberType => text(
            left.number_type.as_ref().map(|kind| kind.label()),
            right.number_type.as_ref().map(|kind| kind.label()),
        ),
        SortColumn::Activation => text(
            left.activation_state.as_ref().map(|state| state.as_str()),
            right.activation_state.as_ref().map(|state| state.as_str()),
        ),
    }
}

/// Orders present values without case and puts absent ones last.
fn text(left: Option<&str>, right: Option<&str>) -> Ordering {
    match (left, right) {
        (Some(left), Some(right)) => left.to_lowercase().cmp(&right.to_lowercase()),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn license_rank(state: LicenseState) -> u8 {
    match state {
        LicenseState::Unlicensed => 0,
        LicenseState::Provisioning => 1,
        LicenseState::Active => 2,
    }
}

/// Returns how bad a checklist is: failures, then warnings. Higher sorts first.
fn health_key(list: Option<&Checklist>) -> (usize, usize) {
    list.map_or((0, 0), |list| {
        let count = |verdict| {
            list.checks
                .iter()
                .filter(|check| check.verdict == verdict)
                .count()
        };
        (count(Verdict::Fail), count(Verdict::Warn))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::health::checklist;

    fn row(upn: &str, license: LicenseState, number: Option<&str>) -> InstanceRow {
        InstanceRow {
            object_id: format!("id-{upn}"),
            user_principal_name: upn.into(),
            display_name: None,
            application_id: Some("0b5c7a53-5c1e-4a8e-9d0f-3e7b2a9c1d44".into()),
            usage_location: Some("US".into()),
            license_state: license,
            phone_number: number.map(str::to_owned),
            number_type: None,
            activation_state: number.map(|_| crate::model::ActivationState::Activated),
            account_found: true,
        }
    }

    fn rows() -> Vec<InstanceRow> {
        vec![
            row("a@x.com", LicenseState::Active, Some("+14255550103")),
            row("b@x.com", LicenseState::Unlicensed, None),
            row("c@x.com", LicenseState::Provisioning, Some("+14255550101")),
        ]
    }

    #[test]
    fn steps_through_every_column() {
        let mut column = SortColumn::Upn;
        let mut seen = Vec::new();
        for _ in 0..SortColumn::ALL.len() {
            column = column.next();
            seen.push(column);
        }
        assert_eq!(seen.last(), Some(&SortColumn::Upn));
        assert_eq!(seen.len(), SortColumn::ALL.len());
        assert_eq!(SortColumn::Upn.table_index(), 2);
    }

    #[test]
    fn license_sorts_unlicensed_first() {
        let rows = rows();
        let sort = Sort {
            column: SortColumn::License,
            descending: false,
        };
        assert_eq!(order(&rows, &[], sort), vec![1, 2, 0]);
        let reversed = Sort {
            descending: true,
            ..sort
        };
        assert_eq!(order(&rows, &[], reversed), vec![0, 2, 1]);
    }

    #[test]
    fn missing_numbers_sort_last() {
        let rows = rows();
        let sort = Sort {
            column: SortColumn::Number,
            descending: false,
        };
        assert_eq!(order(&rows, &[], sort), vec![2, 0, 1]);
    }

    #[test]
    fn health_puts_failures_first() {
        let rows = rows();
        let health: Vec<Checklist> = rows.iter().map(|row| checklist(row, None)).collect();
        let sort = Sort {
            column: SortColumn::Health,
            descending: false,
        };
        let sorted = order(&rows, &health, sort);
        assert_eq!(sorted[0], 1, "the unlicensed row without number fails most");
    }
}
