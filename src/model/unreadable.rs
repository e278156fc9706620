//! Rows for number records that could not be decoded as a whole.
//!
//! A record with, say, `capabilities` of the wrong JSON type fails to decode, yet its number
//! and most of its fields are still worth showing. Such a record becomes a [`NumberRow`] that
//! keeps every field that decodes on its own and carries the decode error as its problem, so
//! lists show the bad row marked instead of leaving it out.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::{NumberRow, TenantView};
use crate::wire::graph::NumberAssignment;

impl NumberRow {
    /// Builds a row marked with `reason` from a number record that did not decode.
    pub fn unreadable(record: &Value, reason: &str) -> NumberRow {
        NumberRow {
            record: salvage(record),
            assigned_to: None,
            problem: Some(reason.to_owned()),
        }
    }
}

impl TenantView {
    /// Adds a marked row for each number record that did not decode, given with the line that
    /// says why, and names holders that are loaded instances.
    pub fn add_unreadable_numbers<'a>(
        &mut self,
        records: impl IntoIterator<Item = (&'a String, &'a Value)>,
    ) {
        for (reason, record) in records {
            let mut row = NumberRow::unreadable(record, reason);
            row.assigned_to = row.record.assignment_target_id.as_deref().and_then(|id| {
                self.instances
                    .iter()
                    .find(|instance| instance.object_id.eq_ignore_ascii_case(id))
                    .map(|instance| instance.user_principal_name.clone())
            });
            self.numbers.push(row);
        }
        self.numbers
            .sort_by(|a, b| a.record.telephone_number.cmp(&b.record.telephone_number));
    }
}

/// Returns a record with the fields of `record` that decode on their own; a number that is
/// not a string is kept as its JSON text.
fn salvage(record: &Value) -> NumberAssignment {
    let Value::Object(fields) = record else {
        return NumberAssignment {
            telephone_number: record.to_string(),
            ..NumberAssignment::default()
        };
    };
    let number = match fields.get("telephoneNumber") {
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let mut kept = Map::new();
    kept.insert("telephoneNumber".to_owned(), Value::String(number.clone()));
    for (key, value) in fields {
        if key == "telephoneNumber" {
            continue;
        }
        let mut trial = kept.clone();
        trial.insert(key.clone(), value.clone());
        if NumberAssignment::deserialize(Value::Object(trial)).is_ok() {
            kept.insert(key.clone(), value.clone());
        }
    }
    NumberAssignment::deserialize(Value::Object(kept)).unwrap_or_else(|_| NumberAssignment {
        telephone_number: number,
        ..NumberAssignment::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NumberType;
    use serde_json::json;

    #[test]
    fn fields_that_decode_are_kept() {
        let record = json!({
            "telephoneNumber": "+14255550190",
            "numberType": "directRouting",
            "capabilities": "voiceApplicationAssignment",
            "isoCountryCode": "US",
        });
        let row = NumberRow::unreadable(&record, "capabilities is not a list");
        assert_eq!(row.record.telephone_number, "+14255550190");
        assert_eq!(row.record.number_type, Some(NumberType::DirectRouting));
        assert_eq!(row.record.iso_country_code.as_deref(), Some("US"));
        assert!(row.record.capabilities.is_empty());
        assert_eq!(row.problem.as_deref(), Some("capabilities is not a list"));
    }

    #[test]
    fn number_of_wrong_type_is_shown_as_text() {
        let row = NumberRow::unreadable(&json!({"telephoneNumber": 1}), "bad");
        assert_eq!(row.record.telephone_number, "1");
        let row = NumberRow::unreadable(&json!("not an object"), "bad");
        assert_eq!(row.record.telephone_number, "\"not an object\"");
    }
}
