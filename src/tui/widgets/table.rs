//! Drawing of a filterable list: the table with only its visible rows, the filter line, and
//! the message shown in place of a table that has nothing to show.

use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Wrap};
use ratatui::Frame;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::format_count;
use super::list_state::ListState;
use crate::tui::theme::Theme;

/// One column of a table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Header text.
    pub title: &'static str,
    /// Width rule.
    pub width: Constraint,
}

/// One row as the table draws it.
#[derive(Debug, Clone)]
pub struct DrawnRow {
    /// One span per column.
    pub cells: Vec<Span<'static>>,
    /// Style of the whole row, under the selection style.
    pub style: Style,
}

/// Columns between two cells.
const COLUMN_SPACING: u16 = 1;

/// Splits off the bottom line for the filter when the list has one.
pub fn split_filter_line(area: Rect, state: &ListState) -> (Rect, Option<Rect>) {
    if !state.has_filter() || area.height < 2 {
        return (area, None);
    }
    let [body, filter] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    (body, Some(filter))
}

/// Draws the filter line and, while it is typed, puts the terminal cursor at its end.
pub fn render_filter_line(frame: &mut Frame, area: Rect, theme: &Theme, state: &ListState) {
    let label = if state.is_editing_filter() {
        "Filter (Enter keeps, Esc clears): "
    } else {
        "Filter: "
    };
    let text = state.filter();
    let line = Line::from(vec![
        Span::styled(label, theme.key_hint()),
        Span::raw(text.to_owned()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
    if state.is_editing_filter() {
        let typed_width = (label.chars().count() + text.chars().count()) as u16;
        let x = area
            .x
            .saturating_add(typed_width)
            .min(area.right().saturating_sub(1));
        frame.set_cursor_position(Position::new(x, area.y));
    }
}

/// Returns the title of a list's frame with its row count, such as `Numbers (3 of 1,000)`.
pub fn list_title(name: &str, state: &ListState) -> String {
    let total = format_count(state.row_count());
    if state.filter().is_empty() && !state.is_masked() {
        format!(" {name} ({total}) ")
    } else {
        let shown = format_count(state.matches().len());
        format!(" {name} ({shown} of {total}) ")
    }
}

/// Parts of a table other than its rows.
#[derive(Debug, Clone, Copy)]
pub struct TableSpec<'a> {
    /// The list's name, such as "Numbers", to which the frame title adds the row count.
    pub name: &'a str,
    /// The columns after the selection marker.
    pub columns: &'a [Column],
    /// The sentence shown when the list has no rows at all.
    pub empty_message: &'a str,
    /// Indexes of the columns to leave out, first to last, when the area is narrower than
    /// the columns' minimum widths; columns not listed are always drawn.
    pub drop_order: &'a [usize],
    /// The column the rows are sorted by (an index into `columns`) and whether the order is
    /// descending; the column's header shows an arrow.
    pub sorted: Option<(usize, bool)>,
    /// Text after the title, such as the sort or the filters; empty for none.
    pub note: &'a str,
}

/// Draws a framed table holding only the rows that fit, with the selection marked by a
/// marker column and the selection style.
pub fn render_table<F>(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    spec: TableSpec,
    state: &ListState,
    row_at: F,
) where
    F: Fn(usize) -> DrawnRow,
{
    let mut title = list_title(spec.name, state);
    if !spec.note.is_empty() {
        title.push_str(&format!("· {} ", spec.note));
    }
    let block = Block::bordered().title(Span::styled(title, theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if state.matches().is_empty() {
        let message = if state.row_count() == 0 {
            spec.empty_message.to_owned()
        } else if state.filter().is_empty() {
            "No rows match the filters. Press Esc to clear them.".to_owned()
        } else {
            format!(
                "No rows match \"{}\". Press Esc to clear the filter.",
                state.filter()
            )
        };
        render_text(frame, inner, Text::from(message));
        return;
    }

    let kept = kept_columns(&spec, inner.width);
    let mut widths = Vec::with_capacity(kept.len() + 1);
    widths.push(Constraint::Length(1));
    widths.extend(kept.iter().map(|&index| spec.columns[index].width));
    let cell_widths: Vec<u16> = Layout::horizontal(widths.clone())
        .spacing(COLUMN_SPACING)
        .split(inner)
        .iter()
        .skip(1)
        .map(|area| area.width)
        .collect();

    let body_rows = usize::from(inner.height.saturating_sub(1));
    let window = state.window(body_rows);
    let selected = state.selected_position();
    let marker = theme.selection_marker();
    let rows: Vec<Row> = window
        .map(|position| {
            let mut drawn = row_at(state.matches()[position]);
            let is_selected = position == selected;
            let mut cells = Vec::with_capacity(kept.len() + 1);
            cells.push(Cell::from(if is_selected { marker } else { " " }));
            for (&index, &width) in kept.iter().zip(&cell_widths) {
                let span = std::mem::take(&mut drawn.cells[index]);
                cells.push(Cell::from(fit_span(span, width)));
            }
            let style = if is_selected {
                drawn.style.patch(theme.selected())
            } else {
                drawn.style
            };
            Row::new(cells).style(style)
        })
        .collect();

    let mut header_cells = vec![Cell::from("")];
    header_cells.extend(kept.iter().map(|&index| {
        let title = spec.columns[index].title;
        match spec.sorted {
            Some((sorted, descending)) if sorted == index => {
                let arrow = if descending { "↓" } else { "↑" };
                Cell::from(format!("{title} {arrow}").trim_start().to_owned())
            }
            _ => Cell::from(title),
        }
    }));
    let table = Table::new(rows, widths)
        .header(Row::new(header_cells).style(theme.header()))
        .column_spacing(COLUMN_SPACING);
    frame.render_widget(table, inner);
}

/// Returns the indexes of the columns that fit in `width`, leaving out columns in the
/// spec's drop order until the rest fit or none is left to drop.
fn kept_columns(spec: &TableSpec, width: u16) -> Vec<usize> {
    let minimum = |index: usize| match spec.columns[index].width {
        Constraint::Length(columns) | Constraint::Min(columns) => columns,
        _ => 0,
    };
    let mut kept: Vec<usize> = (0..spec.columns.len()).collect();
    let needed = |kept: &[usize]| -> u16 {
        let cells: u16 = kept.iter().map(|&index| minimum(index)).sum();
        // The selection marker column, then one space before every column.
        1 + cells + COLUMN_SPACING * kept.len() as u16
    };
    for &index in spec.drop_order {
        if needed(&kept) <= width {
            break;
        }
        kept.retain(|&column| column != index);
    }
    kept
}

/// Cuts a cell's text to `width` columns, ending it with `…` when something was cut, so a
/// shortened value never passes for a whole one.
fn fit_span(span: Span<'static>, width: u16) -> Span<'static> {
    let width = usize::from(width);
    if span.content.width() <= width {
        return span;
    }
    let mut text = String::new();
    let mut used = 0;
    for c in span.content.chars() {
        let char_width = c.width().unwrap_or(0);
        if used + char_width + 1 > width {
            break;
        }
        text.push(c);
        used += char_width;
    }
    if width > 0 {
        text.push('…');
    }
    Span::styled(text, span.style)
}

/// Draws wrapped text inside an area, such as an empty-list or load-failure message.
pub fn render_text(frame: &mut Frame, area: Rect, text: Text) {
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

/// Draws a framed message in place of a list.
pub fn render_message(frame: &mut Frame, area: Rect, theme: &Theme, title: &str, text: Text) {
    let block = Block::bordered().title(Span::styled(title.to_owned(), theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    render_text(frame, inner, text);
}
