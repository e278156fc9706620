//! When to retry a request and how long to wait first.
//!
//! Graph returns 429 when it throttles and may return 503 or 504 when a backend is briefly
//! unavailable, and both may carry `Retry-After` in seconds. Without that header the wait grows
//! exponentially with random jitter, so that many clients do not retry in step.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// First wait of the exponential backoff, doubled on each further attempt.
const BACKOFF_BASE: Duration = Duration::from_secs(1);

/// One retry about to happen, for a UI that shows "throttled, retrying in N s".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryNotice {
    /// HTTP status that caused the retry; `None` when the connection failed.
    pub status: Option<u16>,
    /// Wait before the next attempt.
    pub wait: Duration,
    /// Number of the retry about to be made, starting at 1.
    pub attempt: u32,
    /// Graph's `request-id` of the failed attempt, or the `client-request-id` botline sent.
    pub request_id: Option<String>,
}

impl RetryNotice {
    /// Returns true when the service throttled the request (HTTP 429).
    pub fn is_throttled(&self) -> bool {
        self.status == Some(429)
    }

    /// Returns the notice with its retry number and request id, such as "throttled, retrying
    /// in 3 s (retry 1, request-id 4f2c…)", for a status or progress line.
    pub fn summary(&self) -> String {
        match &self.request_id {
            Some(request_id) => {
                format!("{self} (retry {}, request-id {request_id})", self.attempt)
            }
            None => format!("{self} (retry {})", self.attempt),
        }
    }
}

impl fmt::Display for RetryNotice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = self.wait.as_secs_f64().ceil();
        match self.status {
            Some(429) => write!(f, "throttled, retrying in {seconds} s"),
            Some(status @ (500 | 502)) => {
                write!(f, "service failed (HTTP {status}), retrying in {seconds} s")
            }
            Some(status) => write!(
                f,
                "service unavailable (HTTP {status}), retrying in {seconds} s"
            ),
            None => write!(f, "connection failed, retrying in {seconds} s"),
        }
    }
}

/// Callback called before every retry of every request of a client.
pub type RetryObserver = Arc<dyn Fn(&RetryNotice) + Send + Sync>;

/// Retries of an idempotent request after 500 or 502, fewer than after throttling because
/// a failure inside the service often repeats.
pub(super) const SERVER_ERROR_RETRIES: u32 = 2;

/// Returns true for statuses that mean "try again later": 429, 503 and 504.
pub(super) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 503 | 504)
}

/// Returns true for statuses that mean the service failed inside: 500 and 502. Such a request
/// may have taken effect, so only idempotent methods are retried after them.
pub(super) fn is_server_failure(status: u16) -> bool {
    matches!(status, 500 | 502)
}

/// Reads `Retry-After` as whole seconds.
///
/// NOTE: the HTTP-date form of the header is not parsed; Graph documents seconds only, and a
/// date falls back to the exponential backoff.
pub(super) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    value.parse::<u64>().ok().map(Duration::from_secs)
}

/// Returns the wait before retry number `attempt` (1-based).
///
/// `Retry-After` wins when present; otherwise the wait is `BACKOFF_BASE * 2^(attempt-1)`,
/// of which the upper half is scaled by `jitter` (expected in `0.0..=1.0`). Either way the
/// wait never exceeds `max_wait`.
pub(super) fn retry_delay(
    attempt: u32,
    retry_after: Option<Duration>,
    max_wait: Duration,
    jitter: f64,
) -> Duration {
    if let Some(wait) = retry_after {
        return wait.min(max_wait);
    }
    let exponent = attempt.saturating_sub(1).min(16);
    let full = BACKOFF_BASE.saturating_mul(1 << exponent).min(max_wait);
    let half = full / 2;
    half + half.mul_f64(jitter.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    const CAP: Duration = Duration::from_secs(60);

    #[test]
    fn retryable_statuses() {
        for status in [429, 503, 504] {
            assert!(is_retryable_status(status), "{status}");
        }
        for status in [200, 400, 401, 404, 409, 500, 502] {
            assert!(!is_retryable_status(status), "{status}");
        }
        assert!(is_server_failure(500));
        assert!(is_server_failure(502));
        assert!(!is_server_failure(503));
    }

    #[test]
    fn retry_after_in_seconds() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static(" 7 "));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
    }

    #[test]
    fn retry_after_date_is_ignored() {
        let mut headers = HeaderMap::new();
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&headers), None);
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn retry_after_wins_but_is_capped() {
        let hinted = Some(Duration::from_secs(12));
        assert_eq!(retry_delay(1, hinted, CAP, 0.9), Duration::from_secs(12));
        let too_long = Some(Duration::from_secs(600));
        assert_eq!(retry_delay(1, too_long, CAP, 0.0), CAP);
    }

    #[test]
    fn backoff_doubles_within_jitter_bounds() {
        for attempt in 1..=5 {
            let full = Duration::from_secs(1 << (attempt - 1));
            assert_eq!(retry_delay(attempt, None, CAP, 0.0), full / 2);
            assert_eq!(retry_delay(attempt, None, CAP, 1.0), full);
            let middle = retry_delay(attempt, None, CAP, 0.5);
            assert!(middle > full / 2, "{attempt}: {middle:?}");
            assert!(middle < full, "{attempt}: {middle:?}");
        }
    }

    #[test]
    fn backoff_is_capped() {
        assert_eq!(retry_delay(30, None, CAP, 1.0), CAP);
        assert_eq!(retry_delay(u32::MAX, None, CAP, 1.0), CAP);
        let small = Duration::from_millis(10);
        assert_eq!(retry_delay(3, None, small, 1.0), small);
    }

    #[test]
    fn notice_reads_as_a_sentence() {
        let notice = RetryNotice {
            status: Some(429),
            wait: Duration::from_millis(2500),
            attempt: 1,
            request_id: None,
        };
        assert!(notice.is_throttled());
        assert_eq!(notice.to_string(), "throttled, retrying in 3 s");
        assert_eq!(notice.summary(), "throttled, retrying in 3 s (retry 1)");
        let tagged = RetryNotice {
            request_id: Some("r-7".into()),
            ..notice.clone()
        };
        assert_eq!(
            tagged.summary(),
            "throttled, retrying in 3 s (retry 1, request-id r-7)"
        );
        let outage = RetryNotice {
            status: Some(503),
            ..notice.clone()
        };
        assert_eq!(
            outage.to_string(),
            "service unavailable (HTTP 503), retrying in 3 s"
        );
        let offline = RetryNotice {
            status: None,
            ..notice
        };
        assert_eq!(offline.to_string(), "connection failed, retrying in 3 s");
        let failed = RetryNotice {
            status: Some(502),
            ..offline
        };
        assert_eq!(
            failed.to_string(),
            "service failed (HTTP 502), retrying in 3 s"
        );
    }
}
