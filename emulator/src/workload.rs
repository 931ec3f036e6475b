//! Where a workload gets the credentials of the agency it runs as, served on
//! the emulator's own address: the ECS metadata service
//! (`PUT /meta-data/latest/api/token`, then `GET /openstack/latest/securitykey`
//! with `X-Metadata-Token`) and CCE pod identity (`POST /pod-identity/credentials`
//! with the service account token as `Authorization`, as the official Python
//! SDK calls `HC_CONTAINER_CREDENTIALS_FULL_URI`). What they hand out is
//! accepted by the GES and IAM endpoints (with `X-Security-Token`) until it ends.

use crate::cloud::{record, PodAnswerShape};
use crate::issued::Principal;
use crate::reply::Reply;
use crate::request::Received;
use crate::state::App;
use hyper::StatusCode;
use serde_json::json;

pub const METADATA_TOKEN: &str = "/meta-data/latest/api/token";
pub const METADATA_SECURITY_KEY: &str = "/openstack/latest/securitykey";
pub const POD_IDENTITY: &str = "/pod-identity/credentials";

/// Session tokens remembered; the oldest is forgotten past this.
const MAX_SESSION_TOKENS: usize = 64;

/// Answers the workload credential paths; `None` for any other path.
pub fn route(app: &App, req: &Received<'_>) -> Option<Reply> {
    Some(match (req.path, req.method) {
        (METADATA_TOKEN, "PUT") => session_token(app),
        (METADATA_SECURITY_KEY, "GET") => security_key(app, req),
        (POD_IDENTITY, "POST") => pod_identity(app, req),
        (METADATA_TOKEN | METADATA_SECURITY_KEY | POD_IDENTITY, _) => {
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
        &json!({ "credential": key.as_credential() }),
    )
}

/// Pod identity's errors: the SDK reads only the status, so the body is the
/// emulator's own.
fn pod_error(status: StatusCode, message: &str) -> Reply {
    Reply::json(status, &json!({ "message": message }))
}

/// `POST` with a JSON body (`{}`) and `Authorization` set to a configured token.
fn pod_identity(app: &App, req: &Received<'_>) -> Reply {
    let now = app.lock().now();
    let authorization = req.header("authorization");
    let (lifetime, shape) = {
        let mut cloud = app.cloud.lock();
        cloud.counters.pod_identity_requests += 1;
        if let Some(token) = &authorization {
            record(&mut cloud.counters.pod_identity_tokens, token);
        }
        let pod = &cloud.pod_identity;
        if pod.tokens.is_empty() {
            return pod_error(
                StatusCode::NOT_FOUND,
                "pod identity is not configured (POST /__emulator/cloud/pod-identity)",
            );
        }
        if serde_json::from_slice::<serde_json::Value>(req.body).is_err() {
            return pod_error(StatusCode::BAD_REQUEST, "the body must be JSON, e.g. {}");
        }
        if !authorization.is_some_and(|given| pod.tokens.iter().any(|t| *t == *given)) {
            return pod_error(
                StatusCode::UNAUTHORIZED,
                "missing or unknown Authorization token",
            );
        }
        (pod.lifetime, pod.shape)
    };
    let key = app
        .auth
        .issued
        .issue_key(Principal::PodIdentity, now, lifetime);
    let body = match shape {
        PodAnswerShape::Credentials => json!({ "credentials": key.as_credentials() }),
        PodAnswerShape::TopLevel => key.as_credentials(),
        PodAnswerShape::Credential => json!({ "credential": key.as_credential() }),
    };
    Reply::json(StatusCode::OK, &body)
}
