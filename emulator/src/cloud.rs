//! The Huawei Cloud services around GES that a client meets before its first
//! list request, all on the emulator's own address:
//!
//! - IAM's `GET /v3/projects?name={region}` (Keystone's shape), authenticated
//!   like the GES endpoints, for project discovery;
//! - the ECS metadata service: `PUT /meta-data/latest/api/token` and
//!   `GET /openstack/latest/securitykey`, handing out temporary credentials
//!   that the GES and IAM endpoints accept (with `X-Security-Token`) until they
//!   end, then refuse with 401;
//! - their control API under `/__emulator/cloud/` (see README.md).

use crate::auth::Received;
use crate::reply::{self, Reply};
use crate::state::App;
use hyper::header::{HeaderMap, CONTENT_TYPE};
use hyper::{Method, StatusCode};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

pub const IAM_PROJECTS: &str = "/v3/projects";
pub const METADATA_TOKEN: &str = "/meta-data/latest/api/token";
pub const METADATA_SECURITY_KEY: &str = "/openstack/latest/securitykey";
pub const CONTROL_PREFIX: &str = "/__emulator/cloud/";

/// Bounds of what the control API accepts.
const MAX_REGIONS: usize = 1000;
const MAX_PROJECTS_PER_REGION: usize = 100;
const MAX_NAME_LEN: usize = 128;
/// Issued credentials kept for checking; the oldest are forgotten past this.
const MAX_ISSUED: usize = 10_000;

/// Temporary credentials handed out by the metadata service, shared with `Auth`.
#[derive(Default)]
pub struct TemporaryKeys {
    issued: Mutex<HashMap<String, Issued>>,
}

struct Issued {
    secret: String,
    token: String,
    expires_at: SystemTime,
}

impl TemporaryKeys {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Issued>> {
        self.issued.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// For a request signed with an issued access key: `Some(Ok)` when its
    /// token matches and its credentials have not ended; `None` for other keys.
    pub fn check(&self, req: &Received<'_>, now: SystemTime) -> Option<Result<(), String>> {
        let value = req
            .headers
            .get(hyper::header::AUTHORIZATION)?
            .to_str()
            .ok()?;
        let parsed = ges_signing::parse_authorization(value)?;
        let (secret, token, expires_at) = {
            let issued = self.lock();
            let found = issued.get(&parsed.access_key)?;
            (found.secret.clone(), found.token.clone(), found.expires_at)
        };
        let given = req
            .headers
            .get("x-security-token")
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        Some(if given.as_deref() != Some(token.as_str()) {
            Err(
                "X-Security-Token is missing or does not belong to this temporary access key"
                    .into(),
            )
        } else if now >= expires_at {
            Err(format!(
                "the temporary credentials ended at {}; get new ones",
                httpdate::fmt_http_date(expires_at)
            ))
        } else {
            crate::auth::check_signature(&parsed.access_key, &secret, req, now)
        })
    }

    fn issue(&self, now: SystemTime, lifetime: Duration) -> (String, String, String, SystemTime) {
        let access = format!("TMP{:017X}", fastrand::u128(..) >> 60);
        let secret = format!("{:040x}", fastrand::u128(..));
        let token = format!("tok-{:032x}{:032x}", fastrand::u128(..), fastrand::u128(..));
        let expires_at = now + lifetime;
        let mut issued = self.lock();
        if issued.len() >= MAX_ISSUED {
            issued.retain(|_, i| i.expires_at > now);
            if issued.len() >= MAX_ISSUED {
                issued.clear();
            }
        }
        issued.insert(
            access.clone(),
            Issued {
                secret: secret.clone(),
                token: token.clone(),
                expires_at,
            },
        );
        (access, secret, token, expires_at)
    }
}

/// The services' settings and counters.
pub struct Cloud {
    pub temporary: Arc<TemporaryKeys>,
    state: Mutex<CloudState>,
}

struct CloudState {
    /// Regions set through the control API; any other region has one project,
    /// the emulator's `project_id`.
    projects: HashMap<String, Vec<String>>,
    default_project: String,
    lifetime: Duration,
    require_token: bool,
    metadata_available: bool,
    session_tokens: Vec<String>,
    iam_requests: u64,
    token_requests: u64,
    security_key_requests: u64,
}

impl Cloud {
    pub fn new(default_project: &str, temporary: Arc<TemporaryKeys>) -> Cloud {
        Cloud {
            temporary,
            state: Mutex::new(CloudState {
                projects: HashMap::new(),
                default_project: default_project.to_string(),
                lifetime: Duration::from_secs(3600),
                require_token: true,
                metadata_available: true,
                session_tokens: Vec::new(),
                iam_requests: 0,
                token_requests: 0,
                security_key_requests: 0,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, CloudState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Answers the IAM and metadata paths; `None` for any other path.
pub fn route(app: &App, req: &Received<'_>, request_id: &str) -> Option<Reply> {
    let method = req.method;
    Some(match req.path {
        IAM_PROJECTS if method == "GET" => list_projects(app, req, request_id),
        METADATA_TOKEN if method == "PUT" => session_token(app),
        METADATA_SECURITY_KEY if method == "GET" => security_key(app, req),
        IAM_PROJECTS | METADATA_TOKEN | METADATA_SECURITY_KEY => Reply::ges_error(
            StatusCode::METHOD_NOT_ALLOWED,
            reply::CODE_BAD_METHOD,
            &format!("{method} is not allowed on {}", req.path),
        ),
        _ => return None,
    })
}

fn list_projects(app: &App, req: &Received<'_>, request_id: &str) -> Reply {
    let now = app.lock().now();
    app.cloud.lock().iam_requests += 1;
    if let Err(reason) = app.auth.check(req, now) {
        return Reply::unauthorized(&reason, request_id);
    }
    let name = crate::auth::decode_query(req.query.unwrap_or(""))
        .into_iter()
        .find(|(k, _)| k == "name")
        .map(|(_, v)| v);
    let cloud = app.cloud.lock();
    let project = |region: &str, id: &str| {
        json!({"id": id, "name": region, "domain_id": "emulator-domain", "enabled": true,
               "is_domain": false, "parent_id": "emulator-domain", "description": "",
               "links": {"self": format!("/v3/projects/{id}")}})
    };
    let projects: Vec<Value> = match name {
        Some(region) => match cloud.projects.get(&region) {
            Some(ids) => ids.iter().map(|id| project(&region, id)).collect(),
            None => vec![project(&region, &cloud.default_project)],
        },
        None => cloud
            .projects
            .iter()
            .flat_map(|(region, ids)| ids.iter().map(move |id| project(region, id)))
            .collect(),
    };
    Reply::json(
        StatusCode::OK,
        &json!({"projects": projects, "links": {"self": IAM_PROJECTS, "next": null, "previous": null}}),
    )
}

fn session_token(app: &App) -> Reply {
    let mut cloud = app.cloud.lock();
    cloud.token_requests += 1;
    if !cloud.metadata_available {
        return Reply::bytes(
            StatusCode::SERVICE_UNAVAILABLE,
            "metadata service unavailable",
        );
    }
    let token = format!("mdt-{:032x}", fastrand::u128(..));
    if cloud.session_tokens.len() >= 64 {
        cloud.session_tokens.remove(0);
    }
    cloud.session_tokens.push(token.clone());
    Reply::bytes(StatusCode::OK, token)
}

fn security_key(app: &App, req: &Received<'_>) -> Reply {
    let now = app.lock().now();
    let lifetime = {
        let mut cloud = app.cloud.lock();
        cloud.security_key_requests += 1;
        if !cloud.metadata_available {
            return Reply::bytes(
                StatusCode::SERVICE_UNAVAILABLE,
                "metadata service unavailable",
            );
        }
        if cloud.require_token {
            let given = req
                .headers
                .get("x-metadata-token")
                .and_then(|v| v.to_str().ok());
            if !given.is_some_and(|t| cloud.session_tokens.iter().any(|s| s == t)) {
                return Reply::bytes(
                    StatusCode::UNAUTHORIZED,
                    "missing or unknown X-Metadata-Token",
                );
            }
        }
        cloud.lifetime
    };
    let (access, secret, token, expires_at) = app.cloud.temporary.issue(now, lifetime);
    Reply::json(
        StatusCode::OK,
        &json!({"credential": {
            "access": access, "secret": secret, "securitytoken": token,
            "expires_at": rfc3339(expires_at),
        }}),
    )
}

/// `2026-11-30T14:00:00.123000Z`, as the metadata service writes it.
fn rfc3339(t: SystemTime) -> String {
    let since = t.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        since.subsec_micros()
    )
}

/// The control API of these services: `POST iam` sets region -> project ids,
/// `POST metadata` sets the credentials' lifetime and availability, `GET stats`.
/// Like the rest of the control API, POST bodies must be `application/json`.
pub fn control(app: &App, method: &Method, path: &str, headers: &HeaderMap, body: &[u8]) -> Reply {
    let json = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .eq_ignore_ascii_case("application/json")
        });
    if (method == Method::POST || !body.is_empty()) && !json {
        return Reply::ges_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            reply::CODE_BAD_PARAMETER,
            "the control API takes only Content-Type: application/json",
        );
    }
    let rest = &path[CONTROL_PREFIX.len()..];
    let result = match (method, rest) {
        (&Method::POST, "iam") => parse(body).and_then(|v| set_projects(app, v)),
        (&Method::POST, "metadata") => parse(body).and_then(|v| set_metadata(app, v)),
        (&Method::GET, "stats") => {
            let cloud = app.cloud.lock();
            Ok(Reply::json(
                StatusCode::OK,
                &json!({"iam_requests": cloud.iam_requests,
                        "metadata_token_requests": cloud.token_requests,
                        "metadata_security_key_requests": cloud.security_key_requests}),
            ))
        }
        (_, "iam" | "metadata" | "stats") => Err(Reply::ges_error(
            StatusCode::METHOD_NOT_ALLOWED,
            reply::CODE_BAD_METHOD,
            &format!("{method} is not allowed on {path}"),
        )),
        _ => Err(Reply::ges_error(
            StatusCode::NOT_FOUND,
            reply::CODE_NOT_FOUND,
            &format!("no such control endpoint: {path}"),
        )),
    };
    result.unwrap_or_else(|error| error)
}

fn bad_request(message: &str) -> Reply {
    Reply::ges_error(StatusCode::BAD_REQUEST, reply::CODE_BAD_PARAMETER, message)
}

fn parse(body: &[u8]) -> Result<Value, Reply> {
    serde_json::from_slice(body).map_err(|e| bad_request(&format!("invalid JSON body: {e}")))
}

/// `{"projects": {"cn-north-4": ["id"], "twice": ["a", "b"], "none": []}}`
/// replaces the regions set before.
fn set_projects(app: &App, body: Value) -> Result<Reply, Reply> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Body {
        projects: HashMap<String, Vec<String>>,
    }
    let body: Body =
        serde_json::from_value(body).map_err(|e| bad_request(&format!("bad iam body: {e}")))?;
    let too_long = |s: &String| s.is_empty() || s.len() > MAX_NAME_LEN;
    if body.projects.len() > MAX_REGIONS
        || body.projects.iter().any(|(region, ids)| {
            too_long(region) || ids.len() > MAX_PROJECTS_PER_REGION || ids.iter().any(too_long)
        })
    {
        return Err(bad_request(&format!(
            "at most {MAX_REGIONS} regions of at most {MAX_PROJECTS_PER_REGION} projects, \
             names of 1 to {MAX_NAME_LEN} bytes"
        )));
    }
    app.cloud.lock().projects = body.projects;
    Ok(Reply::no_content())
}

/// `{"lifetime_ms": 2000, "require_token": true, "available": true, "revoke": true}`,
/// each optional; `revoke` ends every temporary credential handed out so far.
fn set_metadata(app: &App, body: Value) -> Result<Reply, Reply> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Body {
        lifetime_ms: Option<u64>,
        require_token: Option<bool>,
        available: Option<bool>,
        revoke: Option<bool>,
    }
    let body: Body = serde_json::from_value(body)
        .map_err(|e| bad_request(&format!("bad metadata body: {e}")))?;
    let mut cloud = app.cloud.lock();
    if let Some(ms) = body.lifetime_ms {
        if !(1..=7 * 86_400_000).contains(&ms) {
            return Err(bad_request("lifetime_ms must be from 1 to 604800000"));
        }
        cloud.lifetime = Duration::from_millis(ms);
    }
    if let Some(require) = body.require_token {
        cloud.require_token = require;
    }
    if let Some(available) = body.available {
        cloud.metadata_available = available;
    }
    if body.revoke == Some(true) {
        app.cloud.temporary.lock().clear();
    }
    Ok(Reply::no_content())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_dates() {
        let at = |s: u64| rfc3339(SystemTime::UNIX_EPOCH + Duration::from_secs(s));
        assert_eq!(at(0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(at(1_623_160_513), "2021-06-08T13:55:13.000000Z");
        assert_eq!(at(1_709_164_800), "2024-02-29T00:00:00.000000Z");
    }
}
