//! Warnings that `report` prints on standard error next to a list: rows marked with a problem,
//! and records left out because they could not be read.

use crate::model::TenantView;
use crate::report::List;

/// Returns one warning line (without the `botline: ` prefix) per kind of trouble in the list
/// printed: number rows marked with a problem, then records left out of the tenant.
pub fn warnings(view: &TenantView, list: List) -> Vec<String> {
    let mut lines = Vec::new();
    if list == List::Numbers {
        let marked: Vec<_> = view
            .numbers
            .iter()
            .filter_map(|row| Some((&row.record.telephone_number, row.problem.as_deref()?)))
            .collect();
        if let Some((number, problem)) = marked.first() {
            let first = one_line(&format!("{number}: {problem}"));
            lines.push(match marked.len() {
                1 => format!("warning: 1 number record has a problem and is marked: {first}"),
                count => format!(
                    "warning: {count} number records have a problem and are marked, the \
                     first: {first}"
                ),
            });
        }
    }
    if let Some(first) = view.malformed.first() {
        // The client logs every unreadable record, so one line with the first is enough here.
        let first = one_line(first);
        lines.push(match view.malformed.len() {
            1 => format!("warning: skipped 1 unreadable record: {first}"),
            count => format!("warning: skipped {count} unreadable records, the first: {first}"),
        });
    }
    lines
}

fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NumberRow;
    use serde_json::json;

    fn view_with_bad_number() -> TenantView {
        let mut view = TenantView::default();
        let record = json!({"telephoneNumber": 1});
        view.add_unreadable_numbers([(&"number record 2 could not be read".to_owned(), &record)]);
        view.malformed = vec!["instance record 1\ncould not be read".to_owned()];
        view
    }

    #[test]
    fn numbers_list_names_marked_rows_and_skipped_records() {
        let lines = warnings(&view_with_bad_number(), List::Numbers);
        assert_eq!(
            lines,
            vec![
                "warning: 1 number record has a problem and is marked: 1: number record 2 \
                 could not be read"
                    .to_owned(),
                "warning: skipped 1 unreadable record: instance record 1 could not be read"
                    .to_owned(),
            ]
        );
    }

    #[test]
    fn other_lists_name_only_skipped_records() {
        let lines = warnings(&view_with_bad_number(), List::Instances);
        assert_eq!(lines.len(), 1);
        assert!(lines[0].starts_with("warning: skipped 1"), "{lines:?}");
    }

    #[test]
    fn clean_view_has_no_warning() {
        let mut view = TenantView::default();
        view.numbers.push(NumberRow::unreadable(&json!({}), "x"));
        view.numbers[0].problem = None;
        assert!(warnings(&view, List::Numbers).is_empty());
    }
}
