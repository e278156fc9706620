//! The Instances screen: every application instance with its license and number, sortable
//! by any column, and a detail pane that shows every field of the selected one and its
//! health checklist.

mod detail;
pub mod sort;

pub use detail::{checklist_lines, remedy_text};
pub use sort::{Sort, SortColumn};

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Paragraph, Wrap};
use ratatui::Frame;

use crate::health::{self, Checklist};
use crate::model::{
    ActivationState, InstanceRow, LicenseState, TenantView, AUTO_ATTENDANT_APP_ID,
    CALL_QUEUE_APP_ID,
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
    /// Selection, filter and order of the table.
    pub list: ListState,
    detail_open: bool,
    sort: Sort,
    /// The checklist of each instance, in the order of the tenant's instances.
    health: Vec<Checklist>,
}

impl InstancesScreen {
    /// Takes the tenant's instances: their checklists, the rows the filter searches, and
    /// their order under the current sort.
    pub fn set_tenant(&mut self, view: &TenantView) {
        self.health = health::checklists(view);
        let cells: Vec<Vec<String>> = view
            .instances
            .iter()
            .zip(&self.health)
            .map(|(row, list)| cell_texts(row, Some(list)))
            .collect();
        self.list.set_rows(cells);
        self.apply_sort(&view.instances);
    }

    /// Returns the checklist of the instance at `index` of the tenant's instances.
    pub fn health(&self, index: usize) -> Option<&Checklist> {
        self.health.get(index)
    }

    /// Returns the selected instance with its index in the tenant's instances.
    pub fn selected<'a>(&self, view: &'a TenantView) -> Option<(usize, &'a InstanceRow)> {
        let index = self.list.selected_row()?;
        view.instances.get(index).map(|row| (index, row))
    }

    /// Returns the column and direction of the sort.
    pub fn sort(&self) -> Sort {
        self.sort
    }

    /// Sorts by the next column, ascending.
    pub fn next_sort_column(&mut self, rows: &[InstanceRow]) {
        self.sort = Sort {
            column: self.sort.column.next(),
            descending: false,
        };
        self.apply_sort(rows);
    }

    /// Reverses the sort order.
    pub fn reverse_sort(&mut self, rows: &[InstanceRow]) {
        self.sort.descending = !self.sort.descending;
        self.apply_sort(rows);
    }

    fn apply_sort(&mut self, rows: &[InstanceRow]) {
        let order = sort::order(rows, &self.health, self.sort);
        self.list.set_order(order);
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
        let selected = self
            .list
            .selected_row()
            .and_then(|index| rows.get(index).map(|row| (index, row)));
        let table_area = match selected {
            Some((index, row)) if self.detail_open => {
                let lines = detail::detail_lines(row, self.health(index), read_only, theme);
                let (table_area, detail_area) = split_for_detail(area, &lines);
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
        let arrow = if self.sort.descending { "↓" } else { "↑" };
        let note = format!(
            "sorted by {} {arrow} (s next column, S reverse) ",
            self.sort.column.name()
        );
        let spec = TableSpec {
            name: "Instances",
            columns: &COLUMNS,
            empty_message,
            drop_order: &[1, 3, 4, 7],
            sorted: Some((self.sort.column.table_index(), self.sort.descending)),
            note: &note,
        };
        render_table(frame, table_area, theme, spec, &self.list, |index| {
            drawn_row(&rows[index], self.health(index), theme)
        });
    }
}

/// Splits the body into table and detail pane: side by side on wide terminals, else the
/// pane below the table, as tall as its wrapped lines and their frame.
fn split_for_detail(area: Rect, lines: &[Line<'_>]) -> (Rect, Rect) {
    if area.width >= SIDE_BY_SIDE_MIN_WIDTH {
        let [table, detail] =
            Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
                .areas(area);
        (table, detail)
    } else {
        // Each line takes as many rows as it wraps to inside the pane's frame.
        let inner_width = usize::from(area.width.saturating_sub(2)).max(1);
        let rows: usize = lines
            .iter()
            .map(|line| line.width().max(1).div_ceil(inner_width))
            .sum();
        let height = u16::try_from(rows + 2).unwrap_or(u16::MAX);
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

pub(crate) fn text_or_none(value: Option<&str>) -> String {
    value.unwrap_or(NONE).to_owned()
}

fn cell_texts(row: &InstanceRow, checklist: Option<&Checklist>) -> Vec<String> {
    let failing = checklist.map_or(!row.is_complete(), |list| !list.is_healthy());
    vec![
        if failing {
            INCOMPLETE_MARKER.to_owned()
        } else {
            String::new()
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

fn drawn_row(row: &InstanceRow, checklist: Option<&Checklist>, theme: &Theme) -> DrawnRow {
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
    let cells = cell_texts(row, checklist)
        .into_iter()
        .zip(styles)
        .map(|(text, style)| Span::styled(text, style))
        .collect();
    DrawnRow {
        cells,
        style: Style::new(),
    }
}

fn render_detail(frame: &mut Frame, area: Rect, theme: &Theme, lines: Vec<Line<'static>>) {
    let block = Block::bordered().title(Span::styled(" Details ", theme.title()));
    let paragraph = Paragraph::new(Text::from(lines))
        .block(block)
        .wrap(Wrap { trim: false });
    frame.render_widget(paragraph, area);
}
