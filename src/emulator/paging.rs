//! Query-string helpers shared by the list routes: options, page sizes and offsets.

use std::collections::HashMap;

use super::errors::ApiFailure;
use super::filter::{self, Filter};

/// Query options of one request; a repeated option keeps its last value.
#[derive(Debug, Default)]
pub struct QueryOptions {
    options: HashMap<String, String>,
}

impl QueryOptions {
    /// Parses a raw query string such as `$top=5&$filter=...`.
    pub fn parse(raw: Option<&str>) -> Self {
        let options = raw
            .map(|raw| {
                url::form_urlencoded::parse(raw.as_bytes())
                    .into_owned()
                    .collect()
            })
            .unwrap_or_default();
        QueryOptions { options }
    }

    /// Returns an option's value; OData `$` options also match without case.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.options.get(name).map(String::as_str).or_else(|| {
            self.options
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, value)| value.as_str())
        })
    }

    /// Parses `$filter`, if given.
    pub fn filter(&self) -> Result<Option<Filter>, ApiFailure> {
        match self.get("$filter").filter(|text| !text.trim().is_empty()) {
            Some(text) => filter::parse(text)
                .map(Some)
                .map_err(|error| ApiFailure::bad_request(error.to_string())),
            None => Ok(None),
        }
    }

    /// Parses a page size option between 1 and `max`, or returns `default` when absent.
    pub fn page_size(&self, name: &str, default: usize, max: usize) -> Result<usize, ApiFailure> {
        let Some(text) = self.get(name) else {
            return Ok(default);
        };
        match text.trim().parse::<usize>() {
            Ok(size) if (1..=max).contains(&size) => Ok(size),
            _ => Err(ApiFailure::bad_request(format!(
                "Invalid page size specified: '{text}' for {name}. Must be between 1 and {max} \
                 inclusive."
            ))),
        }
    }

    /// Parses an offset option such as `$skip`, or returns 0 when absent.
    pub fn offset(&self, name: &str) -> Result<usize, ApiFailure> {
        let Some(text) = self.get(name) else {
            return Ok(0);
        };
        text.trim().parse::<usize>().map_err(|_| {
            ApiFailure::bad_request(format!(
                "Invalid value '{text}' for {name}; expected a whole number of 0 or more."
            ))
        })
    }
}

/// Encodes an offset as an opaque skip token.
pub fn skip_token(offset: usize) -> String {
    format!("offset-{offset}")
}

/// Decodes a skip token made by [`skip_token`].
pub fn parse_skip_token(token: &str) -> Result<usize, ApiFailure> {
    token
        .strip_prefix("offset-")
        .and_then(|digits| digits.parse().ok())
        .ok_or_else(|| {
            ApiFailure::bad_request(format!(
                "The skip token '{token}' is not valid; use the link or token of the previous \
                 page as returned."
            ))
        })
}

/// Returns the records of one page and whether more follow.
pub fn page<T: Clone>(records: &[T], offset: usize, size: usize) -> (Vec<T>, bool) {
    let start = offset.min(records.len());
    let end = start.saturating_add(size).min(records.len());
    (records[start..end].to_vec(), end < records.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_decode_and_ignore_case() {
        let options = QueryOptions::parse(Some("%24top=5&$Filter=id+eq+%27a%27"));
        assert_eq!(options.get("$top"), Some("5"));
        assert_eq!(options.get("$filter"), Some("id eq 'a'"));
    }

    #[test]
    fn page_size_bounds() {
        let options = QueryOptions::parse(Some("$top=1001"));
        assert!(options.page_size("$top", 500, 1000).is_err());
        let options = QueryOptions::parse(Some("$top=0"));
        assert!(options.page_size("$top", 500, 1000).is_err());
        let options = QueryOptions::parse(None);
        assert_eq!(options.page_size("$top", 500, 1000).unwrap(), 500);
    }

    #[test]
    fn skip_token_round_trips() {
        assert_eq!(parse_skip_token(&skip_token(200)).unwrap(), 200);
        assert!(parse_skip_token("garbage").is_err());
    }

    #[test]
    fn page_reports_more() {
        let records = [1, 2, 3, 4, 5];
        assert_eq!(page(&records, 0, 2), (vec![1, 2], true));
        assert_eq!(page(&records, 4, 2), (vec![5], false));
        assert_eq!(page(&records, 9, 2), (vec![], false));
    }
}
