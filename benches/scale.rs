//! Measures how botline's costs grow with tenant size: joining the tenant, drawing a list
//! screen, filtering it, and loading every number over HTTP from the emulator.
//!
//! Run with `cargo bench --bench scale`; docs/benchmarks.md records the figures.

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use botline::client::{Client, ClientOptions};
use botline::emulator::{practice_tenant, Emulator, Options, Timing};
use botline::model::{ActivationState, AssignmentStatus, NumberCapability, NumberType, TenantView};
use botline::tui::{App, Theme, TuiOptions};
use botline::wire::graph::NumberAssignment;
use botline::worker::{ApiEvent, Reply};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

/// Tenant sizes measured, in numbers.
const SIZES: [usize; 3] = [50, 5_000, 50_000];
/// Frames drawn per measurement.
const FRAMES: u32 = 200;

fn numbers(count: usize) -> Vec<NumberAssignment> {
    (0..count)
        .map(|index| NumberAssignment {
            telephone_number: format!("+1425{:07}", index),
            number_type: Some(NumberType::DirectRouting),
            activation_state: Some(ActivationState::Activated),
            assignment_status: Some(AssignmentStatus::Unassigned),
            capabilities: vec![NumberCapability::VoiceApplicationAssignment],
            iso_country_code: Some("US".into()),
            ..NumberAssignment::default()
        })
        .collect()
}

fn loaded_app(view: TenantView) -> App {
    let options = TuiOptions {
        read_only: false,
        tenant_label: "bench".into(),
        wizard_timing: botline::wizard::Timing::default(),
    };
    let mut app = App::new(&options, Theme::plain());
    app.reload();
    let load = app.take_commands().remove(0);
    app.on_api_event(ApiEvent {
        id: load.id,
        reply: Reply::Tenant(Ok(view)),
    });
    app
}

fn per_item(total: Duration, count: u32) -> Duration {
    total / count
}

fn main() {
    println!("| numbers | join | draw Numbers screen (per frame) | type a 3-key filter |");
    println!("| ---: | ---: | ---: | ---: |");
    for size in SIZES {
        let records = numbers(size);
        let started = Instant::now();
        let view = TenantView::build(Vec::new(), &HashMap::new(), records, &[]);
        let join = started.elapsed();

        let mut app = loaded_app(view);
        app.on_key(KeyEvent::new(KeyCode::Char('3'), KeyModifiers::NONE));
        let mut terminal = Terminal::new(TestBackend::new(160, 50)).unwrap();
        let started = Instant::now();
        for _ in 0..FRAMES {
            terminal.draw(|frame| app.render(frame)).unwrap();
        }
        let draw = per_item(started.elapsed(), FRAMES);

        let started = Instant::now();
        for key in ['/', '5', '5', '5'] {
            app.on_key(KeyEvent::new(KeyCode::Char(key), KeyModifiers::NONE));
        }
        let filter = started.elapsed();
        black_box(&app);
        println!("| {size} | {join:.2?} | {draw:.2?} | {filter:.2?} |");
    }

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let state = practice_tenant().with_generated_numbers(2_500);
        let options = Options {
            timing: Timing::instant(),
            ..Options::default()
        };
        let emulator = Emulator::start_with_state(options, state).await.unwrap();
        let client = Client::new(
            emulator.endpoints(),
            Emulator::credentials(),
            ClientOptions::default(),
        )
        .unwrap();
        let started = Instant::now();
        let listed = client.numbers(None, None).await.unwrap();
        let elapsed = started.elapsed();
        println!();
        println!(
            "Loaded {} numbers over HTTP from the emulator in {elapsed:.2?}.",
            listed.items.len()
        );
        let started = Instant::now();
        let view = client.tenant_view().await.unwrap();
        println!(
            "Loaded and joined the whole tenant ({} instances, {} numbers) in {:.2?}.",
            view.instances.len(),
            view.numbers.len(),
            started.elapsed()
        );
    });
}
