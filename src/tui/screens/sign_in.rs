//! The sign-in screen: the device code, the page to open and the time left, shown while a
//! request waits for the admin to sign in. It replaces the body until the sign-in ends, and
//! its only keys cancel and quit.

use std::time::{Duration, Instant};

use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use crate::client::{format_countdown, DeviceCodePrompt};
use crate::tui::theme::Theme;

/// Width of the sign-in panel, in columns, when the terminal is wider.
const PANEL_WIDTH: u16 = 76;

/// A pending device-code sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInScreen {
    prompt: DeviceCodePrompt,
    poll_interval: Option<Duration>,
}

impl SignInScreen {
    /// Shows a code to enter.
    pub fn new(prompt: DeviceCodePrompt) -> Self {
        SignInScreen {
            prompt,
            poll_interval: None,
        }
    }

    /// Returns the code, the page and the deadline.
    pub fn prompt(&self) -> &DeviceCodePrompt {
        &self.prompt
    }

    /// Records that the sign-in page asked botline to check less often.
    pub fn slow_down(&mut self, interval: Duration) {
        self.poll_interval = Some(interval);
    }

    /// Draws the panel into `area`, counting down from `now`.
    pub fn render(
        &self,
        frame: &mut Frame,
        area: Rect,
        theme: &Theme,
        tenant_label: &str,
        spinner: &str,
        now: Instant,
    ) {
        let left = self.prompt.remaining(now);
        let mut lines = vec![
            Line::raw(format!("botline needs you to sign in to {tenant_label}.")),
            Line::raw(""),
            Line::from(vec![
                Span::raw("  1. Open      "),
                Span::styled(self.prompt.verification_uri.clone(), theme.title()),
            ]),
            Line::from(vec![
                Span::raw("  2. Enter     "),
                Span::styled(self.prompt.user_code.clone(), theme.selected()),
            ]),
            Line::raw("  3. Sign in as a Teams administrator."),
            Line::raw(""),
        ];
        if left.is_zero() {
            lines.push(Line::styled(
                "The code has expired; botline stops waiting.",
                theme.danger(),
            ));
        } else {
            lines.push(Line::styled(
                format!("The code expires in {}.", format_countdown(left)),
                theme.warning(),
            ));
            lines.push(Line::raw(format!("{spinner} Waiting for the sign-in…")));
        }
        if let Some(interval) = self.poll_interval {
            lines.push(Line::styled(
                format!(
                    "The sign-in page asked botline to check less often: every {} s.",
                    interval.as_secs()
                ),
                theme.muted(),
            ));
        }
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            "botline loads the tenant as soon as you are signed in. Esc or q cancels and quits.",
            theme.muted(),
        ));
        // Two rows of borders and two spare rows for lines the panel's width wraps.
        let height = u16::try_from(lines.len() + 4).unwrap_or(u16::MAX);
        let [_, row] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(height)]).areas(area);
        let [panel] = Layout::horizontal([Constraint::Length(area.width.min(PANEL_WIDTH))])
            .flex(Flex::Center)
            .areas(row);
        let block = Block::default().borders(Borders::ALL).title(" Sign in ");
        frame.render_widget(
            Paragraph::new(lines)
                .block(block)
                .wrap(Wrap { trim: false }),
            panel,
        );
    }
}
