//! The control API under `/__emulator/`: faults, backups, stats, clock, the
//! required signing algorithm, reset, and (through `cloud_control`) the
//! services around GES.
//! No authentication: it is for the test that runs the emulator. Every POST
//! must say `Content-Type: application/json`, which a browser page cannot send
//! to another origin without asking first (a CORS preflight, which the
//! emulator never grants): a web page the tester visits cannot script it.

use crate::backup;
use crate::cloud_control;
use crate::limits::{MAX_BACKUPS, MAX_POSTED_BYTES};
use crate::reply::{self, Reply};
use crate::request::is_json;
use crate::state::{App, State, MAX_CLOCK_OFFSET_S};
use ges_signing::Algorithm;
use hyper::header::HeaderMap;
use hyper::{Method, StatusCode};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::atomic::Ordering;

pub const PREFIX: &str = "/__emulator/";

/// `path` starts with [`PREFIX`]; `body` is the raw request body.
pub fn handle(app: &App, method: &Method, path: &str, headers: &HeaderMap, body: &[u8]) -> Reply {
    if (method == Method::POST || !body.is_empty()) && !is_json(headers) {
        return Reply::ges_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            reply::CODE_BAD_PARAMETER,
            "the control API takes only Content-Type: application/json",
        );
    }
    let rest = &path[PREFIX.len()..];
    if let Some(cloud) = rest.strip_prefix("cloud/") {
        return cloud_control::handle(app, method, cloud, path, body);
    }
    let parse = || -> Result<Value, Reply> {
        serde_json::from_slice(body)
            .map_err(|e| Reply::bad_request(&format!("invalid JSON body: {e}")))
    };
    let result = match (method, rest) {
        (&Method::GET, "faults") => Ok(Reply::json(StatusCode::OK, &app.lock().faults.to_json())),
        (&Method::POST, "faults") => parse().and_then(|v| add_faults(app, v)),
        (&Method::DELETE, "faults") => {
            app.lock().faults.clear();
            Ok(Reply::no_content())
        }
        (&Method::POST, "backups") => parse().and_then(|v| add_backups(app, v)),
        (&Method::DELETE, "backups") => {
            app.lock().backups.clear();
            Ok(Reply::no_content())
        }
        (&Method::DELETE, _) if rest.starts_with("backups/") => {
            let id = ges_signing::decode(&rest["backups/".len()..]);
            Ok(delete_backup(app, &id))
        }
        (&Method::GET, "stats") => {
            let state = app.lock();
            Ok(Reply::json(
                StatusCode::OK,
                &json!({"requests": state.requests, "backupCount": state.backups.len(),
                    "connections": app.connections.accepted.load(Ordering::Relaxed),
                    "peakConnections": app.connections.peak.load(Ordering::Relaxed)}),
            ))
        }
        (&Method::POST, "clock") => parse().and_then(|v| set_clock(app, v)),
        (&Method::GET, "signing") => Ok(signing_answer(app)),
        (&Method::POST, "signing") => parse().and_then(|v| set_signing(app, v)),
        (&Method::POST, "reset") => {
            app.lock().reset();
            app.auth.reset_algorithm();
            app.connections.reset();
            Ok(Reply::no_content())
        }
        (_, "faults" | "backups" | "stats" | "clock" | "signing" | "reset") => {
            Ok(Reply::method_not_allowed(method.as_str(), path))
        }
        _ => Ok(Reply::ges_error(
            StatusCode::NOT_FOUND,
            reply::CODE_NOT_FOUND,
            &format!("no such control endpoint: {path}"),
        )),
    };
    result.unwrap_or_else(|error| error)
}

fn add_faults(app: &App, body: Value) -> Result<Reply, Reply> {
    let mut state = app.lock();
    let added = state
        .faults
        .push_json(body)
        .map_err(|e| Reply::bad_request(&e))?;
    Ok(Reply::json(
        StatusCode::OK,
        &json!({"added": added, "faults": state.faults.to_json()}),
    ))
}

/// An array of v1.0-shaped backups, or `{"generate": N}`.
fn add_backups(app: &App, body: Value) -> Result<Reply, Reply> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Generate {
        generate: usize,
    }
    let mut state = app.lock();
    let room = MAX_BACKUPS.saturating_sub(state.backups.len());
    let too_many = |n: usize| {
        Reply::bad_request(&format!(
            "{n} more backups would exceed the {MAX_BACKUPS} the emulator holds ({room} left)"
        ))
    };
    if body.is_array() {
        let added = backup::parse_list(body).map_err(|e| Reply::bad_request(&e))?;
        // Counted as if every id were new: a bound, not an exact count.
        if added.len() > room {
            return Err(too_many(added.len()));
        }
        let bytes: usize = added.iter().map(backup::Backup::text_bytes).sum();
        if state.posted_bytes.saturating_add(bytes) > MAX_POSTED_BYTES {
            return Err(Reply::bad_request(&format!(
                "backups posted since the last reset may hold {MAX_POSTED_BYTES} bytes of text \
                 in all; POST /__emulator/reset starts again"
            )));
        }
        state.posted_bytes += bytes;
        state.add(added);
    } else {
        let Generate { generate } = serde_json::from_value(body).map_err(|e| {
            Reply::bad_request(&format!(
                "expected an array of backups or {{\"generate\": N}}: {e}"
            ))
        })?;
        if generate > room {
            return Err(too_many(generate));
        }
        state.add_generated(generate, None);
    }
    Ok(Reply::json(
        StatusCode::OK,
        &json!({"backupCount": state.backups.len()}),
    ))
}

fn delete_backup(app: &App, id: &str) -> Reply {
    if app.lock().delete(id) {
        Reply::no_content()
    } else {
        Reply::ges_error(
            StatusCode::NOT_FOUND,
            reply::CODE_NOT_FOUND,
            &format!("backup {id} not found"),
        )
    }
}

fn set_clock(app: &App, body: Value) -> Result<Reply, Reply> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Clock {
        offset_s: i64,
    }
    let Clock { offset_s } = serde_json::from_value(body)
        .map_err(|e| Reply::bad_request(&format!("expected {{\"offset_s\": N}}: {e}")))?;
    if !State::valid_offset(offset_s) {
        return Err(Reply::bad_request(&format!(
            "offset_s must be within ±{MAX_CLOCK_OFFSET_S} seconds"
        )));
    }
    let mut state = app.lock();
    state.clock_offset_s = offset_s;
    Ok(Reply::json(
        StatusCode::OK,
        &json!({"offset_s": offset_s, "date": httpdate::fmt_http_date(state.now())}),
    ))
}

/// `{"algorithm": "SM2SM3"}`, or `null` when any of the four is accepted.
fn signing_answer(app: &App) -> Reply {
    let algorithm = app.auth.required_algorithm().map(Algorithm::config_name);
    Reply::json(StatusCode::OK, &json!({ "algorithm": algorithm }))
}

/// `{"algorithm": NAME}` (`HmacSHA256`, `HmacSM3`, `EcdsaP256SHA256`, `SM2SM3`
/// or the `Authorization` names) requires that algorithm; `{"algorithm": null}`
/// accepts the four again.
fn set_signing(app: &App, body: Value) -> Result<Reply, Reply> {
    let expected = || {
        Reply::bad_request(
            "expected {\"algorithm\": NAME} (HmacSHA256, HmacSM3, EcdsaP256SHA256, SM2SM3) \
             or {\"algorithm\": null}",
        )
    };
    let Value::Object(fields) = body else {
        return Err(expected());
    };
    if fields.len() != 1 {
        return Err(expected());
    }
    let algorithm = match fields.get("algorithm") {
        Some(Value::Null) => None,
        Some(Value::String(name)) => Some(
            name.parse::<Algorithm>()
                .map_err(|e| Reply::bad_request(&e.to_string()))?,
        ),
        _ => return Err(expected()),
    };
    app.auth.require_algorithm(algorithm);
    Ok(signing_answer(app))
}
