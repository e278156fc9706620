//! Lists that arrive in pages: each record is decoded on its own, so one malformed record
//! is reported in [`Listed::malformed`] instead of failing the list, and Graph collections
//! are followed through `@odata.nextLink`.

use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use super::auth::Audience;
use super::http::Call;
use super::{routes, ApiError, Client, Listed, Progress};
use crate::wire::graph::ODataPage;

/// Fields that name a record in a malformed-record line, in order of preference.
const NAMING_FIELDS: &[&str] = &[
    "telephoneNumber",
    "userPrincipalName",
    "skuPartNumber",
    "objectId",
    "id",
];

impl<T: DeserializeOwned> Listed<T> {
    /// Decodes the records of one page and adds them; `noun` names the kind of record in
    /// the malformed lines, such as "number".
    pub(super) fn extend_from_json(&mut self, records: Vec<Value>, noun: &str) {
        for record in records {
            let position = self.len() + 1;
            match T::deserialize(&record) {
                Ok(item) => self.items.push(item),
                Err(error) => {
                    let line = malformed_line(noun, position, &record, &error);
                    tracing::warn!(record = %line, "a record could not be read");
                    self.malformed.push(line);
                    self.malformed_records.push(record);
                }
            }
        }
    }
}

impl<T> Listed<T> {
    /// Returns the number of records received, decoded or not.
    pub fn len(&self) -> usize {
        self.items.len() + self.malformed.len()
    }

    /// Returns true when no record was received.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Describes a record that did not decode: its kind, position, naming field and the reason.
fn malformed_line(
    noun: &str,
    position: usize,
    record: &Value,
    error: &serde_json::Error,
) -> String {
    let name = NAMING_FIELDS.iter().find_map(|field| {
        let value = record.get(*field)?;
        let shown = match value {
            Value::String(text) => format!("{text:?}"),
            Value::Number(number) => number.to_string(),
            Value::Bool(flag) => flag.to_string(),
            _ => return None,
        };
        Some(format!(" ({field} {shown})"))
    });
    let name = name.unwrap_or_default();
    format!("{noun} record {position}{name} could not be read: {error}")
}

impl Client {
    /// Reads a whole Graph collection, following `@odata.nextLink`, and reports the number of
    /// records received after each page.
    pub(super) async fn graph_collection<T: DeserializeOwned>(
        &self,
        first: Url,
        noun: &str,
        progress: Option<&Progress>,
    ) -> Result<Listed<T>, ApiError> {
        let mut listed = Listed::default();
        let mut next = Some(first);
        while let Some(url) = next.take() {
            let page: ODataPage = self
                .send(Call::get(Audience::Graph, url.clone()))
                .await?
                .json()?;
            listed.extend_from_json(page.value, noun);
            if let Some(progress) = progress {
                progress(listed.len());
            }
            if let Some(link) = page.next_link {
                next = Some(self.next_page(&url, &link)?);
            }
        }
        Ok(listed)
    }

    /// Resolves a next-page link against the Graph base and rejects a link to the same page,
    /// which would never end.
    pub(super) fn next_page(&self, current: &Url, link: &str) -> Result<Url, ApiError> {
        let next = routes::follow(&self.inner.endpoints.graph, link)?;
        if next == *current {
            return Err(ApiError::Decode {
                what: format!("GET {}", current.path()),
                detail: "the next-page link points to the same page".to_owned(),
            });
        }
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::graph::NumberAssignment;
    use serde_json::json;

    #[test]
    fn malformed_record_is_named_and_kept_apart() {
        let mut listed: Listed<NumberAssignment> = Listed::default();
        listed.extend_from_json(
            vec![
                json!({"telephoneNumber": "+14255550100"}),
                json!({"telephoneNumber": 1}),
                json!({"telephoneNumber": "+14255550101"}),
            ],
            "number",
        );
        assert_eq!(listed.items.len(), 2);
        assert_eq!(listed.items[1].telephone_number, "+14255550101");
        assert_eq!(listed.malformed.len(), 1);
        assert_eq!(
            listed.malformed_records,
            vec![json!({"telephoneNumber": 1})]
        );
        let line = &listed.malformed[0];
        assert!(
            line.starts_with("number record 2 (telephoneNumber 1) could not be read: "),
            "{line}"
        );
        assert_eq!(listed.len(), 3);
    }

    #[test]
    fn record_without_naming_field_is_named_by_position() {
        let mut listed: Listed<NumberAssignment> = Listed::default();
        listed.extend_from_json(vec![json!("not an object")], "number");
        assert!(
            listed.malformed[0].starts_with("number record 1 could not be read"),
            "{}",
            listed.malformed[0]
        );
    }

    #[test]
    fn positions_continue_across_pages() {
        let mut listed: Listed<NumberAssignment> = Listed::default();
        listed.extend_from_json(vec![json!({"telephoneNumber": "+14255550100"})], "number");
        listed.extend_from_json(vec![json!({"id": "n2"})], "number");
        assert!(
            listed.malformed[0].starts_with("number record 2 (id \"n2\")"),
            "{}",
            listed.malformed[0]
        );
    }
}
