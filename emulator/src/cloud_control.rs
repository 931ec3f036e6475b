//! The control API of the services around GES, under `/__emulator/cloud/`:
//! `POST iam` sets region -> project ids, `POST metadata` the metadata
//! service's credentials, `GET stats` the counters. Called by `control`, which
//! has already checked the content type.

use crate::reply::Reply;
use crate::state::App;
use hyper::{Method, StatusCode};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::Duration;

/// Bounds of what the control API accepts.
const MAX_REGIONS: usize = 1000;
const MAX_PROJECTS_PER_REGION: usize = 100;
const MAX_NAME_LEN: usize = 128;

/// `rest` is the path after `/__emulator/cloud/`; `body` parsed lazily.
pub fn handle(app: &App, method: &Method, rest: &str, path: &str, body: &[u8]) -> Reply {
    let parse = || -> Result<Value, Reply> {
        serde_json::from_slice(body)
            .map_err(|e| Reply::bad_request(&format!("invalid JSON body: {e}")))
    };
    let result = match (method, rest) {
        (&Method::POST, "iam") => parse().and_then(|v| set_projects(app, v)),
        (&Method::POST, "metadata") => parse().and_then(|v| set_metadata(app, v)),
        (&Method::GET, "stats") => Ok(stats(app)),
        (_, "iam" | "metadata" | "stats") => Err(Reply::method_not_allowed(method.as_str(), path)),
        _ => Err(Reply::ges_error(
            StatusCode::NOT_FOUND,
            crate::reply::CODE_NOT_FOUND,
            &format!("no such control endpoint: {path}"),
        )),
    };
    result.unwrap_or_else(|error| error)
}

fn stats(app: &App) -> Reply {
    let cloud = app.cloud.lock();
    let c = &cloud.counters;
    Reply::json(
        StatusCode::OK,
        &json!({"iam_requests": c.iam_requests,
                "metadata_token_requests": c.metadata_token_requests,
                "metadata_security_key_requests": c.metadata_security_key_requests}),
    )
}

/// `{"projects": {"cn-north-4": ["id"], "twice": ["a", "b"], "none": []}}`
/// replaces the regions set before.
fn set_projects(app: &App, body: Value) -> Result<Reply, Reply> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Body {
        projects: HashMap<String, Vec<String>>,
    }
    let body: Body = serde_json::from_value(body)
        .map_err(|e| Reply::bad_request(&format!("bad iam body: {e}")))?;
    let too_long = |s: &String| s.is_empty() || s.len() > MAX_NAME_LEN;
    if body.projects.len() > MAX_REGIONS
        || body.projects.iter().any(|(region, ids)| {
            too_long(region) || ids.len() > MAX_PROJECTS_PER_REGION || ids.iter().any(too_long)
        })
    {
        return Err(Reply::bad_request(&format!(
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
        .map_err(|e| Reply::bad_request(&format!("bad metadata body: {e}")))?;
    let mut cloud = app.cloud.lock();
    if let Some(ms) = body.lifetime_ms {
        if !(1..=7 * 86_400_000).contains(&ms) {
            return Err(Reply::bad_request(
                "lifetime_ms must be from 1 to 604800000",
            ));
        }
        cloud.metadata.lifetime = Duration::from_millis(ms);
    }
    if let Some(require) = body.require_token {
        cloud.metadata.require_token = require;
    }
    if let Some(available) = body.available {
        cloud.metadata.available = available;
    }
    if body.revoke == Some(true) {
        app.auth.issued.revoke_keys();
    }
    Ok(Reply::no_content())
}
