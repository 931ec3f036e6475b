//! The four list endpoints: routing, paging parameters, and the answer with
//! any scripted fault applied.

use crate::backup::{Answer, Api, Backup};
use crate::faults::{Action, Target};
use crate::reply::{self, Delivery, Reply};
use crate::request::{decode_query, Received};
use crate::state::App;
use bytes::Bytes;
use ges_signing as signing;
use hyper::StatusCode;
use serde_json::{json, Value};
use std::time::Duration;

/// A path that names one of the list endpoints.
#[derive(Debug, PartialEq, Eq)]
pub struct Route {
    pub api: Api,
    pub project: String,
    /// `Some` for `/graphs/{graph_id}/backups`.
    pub graph: Option<String>,
}

/// `None` when `path` (raw, percent-encoded) is not a list endpoint.
pub fn route(path: &str) -> Option<Route> {
    let segments: Vec<String> = path
        .strip_prefix('/')?
        .split('/')
        .map(signing::decode)
        .collect();
    let (version, project, graph) = match segments.as_slice() {
        [v, p, g, b] if g == "graphs" && b == "backups" => (v, p, None),
        [v, p, g, id, b] if g == "graphs" && b == "backups" => (v, p, Some(id.clone())),
        _ => return None,
    };
    Some(Route {
        api: Api::from_segment(version)?,
        project: project.clone(),
        graph,
    })
}

#[derive(Debug, PartialEq, Eq)]
pub struct Paging {
    pub offset: u64,
    pub limit: u64,
}

pub const DEFAULT_LIMIT: u64 = 10;
pub const MAX_LIMIT: u64 = 1000;

/// `offset` (default 0, >= 0) and `limit` (default 10, 1..=1000); the first
/// occurrence of each counts.
pub fn paging(query: Option<&str>) -> Result<Paging, String> {
    let pairs = decode_query(query.unwrap_or(""));
    let get = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    let number = |name: &str, value: &str| -> Result<u64, String> {
        // Digits only: no sign, no spaces, no exponent.
        let parsed = (!value.is_empty() && value.bytes().all(|c| c.is_ascii_digit()))
            .then(|| value.parse::<u64>().ok())
            .flatten();
        parsed.ok_or_else(|| format!("{name} must be an integer >= 0, got {value:?}"))
    };
    let offset = get("offset").map_or(Ok(0), |v| number("offset", v))?;
    let limit = get("limit").map_or(Ok(DEFAULT_LIMIT), |v| number("limit", v))?;
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(format!(
            "limit must be between 1 and {MAX_LIMIT}, got {limit}"
        ));
    }
    Ok(Paging { offset, limit })
}

/// Answers one list request. All the work is done under the lock; the
/// waiting (latency, `delay`, slow bodies) happens later, outside it.
pub fn handle(app: &App, req: &Received<'_>, route: Route, request_id: &str) -> Reply {
    let mut reply = decide(app, req, route, request_id);
    reply.delay += app.latency;
    reply
}

fn decide(app: &App, req: &Received<'_>, route: Route, request_id: &str) -> Reply {
    let now = {
        let mut state = app.lock();
        state.requests += 1;
        state.now()
    };
    // Outside the lock: an ECDSA or SM2 check must not hold up other requests.
    if let Err(reason) = app.auth.check(req, now) {
        return Reply::unauthorized(&reason, request_id);
    }
    let mut state = app.lock();
    if route.project != app.project_id {
        return Reply::ges_error(
            StatusCode::NOT_FOUND,
            reply::CODE_NOT_FOUND,
            &format!("project {} not found", route.project),
        );
    }
    let paging = match paging(req.query) {
        Ok(paging) => paging,
        Err(message) => {
            return Reply::ges_error(StatusCode::BAD_REQUEST, reply::CODE_BAD_PARAMETER, &message)
        }
    };
    let action = state.faults.take(&Target {
        path: req.path,
        offset: paging.offset,
        api: route.api,
    });
    let graph = route.graph.as_deref();
    if let Some(Action::Mutate { add, delete }) = action {
        state.mutate(add, delete, graph);
    }

    let count = state.view(graph).count() as i64;
    let skip = usize::try_from(paging.offset).unwrap_or(usize::MAX);
    let mut page: Vec<Backup> = state
        .view(graph)
        .skip(skip)
        .take(paging.limit as usize)
        .cloned()
        .collect();
    let before_page = skip
        .checked_sub(1)
        .and_then(|i| state.view(graph).nth(i).cloned());
    drop(state);

    let mut answer = Answer {
        api: route.api,
        count,
        page: &page,
    };
    let mut reply = Reply::bytes(StatusCode::OK, answer.to_bytes());
    match action {
        None | Some(Action::Mutate { .. }) => {}
        Some(Action::Status {
            status,
            retry_after,
            body,
        }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            reply = match body {
                Some(body) => Reply::json(status, &body),
                None => Reply::ges_error(
                    status,
                    reply::CODE_INTERNAL,
                    "The underlying graph engine has internal error.",
                ),
            };
            if let Some(seconds_or_date) = retry_after {
                reply
                    .headers
                    .push(("retry-after", seconds_or_date.header_value()));
            }
        }
        Some(Action::Echo {
            status,
            retry_after,
        }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            reply = echo(req, status);
            if let Some(seconds_or_date) = retry_after {
                reply
                    .headers
                    .push(("retry-after", seconds_or_date.header_value()));
            }
        }
        Some(Action::Drop) => reply.delivery = Delivery::Dropped,
        Some(Action::Truncate { keep, chunked }) => {
            reply.delivery = Delivery::Truncated { keep, chunked };
        }
        Some(Action::Malformed) => {
            let key = match route.api {
                Api::V1 => "backupCount",
                Api::V2 => "backup_count",
            };
            reply.body = Bytes::from(format!("{{\"{key}\": {count}, <html>not json"));
        }
        Some(Action::Delay { ms }) => reply.delay = Duration::from_millis(ms),
        Some(Action::SlowBody { ms }) => {
            reply.delivery = Delivery::Dribbled(Duration::from_millis(ms));
        }
        Some(Action::Oversize { bytes }) => {
            let mut padded = reply.body.to_vec();
            padded.resize(bytes.max(padded.len()), b' ');
            reply.body = Bytes::from(padded);
        }
        Some(Action::CountDelta { delta }) => {
            answer.count = count.saturating_add(delta);
            reply.body = Bytes::from(answer.to_bytes());
        }
        Some(Action::EmptyPage) => {
            answer.page = &[];
            reply.body = Bytes::from(answer.to_bytes());
        }
        Some(Action::Duplicate) => {
            if let (Some(first), Some(before)) = (page.first_mut(), before_page) {
                *first = before;
            }
            let answer = Answer {
                api: route.api,
                count,
                page: &page,
            };
            reply.body = Bytes::from(answer.to_bytes());
        }
    }
    reply
}

/// The `echo` fault's answer: a GES error whose message quotes the request
/// line and every header, and the same again as JSON under `request`.
fn echo(req: &Received<'_>, status: StatusCode) -> Reply {
    let mut headers = serde_json::Map::new();
    let mut quoted = String::new();
    for (name, value) in req.headers {
        let value = String::from_utf8_lossy(value.as_bytes());
        quoted.push_str(&format!(" {name}: {value};"));
        // A repeated header: its values joined, as HTTP allows.
        let joined = match headers.get(name.as_str()).and_then(Value::as_str) {
            Some(before) => format!("{before}, {value}"),
            None => value.into_owned(),
        };
        headers.insert(name.as_str().to_string(), Value::String(joined));
    }
    let target = match req.query {
        Some(query) => format!("{}?{query}", req.path),
        None => req.path.to_string(),
    };
    Reply::json(
        status,
        &json!({
            "errorCode": reply::CODE_INTERNAL,
            "errorMessage": format!("gateway echo of {} {target} with{quoted}", req.method),
            "request": {"method": req.method, "path": req.path, "query": req.query,
                        "headers": headers},
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert_eq!(
            route("/v1.0/p/graphs/backups"),
            Some(Route {
                api: Api::V1,
                project: "p".into(),
                graph: None
            })
        );
        assert_eq!(
            route("/v2/p/graphs/g%201/backups"),
            Some(Route {
                api: Api::V2,
                project: "p".into(),
                graph: Some("g 1".into())
            })
        );
        for bad in [
            "/v3/p/graphs/backups",
            "/v1.0/p/graphs",
            "/v1.0/p/graphs/backups/",
            "/v1.0/p/graph/backups",
            "/v1.0/p/graphs/g/backups/x",
            "v1.0/p/graphs/backups",
            "/",
        ] {
            assert_eq!(route(bad), None, "{bad}");
        }
    }

    #[test]
    fn paging_defaults_and_limits() {
        assert_eq!(
            paging(None),
            Ok(Paging {
                offset: 0,
                limit: 10
            })
        );
        assert_eq!(
            paging(Some("limit=1000&offset=12345&other=x")),
            Ok(Paging {
                offset: 12345,
                limit: 1000
            })
        );
        assert_eq!(paging(Some("limit=%35")).unwrap().limit, 5);
        for bad in [
            "offset=-1",
            "offset=abc",
            "offset=",
            "offset=+1",
            "offset=1.5",
            "offset=99999999999999999999999",
            "limit=0",
            "limit=1001",
            "limit=ten",
            "limit=-5",
        ] {
            assert!(paging(Some(bad)).is_err(), "{bad}");
        }
    }
}
