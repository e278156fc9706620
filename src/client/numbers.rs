//! Teams telephone number management on Graph: listing numbers, assigning, unassigning and
//! updating them, and reading the long-running operations that assignments start.

use reqwest::Method;
use serde::Serialize;
use serde_json::Value;
use url::Url;

use super::auth::Audience;
use super::http::Call;
use super::routes::{self, odata_string, NUMBERS_ROOT};
use super::{ApiError, Client, Listed, Progress};
use crate::model::PhoneNumber;
use crate::wire::graph::{
    decode_operation, AssignNumberRequest, NumberAssignment, NumberOperation, ODataPage,
    UnassignNumberRequest, UpdateNumberRequest,
};

/// Records asked for per page; 1000 is the largest `$top` Graph takes for numbers.
const NUMBERS_PAGE_SIZE: usize = 1000;

impl Client {
    /// Lists numbers matching an OData filter, following every page.
    ///
    /// Pages are read with `$top` and `$skip` until one comes back shorter than `$top`. When
    /// a response carries `@odata.nextLink`, the links are followed instead until one is
    /// missing. `progress` gets the number of records received after each page.
    pub async fn numbers(
        &self,
        filter: Option<&str>,
        progress: Option<Progress>,
    ) -> Result<Listed<NumberAssignment>, ApiError> {
        let mut listed = Listed::default();
        let mut skip: usize = 0;
        let mut link: Option<Url> = None;
        let mut paging_by_link = false;
        let mut previous_first: Option<Value> = None;
        loop {
            let url = match link.take() {
                Some(url) => url,
                None => self.numbers_page_url(filter, skip),
            };
            let page: ODataPage = self
                .send(Call::get(Audience::Graph, url.clone()))
                .await?
                .json()?;
            let received = page.value.len();
            let first = page.value.first().cloned();
            if !paging_by_link && first.is_some() && first == previous_first {
                return Err(ApiError::Decode {
                    what: format!("GET {}", url.path()),
                    detail: format!("$skip={skip} returned the previous page again"),
                });
            }
            previous_first = first;
            listed.extend_from_json(page.value, "number");
            if let Some(progress) = &progress {
                progress(listed.len());
            }
            match page.next_link {
                Some(next) => {
                    link = Some(self.next_page(&url, &next)?);
                    paging_by_link = true;
                }
                None if paging_by_link || received < NUMBERS_PAGE_SIZE => break,
                None => skip += received,
            }
        }
        Ok(listed)
    }

    fn numbers_page_url(&self, filter: Option<&str>, skip: usize) -> Url {
        let top = NUMBERS_PAGE_SIZE.to_string();
        let skip = skip.to_string();
        let mut query = Vec::with_capacity(3);
        if let Some(filter) = filter {
            query.push(("$filter", filter));
        }
        query.push(("$top", top.as_str()));
        query.push(("$skip", skip.as_str()));
        let path = format!("{NUMBERS_ROOT}/numberAssignments");
        routes::join_with_query(&self.inner.endpoints.graph, &path, &query)
    }

    /// Reads one number's record, or `None` when the tenant has no such number.
    ///
    /// NOTE: how Graph lists a Direct Routing number that has extensions is unverified; the
    /// lookup uses the number without its `;ext=` part, the form the emulator stores.
    pub async fn number(&self, number: &PhoneNumber) -> Result<Option<NumberAssignment>, ApiError> {
        let filter = format!("telephoneNumber eq {}", odata_string(number.e164()));
        let listed = self.numbers(Some(&filter), None).await?;
        if let Some(record) = listed.items.into_iter().next() {
            return Ok(Some(record));
        }
        match listed.malformed.into_iter().next() {
            Some(line) => Err(ApiError::Decode {
                what: format!("the record of {number}"),
                detail: line,
            }),
            None => Ok(None),
        }
    }

    /// Lists the numbers assigned to one account, by its object id.
    pub async fn numbers_held_by(
        &self,
        object_id: &str,
    ) -> Result<Listed<NumberAssignment>, ApiError> {
        let filter = format!("assignmentTargetId eq {}", odata_string(object_id));
        self.numbers(Some(&filter), None).await
    }

    /// Starts an assignment and returns the operation's address from `Location`.
    pub async fn assign_number(&self, request: &AssignNumberRequest) -> Result<String, ApiError> {
        self.start_operation("assignNumber", request).await
    }

    /// Starts an unassignment and returns the operation's address from `Location`.
    pub async fn unassign_number(
        &self,
        request: &UnassignNumberRequest,
    ) -> Result<String, ApiError> {
        self.start_operation("unassignNumber", request).await
    }

    /// Posts an action that returns 202 Accepted with the operation's address in `Location`.
    async fn start_operation(
        &self,
        action: &str,
        body: &impl Serialize,
    ) -> Result<String, ApiError> {
        let path = format!("{NUMBERS_ROOT}/numberAssignments/{action}");
        let url = routes::join(&self.inner.endpoints.graph, &path);
        let reply = self
            .send(Call::json(Method::POST, Audience::Graph, url, body)?)
            .await?;
        match reply.header("location") {
            Some(location) if !location.trim().is_empty() => Ok(location.trim().to_owned()),
            _ => Err(reply.decode_error(format!(
                "HTTP {} without a Location header, so the operation cannot be followed",
                reply.status
            ))),
        }
    }

    /// Changes a number's emergency location or network site.
    pub async fn update_number(&self, request: &UpdateNumberRequest) -> Result<(), ApiError> {
        let path = format!("{NUMBERS_ROOT}/numberAssignments/updateNumber");
        let url = routes::join(&self.inner.endpoints.graph, &path);
        self.send(Call::json(Method::POST, Audience::Graph, url, request)?)
            .await?;
        Ok(())
    }

    /// Reads a long-running operation at the address `assign_number` returned, which may be
    /// absolute or relative to the Graph base; the operation may come bare or wrapped in
    /// `{"value": ...}`.
    pub async fn operation(&self, location: &str) -> Result<NumberOperation, ApiError> {
        let url = routes::follow(&self.inner.endpoints.graph, location)?;
        let reply = self.send(Call::get(Audience::Graph, url)).await?;
        let body: Value = reply.json()?;
        decode_operation(&body).map_err(|error| reply.decode_error(error.to_string()))
    }
}
