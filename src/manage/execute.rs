//! Runs management effects against the client: the only part of the module that does I/O.

use super::{Effect, Outcome};
use crate::client::Client;

/// Runs one effect, waiting its delay first, and returns its outcome.
pub async fn execute(client: &Client, effect: Effect) -> Outcome {
    tokio::time::sleep(effect.delay()).await;
    let result = match effect {
        Effect::UnassignNumber(request) => {
            client.unassign_number(&request).await.map(Outcome::Started)
        }
        Effect::AssignNumber(request) => client.assign_number(&request).await.map(Outcome::Started),
        Effect::PollOperation { location, .. } => client
            .operation(&location)
            .await
            .map(Outcome::OperationPolled),
        Effect::ReadNumber { number, .. } => client.number(&number).await.map(Outcome::NumberRead),
        Effect::UpdateNumber(request) => client
            .update_number(&request)
            .await
            .map(|()| Outcome::Updated),
        Effect::RemoveLicense { object_id, sku_id } => client
            .remove_license(&object_id, &sku_id)
            .await
            .map(|_| Outcome::LicenseRemoved),
    };
    result.unwrap_or_else(Outcome::Failed)
}
