//! Where a workload gets the credentials of the agency it runs as, served on
//! the emulator's own address: the ECS metadata service
//! (`PUT /meta-data/latest/api/token`, then `GET /openstack/latest/securitykey`
//! with `X-Metadata-Token`). What it hands out is accepted by the GES and IAM
//! endpoints (with `X-Security-Token`) until it ends.

use crate::issued::Principal;
use crate::reply::{self, Reply};
use crate::request::Received;
use crate::state::App;
use hyper::StatusCode;
use serde_json::json;

pub const METADATA_TOKEN: &str = "/meta-data/latest/api/token";
pub const METADATA_SECURITY_KEY: &str = "/openstack/latest/securitykey";

/// Session tokens remembered; the oldest is forgotten past this.
const MAX_SESSION_TOKENS: usize = 64;

/// Answers the workload credential paths; `None` for any other path.
pub fn route(app: &App, req: &Received<'_>) -> Option<Reply> {
    Some(match (req.path, req.method) {
        (METADATA_TOKEN, "PUT") => session_token(app),
        (METADATA_SECURITY_KEY, "GET") => security_key(app, req),
        (METADATA_TOKEN | METADATA_SECURITY_KEY, _) => {
            Reply::method_not_allowed(req.method, req.path)
        }
        _ => return None,
    })
}

fn unavailable() -> Reply {
    Reply::bytes(
        StatusCode::SERVICE_UNAVAILABLE,
        "metadata service unavailable",
    )
}

fn session_token(app: &App) -> Reply {
    let mut cloud = app.cloud.lock();
    cloud.counters.metadata_token_requests += 1;
    if !cloud.metadata.available {
        return unavailable();
    }
    let token = format!("mdt-{:032x}", fastrand::u128(..));
    if cloud.session_tokens.len() >= MAX_SESSION_TOKENS {
        cloud.session_tokens.remove(0);
    }
    cloud.session_tokens.push(token.clone());
    Reply::bytes(StatusCode::OK, token)
}

fn security_key(app: &App, req: &Received<'_>) -> Reply {
    let now = app.lock().now();
    let lifetime = {
        let mut cloud = app.cloud.lock();
        cloud.counters.metadata_security_key_requests += 1;
        if !cloud.metadata.available {
            return unavailable();
        }
        if cloud.metadata.require_token {
            let given = req.header("x-metadata-token");
            if !given.is_some_and(|t| cloud.session_tokens.iter().any(|s| *s == *t)) {
                return Reply::bytes(
                    StatusCode::UNAUTHORIZED,
                    "missing or unknown X-Metadata-Token",
                );
            }
        }
        cloud.metadata.lifetime
    };
    let key = app
        .auth
        .issued
        .issue_key(Principal::Metadata, now, lifetime);
    Reply::json(
        StatusCode::OK,
        &json!({"credential": {
            "access": key.access, "secret": key.secret, "securitytoken": key.security_token,
            "expires_at": reply::rfc3339(key.expires_at),
        }}),
    )
}
