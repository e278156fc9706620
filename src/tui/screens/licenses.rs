//! The Licenses screen: the tenant's SKUs with their seats, with the Teams Phone Resource
//! Account license marked, since every bot's instance needs one seat of it.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::model::{SkuRow, RESOURCE_ACCOUNT_SKU};
use crate::tui::theme::Theme;
use crate::tui::widgets::list_state::ListState;
use crate::tui::widgets::table::{render_table, Column, DrawnRow, TableSpec};

/// Product name shown for [`RESOURCE_ACCOUNT_SKU`].
pub const RESOURCE_ACCOUNT_LABEL: &str = "Teams Phone Resource Account";
/// Marker of the resource-account SKU's row.
const RESOURCE_ACCOUNT_MARKER: &str = "★";
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

    /// Draws the table, with a warning line above it when the tenant lacks the
    /// resource-account license or has no free seat of it.
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, rows: &[SkuRow]) {
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
        };
        render_table(frame, table_area, theme, spec, &self.list, |index| {
            drawn_row(&rows[index], theme)
        });
    }
}
