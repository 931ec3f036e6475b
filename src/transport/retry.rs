//! Whether and how to try a request again: one pure function of what the
//! failed attempt was (`Attempted`) and where the request stands (`State`).
//! The transport's loop does what it says; tests drive it with a table.

use std::time::Duration;

/// Longest `Retry-After` honoured; a longer one ends the call instead of stalling it.
pub(crate) const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
const BACKOFF_BASE: Duration = Duration::from_millis(100);
const BACKOFF_CAP: Duration = Duration::from_secs(5);
/// A refused signature with the server's clock further than this from ours is
/// taken as our clock being wrong (the gateway allows 15 minutes).
const CLOCK_SKEW: Duration = Duration::from_secs(5 * 60);
/// The gateway's code for a refused signature or token.
const SIGNATURE_REFUSED: &str = "APIGW.0301";

/// What a failed attempt came to, as far as retrying goes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Attempted {
    /// The answer's HTTP status; `None` when there was no answer.
    pub status: Option<u16>,
    /// The answer's error code (`APIGW.0301`, `GES.7006`, ...).
    pub code: Option<String>,
    /// No answer, for a reason another attempt may not meet (reset, timeout).
    pub transient: bool,
    pub retry_after: Option<Duration>,
    /// The server's clock minus ours in milliseconds, from the answer's `Date`.
    pub clock_skew_ms: Option<i64>,
}

/// Where the request stands.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct State {
    pub retries: u32,
    pub max_retries: u32,
    /// The request is signed (not a token): the clock matters.
    pub signed: bool,
    pub clock_corrected: bool,
    /// The credentials are temporary and may be renewed.
    pub renewable: bool,
    pub renewed: bool,
    /// Time left before the call's deadline; `None` without one.
    pub time_left: Option<Duration>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Wait, then try again: one more retry.
    Retry(Duration),
    /// Adopt the server's clock (this offset, ms) and try again at once.
    CorrectClock(i64),
    /// Renew the temporary credentials and try again at once.
    Renew,
    /// The call's deadline passed while the request had no answer.
    DeadlineExceeded,
    /// The failure stands.
    Stop,
}

pub(crate) fn decide(attempt: &Attempted, state: &State) -> Decision {
    let refused = attempt.status == Some(401);
    if refused && state.signed && !state.clock_corrected {
        if let Some(skew) = attempt.clock_skew_ms {
            let signature_refused = attempt.code.as_deref() == Some(SIGNATURE_REFUSED);
            if signature_refused && skew.unsigned_abs() > CLOCK_SKEW.as_millis() as u64 {
                return Decision::CorrectClock(skew);
            }
        }
    }
    // Temporary credentials refused before their end (revoked, or a clock
    // ahead of ours): new ones, and one more try.
    if refused && state.renewable && !state.renewed {
        return Decision::Renew;
    }
    if attempt.status.is_none() && state.time_left == Some(Duration::ZERO) {
        return Decision::DeadlineExceeded;
    }
    let retryable = match attempt.status {
        Some(status) => matches!(status, 429 | 500 | 502 | 503 | 504),
        None => attempt.transient,
    };
    if !retryable || state.retries >= state.max_retries {
        return Decision::Stop;
    }
    let wait = match attempt.retry_after {
        Some(asked) if asked > MAX_RETRY_AFTER => return Decision::Stop,
        Some(asked) => asked.max(backoff(state.retries)),
        None => backoff(state.retries),
    };
    if state.time_left.is_some_and(|left| left < wait) {
        return Decision::Stop;
    }
    Decision::Retry(wait)
}

/// Exponential backoff with jitter: a random wait in [d/2, d], d = base·2^n capped.
pub(crate) fn backoff(retries: u32) -> Duration {
    let full = full_backoff(retries);
    let half = full / 2;
    half + Duration::from_nanos(fastrand::u64(0..=half.as_nanos() as u64))
}

fn full_backoff(retries: u32) -> Duration {
    BACKOFF_BASE
        .saturating_mul(1 << retries.min(16))
        .min(BACKOFF_CAP)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Decision::*;

    fn answered(status: u16) -> Attempted {
        Attempted {
            status: Some(status),
            ..Attempted::default()
        }
    }

    fn fresh() -> State {
        State {
            max_retries: 3,
            signed: true,
            ..State::default()
        }
    }

    #[test]
    fn backoff_grows_with_jitter_and_is_capped() {
        for retries in 0..20 {
            let full = full_backoff(retries);
            let wait = backoff(retries);
            assert!(wait >= full / 2 && wait <= full, "{retries}: {wait:?}");
        }
        assert_eq!(full_backoff(30), BACKOFF_CAP);
    }

    #[test]
    fn the_decision_table() {
        let hour_ms = 3_600_000;
        let expired = Attempted {
            code: Some(SIGNATURE_REFUSED.into()),
            clock_skew_ms: Some(hour_ms),
            ..answered(401)
        };
        let reset = Attempted {
            transient: true,
            ..Attempted::default()
        };
        let slow_down = Attempted {
            retry_after: Some(Duration::from_secs(2)),
            ..answered(429)
        };
        type Case = (&'static str, Attempted, State, fn(Decision) -> bool);
        let cases: Vec<Case> = vec![
            ("retryable statuses", answered(503), fresh(), |d| {
                matches!(d, Retry(_))
            }),
            ("other statuses stand", answered(400), fresh(), |d| {
                d == Stop
            }),
            ("404 stands", answered(404), fresh(), |d| d == Stop),
            ("a reset is retried", reset.clone(), fresh(), |d| {
                matches!(d, Retry(_))
            }),
            (
                "a refused certificate is not",
                Attempted::default(),
                fresh(),
                |d| d == Stop,
            ),
            (
                "retries run out",
                answered(500),
                State {
                    retries: 3,
                    ..fresh()
                },
                |d| d == Stop,
            ),
            (
                "Retry-After is honoured",
                slow_down.clone(),
                fresh(),
                |d| matches!(d, Retry(w) if w >= Duration::from_secs(2)),
            ),
            (
                "a Retry-After past the ceiling ends the call",
                Attempted {
                    retry_after: Some(MAX_RETRY_AFTER + Duration::from_secs(1)),
                    ..answered(503)
                },
                fresh(),
                |d| d == Stop,
            ),
            (
                "no wait past the deadline",
                slow_down,
                State {
                    time_left: Some(Duration::from_secs(1)),
                    ..fresh()
                },
                |d| d == Stop,
            ),
            (
                "no answer and no time left",
                reset,
                State {
                    time_left: Some(Duration::ZERO),
                    ..fresh()
                },
                |d| d == DeadlineExceeded,
            ),
            (
                "a refused signature with a far clock corrects it",
                expired.clone(),
                fresh(),
                |d| d == CorrectClock(3_600_000),
            ),
            (
                "only once",
                expired.clone(),
                State {
                    clock_corrected: true,
                    ..fresh()
                },
                |d| d == Stop,
            ),
            (
                "a token has no clock to correct",
                expired.clone(),
                State {
                    signed: false,
                    ..fresh()
                },
                |d| d == Stop,
            ),
            (
                "a near clock is not the cause",
                Attempted {
                    clock_skew_ms: Some(60_000),
                    ..expired.clone()
                },
                fresh(),
                |d| d == Stop,
            ),
            (
                "temporary credentials refused are renewed once",
                answered(401),
                State {
                    renewable: true,
                    ..fresh()
                },
                |d| d == Renew,
            ),
            (
                "then the refusal stands",
                answered(401),
                State {
                    renewable: true,
                    renewed: true,
                    ..fresh()
                },
                |d| d == Stop,
            ),
        ];
        for (name, attempt, state, expected) in cases {
            let decision = decide(&attempt, &state);
            assert!(expected(decision), "{name}: {decision:?}");
        }
    }
}
