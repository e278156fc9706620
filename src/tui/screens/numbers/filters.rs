//! The Numbers screen's own filters: number type, capability, activation state, free or
//! held, and a prefix. Each key steps one filter through its values; they combine with each
//! other and with the `/` text filter.

use crate::model::{ActivationState, NumberCapability, NumberRow, NumberType};

/// A group of activation states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivationFilter {
    /// `activated`.
    Activated,
    /// `assignmentPending` or `updatePending`.
    Pending,
    /// `assignmentFailed` or `updateFailed`.
    Failed,
}

impl ActivationFilter {
    fn label(self) -> &'static str {
        match self {
            ActivationFilter::Activated => "activated",
            ActivationFilter::Pending => "pending",
            ActivationFilter::Failed => "failed",
        }
    }

    fn matches(self, state: Option<&ActivationState>) -> bool {
        match self {
            ActivationFilter::Activated => state == Some(&ActivationState::Activated),
            ActivationFilter::Pending => matches!(
                state,
                Some(ActivationState::AssignmentPending | ActivationState::UpdatePending)
            ),
            ActivationFilter::Failed => matches!(
                state,
                Some(ActivationState::AssignmentFailed | ActivationState::UpdateFailed)
            ),
        }
    }
}

/// Free or held numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolderFilter {
    /// Numbers no account holds.
    Free,
    /// Numbers an account holds.
    Held,
}

/// The filters of the Numbers screen; `None` and an empty prefix let every number through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NumberFilters {
    /// Only numbers of this type.
    pub number_type: Option<NumberType>,
    /// Only numbers with this capability.
    pub capability: Option<NumberCapability>,
    /// Only numbers in these activation states.
    pub activation: Option<ActivationFilter>,
    /// Only free or only held numbers.
    pub holder: Option<HolderFilter>,
    /// Only numbers that start with this, `+` and digits.
    pub prefix: String,
}

/// Returns the value after `current` in `values`, then `None`, then the first again.
fn step<T: Clone + PartialEq>(current: &Option<T>, values: &[T]) -> Option<T> {
    match current {
        None => values.first().cloned(),
        Some(value) => {
            let at = values.iter().position(|candidate| candidate == value);
            at.and_then(|at| values.get(at + 1)).cloned()
        }
    }
}

impl NumberFilters {
    /// Steps the type filter: Calling Plan, Direct Routing, Operator Connect, all.
    pub fn cycle_type(&mut self) {
        self.number_type = step(&self.number_type, &NumberType::assignable());
    }

    /// Steps the capability filter: voice applications, users, conferences, mobile, all.
    pub fn cycle_capability(&mut self) {
        const ORDER: [NumberCapability; 4] = [
            NumberCapability::VoiceApplicationAssignment,
            NumberCapability::UserAssignment,
            NumberCapability::ConferenceAssignment,
            NumberCapability::TeamsPhoneMobile,
        ];
        self.capability = step(&self.capability, &ORDER);
    }

    /// Steps the activation filter: activated, pending, failed, all.
    pub fn cycle_activation(&mut self) {
        const ORDER: [ActivationFilter; 3] = [
            ActivationFilter::Activated,
            ActivationFilter::Pending,
            ActivationFilter::Failed,
        ];
        self.activation = step(&self.activation, &ORDER);
    }

    /// Steps the holder filter: free, held, all.
    pub fn cycle_holder(&mut self) {
        self.holder = step(&self.holder, &[HolderFilter::Free, HolderFilter::Held]);
    }

    /// Sets the prefix from typed text, such as `+1 425`, `1425` or `tel:+44`; empty text
    /// removes it.
    pub fn set_prefix(&mut self, text: &str) -> Result<(), String> {
        let trimmed = text.trim();
        let trimmed = match trimmed.get(..4) {
            Some(scheme) if scheme.eq_ignore_ascii_case("tel:") => &trimmed[4..],
            _ => trimmed,
        };
        let digits: String = trimmed
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
            .collect();
        let digits = digits.strip_prefix('+').unwrap_or(&digits);
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(format!(
                "invalid prefix {text:?}: expected + and digits, such as +1425"
            ));
        }
        self.prefix = if digits.is_empty() {
            String::new()
        } else {
            format!("+{digits}")
        };
        Ok(())
    }

    /// Returns true when any filter is set.
    pub fn is_active(&self) -> bool {
        *self != NumberFilters::default()
    }

    /// Removes every filter.
    pub fn clear(&mut self) {
        *self = NumberFilters::default();
    }

    /// Returns true when the number passes every filter.
    pub fn matches(&self, row: &NumberRow) -> bool {
        let record = &row.record;
        let type_ok = self
            .number_type
            .as_ref()
            .is_none_or(|kind| record.number_type.as_ref() == Some(kind));
        let capability_ok = self
            .capability
            .as_ref()
            .is_none_or(|capability| record.capabilities.contains(capability));
        let activation_ok = self
            .activation
            .is_none_or(|filter| filter.matches(record.activation_state.as_ref()));
        let holder_ok = self.holder.is_none_or(|holder| match holder {
            HolderFilter::Free => record.is_unassigned(),
            HolderFilter::Held => !record.is_unassigned(),
        });
        let prefix_ok = self.prefix.is_empty() || {
            let number: String = record
                .telephone_number
                .chars()
                .filter(|c| c.is_ascii_digit())
                .collect();
            number.starts_with(&self.prefix[1..])
        };
        type_ok && capability_ok && activation_ok && holder_ok && prefix_ok
    }

    /// Returns the filters as the title shows them, or the keys that set them when none is.
    pub fn describe(&self) -> String {
        if !self.is_active() {
            return "filter: t type, c capability, v activation, f free/held, p prefix".to_owned();
        }
        let mut parts = Vec::new();
        if let Some(kind) = &self.number_type {
            parts.push(format!("type {}", kind.label()));
        }
        if let Some(capability) = &self.capability {
            parts.push(format!(
                "capability {}",
                super::capability_label(capability)
            ));
        }
        if let Some(activation) = self.activation {
            parts.push(activation.label().to_owned());
        }
        match self.holder {
            Some(HolderFilter::Free) => parts.push("free".to_owned()),
            Some(HolderFilter::Held) => parts.push("held".to_owned()),
            None => {}
        }
        if !self.prefix.is_empty() {
            parts.push(format!("prefix {}", self.prefix));
        }
        format!("{} (Esc clears)", parts.join(" · "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AssignmentStatus;
    use crate::wire::graph::NumberAssignment;

    fn row(number: &str, kind: NumberType, state: ActivationState, held: bool) -> NumberRow {
        NumberRow {
            record: NumberAssignment {
                telephone_number: number.into(),
                number_type: Some(kind),
                activation_state: Some(state),
                assignment_status: Some(if held {
                    AssignmentStatus::VoiceApplicationAssigned
                } else {
                    AssignmentStatus::Unassigned
                }),
                assignment_target_id: held.then(|| "holder".to_owned()),
                capabilities: vec![NumberCapability::VoiceApplicationAssignment],
                ..NumberAssignment::default()
            },
            assigned_to: None,
            problem: None,
        }
    }

    #[test]
    fn type_steps_through_assignable_types_then_all() {
        let mut filters = NumberFilters::default();
        let mut seen = Vec::new();
        for _ in 0..4 {
            filters.cycle_type();
            seen.push(filters.number_type.clone());
        }
        assert_eq!(
            seen,
            vec![
                Some(NumberType::CallingPlan),
                Some(NumberType::DirectRouting),
                Some(NumberType::OperatorConnect),
                None,
            ]
        );
    }

    #[test]
    fn filters_combine() {
        let direct_free = row(
            "+14255550120",
            NumberType::DirectRouting,
            ActivationState::Activated,
            false,
        );
        let plan_pending = row(
            "+14255550111",
            NumberType::CallingPlan,
            ActivationState::AssignmentPending,
            true,
        );
        let mut filters = NumberFilters::default();
        filters.cycle_holder();
        assert!(filters.matches(&direct_free));
        assert!(!filters.matches(&plan_pending));
        filters.cycle_holder();
        filters.cycle_activation();
        filters.cycle_activation();
        assert_eq!(filters.activation, Some(ActivationFilter::Pending));
        assert!(filters.matches(&plan_pending));
        filters.cycle_type();
        assert!(filters.matches(&plan_pending));
        filters.cycle_type();
        assert!(!filters.matches(&plan_pending));
        filters.clear();
        assert!(!filters.is_active());
        assert!(filters.matches(&plan_pending));
    }

    #[test]
    fn capability_filter_needs_capability() {
        let number = row(
            "+14255550120",
            NumberType::DirectRouting,
            ActivationState::Activated,
            false,
        );
        let mut filters = NumberFilters::default();
        filters.cycle_capability();
        assert!(filters.matches(&number));
        filters.cycle_capability();
        assert_eq!(filters.capability, Some(NumberCapability::UserAssignment));
        assert!(!filters.matches(&number));
    }

    #[test]
    fn prefix_accepts_common_forms() {
        let number = row(
            "+14255550120",
            NumberType::DirectRouting,
            ActivationState::Activated,
            false,
        );
        let mut filters = NumberFilters::default();
        for text in ["+1425", "1425", "tel:+1 425", "+1 (425)"] {
            filters.set_prefix(text).unwrap();
            assert_eq!(filters.prefix, "+1425", "{text}");
            assert!(filters.matches(&number), "{text}");
        }
        filters.set_prefix("+44").unwrap();
        assert!(!filters.matches(&number));
        filters.set_prefix("  ").unwrap();
        assert!(!filters.is_active());
        let error = filters.set_prefix("+1abc").unwrap_err();
        assert!(error.contains("\"+1abc\""), "{error}");
    }

    #[test]
    fn description_names_active_filters() {
        let mut filters = NumberFilters::default();
        assert!(filters.describe().contains("t type"));
        filters.cycle_type();
        filters.cycle_holder();
        filters.set_prefix("+1425").unwrap();
        assert_eq!(
            filters.describe(),
            "type Calling Plan · free · prefix +1425 (Esc clears)"
        );
    }
}
