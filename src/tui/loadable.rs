//! The loading state of data that comes from the API task, with the counts loaded so far.

use super::widgets::format_count;

/// Records of each list loaded so far, in the order the lists first reported.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadProgress {
    lists: Vec<(&'static str, usize)>,
}

impl LoadProgress {
    /// Records that `loaded` records of `list` have arrived.
    pub fn record(&mut self, list: &'static str, loaded: usize) {
        match self.lists.iter_mut().find(|(name, _)| *name == list) {
            Some((_, count)) => *count = loaded,
            None => self.lists.push((list, loaded)),
        }
    }

    /// Returns the records of one list loaded so far, if it reported any.
    pub fn loaded(&self, list: &str) -> Option<usize> {
        self.lists
            .iter()
            .find(|(name, _)| *name == list)
            .map(|(_, count)| *count)
    }

    /// Returns the counts as one line, such as `instances 12, numbers 1,000…`, or an empty
    /// string before any list reported.
    pub fn summary(&self) -> String {
        if self.lists.is_empty() {
            return String::new();
        }
        let parts: Vec<String> = self
            .lists
            .iter()
            .map(|(name, count)| format!("{name} {}", format_count(*count)))
            .collect();
        format!("{}…", parts.join(", "))
    }
}

/// Data that is loaded in the background.
#[derive(Debug, Clone, PartialEq)]
pub enum Loadable<T> {
    /// Nothing was requested yet.
    Idle,
    /// A request is running.
    Loading {
        /// Records loaded so far.
        progress: LoadProgress,
        /// What the last load returned, shown until the new data arrives.
        previous: Option<T>,
    },
    /// The data arrived.
    Loaded(T),
    /// The request failed, with one line saying why.
    Failed(String),
}

impl<T> Loadable<T> {
    /// Returns the data to show: the loaded data, or the previous data during a reload.
    pub fn data(&self) -> Option<&T> {
        match self {
            Loadable::Loaded(data) => Some(data),
            Loadable::Loading { previous, .. } => previous.as_ref(),
            Loadable::Idle | Loadable::Failed(_) => None,
        }
    }

    /// Returns true while a request is running.
    pub fn is_loading(&self) -> bool {
        matches!(self, Loadable::Loading { .. })
    }

    /// Returns the progress of the running request.
    pub fn progress(&self) -> Option<&LoadProgress> {
        match self {
            Loadable::Loading { progress, .. } => Some(progress),
            _ => None,
        }
    }

    /// Switches to loading, keeping loaded data to show until the new data arrives.
    pub fn start_loading(&mut self) {
        let previous = match std::mem::replace(self, Loadable::Idle) {
            Loadable::Loaded(data) => Some(data),
            Loadable::Loading { previous, .. } => previous,
            Loadable::Idle | Loadable::Failed(_) => None,
        };
        *self = Loadable::Loading {
            progress: LoadProgress::default(),
            previous,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_summary_counts_each_list() {
        let mut progress = LoadProgress::default();
        assert_eq!(progress.summary(), "");
        progress.record("instances", 12);
        progress.record("numbers", 500);
        progress.record("numbers", 1_000);
        assert_eq!(progress.summary(), "instances 12, numbers 1,000…");
        assert_eq!(progress.loaded("numbers"), Some(1_000));
        assert_eq!(progress.loaded("users"), None);
    }

    #[test]
    fn reload_keeps_previous_data() {
        let mut state = Loadable::Loaded(7);
        state.start_loading();
        assert!(state.is_loading());
        assert_eq!(state.data(), Some(&7));
        state = Loadable::Failed("timed out".into());
        state.start_loading();
        assert_eq!(state.data(), None);
    }
}
