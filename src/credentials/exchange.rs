//! The calls that exchange one credential for another (IAM, STS, pod identity):
//! one POST of JSON, authenticated by the credentials in hand or by nothing,
//! its answer read whole; errors name the service's host, the HTTP status and
//! the service's code. And what those answers hold: temporary credentials in
//! any of the shapes these services use, or an IAM token.

use super::renewable::Temporary;
use super::{Active, Credentials, Secret};
use crate::error::{Error, ErrorKind};
use crate::net::refusal::{self, header, MAX_ERROR_BODY_BYTES};
use crate::net::target::{AgentSettings, Target};
use serde_json::Value;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Answers with credentials are small.
const MAX_ANSWER_BYTES: u64 = 1024 * 1024;

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
            .and_then(parse_rfc3339)
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
        .and_then(parse_rfc3339)
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

/// `2026-11-30T14:00:00Z`, with optional fractional seconds and a `Z` or
/// `+hh:mm` offset, as the metadata service and IAM write `expires_at`.
pub fn parse_rfc3339(s: &str) -> Option<SystemTime> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(range)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if b[13] != b':'
        || b[16] != b':'
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &s[19..];
    let mut nanos = 0u32;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let padded = format!("{:0<9}", &fraction[..digits.min(9)]);
        nanos = padded.parse().ok()?;
        rest = &fraction[digits..];
    }
    let offset_s = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (h, m) = rest[1..].split_once(':')?;
            if h.len() != 2 || m.len() != 2 {
                return None;
            }
            sign * (h.parse::<i64>().ok()? * 3600 + m.parse::<i64>().ok()? * 60)
        }
    };
    // Days from the civil date (proleptic Gregorian), as in Howard Hinnant's algorithm.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_s;
    let secs = u64::try_from(secs).ok()?;
    Some(UNIX_EPOCH + Duration::new(secs, nanos))
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

    #[test]
    fn rfc3339_times() {
        let at = |s| parse_rfc3339(s).map(|t| t.duration_since(UNIX_EPOCH).unwrap().as_millis());
        assert_eq!(at("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(at("2021-06-08T13:55:13Z"), Some(1_623_160_513_000));
        assert_eq!(at("2021-06-08T13:55:13.250000Z"), Some(1_623_160_513_250));
        assert_eq!(at("2021-06-08T21:55:13+08:00"), Some(1_623_160_513_000));
        assert_eq!(at("2024-02-29T00:00:00Z"), Some(1_709_164_800_000));
        for bad in [
            "",
            "2021-06-08",
            "2021-13-08T00:00:00Z",
            "2021-06-08T13:55:13",
            "x021-06-08T13:55:13Z",
        ] {
            assert_eq!(at(bad), None, "{bad}");
        }
    }
}
