//! Loading a whole tenant: instances, numbers and SKUs side by side, then the users behind
//! them, joined into a [`TenantView`].

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use uuid::Uuid;

use super::{ApiError, Client, Progress, TenantProgress};
use crate::model::TenantView;
use crate::wire::graph::User;

impl Client {
    /// Loads instances, their users, numbers and SKUs concurrently and joins them.
    pub async fn tenant_view(&self) -> Result<TenantView, ApiError> {
        self.tenant_view_with_progress(Arc::new(|_, _| {})).await
    }

    /// Same as [`Client::tenant_view`], reporting each list's progress as pages arrive.
    ///
    /// The lists are "instances", "numbers" and "licenses" (SKUs), loaded together, then
    /// "users": the instances' accounts and every other number holder. A number record that
    /// does not decode becomes a row marked with its problem; malformed records of the other
    /// lists are logged and listed in [`TenantView::malformed`].
    pub async fn tenant_view_with_progress(
        &self,
        progress: TenantProgress,
    ) -> Result<TenantView, ApiError> {
        let skus = async {
            let skus = self.subscribed_skus().await?;
            progress("licenses", skus.len());
            Ok::<_, ApiError>(skus)
        };
        let (instances, numbers, skus) = tokio::try_join!(
            self.instances(Some(list_progress(&progress, "instances"))),
            self.numbers(None, Some(list_progress(&progress, "numbers"))),
            skus,
        )?;

        let holder_ids = instances
            .items
            .iter()
            .map(|instance| instance.object_id.as_str())
            .chain(
                numbers
                    .items
                    .iter()
                    .filter_map(|number| number.assignment_target_id.as_deref()),
            );
        let user_ids = directory_ids(holder_ids);
        let users = self
            .users_by_ids_listed(&user_ids, Some(list_progress(&progress, "users")))
            .await?;
        let users_by_id: HashMap<String, User> = users
            .items
            .into_iter()
            .map(|user| (user.id.to_ascii_lowercase(), user))
            .collect();

        // Number records that do not decode are still shown, as rows marked with their
        // problem; other records that do not decode are left out and listed.
        let malformed: Vec<String> = instances
            .malformed
            .into_iter()
            .chain(users.malformed)
            .collect();
        if !malformed.is_empty() {
            tracing::warn!(
                count = malformed.len(),
                "tenant loaded without some unreadable records"
            );
        }
        let mut view = TenantView::build(instances.items, &users_by_id, numbers.items, &skus);
        view.add_unreadable_numbers(numbers.malformed.iter().zip(&numbers.malformed_records));
        view.malformed = malformed;
        log_number_problems(&view);
        Ok(view)
    }
}

/// Number rows logged one by one with their problem; the rest are only counted.
const LOGGED_PROBLEM_ROWS: usize = 20;

/// Logs the number rows marked with a problem, the first few by name and the rest by count.
fn log_number_problems(view: &TenantView) {
    let marked: Vec<_> = view
        .numbers
        .iter()
        .filter_map(|row| Some((&row.record.telephone_number, row.problem.as_deref()?)))
        .collect();
    for (number, problem) in marked.iter().take(LOGGED_PROBLEM_ROWS) {
        tracing::warn!(%number, problem, "number record marked with a problem");
    }
    if marked.len() > LOGGED_PROBLEM_ROWS {
        tracing::warn!(
            count = marked.len() - LOGGED_PROBLEM_ROWS,
            "more number records marked with a problem"
        );
    }
}

fn list_progress(progress: &TenantProgress, list: &'static str) -> Progress {
    let progress = Arc::clone(progress);
    Arc::new(move |loaded| progress(list, loaded))
}

/// Returns the ids that can be object ids of directory users, without duplicates.
///
/// A number can also be held by something that is not a user, such as a shared-calling
/// policy instance. Only GUIDs are kept, because Graph rejects a whole `id in (...)` filter
/// that contains a value of another form.
fn directory_ids<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut unique = Vec::new();
    for id in ids {
        let Ok(guid) = Uuid::parse_str(id.trim()) else {
            tracing::debug!(id, "skipped a holder id that is not an object id");
            continue;
        };
        let id = guid.hyphenated().to_string();
        if seen.insert(guid) {
            unique.push(id);
        }
    }
    unique
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_ids_keeps_unique_guids() {
        let ids = [
            "0B5C7A53-5C1E-4A8E-9D0F-3E7B2A9C1D44",
            "0b5c7a53-5c1e-4a8e-9d0f-3e7b2a9c1d44",
            "",
            "policy:tag:abc",
            "6a1d3c2b-0000-4000-8000-000000000001",
        ];
        assert_eq!(
            directory_ids(ids.into_iter()),
            vec![
                "0b5c7a53-5c1e-4a8e-9d0f-3e7b2a9c1d44".to_owned(),
                "6a1d3c2b-0000-4000-8000-000000000001".to_owned(),
            ]
        );
    }
}
