//! One list request, end to end: URL, signing, sending on a pooled keep-alive
//! connection, reading the answer within the size cap, retries with backoff,
//! clock-skew correction and the call's deadline.

mod body;
mod cancellable;
pub mod proxy;
mod resolver;
mod slots;
pub mod target;

pub use body::BodyBuffer;

use crate::call::Call;
use crate::cancel::CurrentCancel;
use crate::config::{Config, Credentials};
use crate::credentials::{Chosen, Provider};
use crate::error::{Error, ErrorKind};
use crate::log::LogLevel;
use crate::model::MAX_BODY_BYTES;
use crate::signing::{self, SignableRequest};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use target::{AgentSettings, Target};
use ureq::http::{HeaderMap, Response};

/// Longest `Retry-After` honoured; a longer one ends the call instead of stalling it.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
const BACKOFF_BASE: Duration = Duration::from_millis(100);
const BACKOFF_CAP: Duration = Duration::from_secs(5);
/// Error bodies are only read for their code and message.
const MAX_ERROR_BODY_BYTES: u64 = 64 * 1024;
/// Largest `ca_file` read; a bundle of every public root is well under 1 MiB.
const MAX_CA_FILE_BYTES: u64 = 16 * 1024 * 1024;

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

/// A failed attempt with what the retry logic needs to decide.
struct Failure {
    error: Error,
    retryable: bool,
    retry_after: Option<Duration>,
    server_date: Option<SystemTime>,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure {
            error,
            retryable: false,
            retry_after: None,
            server_date: None,
        }
    }
}

pub struct Transport {
    config: Config,
    ges: Target,
    /// IAM, when the project id is to be looked up.
    iam: Option<Target>,
    credentials: Provider,
    /// The project id: from the config, or looked up once at the first call.
    /// Held during the lookup, so that concurrent first calls make one.
    project_id: Mutex<Option<Arc<str>>>,
    /// Server time minus local time, learnt from an "expired signature" answer.
    clock_offset_ms: AtomicI64,
    /// The bound on requests in flight over every call (`max_connections`).
    slots: slots::RequestSlots,
}

/// One request to send: where, and what to sign.
struct Exchange<'a> {
    target: &'a Target,
    /// Path below the target's base path, still percent-encoded.
    path: &'a str,
    query: &'a [(String, String)],
    project_id: Option<&'a str>,
}

impl Transport {
    /// Builds the agents and takes the credentials: with the metadata service,
    /// this asks it for the first ones.
    pub fn new(config: Config) -> Result<Transport, Error> {
        let mut tls = ureq::tls::TlsConfig::builder();
        if let Some(ca_file) = &config.ca_file {
            tls = tls.root_certs(roots_with(ca_file)?);
        }
        let settings = AgentSettings {
            connect_timeout: config.connect_timeout,
            max_idle: config.max_connections as usize,
            user_agent: &config.user_agent,
            tls: tls.build(),
            proxy: &config.proxy,
        };
        let ges = Target::new(&config.endpoint, "endpoint", &settings)?;
        let iam = match (&config.project_id, &config.iam_endpoint) {
            (None, Some(iam)) => Some(Target::new(iam, "iam_endpoint", &settings)?),
            _ => None,
        };
        let credentials = Provider::new(
            &config.credentials,
            config.connect_timeout,
            config.timeout,
            &config.user_agent,
        )?;
        Ok(Transport {
            ges,
            iam,
            credentials,
            project_id: Mutex::new(config.project_id.as_deref().map(Arc::from)),
            slots: slots::RequestSlots::new(config.max_connections),
            config,
            clock_offset_ms: AtomicI64::new(0),
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Every secret to scrub from errors: the config's and the temporary ones.
    pub fn secrets(&self) -> Vec<String> {
        let mut all: Vec<String> = self
            .config
            .secrets()
            .into_iter()
            .map(str::to_string)
            .collect();
        all.extend(
            self.credentials
                .temporary_secrets()
                .iter()
                .map(|s| s.expose().to_string()),
        );
        all
    }

    /// One page of the listing, retried as the config says, within the
    /// deadline: the 2xx answer's body is left in `body`, undecoded (the
    /// listing decodes it), and its status and request id are returned.
    pub fn fetch_page(
        &self,
        graph_id: Option<&str>,
        offset: u64,
        limit: u32,
        call: &Call,
        body: &mut BodyBuffer,
    ) -> Result<Reply, Error> {
        let project_id = self.project_id(call)?;
        let path = self.path(&project_id, graph_id);
        let query = [
            ("offset".to_string(), offset.to_string()),
            ("limit".to_string(), limit.to_string()),
        ];
        let exchange = Exchange {
            target: &self.ges,
            path: &path,
            query: &query,
            project_id: Some(&project_id),
        };
        let what = format!("GET {path}?offset={offset}&limit={limit}");
        self.with_retries(call, &what, |timeout| {
            self.attempt(&exchange, timeout, body)
        })
    }

    /// The project id, looked up in IAM at the first call when the config has none.
    fn project_id(&self, call: &Call) -> Result<Arc<str>, Error> {
        let mut known = self.project_id.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(id) = known.as_ref() {
            return Ok(id.clone());
        }
        // A failed lookup is not kept: the next call tries again.
        let id: Arc<str> = Arc::from(self.look_up_project(call)?);
        *known = Some(id.clone());
        Ok(id)
    }

    /// `GET {iam_endpoint}/v3/projects?name={region}`, signed like every request
    /// (the official SDKs' KeystoneListProjects).
    fn look_up_project(&self, call: &Call) -> Result<String, Error> {
        let (Some(iam), Some(region)) = (&self.iam, &self.config.region) else {
            return Err(Error::invalid(
                "config: \"project_id\" is required, or \"region\" to look it up",
            ));
        };
        let query = [("name".to_string(), region.clone())];
        let exchange = Exchange {
            target: iam,
            path: "/v3/projects",
            query: &query,
            project_id: None,
        };
        let (_, body) = self
            .with_retries(
                call,
                &format!("GET /v3/projects?name={region}"),
                |timeout| self.attempt_raw(&exchange, timeout),
            )
            .map_err(|mut e| {
                e.message = format!(
                    "looking up the project of region {region:?} in IAM ({}) failed: {}",
                    iam.shown, e.message
                );
                e
            })?;
        let answer: serde_json::Value = serde_json::from_slice(&body).map_err(|_| {
            Error::decode(format!(
                "IAM ({}) answered the project lookup with a body that is not JSON",
                iam.shown
            ))
        })?;
        call.log.log(LogLevel::Info, || {
            format!(
                "looked up the project of region {region:?} in IAM ({})",
                iam.shown
            )
        });
        let ids: Vec<&str> = answer
            .get("projects")
            .and_then(|p| p.as_array())
            .ok_or_else(|| {
                Error::decode(format!(
                    "IAM ({}) answered the project lookup without a \"projects\" list",
                    iam.shown
                ))
            })?
            .iter()
            // Keystone filters by name already; an IAM that did not must not confuse us.
            .filter(|p| p.get("name").and_then(|n| n.as_str()) == Some(region.as_str()))
            .filter_map(|p| p.get("id").and_then(|id| id.as_str()))
            .collect();
        match ids.as_slice() {
            [id] => Ok(id.to_string()),
            [] => Err(Error::invalid(format!(
                "IAM ({}) has no project named {region:?} for these credentials: \
                 check \"region\", or set \"project_id\"",
                iam.shown
            ))),
            several => Err(Error::invalid(format!(
                "IAM ({}) has several projects named {region:?} ({}): set \"project_id\" to one of them",
                iam.shown,
                several.join(", ")
            ))),
        }
    }

    /// Runs `attempt` until it succeeds, retrying as the config says within the
    /// call's deadline, until it is cancelled; corrects the clock once after an
    /// "expired signature", and renews temporary credentials once when refused.
    /// `what` names the request in log lines.
    fn with_retries<T: Answered>(
        &self,
        call: &Call,
        what: &str,
        mut attempt: impl FnMut(Duration) -> Result<T, Failure>,
    ) -> Result<T, Error> {
        let deadline = &call.deadline;
        let mut retries = 0;
        let mut clock_corrected = false;
        let mut renewed = false;
        let mut attempts = 0;
        loop {
            attempts += 1;
            call.check_cancelled()?;
            // What the attempt signs with, unless renewed meanwhile.
            let signing_with = self.credentials.current().ok();
            let (result, took) = {
                let _slot = self.slots.acquire(call)?;
                // Measured after waiting for the slot: the wait spent some of the budget.
                let timeout = match deadline.remaining() {
                    Some(left) if left.is_zero() => return Err(deadline.exceeded_error(None)),
                    Some(left) => left.min(self.config.timeout),
                    None => self.config.timeout,
                };
                let _current = CurrentCancel::set(call.cancel.as_ref());
                let started = Instant::now();
                (attempt(timeout), started.elapsed())
            };
            // What was cancelled failed for that reason, whatever the socket said.
            call.check_cancelled()?;
            if call.log.enabled(LogLevel::Debug) {
                let outcome = match &result {
                    Ok(answer) => answer.reply().status.to_string(),
                    Err(f) if f.error.http_status != 0 => f.error.http_status.to_string(),
                    Err(f) => format!("no answer ({})", f.error.message),
                };
                call.log.log(LogLevel::Debug, || {
                    format!(
                        "{what} -> {outcome} (attempt {attempts}, {} ms)",
                        took.as_millis()
                    )
                });
            }
            let failure = match result {
                Ok(done) => return Ok(done),
                Err(failure) => failure,
            };
            if !clock_corrected && self.correct_clock(&failure) {
                clock_corrected = true;
                call.warn(|| {
                    format!(
                        "the gateway refused the signature as expired: adopting its clock \
                         (offset {} ms) and retrying once",
                        self.clock_offset_ms.load(Ordering::Relaxed)
                    )
                });
                continue;
            }
            // Temporary credentials refused before their end (revoked, or a
            // clock ahead of ours): new ones, and one more try.
            if !renewed && failure.error.http_status == 401 {
                if let Some(refused) = &signing_with {
                    if self.credentials.renew_refused(refused) {
                        renewed = true;
                        call.warn(|| {
                            "temporary credentials refused (401): renewed them, retrying once"
                                .to_string()
                        });
                        continue;
                    }
                }
            }
            if deadline.expired() && failure.error.kind == ErrorKind::Transport {
                return Err(deadline.exceeded_error(Some(&failure.error)));
            }
            if !failure.retryable || retries >= self.config.max_retries {
                return Err(self.refusal_named(failure.error));
            }
            let wait = match failure.retry_after {
                Some(asked) if asked > MAX_RETRY_AFTER => return Err(failure.error),
                Some(asked) => asked.max(backoff(retries)),
                None => backoff(retries),
            };
            if deadline.remaining().is_some_and(|left| left < wait) {
                return Err(failure.error);
            }
            call.warn(|| {
                format!(
                    "retry {} of {} for {what} in {} ms: {}",
                    retries + 1,
                    self.config.max_retries,
                    wait.as_millis(),
                    failure.error
                )
            });
            call.sleep(wait)?;
            retries += 1;
        }
    }

    /// A 401 says which source the refused credentials came from: with six
    /// possible sources, the first thing a user needs to know.
    fn refusal_named(&self, mut error: Error) -> Error {
        if error.http_status == 401 {
            error.message = format!(
                "{} (credentials from {})",
                error.message,
                self.config.credentials.source()
            );
        }
        error
    }

    fn path(&self, project_id: &str, graph_id: Option<&str>) -> String {
        let version = self.config.api_version.path_segment();
        let project = signing::encode(project_id);
        match graph_id {
            Some(graph) => format!(
                "/{version}/{project}/graphs/{}/backups",
                signing::encode(graph)
            ),
            None => format!("/{version}/{project}/graphs/backups"),
        }
    }

    /// Sends one request; a non-2xx answer is a failure.
    fn send(
        &self,
        exchange: &Exchange<'_>,
        timeout: Duration,
    ) -> Result<Response<ureq::Body>, Failure> {
        let target = exchange.target;
        let path = format!("{}{}", target.base_path, exchange.path);
        let url = format!(
            "{}{path}?{}",
            target.origin,
            exchange
                .query
                .iter()
                .map(|(k, v)| format!("{}={}", signing::encode(k), signing::encode(v)))
                .collect::<Vec<_>>()
                .join("&")
        );
        let mut request = target.agent.get(&url);
        for (name, value) in self.auth_headers(exchange, &path)? {
            request = request.header(name, value);
        }
        let response = request
            .config()
            .timeout_global(Some(timeout))
            .build()
            .call()
            .map_err(|e| transport_failure(target, e, timeout))?;
        let status = response.status().as_u16();
        if !(200..300).contains(&status) {
            return Err(api_failure(response));
        }
        Ok(response)
    }

    /// One request whose answer is read whole (IAM).
    fn attempt_raw(
        &self,
        exchange: &Exchange<'_>,
        timeout: Duration,
    ) -> Result<(Reply, Vec<u8>), Failure> {
        let response = self.send(exchange, timeout)?;
        let reply = Reply::of(&response);
        let body = read_body(response, MAX_ERROR_BODY_BYTES * 16)
            .map_err(|e| transport_failure(exchange.target, e, timeout))?;
        Ok((reply, body))
    }

    /// One page request, its body read into `body`.
    fn attempt(
        &self,
        exchange: &Exchange<'_>,
        timeout: Duration,
        body: &mut BodyBuffer,
    ) -> Result<Reply, Failure> {
        let mut response = self.send(exchange, timeout)?;
        let reply = Reply::of(&response);
        let mut reader = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY_BYTES)
            .reader();
        body.read_from(&mut reader).map_err(|e| {
            // An answer over the size cap is a DECODE error of that answer.
            let mut failure = transport_failure(exchange.target, e, timeout);
            reply.describe(&mut failure.error);
            failure
        })?;
        Ok(reply)
    }

    /// The headers that authenticate one request; with AK/SK every header we send is signed.
    fn auth_headers(
        &self,
        exchange: &Exchange<'_>,
        path: &str,
    ) -> Result<Vec<(String, String)>, Failure> {
        let active = self.credentials.current()?;
        let mut headers = vec![
            ("Host".to_string(), exchange.target.host_header.clone()),
            ("User-Agent".to_string(), self.config.user_agent.clone()),
        ];
        if let Some(project_id) = exchange.project_id {
            headers.push(("X-Project-Id".to_string(), project_id.to_string()));
        }
        match &active.credentials {
            Credentials::Token(token) => {
                headers.push(("X-Auth-Token".to_string(), token.expose().to_string()))
            }
            Credentials::AkSk {
                access_key,
                security_token,
                ..
            } => {
                headers.push((
                    signing::DATE_HEADER.to_string(),
                    signing::format_sdk_date(self.now()),
                ));
                if let Some(token) = security_token {
                    headers.push(("X-Security-Token".to_string(), token.expose().to_string()));
                }
                let decoded_path = path
                    .split('/')
                    .map(signing::decode)
                    .collect::<Vec<_>>()
                    .join("/");
                let signable = SignableRequest {
                    method: "GET",
                    path: &decoded_path,
                    query: exchange.query,
                    headers: &headers,
                    body: b"",
                };
                let signer = active
                    .signer
                    .as_ref()
                    .expect("AK/SK credentials come with a signer");
                let authorization = signer.authorization(access_key, &signable);
                headers.push(("Authorization".to_string(), authorization));
            }
        }
        Ok(headers)
    }

    /// Local time corrected by the offset learnt from the service.
    fn now(&self) -> SystemTime {
        let offset = self.clock_offset_ms.load(Ordering::Relaxed);
        let magnitude = Duration::from_millis(offset.unsigned_abs());
        if offset >= 0 {
            SystemTime::now() + magnitude
        } else {
            SystemTime::now() - magnitude
        }
    }

    /// After the gateway refused our signature as expired, adopts the server's clock
    /// from its `Date` header. True when a retry with the corrected clock makes sense.
    fn correct_clock(&self, failure: &Failure) -> bool {
        let expired_signature = failure.error.http_status == 401
            && failure.error.code.as_deref() == Some("APIGW.0301")
            && failure
                .error
                .message
                .to_ascii_lowercase()
                .contains("expired");
        let (true, Some(server)) = (expired_signature, failure.server_date) else {
            return false;
        };
        if matches!(
            self.config.credentials,
            Chosen::Static {
                credentials: Credentials::Token(_),
                ..
            }
        ) {
            return false;
        }
        let local = SystemTime::now();
        let offset_ms = match server.duration_since(local) {
            Ok(ahead) => ahead.as_millis() as i64,
            Err(behind) => -(behind.duration().as_millis() as i64),
        };
        self.clock_offset_ms.store(offset_ms, Ordering::Relaxed);
        true
    }
}

/// Exponential backoff with jitter: a random wait in [d/2, d], d = base·2^n capped.
fn backoff(retries: u32) -> Duration {
    let full = BACKOFF_BASE
        .saturating_mul(1 << retries.min(16))
        .min(BACKOFF_CAP);
    let half = full / 2;
    half + Duration::from_nanos(fastrand::u64(0..=half.as_nanos() as u64))
}

fn read_body(mut response: Response<ureq::Body>, limit: u64) -> Result<Vec<u8>, ureq::Error> {
    response.body_mut().with_config().limit(limit).read_to_vec()
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
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

/// A non-2xx answer: the service's code, message and request id, whichever body shape it used.
fn api_failure(response: Response<ureq::Body>) -> Failure {
    let status = response.status();
    let headers = response.headers().clone();
    let body = read_body(response, MAX_ERROR_BODY_BYTES).unwrap_or_default();
    let parsed: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    let field = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| parsed.get(n).and_then(|v| v.as_str()).map(str::to_string))
    };
    let code = field(&["errorCode", "error_code", "code"]);
    let message = field(&["errorMessage", "error_msg", "message"]).unwrap_or_else(|| {
        format!(
            "the service answered HTTP {} {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        )
        .trim_end()
        .to_string()
    });
    let mut error = Error::new(ErrorKind::Api, message);
    error.http_status = status.as_u16();
    error.code = code;
    // IAM names its request id X-IAM-Trace-Id.
    error.request_id = header(&headers, "x-request-id")
        .or_else(|| header(&headers, "x-iam-trace-id"))
        .map(str::to_string)
        .or_else(|| field(&["request_id"]));
    Failure {
        error,
        retryable: matches!(status.as_u16(), 429 | 500 | 502 | 503 | 504),
        retry_after: header(&headers, "retry-after").and_then(parse_retry_after),
        server_date: header(&headers, "date").and_then(|d| httpdate::parse_http_date(d).ok()),
    }
}

fn transport_failure(target: &Target, error: ureq::Error, timeout: Duration) -> Failure {
    if let ureq::Error::BodyExceedsLimit(_) = error {
        return Failure::from(Error::decode(format!(
            "the answer body exceeds {} MiB",
            MAX_BODY_BYTES >> 20
        )));
    }
    let (message, retryable) = target.network_error(&error, timeout);
    Failure {
        error: Error::transport(message),
        retryable,
        retry_after: None,
        server_date: None,
    }
}

/// The usual public roots plus the PEM certificates of `ca_file`.
fn roots_with(ca_file: &std::path::Path) -> Result<ureq::tls::RootCerts, Error> {
    use std::io::Read;
    let failed = |e: std::io::Error| {
        Error::invalid(format!(
            "config: \"ca_file\": cannot read the file: {}",
            e.kind()
        ))
    };
    // Read at most the cap: a path such as /dev/zero must not exhaust memory.
    let mut pem = Vec::new();
    std::fs::File::open(ca_file)
        .and_then(|f| f.take(MAX_CA_FILE_BYTES + 1).read_to_end(&mut pem))
        .map_err(failed)?;
    if pem.len() as u64 > MAX_CA_FILE_BYTES {
        return Err(Error::invalid(format!(
            "config: \"ca_file\": the file is over {} MiB",
            MAX_CA_FILE_BYTES >> 20
        )));
    }
    let mut roots: Vec<ureq::tls::Certificate<'static>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .map(|der| ureq::tls::Certificate::from_der(der.as_ref()).to_owned())
        .collect();
    let public_roots = roots.len();
    for item in ureq::tls::parse_pem(&pem) {
        match item {
            Ok(ureq::tls::PemItem::Certificate(cert)) => roots.push(cert),
            Ok(_) => {}
            Err(e) => {
                return Err(Error::invalid(format!(
                    "config: \"ca_file\": the file is not valid PEM: {e}"
                )))
            }
        }
    }
    if roots.len() == public_roots {
        return Err(Error::invalid(
            "config: \"ca_file\": the file holds no PEM certificate",
        ));
    }
    Ok(ureq::tls::RootCerts::from(roots))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_with_jitter_and_is_capped() {
        for retries in 0..20 {
            let full = BACKOFF_BASE
                .saturating_mul(1 << retries.min(16))
                .min(BACKOFF_CAP);
            let wait = backoff(retries);
            assert!(wait >= full / 2 && wait <= full, "{retries}: {wait:?}");
        }
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        let soon = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
        let parsed = parse_retry_after(&soon).unwrap();
        assert!(parsed > Duration::from_secs(27) && parsed <= Duration::from_secs(30));
        assert_eq!(parse_retry_after("soon"), None);
    }

    fn transport(extra: &str) -> Result<Transport, Error> {
        let json = format!(
            r#"{{"endpoint": "https://ges.example.com", "project_id": "p", "auth_token": "t"{extra}}}"#
        );
        Transport::new(Config::from_json_with_env(&json, |_| None)?)
    }

    #[test]
    fn without_ca_file_https_trusts_the_public_roots() {
        let t = transport("").unwrap();
        let tls = t.ges.agent.config().tls_config();
        assert!(matches!(tls.root_certs(), ureq::tls::RootCerts::WebPki));
        assert!(!tls.disable_verification());
    }

    #[test]
    fn ca_file_adds_its_roots_to_the_public_ones() {
        let dir = std::env::temp_dir().join(format!("ges-transport-ca-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let ca = dir.join("ca.pem");
        let cert = rcgen::generate_simple_self_signed(vec!["127.0.0.1".into()]).unwrap();
        std::fs::write(&ca, cert.cert.pem()).unwrap();
        let t = transport(&format!(r#", "ca_file": {:?}"#, ca.to_str().unwrap())).unwrap();
        let tls = t.ges.agent.config().tls_config();
        match tls.root_certs() {
            ureq::tls::RootCerts::Specific(roots) => assert_eq!(
                roots.len(),
                webpki_root_certs::TLS_SERVER_ROOT_CERTS.len() + 1
            ),
            other => panic!("{other:?}"),
        }
        assert!(!tls.disable_verification());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_ca_file_that_never_ends_is_refused_not_read_whole() {
        let err = transport(r#", "ca_file": "/dev/zero""#).err().unwrap();
        assert_eq!(err.kind, ErrorKind::InvalidArgument);
        assert!(err.message.contains("over 16 MiB"), "{}", err.message);
        let err = transport(r#", "ca_file": "/""#).err().unwrap();
        assert_eq!(err.kind, ErrorKind::InvalidArgument);
    }
}
