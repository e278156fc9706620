//! Dialogs drawn over a list screen: a confirmation of a destructive change, a text input, a
//! picker, and the progress of a running change.
//!
//! A dialog owns what it needs to finish (the typed [`Operation`](crate::manage::Operation)
//! to confirm, the purpose of the text or pick), so the app acts on the admin's choice
//! without looking anything up again. Keys reach a dialog through the binding table's
//! contexts ([`Dialog::context`]), and only typed text goes to [`Dialog::type_key`].

pub mod confirm;
pub mod input;
pub mod picker;
pub mod progress;

pub use confirm::ConfirmDialog;
pub use input::{InputDialog, InputPurpose};
pub use picker::{PickItem, PickPurpose, PickerDialog};
pub use progress::ProgressDialog;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::keys::Context;
use super::theme::Theme;

/// Widest a dialog gets, in columns.
const MAX_WIDTH: u16 = 90;

/// The open dialog.
#[derive(Debug)]
#[expect(
    clippy::large_enum_variant,
    reason = "the app holds at most one dialog, so its size costs nothing measurable"
)]
pub enum Dialog {
    /// A destructive change waiting for y or n.
    Confirm(ConfirmDialog),
    /// A text field.
    Input(InputDialog),
    /// A list to pick one row from.
    Picker(PickerDialog),
    /// A change being made.
    Progress(ProgressDialog),
}

impl Dialog {
    /// Returns the binding context while this dialog is open.
    pub fn context(&self) -> Context {
        match self {
            Dialog::Confirm(_) => Context::Confirm,
            Dialog::Input(_) => Context::Input,
            Dialog::Picker(_) => Context::Picker,
            Dialog::Progress(progress) if progress.task.is_finished() => Context::OperationDone,
            Dialog::Progress(_) => Context::OperationBusy,
        }
    }

    /// Returns true while the dialog runs a change, so the spinner should turn.
    pub fn is_busy(&self) -> bool {
        matches!(self, Dialog::Progress(progress) if !progress.task.is_finished())
    }

    /// Types a key into a text field or a picker's filter; other keys are ignored.
    pub fn type_key(&mut self, key: KeyEvent) {
        let text = match self {
            Dialog::Input(input) => &mut input.value,
            Dialog::Picker(picker) => &mut picker.filter,
            Dialog::Confirm(_) | Dialog::Progress(_) => return,
        };
        let command_key = key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match key.code {
            KeyCode::Char(c) if !command_key => text.push(c),
            KeyCode::Backspace => {
                text.pop();
            }
            _ => return,
        }
        if let Dialog::Picker(picker) = self {
            picker.after_filter_change();
        }
        if let Dialog::Input(input) = self {
            input.error = None;
        }
    }

    /// Draws the dialog centred over `area`.
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, spinner: &str) {
        match self {
            Dialog::Confirm(confirm) => confirm.render(frame, area, theme),
            Dialog::Input(input) => input.render(frame, area, theme),
            Dialog::Picker(picker) => picker.render(frame, area, theme),
            Dialog::Progress(progress) => progress.render(frame, area, theme, spinner),
        }
    }
}

/// Returns the rectangle of a dialog with `lines` text lines, centred over `area`, and
/// clears it.
pub(crate) fn popup(frame: &mut Frame, area: Rect, lines: usize) -> Rect {
    let width = MAX_WIDTH.min(area.width);
    let height = u16::try_from(lines + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let popup = area.centered(Constraint::Length(width), Constraint::Length(height));
    frame.render_widget(Clear, popup);
    popup
}

/// Draws framed, wrapped lines as a dialog titled `title`.
pub(crate) fn render_lines(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    title: &str,
    lines: Vec<Line<'static>>,
) -> Rect {
    let inner_width = usize::from(MAX_WIDTH.min(area.width).saturating_sub(2)).max(1);
    let rows: usize = lines
        .iter()
        .map(|line| line.width().max(1).div_ceil(inner_width))
        .sum();
    let popup = popup(frame, area, rows);
    let block = Block::bordered().title(Span::styled(format!(" {title} "), theme.title()));
    let paragraph = Paragraph::new(Text::from(lines))
        .block(block)
        .wrap(Wrap { trim: false });
    frame.render_widget(paragraph, popup);
    popup
}
