//! Management operations in the TUI: starting a confirmed [`Operation`], sending its effects
//! to the API task, and feeding the outcomes back to its [`Task`].

use super::App;
use crate::client::ApiError;
use crate::manage;
use crate::wire::graph::LicenseDetails;
use crate::wizard::Ticket;
use crate::worker::RequestId;

impl App {
    pub(super) fn on_manage_outcome(
        &mut self,
        id: RequestId,
        ticket: Ticket,
        outcome: manage::Outcome,
    ) {
        let _ = (id, ticket, outcome);
    }

    pub(super) fn on_license_details(
        &mut self,
        id: RequestId,
        object_id: String,
        result: Result<Vec<LicenseDetails>, ApiError>,
    ) {
        let _ = (id, object_id, result);
    }
}
