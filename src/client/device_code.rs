//! Device-code sign-in: request a code, show it through the sign-in observer, and poll the
//! token endpoint until the admin has entered it.
//!
//! The poll follows RFC 8628 as the Microsoft identity platform documents it. botline waits
//! `interval` seconds between polls and keeps polling on `authorization_pending`. It adds
//! 5 seconds to the interval on `slow_down`, which Entra does not list but the RFC defines.
//! It stops on `authorization_declined`, `expired_token` and `bad_verification_code`. The
//! device code itself is never shown or logged.

use std::time::{Duration, Instant};

use reqwest::Method;

use super::auth::{describe_oauth_error, sign_in_error};
use super::http::{Body, Call};
use super::sign_in::{DeviceCodePrompt, SignInNotice};
use super::{scopes, ApiError, Client};
use crate::wire::auth::{DeviceCodeResponse, OAuthError, TokenResponse};

/// Grant type of the device-code poll.
const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// Growth of the poll interval on each `slow_down`, from RFC 8628 section 3.5.
const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);
/// Shortest wait between two polls, whatever interval the service returns, so a zero
/// interval cannot make botline poll in a tight loop.
const MIN_POLL_INTERVAL: Duration = Duration::from_secs(1);

/// Token endpoint response to a poll that returned no token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum PollAnswer {
    /// `authorization_pending`: the admin has not entered the code yet.
    Pending,
    /// `slow_down`: poll less often.
    SlowDown,
    /// `authorization_declined`: the admin refused.
    Declined,
    /// `expired_token`: the code ran out.
    Expired,
    /// `bad_verification_code`: the service does not know the device code.
    BadVerificationCode,
    /// Any other failure, already described.
    Other(String),
}

impl PollAnswer {
    fn from_oauth(oauth: &OAuthError) -> PollAnswer {
        match oauth.error.as_str() {
            "authorization_pending" => PollAnswer::Pending,
            "slow_down" => PollAnswer::SlowDown,
            "authorization_declined" => PollAnswer::Declined,
            "expired_token" => PollAnswer::Expired,
            "bad_verification_code" => PollAnswer::BadVerificationCode,
            _ => PollAnswer::Other(describe_oauth_error(oauth)),
        }
    }
}

/// Next action after a poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum PollStep {
    /// Poll again after this wait.
    Wait(Duration),
    /// Give up with this reason.
    Stop(String),
}

/// The poll interval and the code's deadline.
#[derive(Debug, Clone)]
pub(super) struct PollSchedule {
    interval: Duration,
    deadline: Instant,
}

impl PollSchedule {
    /// Starts with the service's interval (at least [`MIN_POLL_INTERVAL`]) and the code's
    /// lifetime from `now`.
    pub(super) fn new(interval_seconds: u64, lifetime: Duration, now: Instant) -> Self {
        PollSchedule {
            interval: Duration::from_secs(interval_seconds).max(MIN_POLL_INTERVAL),
            deadline: now + lifetime,
        }
    }

    /// Returns the current wait between polls.
    pub(super) fn interval(&self) -> Duration {
        self.interval
    }

    /// Decides what follows a response received at `now`.
    pub(super) fn after(&mut self, answer: &PollAnswer, now: Instant) -> PollStep {
        let still_valid = now < self.deadline;
        match answer {
            PollAnswer::Pending if still_valid => PollStep::Wait(self.interval),
            PollAnswer::SlowDown if still_valid => {
                self.interval += SLOW_DOWN_STEP;
                PollStep::Wait(self.interval)
            }
            PollAnswer::Pending | PollAnswer::SlowDown | PollAnswer::Expired => PollStep::Stop(
                "the sign-in code expired before it was entered; start again to get a new code"
                    .to_owned(),
            ),
            PollAnswer::Declined => PollStep::Stop(
                "the sign-in was declined on the sign-in page; start again to get a new code"
                    .to_owned(),
            ),
            PollAnswer::BadVerificationCode => PollStep::Stop(
                "the sign-in service did not recognise botline's device code; start again to \
                 get a new code"
                    .to_owned(),
            ),
            PollAnswer::Other(reason) => PollStep::Stop(reason.clone()),
        }
    }
}

impl Client {
    /// Runs a device-code sign-in for Graph's delegated scopes and returns the token
    /// response, which carries a refresh token for the other audience.
    pub(super) async fn device_code_sign_in(
        &self,
        tenant_id: &str,
        client_id: &str,
    ) -> Result<TokenResponse, ApiError> {
        let result = self.run_device_code_sign_in(tenant_id, client_id).await;
        match &result {
            Ok(_) => self.notify_sign_in(&SignInNotice::SignedIn),
            Err(ApiError::Auth(reason)) => self.notify_sign_in(&SignInNotice::Failed {
                reason: reason.clone(),
            }),
            Err(error) => self.notify_sign_in(&SignInNotice::Failed {
                reason: error.to_string(),
            }),
        }
        result
    }

    async fn run_device_code_sign_in(
        &self,
        tenant_id: &str,
        client_id: &str,
    ) -> Result<TokenResponse, ApiError> {
        let scope = scopes::graph_delegated_scope(&self.inner.endpoints);
        let form = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("client_id", client_id)
            .append_pair("scope", &scope)
            .finish();
        let url = self.login_url(tenant_id, "devicecode");
        let call = Call::new(Method::POST, None, url).with_body(Body::Form(form));
        let issued_at = Instant::now();
        let reply = Box::pin(self.send_raw(&call)).await?;
        if !reply.is_success() {
            return Err(sign_in_error(&reply.body, reply.status, &reply.headers));
        }
        let code: DeviceCodeResponse = reply.json()?;
        let lifetime = Duration::from_secs(code.expires_in);
        let mut schedule = PollSchedule::new(code.interval, lifetime, issued_at);
        tracing::info!(
            expires_in_s = code.expires_in,
            interval_s = schedule.interval().as_secs(),
            "device code issued; waiting for the admin to sign in"
        );
        self.notify_sign_in(&SignInNotice::CodeIssued(DeviceCodePrompt {
            user_code: code.user_code.clone(),
            verification_uri: code.verification_uri.clone(),
            expires_at: issued_at + lifetime,
            lifetime,
        }));

        let poll_form = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", DEVICE_CODE_GRANT)
            .append_pair("client_id", client_id)
            .append_pair("device_code", &code.device_code)
            .finish();
        let mut wait = schedule.interval();
        loop {
            tokio::time::sleep(wait).await;
            let started = Instant::now();
            let reply = self.post_token_form(tenant_id, poll_form.clone()).await?;
            if reply.is_success() {
                let response: TokenResponse = reply.json()?;
                tracing::info!(
                    elapsed_s = started.duration_since(issued_at).as_secs(),
                    "device-code sign-in approved"
                );
                return Ok(response);
            }
            let answer = match serde_json::from_slice::<OAuthError>(&reply.body) {
                Ok(oauth) => PollAnswer::from_oauth(&oauth),
                Err(_) => return Err(sign_in_error(&reply.body, reply.status, &reply.headers)),
            };
            match schedule.after(&answer, Instant::now()) {
                PollStep::Wait(next) => {
                    if answer == PollAnswer::SlowDown {
                        tracing::info!(
                            interval_s = next.as_secs(),
                            "slow_down received; polling less often"
                        );
                        self.notify_sign_in(&SignInNotice::SlowDown { interval: next });
                    }
                    wait = next;
                }
                PollStep::Stop(reason) => {
                    tracing::warn!(?answer, "device-code sign-in stopped");
                    return Err(ApiError::Auth(reason));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIFETIME: Duration = Duration::from_secs(900);

    #[test]
    fn pending_keeps_the_interval() {
        let now = Instant::now();
        let mut schedule = PollSchedule::new(5, LIFETIME, now);
        assert_eq!(
            schedule.after(&PollAnswer::Pending, now),
            PollStep::Wait(Duration::from_secs(5))
        );
        assert_eq!(
            schedule.after(&PollAnswer::Pending, now),
            PollStep::Wait(Duration::from_secs(5))
        );
    }

    #[test]
    fn slow_down_adds_five_seconds_each_time() {
        let now = Instant::now();
        let mut schedule = PollSchedule::new(1, LIFETIME, now);
        assert_eq!(
            schedule.after(&PollAnswer::SlowDown, now),
            PollStep::Wait(Duration::from_secs(6))
        );
        assert_eq!(
            schedule.after(&PollAnswer::Pending, now),
            PollStep::Wait(Duration::from_secs(6))
        );
        assert_eq!(
            schedule.after(&PollAnswer::SlowDown, now),
            PollStep::Wait(Duration::from_secs(11))
        );
    }

    #[test]
    fn zero_interval_is_raised_to_one_second() {
        let schedule = PollSchedule::new(0, LIFETIME, Instant::now());
        assert_eq!(schedule.interval(), MIN_POLL_INTERVAL);
    }

    #[test]
    fn pending_after_deadline_stops_as_expired() {
        let now = Instant::now();
        let mut schedule = PollSchedule::new(5, LIFETIME, now);
        let step = schedule.after(&PollAnswer::Pending, now + LIFETIME);
        let PollStep::Stop(reason) = step else {
            panic!("expected a stop, got {step:?}");
        };
        assert!(reason.contains("expired"), "{reason}");
    }

    #[test]
    fn final_answers_stop_with_a_reason() {
        let now = Instant::now();
        let cases = [
            (PollAnswer::Declined, "declined"),
            (PollAnswer::Expired, "expired"),
            (PollAnswer::BadVerificationCode, "did not recognise"),
            (
                PollAnswer::Other("invalid_client: x".into()),
                "invalid_client",
            ),
        ];
        for (answer, expected) in cases {
            let mut schedule = PollSchedule::new(5, LIFETIME, now);
            let step = schedule.after(&answer, now);
            let PollStep::Stop(reason) = step else {
                panic!("{answer:?} did not stop: {step:?}");
            };
            assert!(reason.contains(expected), "{answer:?}: {reason}");
        }
    }

    #[test]
    fn oauth_codes_map_to_answers() {
        let oauth = |error: &str| OAuthError {
            error: error.into(),
            error_description: String::new(),
            error_codes: Vec::new(),
        };
        assert_eq!(
            PollAnswer::from_oauth(&oauth("authorization_pending")),
            PollAnswer::Pending
        );
        assert_eq!(
            PollAnswer::from_oauth(&oauth("slow_down")),
            PollAnswer::SlowDown
        );
        assert_eq!(
            PollAnswer::from_oauth(&oauth("authorization_declined")),
            PollAnswer::Declined
        );
        assert_eq!(
            PollAnswer::from_oauth(&oauth("expired_token")),
            PollAnswer::Expired
        );
        assert_eq!(
            PollAnswer::from_oauth(&oauth("bad_verification_code")),
            PollAnswer::BadVerificationCode
        );
        assert!(matches!(
            PollAnswer::from_oauth(&oauth("invalid_grant")),
            PollAnswer::Other(_)
        ));
    }
}
