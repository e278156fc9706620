//! The spinner shown while a request is pending.
//!
//! It advances on a tick that the event loop runs only while something is pending, so an
//! idle screen is not redrawn.

use std::time::Duration;

/// Time between two spinner frames.
pub const SPINNER_INTERVAL: Duration = Duration::from_millis(120);

const FRAMES: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// Returns the spinner frame for a tick count.
pub fn frame(tick: usize) -> &'static str {
    FRAMES[tick % FRAMES.len()]
}
