//! The Numbers screen: every phone number with its type, capabilities, state and holder,
//! filtered by type, capability, activation, holder and prefix. Records that look wrong are
//! marked, and the selected one's problem is spelled out below the table.

pub mod filters;

pub use filters::{ActivationFilter, HolderFilter, NumberFilters};

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::instances::{activation_style, NONE};
use crate::model::{AssignmentStatus, NumberCapability, NumberRow, TenantView};
use crate::tui::theme::Theme;
use crate::tui::widgets::list_state::ListState;
use crate::tui::widgets::table::{render_table, Column, DrawnRow, TableSpec};

/// Marker of a record with a problem.
pub const PROBLEM_MARKER: &str = "!";

const COLUMNS: [Column; 8] = [
    Column {
        title: "",
        width: Constraint::Length(1),
    },
    Column {
        title: "Number",
        width: Constraint::Length(16),
    },
    Column {
        title: "Type",
        width: Constraint::Length(16),
    },
    Column {
        title: "Capabilities",
        width: Constraint::Length(22),
    },
    Column {
        title: "Activation",
        width: Constraint::Length(17),
    },
    Column {
        title: "Assigned as",
        width: Constraint::Length(15),
    },
    Column {
        title: "Country",
        width: Constraint::Length(7),
    },
    Column {
        title: "Holder",
        width: Constraint::Min(24),
    },
];

/// State of the Numbers screen.
#[derive(Debug, Default)]
pub struct NumbersScreen {
    /// Selection and filter of the table.
    pub list: ListState,
    filters: NumberFilters,
}

/// Returns the short label of a capability, such as `voice app`.
pub fn capability_label(capability: &NumberCapability) -> &str {
    match capability {
        NumberCapability::ConferenceAssignment => "conf",
        NumberCapability::VoiceApplicationAssignment => "voice app",
        NumberCapability::UserAssignment => "user",
        NumberCapability::TeamsPhoneMobile => "mobile",
        NumberCapability::Other(value) => value,
    }
}

/// Returns the short label of an assignment status, such as `voice app`.
pub fn assignment_label(status: &AssignmentStatus) -> &str {
    match status {
        AssignmentStatus::Unassigned => "unassigned",
        AssignmentStatus::InternalError => "internal error",
        AssignmentStatus::UserAssigned => "user",
        AssignmentStatus::ConferenceAssigned => "conference",
        AssignmentStatus::VoiceApplicationAssigned => "voice app",
        AssignmentStatus::ThirdPartyAppAssigned => "third-party app",
        AssignmentStatus::PolicyAssigned => "policy",
        AssignmentStatus::Other(value) => value,
    }
}

/// Returns the holder of a number: the UPN, `unknown account <id>` when the target id matches
/// no account botline loaded, or a dash when the number is free.
pub fn holder_label(row: &NumberRow) -> String {
    match (&row.assigned_to, &row.record.assignment_target_id) {
        (Some(upn), _) => upn.clone(),
        (None, Some(id)) => format!("unknown account {id}"),
        (None, None) => NONE.to_owned(),
    }
}

fn cell_texts(row: &NumberRow) -> Vec<String> {
    let record = &row.record;
    let capabilities: Vec<&str> = record.capabilities.iter().map(capability_label).collect();
    vec![
        if row.problem.is_some() {
            PROBLEM_MARKER.to_owned()
        } else {
            String::new()
        },
        record.telephone_number.clone(),
        record
            .number_type
            .as_ref()
            .map_or(NONE, |kind| kind.label())
            .to_owned(),
        if capabilities.is_empty() {
            NONE.to_owned()
        } else {
            capabilities.join(", ")
        },
        record
            .activation_state
            .as_ref()
            .map_or(NONE, |state| state.as_str())
            .to_owned(),
        record
            .assignment_status
            .as_ref()
            .map_or(NONE, assignment_label)
            .to_owned(),
        record
            .iso_country_code
            .as_deref()
            .unwrap_or(NONE)
            .to_owned(),
        holder_label(row),
    ]
}

fn drawn_row(row: &NumberRow, theme: &Theme) -> DrawnRow {
    let holder_unknown = row.assigned_to.is_none() && row.record.assignment_target_id.is_some();
    let styles = [
        theme.danger(),
        Style::new(),
        Style::new(),
        Style::new(),
        activation_style(row.record.activation_state.as_ref(), theme),
        Style::new(),
        Style::new(),
        if holder_unknown {
            theme.warning()
        } else {
            Style::new()
        },
    ];
    let cells = cell_texts(row)
        .into_iter()
        .zip(styles)
        .map(|(text, style)| Span::styled(text, style))
        .collect();
    let style = if row.problem.is_some() {
        theme.danger()
    } else {
        Style::new()
    };
    DrawnRow { cells, style }
}

impl NumbersScreen {
    /// Replaces the rows the filters search.
    pub fn set_rows(&mut self, rows: &[NumberRow]) {
        self.list.set_rows(rows.iter().map(cell_texts));
        self.apply_filters(rows);
    }

    /// Returns the screen's own filters.
    pub fn filters(&self) -> &NumberFilters {
        &self.filters
    }

    /// Changes the filters and shows the rows that pass them.
    pub fn change_filters(&mut self, rows: &[NumberRow], change: impl FnOnce(&mut NumberFilters)) {
        change(&mut self.filters);
        self.apply_filters(rows);
    }

    fn apply_filters(&mut self, rows: &[NumberRow]) {
        let mask = self
            .filters
            .is_active()
            .then(|| rows.iter().map(|row| self.filters.matches(row)).collect());
        self.list.set_mask(mask);
    }

    /// Returns the selected number.
    pub fn selected<'a>(&self, view: &'a TenantView) -> Option<&'a NumberRow> {
        self.list
            .selected_row()
            .and_then(|index| view.numbers.get(index))
    }

    /// Draws the table and, when the selected record has a problem, one line saying what.
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, rows: &[NumberRow]) {
        let problem = self
            .list
            .selected_row()
            .and_then(|index| rows.get(index))
            .and_then(|row| row.problem.as_deref());
        let table_area = match problem {
            Some(problem) if area.height > 3 => {
                let [table, note] =
                    Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(area);
                let text = format!("{PROBLEM_MARKER} Problem with the selected record: {problem}");
                let line = Line::from(Span::styled(text, theme.danger()));
                frame.render_widget(Paragraph::new(line), note);
                table
            }
            _ => area,
        };
        let note = self.filters.describe();
        let spec = TableSpec {
            name: "Numbers",
            columns: &COLUMNS,
            empty_message: "No phone numbers in this tenant.",
            drop_order: &[3, 5, 6, 2],
            sorted: None,
            note: &note,
        };
        render_table(frame, table_area, theme, spec, &self.list, |index| {
            drawn_row(&rows[index], theme)
        });
    }
}
