//! Client configuration (docs/configuration.md): JSON keys, environment fallback, defaults, validation.

use crate::args::Args;
use crate::error::Error;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// A string that never shows itself in `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"***\"")
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credentials {
    /// SDK-HMAC-SHA256 signing; `security_token` for temporary credentials.
    AkSk {
        access_key: String,
        secret_key: Secret,
        security_token: Option<Secret>,
    },
    /// An IAM token sent as `X-Auth-Token`.
    Token(Secret),
}

impl Credentials {
    /// Every secret value, to scrub from error messages.
    pub fn secrets(&self) -> Vec<&str> {
        match self {
            Credentials::AkSk {
                secret_key,
                security_token,
                ..
            } => {
                let mut all = vec![secret_key.expose()];
                all.extend(security_token.as_ref().map(Secret::expose));
                all
            }
            Credentials::Token(token) => vec![token.expose()],
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiVersion {
    /// `/v1.0/...`, camelCase answers.
    V1,
    /// `/v2/...`, snake_case answers.
    V2,
}

impl ApiVersion {
    pub fn path_segment(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1.0",
            ApiVersion::V2 => "v2",
        }
    }
}

/// A validated client configuration: built by `Config::from_json` only, so
/// that every value went through its checks; `Client::new` checks the ranges
/// again, as fields may be changed after.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Config {
    /// Base URL without a trailing slash, e.g. `https://ges.cn-north-4.myhuaweicloud.com`.
    pub endpoint: String,
    pub project_id: String,
    pub credentials: Credentials,
    pub api_version: ApiVersion,
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub max_retries: u32,
    pub page_size: u32,
    pub max_concurrency: u32,
    /// Requests in flight at once over every call sharing the client.
    pub max_connections: u32,
    pub ca_file: Option<PathBuf>,
    pub user_agent: String,
}

pub const KEYS: &[&str] = &[
    "endpoint",
    "region",
    "project_id",
    "access_key",
    "secret_key",
    "security_token",
    "auth_token",
    "api_version",
    "timeout_ms",
    "connect_timeout_ms",
    "max_retries",
    "page_size",
    "max_concurrency",
    "max_connections",
    "ca_file",
    "user_agent",
];

/// Where a key's value comes from when the JSON lacks it.
fn env_var(key: &str) -> Option<&'static str> {
    Some(match key {
        "endpoint" => "GES_ENDPOINT",
        "region" => "HW_REGION_NAME",
        "project_id" => "HW_PROJECT_ID",
        "access_key" => "HW_ACCESS_KEY",
        "secret_key" => "HW_SECRET_KEY",
        "security_token" => "HW_SECURITY_TOKEN",
        "auth_token" => "HW_AUTH_TOKEN",
        "ca_file" => "HW_CA_FILE",
        _ => return None,
    })
}

impl Config {
    /// Reads the config JSON, falling back to the process environment.
    pub fn from_json(json: &str) -> Result<Config, Error> {
        Self::from_json_with_env(json, |name| std::env::var(name).ok())
    }

    /// As `from_json`, with the environment supplied by the caller (tests).
    pub fn from_json_with_env(
        json: &str,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, Error> {
        let args = Args::parse("config", json, KEYS)?;
        let string = |key: &str| -> Result<Option<String>, Error> {
            Ok(args
                .string(key)?
                .or_else(|| env_var(key).and_then(&env).filter(|v| !v.is_empty())))
        };
        let int = |key: &str, range, default: i64| -> Result<i64, Error> {
            Ok(args.int(key, range)?.unwrap_or(default))
        };

        let endpoint = match (string("endpoint")?, string("region")?) {
            (Some(endpoint), _) => parse_endpoint(&endpoint)?,
            (None, Some(region)) => endpoint_for_region(&region)?,
            (None, None) => {
                return Err(Error::invalid(
                    "config: set \"endpoint\" or \"region\" (or GES_ENDPOINT / HW_REGION_NAME)",
                ))
            }
        };
        let project_id = string("project_id")?.ok_or_else(|| {
            Error::invalid("config: \"project_id\" is required (or HW_PROJECT_ID)")
        })?;
        let credentials = credentials(
            string("access_key")?,
            string("secret_key")?.map(Secret),
            string("security_token")?.map(Secret),
            string("auth_token")?.map(Secret),
        )?;
        let api_version = match args.string("api_version")?.as_deref() {
            None | Some("v1.0") => ApiVersion::V1,
            Some("v2") => ApiVersion::V2,
            Some(other) => {
                return Err(Error::invalid(format!(
                    "config: \"api_version\" must be \"v1.0\" or \"v2\", got {other:?}"
                )))
            }
        };
        let ms = |v: i64| Duration::from_millis(v as u64);
        Ok(Config {
            endpoint,
            project_id,
            credentials,
            api_version,
            timeout: ms(int("timeout_ms", 1..=3_600_000, 30_000)?),
            connect_timeout: ms(int("connect_timeout_ms", 1..=3_600_000, 10_000)?),
            max_retries: int("max_retries", 0..=10, 3)? as u32,
            page_size: int("page_size", 1..=1000, 100)? as u32,
            max_concurrency: int("max_concurrency", 1..=64, 4)? as u32,
            max_connections: int("max_connections", 1..=256, 16)? as u32,
            ca_file: string("ca_file")?.map(PathBuf::from),
            user_agent: args
                .string("user_agent")?
                .unwrap_or_else(|| format!("ges-backups/{}", env!("CARGO_PKG_VERSION"))),
        })
    }
}

impl Config {
    /// The ranges `from_json` enforces, for a config changed after it was read:
    /// a value out of range is an INVALID_ARGUMENT error, never a panic later.
    pub(crate) fn check_ranges(&self) -> Result<(), Error> {
        let checks: [(&str, u64, std::ops::RangeInclusive<u64>); 6] = [
            ("timeout_ms", self.timeout.as_millis() as u64, 1..=3_600_000),
            (
                "connect_timeout_ms",
                self.connect_timeout.as_millis() as u64,
                1..=3_600_000,
            ),
            ("max_retries", self.max_retries.into(), 0..=10),
            ("page_size", self.page_size.into(), 1..=1000),
            ("max_concurrency", self.max_concurrency.into(), 1..=64),
            ("max_connections", self.max_connections.into(), 1..=256),
        ];
        for (key, value, range) in checks {
            if !range.contains(&value) {
                return Err(Error::invalid(format!(
                    "config: {key:?} must be from {} to {}",
                    range.start(),
                    range.end()
                )));
            }
        }
        Ok(())
    }
}

fn credentials(
    access_key: Option<String>,
    secret_key: Option<Secret>,
    security_token: Option<Secret>,
    auth_token: Option<Secret>,
) -> Result<Credentials, Error> {
    match (access_key, secret_key, auth_token) {
        (Some(access_key), Some(secret_key), _) => Ok(Credentials::AkSk {
            access_key,
            secret_key,
            security_token,
        }),
        (None, None, Some(token)) => Ok(Credentials::Token(token)),
        (Some(_), None, None) => Err(Error::invalid(
            "config: \"access_key\" is set but \"secret_key\" is not",
        )),
        (None, Some(_), None) => Err(Error::invalid(
            "config: \"secret_key\" is set but \"access_key\" is not",
        )),
        (_, _, Some(token)) => Ok(Credentials::Token(token)),
        (None, None, None) => Err(Error::invalid(
            "config: no credentials: set \"access_key\" and \"secret_key\", or \"auth_token\" \
             (or HW_ACCESS_KEY/HW_SECRET_KEY, HW_AUTH_TOKEN)",
        )),
    }
}

fn parse_endpoint(raw: &str) -> Result<String, Error> {
    let rest = raw
        .strip_prefix("https://")
        .or_else(|| raw.strip_prefix("http://"))
        .ok_or_else(|| {
            Error::invalid(format!(
                "config: \"endpoint\" must start with https:// or http://, got {raw:?}"
            ))
        })?;
    let host = rest.split('/').next().unwrap_or_default();
    let valid_host = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-:[]_".contains(&b))
        && raw.parse::<ureq::http::Uri>().is_ok()
        && !rest.contains(['?', '#', '@']);
    if !valid_host {
        return Err(Error::invalid(format!(
            "config: \"endpoint\" is not a valid base URL: {raw:?}"
        )));
    }
    Ok(raw.trim_end_matches('/').to_string())
}

fn endpoint_for_region(region: &str) -> Result<String, Error> {
    if region.is_empty()
        || !region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(Error::invalid(format!(
            "config: \"region\" is not a region name: {region:?}"
        )));
    }
    let tld = if region == "eu-west-101" { "eu" } else { "com" };
    Ok(format!("https://ges.{region}.myhuaweicloud.{tld}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<Config, Error> {
        Config::from_json_with_env(json, |_| None)
    }

    const BASE: &str =
        r#""endpoint":"http://127.0.0.1:1","project_id":"p","access_key":"AK","secret_key":"SK""#;

    #[test]
    fn defaults() {
        let c = parse(&format!("{{{BASE}}}")).unwrap();
        assert_eq!(c.timeout, Duration::from_secs(30));
        assert_eq!(c.connect_timeout, Duration::from_secs(10));
        assert_eq!((c.max_retries, c.page_size, c.max_concurrency), (3, 100, 4));
        assert_eq!(c.max_connections, 16);
        assert_eq!(c.api_version, ApiVersion::V1);
        assert_eq!(
            c.user_agent,
            format!("ges-backups/{}", env!("CARGO_PKG_VERSION"))
        );
    }

    #[test]
    fn region_gives_endpoint() {
        let c = parse(r#"{"region":"cn-north-4","project_id":"p","auth_token":"t"}"#).unwrap();
        assert_eq!(c.endpoint, "https://ges.cn-north-4.myhuaweicloud.com");
        let c = parse(r#"{"region":"eu-west-101","project_id":"p","auth_token":"t"}"#).unwrap();
        assert_eq!(c.endpoint, "https://ges.eu-west-101.myhuaweicloud.eu");
    }

    #[test]
    fn environment_fills_absent_keys_only() {
        let env = |name: &str| match name {
            "HW_PROJECT_ID" => Some("from-env".to_string()),
            "HW_AUTH_TOKEN" => Some("tok".to_string()),
            "GES_ENDPOINT" => Some("http://env:1".to_string()),
            _ => None,
        };
        let c = Config::from_json_with_env(r#"{"project_id":"mine"}"#, env).unwrap();
        assert_eq!(c.project_id, "mine");
        assert_eq!(c.endpoint, "http://env:1");
        assert_eq!(c.credentials, Credentials::Token(Secret("tok".into())));
    }

    #[test]
    fn errors_name_the_key() {
        let cases = [
            (r#"{"bogus":1}"#, "bogus"),
            (&format!(r#"{{{BASE},"page_size":0}}"#), "page_size"),
            (&format!(r#"{{{BASE},"page_size":1001}}"#), "page_size"),
            (
                &format!(r#"{{{BASE},"max_concurrency":"4"}}"#),
                "max_concurrency",
            ),
            (&format!(r#"{{{BASE},"api_version":"v3"}}"#), "api_version"),
            (&format!(r#"{{{BASE},"timeout_ms":-5}}"#), "timeout_ms"),
            (
                r#"{"endpoint":"ftp://x","project_id":"p","auth_token":"t"}"#,
                "endpoint",
            ),
            (r#"{"endpoint":"http://x","auth_token":"t"}"#, "project_id"),
            (r#"{"endpoint":"http://x","project_id":"p"}"#, "credentials"),
            (
                r#"{"endpoint":"http://x","project_id":"p","access_key":"a"}"#,
                "secret_key",
            ),
        ];
        for (json, key) in cases {
            let err = parse(json).unwrap_err();
            assert_eq!(err.kind, crate::ErrorKind::InvalidArgument, "{json}");
            assert!(err.message.contains(key), "{json}: {}", err.message);
        }
    }

    #[test]
    fn debug_hides_secrets() {
        let c = parse(r#"{"endpoint":"http://x","project_id":"p","access_key":"AK","secret_key":"S3CR3T","security_token":"T0K3N"}"#)
            .unwrap();
        let printed = format!("{c:?}");
        assert!(
            !printed.contains("S3CR3T") && !printed.contains("T0K3N"),
            "{printed}"
        );
        assert!(printed.contains("AK"));
    }
}
