//! The new-bot wizard screen: the form of each step, the number picker, and the progress log.
//!
//! The screen owns a [`Wizard`] and turns keys into wizard inputs; every rule lives in the
//! wizard itself. Its keys come from the app's binding table through the context the screen
//! reports ([`WizardScreen::context`]); only typed text reaches [`WizardScreen::handle_key`].

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, Wrap};
use ratatui::Frame;

use crate::model::{NumberCapability, PhoneNumber};
use crate::tui::keys::{Context, WizardAction};
use crate::tui::theme::Theme;
use crate::wire::graph::NumberAssignment;
use crate::wizard::{Effect, Field, Input, Outcome, Phase, Step, Ticket, Timing, Wizard};

/// What the app must do after the wizard handled a key or an outcome.
#[derive(Debug, Default)]
pub struct WizardReaction {
    /// Effects to send to the API task, each with the ticket its outcome must carry.
    pub effects: Vec<(Ticket, Effect)>,
    /// Whether the admin left the wizard.
    pub closed: bool,
    /// Whether the wizard changed the tenant, so the lists must be loaded again.
    pub changed_tenant: bool,
}

/// The wizard and the cursor state of its screen.
#[derive(Debug)]
pub struct WizardScreen {
    wizard: Wizard,
    focus: usize,
    selected: usize,
}

impl WizardScreen {
    /// Opens the wizard on step 1 with empty fields. The app opens it only when botline
    /// may change the tenant.
    pub fn new(timing: Timing) -> Self {
        WizardScreen {
            wizard: Wizard::new(timing),
            focus: 0,
            selected: 0,
        }
    }

    /// Returns the wizard's state.
    pub fn wizard(&self) -> &Wizard {
        &self.wizard
    }

    /// Returns the binding context of the wizard's current phase.
    pub fn context(&self) -> Context {
        match (&self.wizard.phase, self.wizard.step) {
            (Phase::Editing { .. }, Step::Number) => Context::WizardPicker,
            (Phase::Editing { .. }, _) => Context::WizardForm,
            (Phase::Working { .. } | Phase::Waiting { .. }, _) => Context::WizardBusy,
            (Phase::Failed { .. }, _) => Context::WizardFailed,
            (Phase::Done, _) => Context::WizardDone,
        }
    }

    /// Runs a bound action.
    pub fn apply(&mut self, action: WizardAction) -> WizardReaction {
        let step = self.wizard.step;
        let fields = Field::of_step(step).len();
        let effects = match action {
            WizardAction::Submit => self.submit(),
            WizardAction::Back => self.wizard.update(Input::Back),
            WizardAction::Retry => self.wizard.update(Input::Retry),
            WizardAction::Close => self.wizard.update(Input::Submit),
            WizardAction::NextField => {
                self.focus = (self.focus + 1) % fields.max(1);
                Vec::new()
            }
            WizardAction::PreviousField => {
                self.focus = (self.focus + fields.max(1) - 1) % fields.max(1);
                Vec::new()
            }
            WizardAction::PickDown => {
                let count = self.candidates().len();
                self.selected = (self.selected + 1).min(count.saturating_sub(1));
                Vec::new()
            }
            WizardAction::PickUp => {
                self.selected = self.selected.saturating_sub(1);
                Vec::new()
            }
            WizardAction::ClearField => {
                self.edit_focused(String::clear);
                Vec::new()
            }
        };
        self.after_update(step, effects)
    }

    /// Types a key into the focused field; keys that are not text are ignored.
    pub fn handle_key(&mut self, key: KeyEvent) -> WizardReaction {
        if matches!(self.wizard.phase, Phase::Editing { .. }) {
            match key.code {
                KeyCode::Backspace => self.edit_focused(|text| {
                    text.pop();
                }),
                KeyCode::Char(c)
                    if !key
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                {
                    self.edit_focused(|text| text.push(c));
                    self.selected = 0;
                }
                _ => {}
            }
        }
        self.after_update(self.wizard.step, Vec::new())
    }

    /// Applies the outcome of an effect; outcomes with a stale ticket change nothing.
    pub fn on_outcome(&mut self, ticket: Ticket, outcome: Outcome) -> WizardReaction {
        let step = self.wizard.step;
        let effects = self.wizard.update(Input::Outcome(ticket, outcome));
        self.after_update(step, effects)
    }

    /// Returns true while a call is in flight or botline is polling.
    pub fn is_busy(&self) -> bool {
        self.wizard.phase.is_busy()
    }

    /// Returns true while the admin types into a field, so letter keys are text.
    pub fn is_editing_text(&self) -> bool {
        matches!(self.wizard.phase, Phase::Editing { .. })
    }

    fn after_update(
        &mut self,
        step_before: Step,
        effects: Vec<(Ticket, Effect)>,
    ) -> WizardReaction {
        if self.wizard.step != step_before {
            self.focus = 0;
            self.selected = 0;
        }
        WizardReaction {
            effects,
            closed: self.wizard.closed,
            changed_tenant: self.wizard.facts.changed_tenant,
        }
    }

    fn submit(&mut self) -> Vec<(Ticket, Effect)> {
        if self.wizard.step == Step::Number {
            let picked = self
                .candidates()
                .get(self.selected)
                .map(|record| record.telephone_number.clone());
            if let Some(number) = picked {
                self.wizard.update(Input::Edit(Field::Number, number));
            }
        }
        self.wizard.update(Input::Submit)
    }

    fn edit_focused(&mut self, change: impl FnOnce(&mut String)) {
        let Some(field) = Field::of_step(self.wizard.step).get(self.focus).copied() else {
            return;
        };
        let mut text = self.wizard.form.get(field).to_owned();
        change(&mut text);
        self.wizard.update(Input::Edit(field, text));
    }

    /// Returns the free numbers that contain the digits the admin typed.
    fn candidates(&self) -> Vec<&NumberAssignment> {
        let typed: String = self
            .wizard
            .form
            .number
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        self.wizard
            .facts
            .numbers
            .free
            .iter()
            .filter(|record| {
                typed.is_empty()
                    || record
                        .telephone_number
                        .parse::<PhoneNumber>()
                        .is_ok_and(|number| number.digits().contains(&typed))
            })
            .collect()
    }
}

/// Rows of the progress log shown under the form.
const LOG_ROWS: u16 = 8;

impl WizardScreen {
    /// Draws the wizard into `area`.
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, spinner: &str) {
        let [steps, body, progress] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(6),
            Constraint::Length(LOG_ROWS + 2),
        ])
        .areas(area);
        frame.render_widget(Paragraph::new(self.steps_line(theme)), steps);
        match self.wizard.step {
            Step::Instance | Step::License => self.render_form(frame, body, theme),
            Step::Number => self.render_picker(frame, body, theme),
            Step::Summary => self.render_summary(frame, body, theme),
        }
        self.render_progress(frame, progress, theme, spinner);
    }

    fn steps_line(&self, theme: &Theme) -> Line<'static> {
        let mut spans = vec![Span::styled("New bot  ", theme.title())];
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

    /// Lines above the form: what the tenant said that matters for this step.
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
        // Keep the newest lines in view.
        let inner_rows = usize::from(area.height.saturating_sub(2));
        let skip = lines.len().saturating_sub(inner_rows);
        let block = Block::default().borders(Borders::ALL).title("Progress");
        frame.render_widget(
            Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>())
                .block(block)
                .wrap(Wrap { trim: false }),
            area,
        );
    }

    fn upn(&self) -> String {
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
