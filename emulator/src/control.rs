//! The control API under `/__emulator/`: faults, backups, stats, clock, reset.
//! No authentication: it is for the test that runs the emulator.

use crate::backup;
use crate::reply::{self, Reply};
use crate::state::{App, State, MAX_CLOCK_OFFSET_S};
use hyper::{Method, StatusCode};
use serde::Deserialize;
use serde_json::{json, Value};

pub const PREFIX: &str = "/__emulator/";

/// `path` starts with [`PREFIX`]; `body` is the raw request body.
pub fn handle(app: &App, method: &Method, path: &str, body: &[u8]) -> Reply {
    let rest = &path[PREFIX.len()..];
    let parse = || -> Result<Value, Reply> {
        serde_json::from_slice(body).map_err(|e| bad_request(&format!("invalid JSON body: {e}")))
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
            let id = ges_backups::signing::decode(&rest["backups/".len()..]);
            Ok(delete_backup(app, &id))
        }
        (&Method::GET, "stats") => {
            let state = app.lock();
            Ok(Reply::json(
                StatusCode::OK,
                &json!({"requests": state.requests, "backupCount": state.backups.len()}),
            ))
        }
        (&Method::POST, "clock") => parse().and_then(|v| set_clock(app, v)),
        (&Method::POST, "reset") => {
            app.lock().reset();
            Ok(Reply::no_content())
        }
        (_, "faults" | "backups" | "stats" | "clock" | "reset") => Ok(Reply::ges_error(
            StatusCode::METHOD_NOT_ALLOWED,
            reply::CODE_BAD_METHOD,
            &format!("{method} is not allowed on {path}"),
        )),
        _ => Ok(Reply::ges_error(
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

fn add_faults(app: &App, body: Value) -> Result<Reply, Reply> {
    let mut state = app.lock();
    let added = state.faults.push_json(body).map_err(|e| bad_request(&e))?;
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
    if body.is_array() {
        let added = backup::parse_list(body).map_err(|e| bad_request(&e))?;
        state.add(added);
    } else {
        let Generate { generate } = serde_json::from_value(body).map_err(|e| {
            bad_request(&format!(
                "expected an array of backups or {{\"generate\": N}}: {e}"
            ))
        })?;
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
        .map_err(|e| bad_request(&format!("expected {{\"offset_s\": N}}: {e}")))?;
    if !State::valid_offset(offset_s) {
        return Err(bad_request(&format!(
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
