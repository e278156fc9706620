//! What the client reports while an admin signs in with a device code, so that a terminal or
//! the TUI can show the code, the address and the time left.
//!
//! A notice never contains a token or the device code. The user code it carries is meant to
//! be shown, because it is only useful together with the admin's own sign-in.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A code the admin enters at Microsoft's sign-in page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceCodePrompt {
    /// The code to type, such as `ABCD-EFGH`.
    pub user_code: String,
    /// The page to open, such as `https://microsoft.com/devicelogin`.
    pub verification_uri: String,
    /// When the code stops working.
    pub expires_at: Instant,
    /// How long the code was valid when it was issued.
    pub lifetime: Duration,
}

impl DeviceCodePrompt {
    /// Returns the time left before the code expires, zero once it has.
    pub fn remaining(&self, now: Instant) -> Duration {
        self.expires_at.saturating_duration_since(now)
    }
}

/// One change in a device-code sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInNotice {
    /// botline needs the admin to sign in with this code.
    CodeIssued(DeviceCodePrompt),
    /// The sign-in page asked botline to poll less often; it now waits `interval`.
    SlowDown {
        /// The new wait between two polls.
        interval: Duration,
    },
    /// The admin signed in, and botline has its tokens.
    SignedIn,
    /// The sign-in ended without tokens.
    Failed {
        /// One plain sentence: what happened and what to do.
        reason: String,
    },
}

impl fmt::Display for SignInNotice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignInNotice::CodeIssued(prompt) => write!(
                f,
                "To sign in, open {} and enter the code {}",
                prompt.verification_uri, prompt.user_code
            ),
            SignInNotice::SlowDown { interval } => write!(
                f,
                "The sign-in page asked botline to check less often; checking every {} s",
                interval.as_secs()
            ),
            SignInNotice::SignedIn => f.write_str("Signed in"),
            SignInNotice::Failed { reason } => write!(f, "Sign-in failed: {reason}"),
        }
    }
}

/// Callback called with each [`SignInNotice`] of a client.
pub type SignInObserver = Arc<dyn Fn(&SignInNotice) + Send + Sync>;

/// Formats a duration as `M:SS`, or `H:MM:SS` from an hour on, for countdowns.
pub fn format_countdown(left: Duration) -> String {
    let seconds = left.as_secs();
    let (hours, minutes, seconds) = (seconds / 3600, (seconds / 60) % 60, seconds % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes}:{seconds:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countdown_formats_minutes_and_seconds() {
        assert_eq!(format_countdown(Duration::from_secs(900)), "15:00");
        assert_eq!(format_countdown(Duration::from_secs(61)), "1:01");
        assert_eq!(format_countdown(Duration::from_millis(999)), "0:00");
        assert_eq!(format_countdown(Duration::from_secs(3725)), "1:02:05");
    }

    #[test]
    fn remaining_stops_at_zero() {
        let now = Instant::now();
        let prompt = DeviceCodePrompt {
            user_code: "ABC".into(),
            verification_uri: "https://example.com/device".into(),
            expires_at: now + Duration::from_secs(10),
            lifetime: Duration::from_secs(10),
        };
        assert_eq!(prompt.remaining(now), Duration::from_secs(10));
        assert_eq!(
            prompt.remaining(now + Duration::from_secs(20)),
            Duration::ZERO
        );
    }

    #[test]
    fn code_notice_names_code_and_page() {
        let notice = SignInNotice::CodeIssued(DeviceCodePrompt {
            user_code: "QWERTY123".into(),
            verification_uri: "https://microsoft.com/devicelogin".into(),
            expires_at: Instant::now(),
            lifetime: Duration::from_secs(900),
        });
        assert_eq!(
            notice.to_string(),
            "To sign in, open https://microsoft.com/devicelogin and enter the code QWERTY123"
        );
    }
}
