//! One authenticated GET, end to end: sent on a pooled keep-alive connection
//! of its host's `Target`, its answer read within a size cap, tried again as the
//! retry policy (`retry`) decides, within the call's deadline and cancellation.
//! GES pages and IAM's project lookup both go through it.

mod body;
mod clock;
mod retry;
mod slots;

pub use body::BodyBuffer;

use crate::call::Call;
use crate::cancel::CurrentCancel;
use crate::credentials::{Active, Provider};
use crate::error::{Error, ErrorKind};
use crate::log::LogLevel;
use crate::net::refusal::{self, header, MAX_ERROR_BODY_BYTES};
use crate::net::target::Target;
use clock::Clock;
use ges_signing as signing;
use retry::{Attempted, Decision};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use ureq::http::Response;

/// What the transport needs of the config.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    /// One attempt, connect to last byte.
    pub timeout: Duration,
    pub max_retries: u32,
    /// Requests in flight at once over every call sharing the client.
    pub max_connections: u32,
    pub user_agent: String,
}

/// What a 2xx answer said besides its body.
#[derive(Clone, Debug)]
pub(crate) struct Reply {
    pub status: u16,
    pub request_id: Option<String>,
}

impl Reply {
    fn of(response: &Response<ureq::Body>) -> Reply {
        Reply {
            status: response.status().as_u16(),
            request_id: header(response.headers(), "x-request-id").map(str::to_string),
        }
    }

    /// A 2xx answer that does not decode still had a status and a request id.
    pub fn describe(&self, error: &mut Error) {
        if error.kind == ErrorKind::Decode {
            error.http_status = self.status;
            error.request_id = self.request_id.clone();
        }
    }
}

/// One GET to send: where, what to sign, and how much of its answer to read.
pub(crate) struct Request<'a> {
    pub target: &'a Target,
    /// Below the target's base path, percent-encoded.
    pub path: &'a str,
    pub query: &'a [(String, String)],
    /// Sent as `X-Project-Id` (GES requests).
    pub project_id: Option<&'a str>,
    /// The largest answer body read.
    pub body_limit: u64,
}

/// A failed attempt: the error, and what the retry policy decides on. Boxed:
/// it travels up every frame of an attempt.
struct Failure {
    error: Error,
    attempted: Attempted,
}

type Failed = Box<Failure>;

impl From<Error> for Failed {
    fn from(error: Error) -> Self {
        Box::new(Failure {
            error,
            attempted: Attempted::default(),
        })
    }
}

pub(crate) struct Transport {
    settings: Settings,
    credentials: Arc<Provider>,
    clock: Clock,
    /// The bound on requests in flight over every call (`max_connections`).
    slots: slots::RequestSlots,
}

impl Transport {
    pub fn new(settings: Settings, credentials: Arc<Provider>) -> Transport {
        Transport {
            slots: slots::RequestSlots::new(settings.max_connections),
            settings,
            credentials,
            clock: Clock::default(),
        }
    }

    /// `request`'s 2xx answer with its body left in `body` (pages: one buffer
    /// per worker, reused).
    pub fn get_into(
        &self,
        call: &Call,
        request: &Request<'_>,
        body: &mut BodyBuffer,
    ) -> Result<Reply, Error> {
        self.with_retries(call, request, |timeout| {
            let mut response = self.send(request, timeout)?;
            let reply = Reply::of(&response);
            let mut reader = response
                .body_mut()
                .with_config()
                .limit(request.body_limit)
                .reader();
            body.read_from(&mut reader).map_err(|e| {
                let mut failure = transport_failure(request, e, timeout);
                reply.describe(&mut failure.error);
                failure
            })?;
            Ok(reply)
        })
    }

    /// `request`'s 2xx answer, its body read whole (IAM).
    pub fn get(&self, call: &Call, request: &Request<'_>) -> Result<Vec<u8>, Error> {
        let (_, body) = self.with_retries(call, request, |timeout| {
            let mut response = self.send(request, timeout)?;
            let reply = Reply::of(&response);
            let body = response
                .body_mut()
                .with_config()
                .limit(request.body_limit)
                .read_to_vec()
                .map_err(|e| transport_failure(request, e, timeout))?;
            Ok((reply, body))
        })?;
        Ok(body)
    }

    /// Runs `attempt` until it succeeds or the retry policy says stop; every
    /// attempt takes a request slot, and none starts once the call is cancelled.
    fn with_retries<T: Answered>(
        &self,
        call: &Call,
        request: &Request<'_>,
        mut attempt: impl FnMut(Duration) -> Result<T, Failed>,
    ) -> Result<T, Error> {
        let mut state = retry::State {
            max_retries: self.settings.max_retries,
            signed: self.credentials.signs(),
            renewable: self.credentials.renewable(),
            ..retry::State::default()
        };
        for attempts in 1.. {
            call.check_cancelled()?;
            // What the attempt signs with, unless renewed meanwhile.
            let signed_with = self.credentials.current().ok();
            let (result, took) = self.in_a_slot(call, &mut attempt)?;
            // What was cancelled failed for that reason, whatever the socket said.
            call.check_cancelled()?;
            log_attempt(call, request, attempts, took, &result);
            let failure = match result {
                Ok(done) => return Ok(done),
                Err(failure) => failure,
            };
            state.time_left = call.deadline.remaining();
            match retry::decide(&failure.attempted, &state) {
                Decision::CorrectClock(offset_ms) => {
                    self.clock.adopt(offset_ms);
                    state.clock_corrected = true;
                    call.warn(|| {
                        format!(
                            "the gateway refused the signature with its clock {offset_ms} ms from ours: \
                             adopting its clock and retrying once"
                        )
                    });
                }
                Decision::Renew if self.renew(signed_with.as_ref()) => {
                    state.renewed = true;
                    call.warn(|| {
                        "temporary credentials refused (401): renewed them, retrying once".into()
                    });
                }
                Decision::Retry(wait) => {
                    call.warn(|| {
                        format!(
                            "retry {} of {} for {} in {} ms: {}",
                            state.retries + 1,
                            state.max_retries,
                            describe(request),
                            wait.as_millis(),
                            failure.error
                        )
                    });
                    call.sleep(wait)?;
                    state.retries += 1;
                }
                Decision::DeadlineExceeded => {
                    return Err(call.deadline.exceeded_error(Some(&failure.error)))
                }
                Decision::Renew | Decision::Stop => return Err(self.refusal_named(failure.error)),
            }
        }
        unreachable!("the attempts loop returns")
    }

    /// One attempt in a request slot, with what is left of the call's budget
    /// (measured after the wait for the slot, which spent some of it), and how
    /// long the attempt took.
    fn in_a_slot<T>(
        &self,
        call: &Call,
        attempt: &mut impl FnMut(Duration) -> Result<T, Failed>,
    ) -> Result<(Result<T, Failed>, Duration), Error> {
        let _slot = self.slots.acquire(call)?;
        let timeout = match call.deadline.remaining() {
            Some(left) if left.is_zero() => return Err(call.deadline.exceeded_error(None)),
            Some(left) => left.min(self.settings.timeout),
            None => self.settings.timeout,
        };
        let _current = CurrentCancel::set(call.cancel.as_ref());
        let started = Instant::now();
        Ok((attempt(timeout), started.elapsed()))
    }

    /// Renews the credentials `refused` were, unless another caller did.
    fn renew(&self, refused: Option<&Arc<Active>>) -> bool {
        refused.is_some_and(|refused| self.credentials.renew_refused(refused))
    }

    /// A 401 says which source the refused credentials came from: with many
    /// possible sources, the first thing a user needs to know.
    fn refusal_named(&self, mut error: Error) -> Error {
        if error.http_status == 401 {
            error.message = format!(
                "{} (credentials from {})",
                error.message,
                self.credentials.source()
            );
        }
        error
    }

    /// Sends one request; a non-2xx answer is a failure.
    fn send(
        &self,
        request: &Request<'_>,
        timeout: Duration,
    ) -> Result<Response<ureq::Body>, Failed> {
        let target = request.target;
        let path = format!("{}{}", target.base_path, request.path);
        let query = request
            .query
            .iter()
            .map(|(k, v)| format!("{}={}", signing::encode(k), signing::encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut builder = target.agent.get(format!("{}{path}?{query}", target.origin));
        let active = self.credentials.current()?;
        for (name, value) in self.headers(&active, request, &path) {
            builder = builder.header(name, value);
        }
        let response = builder
            .config()
            .timeout_global(Some(timeout))
            .build()
            .call()
            .map_err(|e| transport_failure(request, e, timeout))?;
        if !response.status().is_success() {
            return Err(api_failure(response));
        }
        Ok(response)
    }

    /// The headers of one request, authenticated by `active`.
    fn headers(&self, active: &Active, request: &Request<'_>, path: &str) -> Vec<(String, String)> {
        let mut headers = vec![
            ("Host".to_string(), request.target.host_header.clone()),
            ("User-Agent".to_string(), self.settings.user_agent.clone()),
        ];
        if let Some(project_id) = request.project_id {
            headers.push(("X-Project-Id".to_string(), project_id.to_string()));
        }
        let decoded_path = path
            .split('/')
            .map(signing::decode)
            .collect::<Vec<_>>()
            .join("/");
        active.authenticate(
            &mut headers,
            "GET",
            &decoded_path,
            request.query,
            b"",
            self.clock.now(),
        );
        headers
    }
}

/// What a successful attempt returns: its answer's `Reply` tells the log the status.
trait Answered {
    fn reply(&self) -> &Reply;
}

impl Answered for Reply {
    fn reply(&self) -> &Reply {
        self
    }
}

impl Answered for (Reply, Vec<u8>) {
    fn reply(&self) -> &Reply {
        &self.0
    }
}

/// The DEBUG line of one attempt: what was asked, what came of it, how long it took.
fn log_attempt<T: Answered>(
    call: &Call,
    request: &Request<'_>,
    attempt: u32,
    took: Duration,
    result: &Result<T, Failed>,
) {
    call.log.log(LogLevel::Debug, || {
        let outcome = match result {
            Ok(answer) => answer.reply().status.to_string(),
            Err(f) if f.error.http_status != 0 => f.error.http_status.to_string(),
            Err(f) => format!("no answer ({})", f.error.message),
        };
        format!(
            "{} -> {outcome} (attempt {attempt}, {} ms)",
            describe(request),
            took.as_millis()
        )
    });
}

/// `GET /path?query`, for log lines.
fn describe(request: &Request<'_>) -> String {
    let query: Vec<String> = request
        .query
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    format!("GET {}?{}", request.path, query.join("&"))
}

fn parse_retry_after(value: &str) -> Option<Duration> {
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// A non-2xx answer, with what the retry policy decides on.
fn api_failure(mut response: Response<ureq::Body>) -> Failed {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .body_mut()
        .with_config()
        .limit(MAX_ERROR_BODY_BYTES)
        .read_to_vec()
        .unwrap_or_default();
    let error = refusal::api_error(status, &headers, &body);
    let clock_skew_ms = header(&headers, "date")
        .and_then(|d| httpdate::parse_http_date(d).ok())
        .map(clock::offset_from_now);
    Box::new(Failure {
        attempted: Attempted {
            status: Some(status.as_u16()),
            code: error.code.clone(),
            transient: false,
            retry_after: header(&headers, "retry-after").and_then(parse_retry_after),
            clock_skew_ms,
        },
        error,
    })
}

fn transport_failure(request: &Request<'_>, error: ureq::Error, timeout: Duration) -> Failed {
    if let ureq::Error::BodyExceedsLimit(_) = error {
        // An answer, only too large: a DECODE error of that answer, not retried.
        let limit = request.body_limit;
        let size = if limit >= 1 << 20 {
            format!("{} MiB", limit >> 20)
        } else {
            format!("{} KiB", limit >> 10)
        };
        return Box::new(Failure {
            error: Error::decode(format!("the answer body exceeds {size}")),
            attempted: Attempted {
                status: Some(200),
                ..Attempted::default()
            },
        });
    }
    let (message, transient) = request.target.network_error(&error, timeout);
    Box::new(Failure {
        error: Error::transport(message),
        attempted: Attempted {
            transient,
            ..Attempted::default()
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        let soon = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
        let parsed = parse_retry_after(&soon).unwrap();
        assert!(parsed > Duration::from_secs(27) && parsed <= Duration::from_secs(30));
        assert_eq!(parse_retry_after("soon"), None);
    }
}
