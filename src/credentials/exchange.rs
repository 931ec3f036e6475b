//! The calls that exchange one credential for another (IAM, STS, pod identity):
//! one POST of JSON, authenticated by the credentials in hand or by nothing,
//! its answer read whole; errors name the service's host, the HTTP status and
//! the service's code. And what those answers hold: temporary credentials in
//! any of the shapes these services use, or an IAM token.

use super::{Active, Credentials, Secret};
use crate::error::{Error, ErrorKind};
use crate::net::refusal::{self, header, MAX_ERROR_BODY_BYTES};
use crate::net::target::{AgentSettings, Target};
use serde_json::Value;
use std::time::{Duration, SystemTime};

/// Answers with credentials are small.
const MAX_ANSWER_BYTES: u64 = 1024 * 1024;

/// Credentials with an end.
pub struct Temporary {
    pub credentials: Credentials,
    pub expires_at: SystemTime,
}

/// One service credentials are exchanged with.
pub(crate) struct Service {
    /// "IAM", "STS", "pod identity": names it in messages.
    name: &'static str,
    target: Target,
    timeout: Duration,
    user_agent: String,
}

/// A 2xx answer.
pub(crate) struct Answer {
    pub body: Vec<u8>,
    /// `X-Subject-Token`: IAM's token, when the call makes one.
    pub subject_token: Option<Secret>,
}

impl Service {
    /// `base_url` was validated by the config; `key` names where it came from.
    pub fn new(
        name: &'static str,
        base_url: &str,
        key: &str,
        settings: &AgentSettings<'_>,
        timeout: Duration,
    ) -> Result<Service, Error> {
        Ok(Service {
            name,
            target: Target::new(base_url, key, settings)?,
            timeout,
            user_agent: settings.user_agent.to_string(),
        })
    }

    /// `name (host:port)`, for messages.
    pub fn shown(&self) -> String {
        format!("{} ({})", self.name, self.target.shown)
    }

    /// POSTs `body` to `path` (below the base URL; `""`: the base URL itself)
    /// with `headers`, signed by `auth` when given. `what` says what was asked
    /// in messages, e.g. `assume_role of agency "ops"`.
    pub fn post(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        body: &Value,
        auth: Option<&Active>,
        what: &str,
    ) -> Result<Answer, Error> {
        let target = &self.target;
        let path = format!("{}{path}", target.base_path);
        let body = serde_json::to_vec(body).expect("a JSON value serializes");
        let mut all: Vec<(String, String)> = vec![
            ("Host".to_string(), target.host_header.clone()),
            ("User-Agent".to_string(), self.user_agent.clone()),
            (
                "Content-Type".to_string(),
                "application/json;charset=UTF-8".to_string(),
            ),
        ];
        all.extend(headers.iter().map(|(n, v)| (n.to_string(), v.to_string())));
        if let Some(active) = auth {
            let path = if path.is_empty() { "/" } else { &path };
            active.authenticate(&mut all, "POST", path, &[], &body, SystemTime::now());
        }
        let url = format!("{}{path}", target.origin);
        let mut request = target.agent.post(&url);
        for (name, value) in &all {
            request = request.header(name, value);
        }
        let failed = |e: ureq::Error| {
            let (message, _) = target.network_error(&e, self.timeout);
            Error::transport(format!("{} for {what}: {message}", self.shown()))
        };
        let mut response = request
            .config()
            .timeout_global(Some(self.timeout))
            .build()
            .send(&body[..])
            .map_err(failed)?;
        let status = response.status();
        let limit = if status.is_success() {
            MAX_ANSWER_BYTES
        } else {
            MAX_ERROR_BODY_BYTES
        };
        let answer = response
            .body_mut()
            .with_config()
            .limit(limit)
            .read_to_vec()
            .map_err(failed)?;
        if !status.is_success() {
            let mut error = refusal::api_error(status, response.headers(), &answer);
            error.message = format!("{} refused {what}: {}", self.shown(), error.message);
            return Err(error);
        }
        Ok(Answer {
            body: answer,
            subject_token: header(response.headers(), "x-subject-token")
                .map(|t| Secret::new(t.to_string())),
        })
    }

    /// Temporary AK/SK from `answer`, in any of the shapes IAM, STS, the
    /// metadata service and pod identity use: under `credential`,
    /// `credentials` or at the top; `access`/`access_key_id`/`accessKeyId`,
    /// `secret`/`secret_access_key`/`secretAccessKey`,
    /// `securitytoken`/`security_token`/`securityToken`, `expires_at`/`expiration`.
    pub fn temporary(&self, answer: &Answer, what: &str) -> Result<Temporary, Error> {
        temporary_from(&answer.body, &format!("{} for {what}", self.shown()))
    }

    /// An IAM token: the answer's `X-Subject-Token`, ending at its
    /// `token.expires_at`.
    pub fn token(&self, answer: Answer, what: &str) -> Result<Temporary, Error> {
        let from = format!("{} for {what}", self.shown());
        let token = answer
            .subject_token
            .ok_or_else(|| Error::decode(format!("{from} answered without an X-Subject-Token")))?;
        let body: Value = serde_json::from_slice(&answer.body).unwrap_or_default();
        let expires_at = body
            .pointer("/token/expires_at")
            .and_then(Value::as_str)
            .and_then(super::metadata::parse_rfc3339)
            .ok_or_else(|| {
                Error::decode(format!(
                    "{from} answered a token without a valid token.expires_at"
                ))
            })?;
        Ok(Temporary {
            credentials: Credentials::Token(token),
            expires_at,
        })
    }
}

/// Temporary credentials from `body`; `from` names who answered, in messages.
/// Values are never quoted: they are secrets.
pub(crate) fn temporary_from(body: &[u8], from: &str) -> Result<Temporary, Error> {
    let undecodable = |what: &str| Error::new(ErrorKind::Decode, format!("{from} answered {what}"));
    let answer: Value =
        serde_json::from_slice(body).map_err(|_| undecodable("a body that is not JSON"))?;
    let map = answer
        .get("credential")
        .or_else(|| answer.get("credentials"))
        .unwrap_or(&answer);
    let field = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| map.get(n).and_then(Value::as_str))
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let (Some(access), Some(secret)) = (
        field(&["access", "access_key_id", "accessKeyId"]),
        field(&["secret", "secret_access_key", "secretAccessKey"]),
    ) else {
        return Err(undecodable("no access key and secret key"));
    };
    let expires_at = field(&["expires_at", "expiration"])
        .as_deref()
        .and_then(super::metadata::parse_rfc3339)
        .ok_or_else(|| undecodable("credentials without a valid expires_at"))?;
    let checked = |name: &str, value: String| crate::args::header_safe(name, value);
    Ok(Temporary {
        credentials: Credentials::AkSk {
            access_key: checked("the access key answered", access)?,
            secret_key: Secret::new(secret),
            security_token: field(&["securitytoken", "security_token", "securityToken"])
                .map(|t| checked("the security token answered", t).map(Secret::new))
                .transpose()?,
        },
        expires_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_of_temporary_credentials() {
        for body in [
            r#"{"credential": {"access": "A", "secret": "S", "securitytoken": "T", "expires_at": "2030-01-01T00:00:00Z"}}"#,
            r#"{"credentials": {"access_key_id": "A", "secret_access_key": "S", "security_token": "T", "expiration": "2030-01-01T00:00:00.000000Z"}}"#,
            r#"{"accessKeyId": "A", "secretAccessKey": "S", "securityToken": "T", "expiration": "2030-01-01T00:00:00Z"}"#,
        ] {
            let t = temporary_from(body.as_bytes(), "x").unwrap();
            assert_eq!(
                t.credentials,
                Credentials::AkSk {
                    access_key: "A".into(),
                    secret_key: Secret::new("S"),
                    security_token: Some(Secret::new("T")),
                }
            );
        }
        for bad in [
            "nope",
            r#"{"credential": {"access": "A"}}"#,
            r#"{"credential": {"access": "A", "secret": "s3cr3t-v", "expires_at": "soon"}}"#,
        ] {
            let err = temporary_from(bad.as_bytes(), "IAM (x:1)").err().unwrap();
            assert_eq!(err.kind, ErrorKind::Decode);
            assert!(
                err.message.starts_with("IAM (x:1) answered"),
                "{}",
                err.message
            );
            assert!(!err.message.contains("s3cr3t"), "{}", err.message);
        }
    }
}
