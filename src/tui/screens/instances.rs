//! The Instances screen: every application instance with its license and number, and a
//! detail pane that shows every field of the selected one and what it still lacks.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Paragraph, Wrap};
use ratatui::Frame;

use crate::model::{
    ActivationState, InstanceRow, LicenseState, AUTO_ATTENDANT_APP_ID, CALL_QUEUE_APP_ID,
};
use crate::tui::theme::Theme;
use crate::tui::widgets::list_state::ListState;
use crate::tui::widgets::table::{render_table, Column, DrawnRow, TableSpec};

/// Shown for a value the tenant does not have.
pub const NONE: &str = "—";
/// Marker of an instance that cannot take calls yet.
pub const INCOMPLETE_MARKER: &str = "!";
/// Terminal width from which the detail pane sits beside the table instead of below it.
const SIDE_BY_SIDE_MIN_WIDTH: u16 = 200;
/// Rows the table keeps when the detail pane sits below it: frame, header and one row.
const MIN_TABLE_HEIGHT: u16 = 4;
/// Characters of an unknown application id shown in the table.
const SHORT_APP_ID_CHARS: usize = 8;

const COLUMNS: [Column; 9] = [
    Column {
        title: "",
        width: Constraint::Length(1),
    },
    Column {
        title: "Display name",
        width: Constraint::Min(14),
    },
    Column {
        title: "UPN",
        width: Constraint::Min(26),
    },
    Column {
        title: "Application",
        width: Constraint::Length(14),
    },
    Column {
        title: "Usage",
        width: Constraint::Length(5),
    },
    Column {
        title: "License",
        width: Constraint::Length(12),
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
        title: "Activation",
        width: Constraint::Length(17),
    },
];

/// State of the Instances screen.
#[derive(Debug, Default)]
pub struct InstancesScreen {
    /// Selection and filter of the table.
    pub list: ListState,
    detail_open: bool,
}

impl InstancesScreen {
    /// Replaces the rows the filter searches.
    pub fn set_rows(&mut self, rows: &[InstanceRow]) {
        self.list.set_rows(rows.iter().map(cell_texts));
    }

    /// Returns true while the detail pane is open.
    pub fn is_detail_open(&self) -> bool {
        self.detail_open
    }

    /// Opens the detail pane, or closes it when open.
    pub fn toggle_detail(&mut self) {
        self.detail_open = !self.detail_open;
    }

    /// Closes the detail pane.
    pub fn close_detail(&mut self) {
        self.detail_open = false;
    }

    /// Draws the table and, when open, the detail pane of the selected instance.
    pub fn render(
        &self,
        frame: &mut Frame,
        area: Rect,
        theme: &Theme,
        rows: &[InstanceRow],
        read_only: bool,
    ) {
        let selected = self.list.selected_row().and_then(|index| rows.get(index));
        let table_area = match selected {
            Some(row) if self.detail_open => {
                let lines = detail_lines(row, theme);
                let (table_area, detail_area) = split_for_detail(area, lines.len());
                render_detail(frame, detail_area, theme, lines);
                table_area
            }
            _ => area,
        };
        let empty_message = if read_only {
            "No application instances in this tenant."
        } else {
            "No application instances in this tenant. Press n to give a bot a phone number."
        };
        let spec = TableSpec {
            name: "Instances",
            columns: &COLUMNS,
            empty_message,
            drop_order: &[1, 3, 4, 7],
        };
        render_table(frame, table_area, theme, spec, &self.list, |index| {
            drawn_row(&rows[index], theme)
        });
    }
}

/// Splits the body into table and detail pane: side by side on wide terminals, else the
/// pane below the table, as tall as its lines and their frame.
fn split_for_detail(area: Rect, line_count: usize) -> (Rect, Rect) {
    if area.width >= SIDE_BY_SIDE_MIN_WIDTH {
        let [table, detail] =
            Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
                .areas(area);
        (table, detail)
    } else {
        let height = u16::try_from(line_count + 2).unwrap_or(u16::MAX);
        let [table, detail] = Layout::vertical([
            Constraint::Min(MIN_TABLE_HEIGHT),
            Constraint::Length(height),
        ])
        .areas(area);
        (table, detail)
    }
}

/// Returns the name of a well-known application, or the start of its id.
pub fn application_label(app_id: Option<&str>) -> String {
    match app_id {
        None => NONE.to_owned(),
        Some(id) if id.eq_ignore_ascii_case(AUTO_ATTENDANT_APP_ID) => "Auto attendant".to_owned(),
        Some(id) if id.eq_ignore_ascii_case(CALL_QUEUE_APP_ID) => "Call queue".to_owned(),
        Some(id) if id.chars().count() > SHORT_APP_ID_CHARS => {
            let start: String = id.chars().take(SHORT_APP_ID_CHARS).collect();
            format!("{start}…")
        }
        Some(id) => id.to_owned(),
    }
}

fn text_or_none(value: Option<&str>) -> String {
    value.unwrap_or(NONE).to_owned()
}

fn cell_texts(row: &InstanceRow) -> Vec<String> {
    vec![
        if row.is_complete() {
            String::new()
        } else {
            INCOMPLETE_MARKER.to_owned()
        },
        text_or_none(row.display_name.as_deref()),
        row.user_principal_name.clone(),
        application_label(row.application_id.as_deref()),
        text_or_none(row.usage_location.as_deref()),
        row.license_state.as_str().to_owned(),
        text_or_none(row.phone_number.as_deref()),
        text_or_none(row.number_type.as_ref().map(|kind| kind.label())),
        text_or_none(row.activation_state.as_ref().map(|state| state.as_str())),
    ]
}

fn license_style(state: LicenseState, theme: &Theme) -> Style {
    match state {
        LicenseState::Active => theme.ok(),
        LicenseState::Provisioning | LicenseState::Unlicensed => theme.warning(),
    }
}

/// Returns the style of an activation state: healthy, pending or failed.
pub fn activation_style(state: Option<&ActivationState>, theme: &Theme) -> Style {
    match state {
        Some(ActivationState::Activated) => theme.ok(),
        Some(ActivationState::AssignmentFailed | ActivationState::UpdateFailed) => theme.danger(),
        Some(_) => theme.warning(),
        None => theme.muted(),
    }
}

fn drawn_row(row: &InstanceRow, theme: &Theme) -> DrawnRow {
    let styles = [
        theme.warning(),
        Style::new(),
        Style::new(),
        Style::new(),
        if row.usage_location.is_some() {
            Style::new()
        } else {
            theme.warning()
        },
        license_style(row.license_state, theme),
        if row.phone_number.is_some() {
            Style::new()
        } else {
            theme.warning()
        },
        Style::new(),
        activation_style(row.activation_state.as_ref(), theme),
    ];
    let cells = cell_texts(row)
        .into_iter()
        .zip(styles)
        .map(|(text, style)| Span::styled(text, style))
        .collect();
    DrawnRow {
        cells,
        style: Style::new(),
    }
}

/// Returns what an instance still lacks before it can take calls, in the order of the steps.
pub fn missing_steps(row: &InstanceRow) -> Vec<String> {
    let mut missing = Vec::new();
    if row.application_id.is_none() {
        missing.push("no application id is bound".to_owned());
    }
    if row.usage_location.is_none() {
        missing.push("no usage location".to_owned());
    }
    match row.license_state {
        LicenseState::Unlicensed => {
            missing.push("no Teams Phone Resource Account license".to_owned())
        }
        LicenseState::Provisioning => missing.push("license still provisioning".to_owned()),
        LicenseState::Active => {}
    }
    match (&row.phone_number, &row.activation_state) {
        (None, _) => missing.push("no phone number".to_owned()),
        (Some(_), Some(ActivationState::Activated)) => {}
        (Some(_), Some(state)) => missing.push(format!("number assignment is {state}")),
        (Some(_), None) => missing.push("number activation state unknown".to_owned()),
    }
    missing
}

fn detail_lines(row: &InstanceRow, theme: &Theme) -> Vec<Line<'static>> {
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
    let missing = missing_steps(row);
    if missing.is_empty() {
        lines.push(Line::styled(
            "✓ Ready: licensed, numbered and activated",
            theme.ok(),
        ));
    } else {
        lines.push(Line::styled(
            format!("{INCOMPLETE_MARKER} Not ready:"),
            theme.warning(),
        ));
        for item in missing {
            lines.push(Line::styled(format!("  - {item}"), theme.warning()));
        }
    }
    lines
}

fn render_detail(frame: &mut Frame, area: Rect, theme: &Theme, lines: Vec<Line<'static>>) {
    let block = Block::bordered().title(Span::styled(" Details ", theme.title()));
    let paragraph = Paragraph::new(Text::from(lines))
        .block(block)
        .wrap(Wrap { trim: false });
    frame.render_widget(paragraph, area);
}
