//! Selection, scrolling and filtering of one list, independent of what its rows are.
//!
//! The list keeps one lower-case search line per row, built from the same cells the table
//! shows, and the positions of the rows that match the filter. Filtering is a substring
//! search over those lines in memory, so nothing is fetched again. A screen may also give an
//! order to show the rows in and a mask of rows to hide. Row indices stay those of the rows
//! as given, so callers never translate between sorted and original positions.

use std::cell::Cell;

/// Rows moved by a page key before the list has been drawn once.
const DEFAULT_PAGE_ROWS: usize = 10;

/// State of one filterable, scrollable list.
#[derive(Debug, Default)]
pub struct ListState {
    /// One lower-case line per row, all visible columns joined.
    search_lines: Vec<String>,
    /// Indices of the rows that match the filter, in row order.
    matches: Vec<usize>,
    /// Position of the selected row within `matches`.
    selected: usize,
    /// Position within `matches` of the first row drawn.
    offset: usize,
    /// The filter text, as typed.
    filter: String,
    /// Whether the admin is typing the filter.
    editing_filter: bool,
    /// Rows the table showed when it was last drawn, which is how far page keys move.
    page_rows: Cell<usize>,
    /// Row indices in the order to show them; `None` shows them as given.
    order: Option<Vec<usize>>,
    /// Whether each row passes the screen's own filters; `None` hides none.
    mask: Option<Vec<bool>>,
}

impl ListState {
    /// Replaces the rows, given as their visible cells, and keeps the selection in range.
    /// Any order and mask are dropped, since they described the old rows.
    pub fn set_rows<I, R>(&mut self, rows: I)
    where
        I: IntoIterator<Item = R>,
        R: IntoIterator<Item = String>,
    {
        self.search_lines = rows
            .into_iter()
            .map(|cells| {
                // The unit separator keeps a filter from matching across two cells.
                let cells: Vec<String> = cells.into_iter().collect();
                cells.join("\u{1f}").to_lowercase()
            })
            .collect();
        self.order = None;
        self.mask = None;
        let selected_row = self.selected_row();
        self.apply_filter(selected_row);
    }

    /// Shows the rows in `order`, a permutation of the row indices, keeping the selected row
    /// selected. An order of another length than the rows is ignored.
    pub fn set_order(&mut self, order: Vec<usize>) {
        if order.len() != self.search_lines.len() {
            tracing::warn!(
                order = order.len(),
                rows = self.search_lines.len(),
                "ignored a row order of the wrong length"
            );
            return;
        }
        self.order = Some(order);
        let selected_row = self.selected_row();
        self.apply_filter(selected_row);
    }

    /// Hides the rows whose entry is false, or none with `None`, keeping the selected row
    /// selected while it is shown. A mask of another length than the rows hides none.
    pub fn set_mask(&mut self, mask: Option<Vec<bool>>) {
        self.mask = mask.filter(|mask| mask.len() == self.search_lines.len());
        let selected_row = self.selected_row();
        self.apply_filter(selected_row);
    }

    /// Returns true while a mask hides rows.
    pub fn is_masked(&self) -> bool {
        self.mask
            .as_ref()
            .is_some_and(|mask| mask.iter().any(|shown| !shown))
    }

    /// Returns the number of rows, matching or not.
    pub fn row_count(&self) -> usize {
        self.search_lines.len()
    }

    /// Returns the indices of the rows that match the filter.
    pub fn matches(&self) -> &[usize] {
        &self.matches
    }

    /// Returns the index of the selected row, if any row matches.
    pub fn selected_row(&self) -> Option<usize> {
        self.matches.get(self.selected).copied()
    }

    /// Returns the position of the selected row among the matches.
    pub fn selected_position(&self) -> usize {
        self.selected
    }

    /// Returns the filter text.
    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// Returns true while the admin types the filter.
    pub fn is_editing_filter(&self) -> bool {
        self.editing_filter
    }

    /// Returns true when a filter is set, typed or kept.
    pub fn has_filter(&self) -> bool {
        self.editing_filter || !self.filter.is_empty()
    }

    /// Starts typing the filter, keeping any text already there.
    pub fn start_filter(&mut self) {
        self.editing_filter = true;
    }

    /// Adds a character to the filter and filters again.
    pub fn push_filter_char(&mut self, c: char) {
        self.filter.push(c);
        let selected_row = self.selected_row();
        self.apply_filter(selected_row);
    }

    /// Removes the last character of the filter and filters again.
    pub fn pop_filter_char(&mut self) {
        self.filter.pop();
        let selected_row = self.selected_row();
        self.apply_filter(selected_row);
    }

    /// Stops typing and keeps the filter. An empty filter is the same as none.
    pub fn keep_filter(&mut self) {
        self.editing_filter = false;
    }

    /// Stops typing and removes the filter, keeping the selected row selected.
    pub fn clear_filter(&mut self) {
        self.editing_filter = false;
        self.filter.clear();
        let selected_row = self.selected_row();
        self.apply_filter(selected_row);
    }

    /// Moves the selection by `delta` rows, stopping at either end.
    pub fn move_by(&mut self, delta: isize) {
        let Some(last) = self.matches.len().checked_sub(1) else {
            return;
        };
        self.selected = self.selected.saturating_add_signed(delta).min(last);
        self.scroll_to_selection();
    }

    /// Moves the selection one page up.
    pub fn page_up(&mut self) {
        let rows = self.page_rows();
        self.move_by(-(rows as isize));
    }

    /// Moves the selection one page down.
    pub fn page_down(&mut self) {
        let rows = self.page_rows();
        self.move_by(rows as isize);
    }

    /// Selects the first matching row.
    pub fn first(&mut self) {
        self.selected = 0;
        self.scroll_to_selection();
    }

    /// Selects the last matching row.
    pub fn last(&mut self) {
        self.selected = self.matches.len().saturating_sub(1);
        self.scroll_to_selection();
    }

    /// Returns the range of match positions to draw in `height` rows, with the selection
    /// inside it, and records the height for the page keys.
    pub fn window(&self, height: usize) -> std::ops::Range<usize> {
        self.page_rows.set(height.max(1));
        let mut offset = self.offset.min(self.selected);
        if height > 0 && self.selected >= offset + height {
            offset = self.selected + 1 - height;
        }
        let end = (offset + height).min(self.matches.len());
        offset.min(end)..end
    }

    fn page_rows(&self) -> usize {
        match self.page_rows.get() {
            0 => DEFAULT_PAGE_ROWS,
            rows => rows,
        }
    }

    /// Scrolls just enough that the selection is on the last drawn page.
    fn scroll_to_selection(&mut self) {
        let height = self.page_rows();
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
    }

    /// Recomputes the matches, keeping `keep_row` selected when it still matches.
    fn apply_filter(&mut self, keep_row: Option<usize>) {
        let needle = self.filter.to_lowercase();
        let count = self.search_lines.len();
        let shown = |index: &usize| {
            self.mask.as_ref().is_none_or(|mask| mask[*index])
                && self.search_lines[*index].contains(&needle)
        };
        self.matches = match &self.order {
            Some(order) => order.iter().copied().filter(shown).collect(),
            None => (0..count).filter(shown).collect(),
        };
        let kept = keep_row.and_then(|row| self.matches.iter().position(|index| *index == row));
        self.selected = kept.unwrap_or(0);
        self.scroll_to_selection();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(rows: &[&str]) -> ListState {
        let mut state = ListState::default();
        state.set_rows(rows.iter().map(|row| vec![(*row).to_owned()]));
        state
    }

    #[test]
    fn filter_is_case_insensitive_substring() {
        let mut state = list(&["Alpha", "beta", "ALPHABET", "gamma"]);
        state.start_filter();
        for c in "alph".chars() {
            state.push_filter_char(c);
        }
        assert_eq!(state.matches(), &[0, 2]);
        state.pop_filter_char();
        assert_eq!(state.matches(), &[0, 2]);
        state.clear_filter();
        assert_eq!(state.matches(), &[0, 1, 2, 3]);
    }

    #[test]
    fn selection_stops_at_ends() {
        let mut state = list(&["a", "b", "c"]);
        state.move_by(-1);
        assert_eq!(state.selected_row(), Some(0));
        state.move_by(5);
        assert_eq!(state.selected_row(), Some(2));
        state.first();
        assert_eq!(state.selected_row(), Some(0));
    }

    #[test]
    fn window_follows_selection() {
        let rows: Vec<String> = (0..100).map(|i| format!("row {i}")).collect();
        let mut state = ListState::default();
        state.set_rows(rows.iter().map(|row| vec![row.clone()]));
        assert_eq!(state.window(10), 0..10);
        state.page_down();
        assert_eq!(state.selected_row(), Some(10));
        assert_eq!(state.window(10), 1..11);
        state.last();
        assert_eq!(state.window(10), 90..100);
        state.page_up();
        assert_eq!(state.selected_row(), Some(89));
        assert_eq!(state.window(10), 89..99);
    }

    #[test]
    fn clearing_filter_keeps_selected_row() {
        let mut state = list(&["a1", "b1", "a2", "b2"]);
        state.start_filter();
        state.push_filter_char('b');
        state.move_by(1);
        assert_eq!(state.selected_row(), Some(3));
        state.clear_filter();
        assert_eq!(state.selected_row(), Some(3));
    }

    #[test]
    fn order_shows_rows_sorted_and_keeps_selection() {
        let mut state = list(&["a", "b", "c"]);
        state.move_by(1);
        state.set_order(vec![2, 1, 0]);
        assert_eq!(state.matches(), &[2, 1, 0]);
        assert_eq!(state.selected_row(), Some(1));
        state.start_filter();
        state.push_filter_char('c');
        assert_eq!(state.matches(), &[2]);
        state.clear_filter();
        assert_eq!(state.matches(), &[2, 1, 0]);
        state.set_order(vec![0]);
        assert_eq!(state.matches(), &[2, 1, 0], "a wrong length is ignored");
    }

    #[test]
    fn mask_hides_rows_with_filter() {
        let mut state = list(&["a1", "b1", "a2"]);
        state.set_mask(Some(vec![true, true, false]));
        assert!(state.is_masked());
        assert_eq!(state.matches(), &[0, 1]);
        state.start_filter();
        state.push_filter_char('a');
        assert_eq!(state.matches(), &[0]);
        state.set_mask(None);
        assert!(!state.is_masked());
        assert_eq!(state.matches(), &[0, 2]);
    }

    #[test]
    fn new_rows_drop_order_and_mask() {
        let mut state = list(&["a", "b"]);
        state.set_order(vec![1, 0]);
        state.set_mask(Some(vec![false, true]));
        state.set_rows([vec!["x".to_owned()], vec!["y".to_owned()]]);
        assert_eq!(state.matches(), &[0, 1]);
    }

    #[test]
    fn empty_list_has_no_selection() {
        let mut state = list(&[]);
        state.move_by(1);
        state.last();
        assert_eq!(state.selected_row(), None);
        assert_eq!(state.window(5), 0..0);
    }
}
