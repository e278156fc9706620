//! The `[polling]` table of the config file: how patiently botline waits for Microsoft's
//! asynchronous steps, such as a new account reaching every service, a license being
//! provisioned, or a number assignment finishing.
//!
//! ```toml
//! [polling]
//! first_wait_seconds = 2    # wait before the first check
//! max_wait_seconds = 30     # waits double up to this
//! max_checks = 60           # checks before botline stops waiting and says so
//! ```
//!
//! Every key is optional; a missing one keeps botline's default.

use std::time::Duration;

use serde::Deserialize;

use crate::wizard::Timing;

/// Maximum wait between two checks that the file may set: one hour.
const MAX_WAIT_LIMIT: Duration = Duration::from_secs(3600);
/// Maximum number of checks that the file may set.
const MAX_CHECKS_LIMIT: u32 = 10_000;

/// The `[polling]` table as written.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolling {
    /// Wait before the first check, in seconds.
    pub first_wait_seconds: Option<f64>,
    /// Maximum wait between two checks, in seconds.
    pub max_wait_seconds: Option<f64>,
    /// Checks before botline stops waiting.
    pub max_checks: Option<u32>,
}

/// The checked `[polling]` table; `None` keeps botline's default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Polling {
    /// Wait before the first check.
    pub first_wait: Option<Duration>,
    /// Maximum wait between two checks.
    pub max_wait: Option<Duration>,
    /// Checks before botline stops waiting.
    pub max_checks: Option<u32>,
}

/// A `[polling]` value botline cannot use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollingProblem {
    /// The key, such as `polling.max_checks`.
    pub key: &'static str,
    /// The value as written.
    pub value: String,
    /// Description of a valid value.
    pub hint: String,
}

impl RawPolling {
    /// Checks each key, or returns the first unusable one.
    pub fn check(&self) -> Result<Polling, PollingProblem> {
        let first_wait = self
            .first_wait_seconds
            .map(|seconds| seconds_value("polling.first_wait_seconds", seconds))
            .transpose()?;
        let max_wait = self
            .max_wait_seconds
            .map(|seconds| seconds_value("polling.max_wait_seconds", seconds))
            .transpose()?;
        if let (Some(first), Some(max)) = (first_wait, max_wait) {
            if max < first {
                return Err(PollingProblem {
                    key: "polling.max_wait_seconds",
                    value: max.as_secs_f64().to_string(),
                    hint: format!(
                        "expected at least first_wait_seconds ({}), because waits only grow",
                        first.as_secs_f64()
                    ),
                });
            }
        }
        let max_checks = match self.max_checks {
            Some(checks) if !(1..=MAX_CHECKS_LIMIT).contains(&checks) => {
                return Err(PollingProblem {
                    key: "polling.max_checks",
                    value: checks.to_string(),
                    hint: format!("expected a whole number from 1 to {MAX_CHECKS_LIMIT}"),
                })
            }
            checks => checks,
        };
        Ok(Polling {
            first_wait,
            max_wait,
            max_checks,
        })
    }
}

impl Polling {
    /// Returns `defaults` with the keys that are set applied. A first wait above the default
    /// maximum raises the maximum to it.
    pub fn timing(&self, defaults: &Timing) -> Timing {
        let first_poll = self.first_wait.unwrap_or(defaults.first_poll);
        let max_poll = self
            .max_wait
            .unwrap_or_else(|| defaults.max_poll.max(first_poll));
        Timing {
            first_poll,
            max_poll: max_poll.max(first_poll),
            max_polls: self.max_checks.unwrap_or(defaults.max_polls),
        }
    }
}

/// Checks a number of seconds: more than zero and at most [`MAX_WAIT_LIMIT`].
fn seconds_value(key: &'static str, seconds: f64) -> Result<Duration, PollingProblem> {
    let limit = MAX_WAIT_LIMIT.as_secs_f64();
    if seconds.is_finite() && seconds > 0.0 && seconds <= limit {
        return Ok(Duration::from_secs_f64(seconds));
    }
    Err(PollingProblem {
        key,
        value: seconds.to_string(),
        hint: format!("expected seconds above 0 and at most {limit}, such as 2 or 0.5"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> Timing {
        Timing {
            first_poll: Duration::from_secs(2),
            max_poll: Duration::from_secs(30),
            max_polls: 60,
        }
    }

    #[test]
    fn empty_table_keeps_defaults() {
        let polling = RawPolling::default().check().unwrap();
        assert_eq!(polling.timing(&defaults()), defaults());
    }

    #[test]
    fn keys_override_defaults() {
        let raw = RawPolling {
            first_wait_seconds: Some(0.05),
            max_wait_seconds: Some(0.2),
            max_checks: Some(3),
        };
        let timing = raw.check().unwrap().timing(&defaults());
        assert_eq!(timing.first_poll, Duration::from_millis(50));
        assert_eq!(timing.max_poll, Duration::from_millis(200));
        assert_eq!(timing.max_polls, 3);
    }

    #[test]
    fn first_wait_above_default_maximum_raises_it() {
        let raw = RawPolling {
            first_wait_seconds: Some(45.0),
            ..RawPolling::default()
        };
        let timing = raw.check().unwrap().timing(&defaults());
        assert_eq!(timing.max_poll, Duration::from_secs(45));
    }

    #[test]
    fn unusable_values_name_their_key() {
        let cases = [
            (
                RawPolling {
                    first_wait_seconds: Some(0.0),
                    ..RawPolling::default()
                },
                "polling.first_wait_seconds",
            ),
            (
                RawPolling {
                    max_wait_seconds: Some(7200.0),
                    ..RawPolling::default()
                },
                "polling.max_wait_seconds",
            ),
            (
                RawPolling {
                    first_wait_seconds: Some(10.0),
                    max_wait_seconds: Some(5.0),
                    ..RawPolling::default()
                },
                "polling.max_wait_seconds",
            ),
            (
                RawPolling {
                    max_checks: Some(0),
                    ..RawPolling::default()
                },
                "polling.max_checks",
            ),
        ];
        for (raw, key) in cases {
            let problem = raw.check().unwrap_err();
            assert_eq!(problem.key, key, "{raw:?}");
        }
    }
}
