//! Drawing of the wizard screen: the step bar, the form or number picker of the current
//! step, the summary, and the progress log with the current activity.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, Wrap};
use ratatui::Frame;

use super::WizardScreen;
use crate::model::NumberCapability;
use crate::tui::theme::Theme;
use crate::wizard::{Field, Phase, Step};

/// Rows of the progress log shown under the form.
const LOG_ROWS: u16 = 8;

impl WizardScreen {
    /// Draws the wizard into `area`.
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, spinner: &str) {
        // On a short terminal the progress log gives up rows first, so that the form and the
        // number picker stay usable.
        let progress_rows = (LOG_ROWS + 2).min(area.height / 3).max(3);
        let [steps, body, progress] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(6),
            Constraint::Length(progress_rows),
        ])
        .areas(area);
        frame.render_widget(Paragraph::new(self.steps_line(theme)), steps);
        match (self.wizard.step, &self.wizard.facts.manual) {
            (Step::Instance, Some(setup)) => self.render_manual(frame, body, theme, setup),
            (step, _) => self.render_step(frame, body, theme, step),
        }
        self.render_progress(frame, progress, theme, spinner);
    }

    fn render_step(&self, frame: &mut Frame, body: Rect, theme: &Theme, step: Step) {
        match step {
            Step::Instance | Step::License => self.render_form(frame, body, theme),
            Step::Number => self.render_picker(frame, body, theme),
            Step::Summary => self.render_summary(frame, body, theme),
        }
    }

    fn steps_line(&self, theme: &Theme) -> Line<'static> {
        let mut spans = vec![Span::styled(format!("{}  ", self.title()), theme.title())];
        for (index, step) in [Step::Instance, Step::License, Step::Number, Step::Summary]
            .into_iter()
            .enumerate()
        {
            if index > 0 {
                spans.push(Span::styled(" › ", theme.muted()));
            }
            let text = if step == self.wizard.step {
                format!("[{}]", step.title())
            } else {
                step.title().to_owned()
            };
            let style = if step == self.wizard.step {
                theme.selected()
            } else {
                theme.muted()
            };
            spans.push(Span::styled(text, style));
        }
        Line::from(spans)
    }

    fn render_form(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let mut lines = self.context_lines(theme);
        let editing = matches!(self.wizard.phase, Phase::Editing { .. });
        for (index, field) in Field::of_step(self.wizard.step).iter().enumerate() {
            let focused = editing && index == self.focus;
            let marker = if focused { "▶ " } else { "  " };
            let value = self.wizard.form.get(*field);
            let cursor = if focused { "▏" } else { "" };
            lines.push(Line::from(vec![
                Span::raw(marker),
                Span::styled(format!("{:<20}", field.label()), theme.muted()),
                Span::styled(
                    format!("{value}{cursor}"),
                    if focused {
                        theme.selected()
                    } else {
                        Style::default()
                    },
                ),
            ]));
        }
        lines.push(Line::raw(""));
        lines.push(Line::styled(self.step_help(), theme.muted()));
        let block = Block::default()
            .borders(Borders::ALL)
            .title(self.wizard.step.title());
        frame.render_widget(
            Paragraph::new(lines)
                .block(block)
                .wrap(Wrap { trim: false }),
            area,
        );
    }

    /// Lines above the form: the tenant's facts that matter for this step.
    fn context_lines(&self, theme: &Theme) -> Vec<Line<'static>> {
        let facts = &self.wizard.facts;
        let mut lines = Vec::new();
        if self.wizard.step == Step::License {
            lines.push(Line::raw(format!("Resource account   {}", self.upn())));
            if let Some(context) = &facts.license {
                let location = context.usage_location.as_deref().unwrap_or("not set");
                lines.push(Line::raw(format!("Usage location now {location}")));
                lines.push(Line::raw(format!(
                    "License            {}",
                    context.license_state
                )));
                match &context.sku {
                    Some(sku) => {
                        let style = if sku.available > 0 {
                            theme.ok()
                        } else {
                            theme.danger()
                        };
                        lines.push(Line::from(vec![
                            Span::raw("Seats              "),
                            Span::styled(
                                format!(
                                    "{} free of {} ({} in use), {}",
                                    sku.available, sku.enabled, sku.consumed, sku.sku_part_number
                                ),
                                style,
                            ),
                        ]));
                    }
                    None => lines.push(Line::styled(
                        "Seats              none: the tenant has no PHONESYSTEM_VIRTUALUSER",
                        theme.danger(),
                    )),
                }
            }
            lines.push(Line::raw(""));
        }
        lines
    }

    fn step_help(&self) -> &'static str {
        match self.wizard.step {
            Step::Instance => {
                "The UPN's domain must be verified in the tenant; the application id is the \
                 bot's Application (client) ID in Entra."
            }
            Step::License => {
                "A usage location (two-letter country) is required before the Microsoft Teams \
                 Phone Resource Account license."
            }
            Step::Number | Step::Summary => "",
        }
    }

    fn render_picker(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let [field, list] =
            Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(area);
        let editing = matches!(self.wizard.phase, Phase::Editing { .. });
        let cursor = if editing { "▏" } else { "" };
        let typed = Paragraph::new(Line::from(vec![
            Span::styled("Number or digits to filter  ", theme.muted()),
            Span::styled(
                format!("{}{cursor}", self.wizard.form.number),
                theme.selected(),
            ),
        ]))
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(Step::Number.title()),
        );
        frame.render_widget(typed, field);

        let candidates = self.candidates();
        let visible_rows = usize::from(list.height.saturating_sub(3)).max(1);
        let first = self.selected.saturating_sub(visible_rows - 1);
        let rows = candidates
            .iter()
            .enumerate()
            .skip(first)
            .take(visible_rows)
            .map(|(index, record)| {
                let marker = if index == self.selected && editing {
                    "▶"
                } else {
                    " "
                };
                let style = if index == self.selected && editing {
                    theme.selected()
                } else {
                    Style::default()
                };
                Row::new(vec![
                    marker.to_owned(),
                    record.telephone_number.clone(),
                    record
                        .number_type
                        .as_ref()
                        .map_or("?".to_owned(), |kind| kind.label().to_owned()),
                    record.iso_country_code.clone().unwrap_or_default(),
                    record.city.clone().unwrap_or_default(),
                    capability_labels(&record.capabilities),
                ])
                .style(style)
            });
        let title = format!(
            "Free numbers for voice applications: {} of {}",
            candidates.len(),
            self.wizard.facts.numbers.free.len()
        );
        let table = Table::new(
            rows,
            [
                Constraint::Length(1),
                Constraint::Length(18),
                Constraint::Length(17),
                Constraint::Length(7),
                Constraint::Length(14),
                Constraint::Min(10),
            ],
        )
        .header(
            Row::new(vec![
                "",
                "Number",
                "Type",
                "Country",
                "City",
                "Capabilities",
            ])
            .style(theme.title()),
        )
        .block(Block::default().borders(Borders::ALL).title(title));
        frame.render_widget(table, list);
    }

    fn render_summary(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let facts = &self.wizard.facts;
        let record = facts.chosen.as_ref();
        let app = match (&facts.app_name, facts.app_id) {
            (Some(name), Some(id)) => format!("{name} ({id})"),
            (None, Some(id)) => id.to_string(),
            _ => String::new(),
        };
        let location = facts
            .license
            .as_ref()
            .and_then(|context| context.usage_location.clone())
            .unwrap_or_default();
        let license = facts
            .license
            .as_ref()
            .map_or("unknown".to_owned(), |context| {
                context.license_state.to_string()
            });
        let rows = [
            ("Resource account", self.upn()),
            ("Application", app),
            ("Usage location", location),
            ("License", license),
            (
                "Phone number",
                record.map_or(String::new(), |r| r.telephone_number.clone()),
            ),
            (
                "Number type",
                record
                    .and_then(|r| r.number_type.as_ref())
                    .map_or(String::new(), |kind| kind.label().to_owned()),
            ),
            (
                "Activation",
                record
                    .and_then(|r| r.activation_state.as_ref())
                    .map_or(String::new(), ToString::to_string),
            ),
        ];
        let mut lines = vec![Line::styled(
            "✔ The bot can be reached at its number.",
            theme.ok(),
        )];
        lines.push(Line::raw(""));
        for (label, value) in rows {
            lines.push(Line::from(vec![
                Span::styled(format!("{label:<18}"), theme.muted()),
                Span::raw(value),
            ]));
        }
        let block = Block::default().borders(Borders::ALL).title("Done");
        frame.render_widget(Paragraph::new(lines).block(block), area);
    }

    fn render_progress(&self, frame: &mut Frame, area: Rect, theme: &Theme, spinner: &str) {
        let mut lines: Vec<Line> = self
            .wizard
            .log
            .iter()
            .map(|line| {
                if line.starts_with("Warning") {
                    Line::styled(format!("! {line}"), theme.warning())
                } else {
                    Line::styled(format!("✔ {line}"), theme.ok())
                }
            })
            .collect();
        match &self.wizard.phase {
            Phase::Working { activity } => {
                lines.push(Line::raw(format!("{spinner} {activity}…")));
            }
            Phase::Waiting {
                activity,
                attempt,
                max_attempts,
            } => {
                lines.push(Line::raw(format!(
                    "{spinner} {activity}… (check {attempt} of {max_attempts}; Esc stops waiting)"
                )));
            }
            Phase::Failed { reason, can_retry } => {
                lines.push(Line::styled(format!("✘ {reason}"), theme.danger()));
                let next = if *can_retry {
                    "Press r to retry, or Esc to edit this step."
                } else {
                    "Press Esc to edit this step."
                };
                lines.push(Line::styled(next, theme.muted()));
            }
            Phase::Editing { error: Some(error) } => {
                lines.push(Line::styled(format!("✘ {error}"), theme.danger()));
            }
            Phase::Editing { error: None } | Phase::Done => {}
        }
        // Keep the newest lines in view, counting the rows that wrapped lines take.
        let inner_width = area.width.saturating_sub(2);
        let inner_rows = usize::from(area.height.saturating_sub(2));
        let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
        let overflow = paragraph.line_count(inner_width).saturating_sub(inner_rows);
        let scroll = u16::try_from(overflow).unwrap_or(u16::MAX);
        let block = Block::default().borders(Borders::ALL).title("Progress");
        frame.render_widget(paragraph.block(block).scroll((scroll, 0)), area);
    }

    pub(super) fn upn(&self) -> String {
        self.wizard
            .facts
            .upn
            .as_ref()
            .map_or_else(|| self.wizard.form.upn.clone(), ToString::to_string)
    }
}

/// Returns short labels for a number's capabilities, such as "voice app, conf".
fn capability_labels(capabilities: &[NumberCapability]) -> String {
    capabilities
        .iter()
        .map(|capability| match capability {
            NumberCapability::VoiceApplicationAssignment => "voice app".to_owned(),
            NumberCapability::ConferenceAssignment => "conf".to_owned(),
            NumberCapability::UserAssignment => "user".to_owned(),
            NumberCapability::TeamsPhoneMobile => "mobile".to_owned(),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}
