//! Drawing of step 1 by hand: why botline cannot create the resource account, and the
//! PowerShell commands to run, one parameter per line so that they copy without wrapping.
//! The panel has no side borders, so a copied line holds nothing but the command.

use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use super::WizardScreen;
use crate::tui::theme::Theme;
use crate::wizard::{ManualSetup, ALREADY_MAPPED_HINT};

impl WizardScreen {
    /// Draws the reason and the commands into `area`.
    pub(super) fn render_manual(
        &self,
        frame: &mut Frame,
        area: Rect,
        theme: &Theme,
        setup: &ManualSetup,
    ) {
        let mut lines = vec![Line::styled(setup.reason.clone(), theme.warning())];
        lines.push(Line::raw(""));
        for command in &setup.commands {
            for line in command.continued_lines() {
                lines.push(Line::styled(format!("  {line}"), theme.title()));
            }
        }
        lines.push(Line::raw(""));
        lines.push(Line::raw(format!(
            "botline checks the Teams instance list until {} appears, then goes on with step 2.",
            self.upn()
        )));
        lines.push(Line::styled(ALREADY_MAPPED_HINT, theme.muted()));
        let block = Block::default()
            .borders(Borders::TOP | Borders::BOTTOM)
            .title(" 1 Resource account: create it in PowerShell ");
        frame.render_widget(
            Paragraph::new(lines)
                .block(block)
                .wrap(Wrap { trim: false }),
            area,
        );
    }
}
