//! The Licenses screen: the tenant's SKUs with their seats, with the Teams Phone Resource
//! Account license marked, since every bot's instance needs one seat of it. Below the table,
//! the licenses of the instance selected on the Instances screen.

mod instance;

pub use instance::InstanceLicenses;

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use ratatui::Frame;

use crate::model::{SkuRow, RESOURCE_ACCOUNT_SKU};
use crate::tui::loadable::Loadable;
use crate::tui::theme::Theme;
use crate::tui::widgets::list_state::ListState;
use crate::tui::widgets::table::{render_table, Column, DrawnRow, TableSpec};

/// Product name shown for [`RESOURCE_ACCOUNT_SKU`].
pub const RESOURCE_ACCOUNT_LABEL: &str = "Teams Phone Resource Account";
/// Marker of the resource-account SKU's row.
const RESOURCE_ACCOUNT_MARKER: &str = "★";
/// Rows the table keeps when the instance pane takes the rest: frame, header and one row.
const MIN_TABLE_HEIGHT: u16 = 4;
/// Text after a zero seat count.
const NO_SEATS_TEXT: &str = "0 none free";

const COLUMNS: [Column; 6] = [
    Column {
        title: "",
        width: Constraint::Length(1),
    },
    Column {
        title: "SKU",
        width: Constraint::Min(24),
    },
    Column {
        title: "Product",
        width: Constraint::Fill(1),
    },
    Column {
        title: "Enabled",
        width: Constraint::Length(9),
    },
    Column {
        title: "Consumed",
        width: Constraint::Length(9),
    },
    Column {
        title: "Available",
        width: Constraint::Length(12),
    },
];

/// State of the Licenses screen.
#[derive(Debug, Default)]
pub struct LicensesScreen {
    /// Selection and filter of the table.
    pub list: ListState,
    /// The licenses of the instance selected on the Instances screen.
    pub instance: Option<InstanceLicenses>,
}

fn is_resource_account(row: &SkuRow) -> bool {
    row.sku_part_number
        .eq_ignore_ascii_case(RESOURCE_ACCOUNT_SKU)
}

fn cell_texts(row: &SkuRow) -> Vec<String> {
    let resource_account = is_resource_account(row);
    vec![
        if resource_account {
            RESOURCE_ACCOUNT_MARKER.to_owned()
        } else {
            String::new()
        },
        row.sku_part_number.clone(),
        if resource_account {
            RESOURCE_ACCOUNT_LABEL.to_owned()
        } else {
            String::new()
        },
        row.enabled.to_string(),
        row.consumed.to_string(),
        if row.available <= 0 {
            NO_SEATS_TEXT.to_owned()
        } else {
            row.available.to_string()
        },
    ]
}

fn drawn_row(row: &SkuRow, theme: &Theme) -> DrawnRow {
    let available_style = if row.available <= 0 {
        theme.warning()
    } else {
        theme.ok()
    };
    let cells = cell_texts(row)
        .into_iter()
        .enumerate()
        .map(|(column, text)| {
            let style = if column == 5 {
                available_style
            } else {
                Style::new()
            };
            Span::styled(text, style)
        })
        .collect();
    let style = if is_resource_account(row) {
        theme.highlight()
    } else {
        Style::new()
    };
    DrawnRow { cells, style }
}

impl LicensesScreen {
    /// Replaces the rows the filter searches.
    pub fn set_rows(&mut self, rows: &[SkuRow]) {
        self.list.set_rows(rows.iter().map(cell_texts));
    }

    /// Returns true when the licenses of `object_id` are neither loaded nor loading.
    pub fn needs_instance(&self, object_id: &str) -> bool {
        self.instance.as_ref().is_none_or(|instance| {
            !instance.object_id.eq_ignore_ascii_case(object_id)
                || matches!(instance.state, Loadable::Idle | Loadable::Failed(_))
        })
    }

    /// Returns true while the instance's licenses load.
    pub fn is_loading_instance(&self) -> bool {
        self.instance
            .as_ref()
            .is_some_and(|instance| instance.state.is_loading())
    }

    /// Draws the table, with a warning line above it when the tenant lacks the
    /// resource-account license or has no free seat of it, and the instance pane below.
    pub fn render(
        &self,
        frame: &mut Frame,
        area: Rect,
        theme: &Theme,
        rows: &[SkuRow],
        spinner: &str,
    ) {
        let (pane_title, pane_lines) = match &self.instance {
            Some(instance) => (
                format!(" Licenses of {} ", instance.upn),
                instance.lines(theme, spinner),
            ),
            None => (
                " Licenses of an instance ".to_owned(),
                vec![Line::styled(
                    "Select an instance on the Instances screen (1) to see its licenses here.",
                    theme.muted(),
                )],
            ),
        };
        let pane_height = u16::try_from(pane_lines.len() + 2)
            .unwrap_or(u16::MAX)
            .min(area.height.saturating_sub(MIN_TABLE_HEIGHT));
        let [area, pane] = Layout::vertical([
            Constraint::Min(MIN_TABLE_HEIGHT),
            Constraint::Length(pane_height),
        ])
        .areas(area);
        if pane.height > 0 {
            let block = Block::bordered().title(Span::styled(pane_title, theme.title()));
            let paragraph = Paragraph::new(pane_lines)
                .block(block)
                .wrap(Wrap { trim: false });
            frame.render_widget(paragraph, pane);
        }
        let resource_account = rows.iter().find(|row| is_resource_account(row));
        let warning = match resource_account {
            None => Some(format!(
                "! No {RESOURCE_ACCOUNT_LABEL} license ({RESOURCE_ACCOUNT_SKU}) in this \
                 tenant: bots cannot get a number until one is bought."
            )),
            Some(row) if row.available <= 0 => Some(format!(
                "! No free {RESOURCE_ACCOUNT_LABEL} seat: free one or buy more before \
                 adding a bot."
            )),
            Some(_) => None,
        };
        let table_area = match warning {
            Some(text) if area.height > 3 => {
                let [notice, table] =
                    Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
                let line = Line::from(Span::styled(text, theme.warning()));
                frame.render_widget(Paragraph::new(line), notice);
                table
            }
            _ => area,
        };
        let spec = TableSpec {
            name: "Licenses",
            columns: &COLUMNS,
            empty_message: "No licenses in this tenant.",
            drop_order: &[2],
            sorted: None,
            note: "",
        };
        render_table(frame, table_area, theme, spec, &self.list, |index| {
            drawn_row(&rows[index], theme)
        });
    }
}
