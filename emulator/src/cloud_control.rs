//! The control API of the services around GES, under `/__emulator/cloud/`:
//! `POST iam` (projects, agencies, users, identity providers, lifetimes),
//! `POST metadata`, `POST pod-identity`, and `GET stats`, the counters. Each
//! POST body is one section of `--cloud-config`'s file (see `cloud`). Called
//! by `control`, which has already checked the content type.

use crate::cloud::{IamConfig, MetadataConfig, PodIdentityConfig};
use crate::reply::{self, Reply};
use crate::state::App;
use hyper::{Method, StatusCode};
use serde::de::DeserializeOwned;

/// `rest` is the path after `/__emulator/cloud/`.
pub fn handle(app: &App, method: &Method, rest: &str, path: &str, body: &[u8]) -> Reply {
    match (method, rest) {
        (&Method::POST, "iam") => configure(body, "iam", |config: IamConfig| {
            let revoke = app.cloud.lock().apply_iam(config)?;
            if revoke {
                app.auth.issued.revoke_keys();
                app.auth.issued.revoke_tokens();
            }
            Ok(())
        }),
        (&Method::POST, "metadata") => configure(body, "metadata", |config: MetadataConfig| {
            if app.cloud.lock().apply_metadata(config)? {
                app.auth.issued.revoke_keys();
            }
            Ok(())
        }),
        (&Method::POST, "pod-identity") => {
            configure(body, "pod-identity", |config: PodIdentityConfig| {
                app.cloud.lock().apply_pod_identity(config)
            })
        }
        (&Method::GET, "stats") => Reply::json(StatusCode::OK, &app.cloud.lock().counters),
        (_, "iam" | "metadata" | "pod-identity" | "stats") => {
            Reply::method_not_allowed(method.as_str(), path)
        }
        _ => Reply::ges_error(
            StatusCode::NOT_FOUND,
            reply::CODE_NOT_FOUND,
            &format!("no such control endpoint: {path}"),
        ),
    }
}

/// Parses a section and applies it: 204, or 400 naming what was refused.
fn configure<T: DeserializeOwned>(
    body: &[u8],
    what: &str,
    apply: impl FnOnce(T) -> Result<(), String>,
) -> Reply {
    let parsed = serde_json::from_slice(body)
        .map_err(|e| format!("bad {what} body: {e}"))
        .and_then(apply);
    match parsed {
        Ok(()) => Reply::no_content(),
        Err(message) => Reply::bad_request(&message),
    }
}
