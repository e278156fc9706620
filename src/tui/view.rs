//! Drawing of the whole frame from the app's state: header with tabs, the body, the status
//! line, the footer and the help overlay. Nothing here changes state.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::app::App;
use super::loadable::Loadable;
use super::screens::ScreenId;
use super::widgets::table::{render_filter_line, render_message, split_filter_line};
use super::widgets::{footer, format_count, spinner};

impl App {
    /// Draws the whole frame.
    pub fn render(&self, frame: &mut Frame) {
        let [header, body, status, footer_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(frame.area());
        self.render_header(frame, header);
        match (&self.sign_in, &self.wizard) {
            (Some(sign_in), _) => sign_in.render(
                frame,
                body,
                &self.theme,
                &self.tenant_label,
                self.spinner(),
                std::time::Instant::now(),
            ),
            (None, Some(wizard)) => wizard.render(frame, body, &self.theme, self.spinner()),
            (None, None) => self.render_list_screen(frame, body),
        }
        self.render_status(frame, status);
        footer::render(frame, footer_area, &self.theme, &self.footer_hints());
        if let Some(dialog) = &self.dialog {
            dialog.render(frame, body, &self.theme, self.spinner());
        }
        if let Some(help) = &self.help {
            help.render(frame, body, &self.theme, self.read_only);
        }
    }

    fn spinner(&self) -> &'static str {
        spinner::frame(self.spinner_tick)
    }

    /// Returns the row count shown on a tab: the loaded count, or the count so far with `…`.
    fn tab_count(&self, screen: ScreenId) -> String {
        if let Some(view) = self.tenant.data() {
            let count = match screen {
                ScreenId::Instances => view.instances.len(),
                ScreenId::Licenses => view.skus.len(),
                ScreenId::Numbers => view.numbers.len(),
            };
            return format!(" ({})", format_count(count));
        }
        let list = match screen {
            ScreenId::Instances => "instances",
            ScreenId::Licenses => "licenses",
            ScreenId::Numbers => "numbers",
        };
        match self
            .tenant
            .progress()
            .and_then(|progress| progress.loaded(list))
        {
            Some(count) => format!(" ({}…)", format_count(count)),
            None => String::new(),
        }
    }

    fn render_header(&self, frame: &mut Frame, area: Rect) {
        let theme = &self.theme;
        let mut spans = vec![Span::styled(" botline ", theme.title())];
        spans.push(Span::raw(format!("· {} ", self.tenant_label)));
        if self.read_only {
            spans.push(Span::styled("· read-only ", theme.warning()));
        }
        spans.push(Span::raw("  "));
        for screen in ScreenId::ALL {
            let text = format!(
                "{} {}{}",
                screen.number_key(),
                screen.title(),
                self.tab_count(screen)
            );
            if screen == self.screen && self.wizard.is_none() {
                spans.push(Span::styled(format!("[{text}]"), theme.selected()));
            } else {
                spans.push(Span::styled(format!(" {text} "), theme.muted()));
            }
            spans.push(Span::raw(" "));
        }
        if let Some(wizard) = &self.wizard {
            spans.push(Span::styled(
                format!("[{}]", wizard.title()),
                theme.selected(),
            ));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
    }

    fn render_list_screen(&self, frame: &mut Frame, area: Rect) {
        let list = self.list(self.screen);
        let (body, filter_area) = split_filter_line(area, list);
        if let Some(filter_area) = filter_area {
            render_filter_line(frame, filter_area, &self.theme, list);
        }
        let Some(view) = self.tenant.data() else {
            let title = format!(" {} ", self.screen.title());
            render_message(frame, body, &self.theme, &title, self.tenant_message());
            return;
        };
        let theme = &self.theme;
        match self.screen {
            ScreenId::Instances => {
                self.instances
                    .render(frame, body, theme, &view.instances, self.read_only)
            }
            ScreenId::Licenses => {
                self.licenses
                    .render(frame, body, theme, &view.skus, self.spinner())
            }
            ScreenId::Numbers => self.numbers.render(frame, body, theme, &view.numbers),
        }
    }

    /// Returns the text shown in place of a list while there is no data.
    fn tenant_message(&self) -> Text<'static> {
        let theme = &self.theme;
        match &self.tenant {
            Loadable::Idle => Text::from("The tenant is not loaded yet. Press r to load it."),
            Loadable::Loading { progress, .. } => {
                let mut text = format!("{} Loading the tenant…", self.spinner());
                let summary = progress.summary();
                if !summary.is_empty() {
                    text.push_str(&format!(" {summary}"));
                }
                Text::from(text)
            }
            Loadable::Failed(message) => Text::from(vec![
                Line::styled("✗ Could not load the tenant:", theme.danger()),
                Line::from(message.clone()),
                Line::default(),
                Line::from("Press r to retry."),
            ]),
            Loadable::Loaded(_) => Text::default(),
        }
    }

    fn render_status(&self, frame: &mut Frame, area: Rect) {
        let theme = &self.theme;
        let line = if let Some(retry) = self.retry_status() {
            Line::styled(format!("{} {retry}", self.spinner()), theme.warning())
        } else if let Some(progress) = self.tenant.progress() {
            let summary = progress.summary();
            let text = if summary.is_empty() {
                format!("{} Loading the tenant…", self.spinner())
            } else {
                format!("{} Loading the tenant: {summary}", self.spinner())
            };
            Line::styled(text, theme.warning())
        } else if let Some(status) = &self.status {
            let style = if status.is_error {
                theme.danger()
            } else {
                theme.muted()
            };
            Line::styled(status.text.clone(), style)
        } else {
            Line::default()
        };
        frame.render_widget(Paragraph::new(line), area);
    }
}
