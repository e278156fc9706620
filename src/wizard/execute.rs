//! Runs wizard effects against the client.

use super::{Effect, Outcome};
use crate::client::Client;

/// Runs one effect, waiting its delay first, and returns its outcome.
pub async fn execute(client: &Client, effect: Effect) -> Outcome {
    tokio::time::sleep(effect.delay()).await;
    let _ = client;
    todo!()
}
