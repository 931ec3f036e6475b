//! OIDC federation as the official SDKs do it: the ID token (read again from
//! its file at each renewal, as CI systems rotate it) is exchanged for an IAM
//! token (`POST {iam}/v3.0/OS-AUTH/id-token/tokens` with `X-Idp-Id`), and that
//! for temporary credentials (`POST {iam}/v3.0/OS-CREDENTIAL/securitytokens`,
//! method `token`).

use super::exchange::Service;
use super::found::IdToken;
use super::renewable::{Renewable, Temporary};
use super::Secret;
use crate::error::Error;
use crate::files;
use serde_json::json;
use std::sync::Mutex;

/// The official SDKs' lifetime of federated credentials: 6 hours.
const DURATION_SECONDS: u32 = 6 * 3600;
/// ID tokens are a few KiB.
const MAX_ID_TOKEN_BYTES: u64 = 64 * 1024;

pub(crate) struct Federated {
    pub iam: Service,
    pub idp_id: String,
    pub id_token: IdToken,
    /// The last ID token read and the IAM token it gave: secrets like the rest.
    pub held: Mutex<Vec<Secret>>,
}

impl Federated {
    fn id_token(&self) -> Result<Secret, Error> {
        let path = match &self.id_token {
            IdToken::Given(token) => return Ok(token.clone()),
            IdToken::File(path) => path,
        };
        let unusable = |why: String| {
            Error::invalid(format!(
                "config: the ID token file {} (id_token_file) cannot be used: {why}",
                path.display()
            ))
        };
        let small = files::read(path, MAX_ID_TOKEN_BYTES).map_err(|r| unusable(r.to_string()))?;
        let text = String::from_utf8(small.bytes).map_err(|_| unusable("not UTF-8".into()))?;
        let token = crate::args::header_safe("the ID token", text.trim().to_string())?;
        if token.is_empty() {
            return Err(unusable("it is empty".into()));
        }
        Ok(Secret::new(token))
    }
}

impl Renewable for Federated {
    fn fetch(&self) -> Result<Temporary, Error> {
        let id_token = self.id_token()?;
        self.held
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(id_token.clone());
        let what = format!("the ID token of identity provider {:?}", self.idp_id);
        let body = json!({"auth": {"id_token": {"id": id_token.expose()}}});
        let answer = self.iam.post(
            "/v3.0/OS-AUTH/id-token/tokens",
            &[("X-Idp-Id", &self.idp_id)],
            &body,
            None,
            &what,
        )?;
        let token = answer.subject_token.ok_or_else(|| {
            Error::decode(format!(
                "{} answered {what} without an X-Subject-Token",
                self.iam.shown()
            ))
        })?;
        self.held
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(token.clone());
        let what = format!("the federated token of identity provider {:?}", self.idp_id);
        let body = json!({"auth": {"identity": {"methods": ["token"], "token": {
            "id": token.expose(), "duration_seconds": DURATION_SECONDS}}}});
        let answer = self.iam.post(
            "/v3.0/OS-CREDENTIAL/securitytokens",
            &[("X-Auth-Token", token.expose())],
            &body,
            None,
            &what,
        )?;
        self.iam.temporary(&answer, &what)
    }

    fn secrets(&self) -> Vec<Secret> {
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        // The last two (ID token, IAM token) and those before: bounded.
        let excess = held.len().saturating_sub(8);
        held.drain(..excess);
        held.clone()
    }
}
