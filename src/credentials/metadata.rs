//! Temporary credentials of an ECS instance's agency, from the metadata
//! service, as the official SDKs ask for them: `PUT /meta-data/latest/api/token`
//! for a session token, then `GET /openstack/latest/securitykey` with
//! `X-Metadata-Token`. An older service without the token endpoint (404, 405,
//! 503) is asked without a token. Never through a proxy: the service is
//! link-local.

use super::exchange::{temporary_from, Temporary};
use super::provider::Renewable;
use super::Secret;
use crate::error::{Error, ErrorKind};
use crate::net::proxy::ProxySetting;
use crate::net::target::{AgentSettings, Target};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub const DEFAULT_ENDPOINT: &str = "http://169.254.169.254";
const TOKEN_PATH: &str = "/meta-data/latest/api/token";
const SECURITY_KEY_PATH: &str = "/openstack/latest/securitykey";
/// The session token's life asked for, as the SDKs ask (6 h); renewed a bit before.
const TOKEN_TTL: Duration = Duration::from_secs(6 * 3600);
const MAX_CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
const MAX_REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
const MAX_BODY_BYTES: u64 = 64 * 1024;

pub struct MetadataClient {
    target: Target,
    timeout: Duration,
    /// The session token and when it was taken.
    token: Mutex<Option<(Secret, Instant)>>,
}

impl MetadataClient {
    /// The timeouts are the client's, capped: an instance without the service
    /// must not hold the caller up for long.
    pub fn new(
        endpoint: &str,
        connect_timeout: Duration,
        timeout: Duration,
        user_agent: &str,
    ) -> Result<Self, Error> {
        let settings = AgentSettings {
            connect_timeout: connect_timeout.min(MAX_CONNECT_TIMEOUT),
            max_idle: 1,
            user_agent,
            tls: ureq::tls::TlsConfig::default(),
            proxy: &ProxySetting::Off,
        };
        Ok(MetadataClient {
            target: Target::new(endpoint, "metadata_endpoint", &settings)?,
            timeout: timeout.min(MAX_REQUEST_TIMEOUT),
            token: Mutex::new(None),
        })
    }
}

impl Renewable for MetadataClient {
    /// Fresh credentials; errors name the service's host and port.
    fn fetch(&self) -> Result<Temporary, Error> {
        let mut token = self.token.lock().unwrap_or_else(|e| e.into_inner());
        if token
            .as_ref()
            .is_none_or(|(_, at)| at.elapsed() > TOKEN_TTL / 2)
        {
            *token = self.session_token()?.map(|t| (t, Instant::now()));
        }
        let (status, body) = self.security_key(token.as_ref().map(|(t, _)| t))?;
        let (status, body) = if status == 401 {
            // The session token expired or was revoked: one new one, one retry.
            *token = self.session_token()?.map(|t| (t, Instant::now()));
            self.security_key(token.as_ref().map(|(t, _)| t))?
        } else {
            (status, body)
        };
        if status != 200 {
            let mut error = Error::new(
                ErrorKind::Api,
                format!(
                    "the ECS metadata service at {} answered HTTP {status} for the security key \
                     (does the instance have an agency?)",
                    self.target.shown
                ),
            );
            error.http_status = status;
            return Err(error);
        }
        temporary_from(
            &body,
            &format!("the ECS metadata service at {}", self.target.shown),
        )
    }

    /// The session token: a secret like the credentials.
    fn secrets(&self) -> Vec<Secret> {
        let token = self.token.lock().unwrap_or_else(|e| e.into_inner());
        token.iter().map(|(t, _)| t.clone()).collect()
    }
}

impl MetadataClient {
    /// `None` when the service has no token endpoint.
    fn session_token(&self) -> Result<Option<Secret>, Error> {
        let url = format!(
            "{}{}{TOKEN_PATH}",
            self.target.origin, self.target.base_path
        );
        let mut response = self
            .target
            .agent
            .put(&url)
            .header(
                "X-Metadata-Token-Ttl-Seconds",
                TOKEN_TTL.as_secs().to_string(),
            )
            .config()
            .timeout_global(Some(self.timeout))
            .build()
            .send_empty()
            .map_err(|e| self.network_error(&e))?;
        match response.status().as_u16() {
            200 => {
                let text = response
                    .body_mut()
                    .with_config()
                    .limit(MAX_BODY_BYTES)
                    .read_to_string()
                    .map_err(|e| self.network_error(&e))?;
                Ok(Some(Secret::new(text.trim().to_string())))
            }
            404 | 405 | 503 => Ok(None),
            status => {
                let mut error = Error::new(
                    ErrorKind::Api,
                    format!(
                        "the ECS metadata service at {} answered HTTP {status} for a session token",
                        self.target.shown
                    ),
                );
                error.http_status = status;
                Err(error)
            }
        }
    }

    fn security_key(&self, token: Option<&Secret>) -> Result<(u16, Vec<u8>), Error> {
        let url = format!(
            "{}{}{SECURITY_KEY_PATH}",
            self.target.origin, self.target.base_path
        );
        let mut request = self.target.agent.get(&url);
        if let Some(token) = token {
            request = request.header("X-Metadata-Token", token.expose());
        }
        let mut response = request
            .config()
            .timeout_global(Some(self.timeout))
            .build()
            .call()
            .map_err(|e| self.network_error(&e))?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY_BYTES)
            .read_to_vec()
            .map_err(|e| self.network_error(&e))?;
        Ok((status, body))
    }

    fn network_error(&self, e: &ureq::Error) -> Error {
        let (message, _) = self.target.network_error(e, self.timeout);
        Error::transport(format!("ECS metadata service: {message}"))
    }
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
