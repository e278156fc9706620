//! Retries of running requests in the status line: "Loading the tenant: throttled, retrying in
//! 3 s" while the API task waits, gone once the request moves on or ends.

use super::App;
use crate::client::RetryNotice;
use crate::worker::{Reply, RequestId};

impl App {
    /// Keeps a retry notice of a request the app still waits for; others are dropped.
    pub(super) fn on_retry(&mut self, id: RequestId, notice: RetryNotice) {
        if !self.is_current_request(id) {
            tracing::debug!(request = id.0, "dropped a retry notice of a stale request");
            return;
        }
        self.retry = Some((id, notice));
    }

    /// Forgets the retry notice of `id` once a reply shows that the request moved on: a page
    /// arrived after the retry, or the request ended.
    ///
    /// NOTE: a tenant load reads its lists side by side and a notice does not name its list,
    /// so a page of another list also ends the notice, even while the throttled list waits.
    pub(super) fn end_retry(&mut self, id: RequestId, reply: &Reply) {
        let moved_on = !matches!(reply, Reply::Retry(_));
        if moved_on
            && self
                .retry
                .as_ref()
                .is_some_and(|(retry_id, _)| *retry_id == id)
        {
            self.retry = None;
        }
    }

    /// Returns the text of the status line for the latest retry of a running request, such as
    /// "Loading the tenant: throttled, retrying in 3 s".
    pub fn retry_status(&self) -> Option<String> {
        let (id, notice) = self.retry.as_ref()?;
        if !self.is_current_request(*id) {
            return None;
        }
        let request = if self.awaited_tenant == Some(*id) {
            "Loading the tenant".to_owned()
        } else {
            self.wizard
                .as_ref()
                .and_then(|screen| screen.activity())
                .unwrap_or_else(|| "The wizard's request".to_owned())
        };
        Some(format!("{request}: {}", notice.summary()))
    }

    fn is_current_request(&self, id: RequestId) -> bool {
        self.awaited_tenant == Some(id) || self.wizard_requests.contains(&id)
    }
}
