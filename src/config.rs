//! Client configuration (docs/configuration.md): JSON keys, environment fallback,
//! defaults, validation. Where credentials come from is `credentials`; which
//! proxy carries a request is `transport::proxy`.

use crate::args::{header_safe, Args};
pub use crate::credentials::Credentials;
use crate::credentials::{self, metadata, Chosen, FileSetting, Found};
use crate::error::Error;
pub use crate::secret::Secret;
use crate::transport::proxy::ProxySetting;
use std::path::PathBuf;
use std::time::Duration;

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

/// A validated client configuration: built by `Config::from_json` or
/// `Config::builder` only, so that every value went through its checks;
/// `Client::new` checks the ranges again, as fields may be changed after.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Config {
    /// Base URL without a trailing slash, e.g. `https://ges.cn-north-4.myhuaweicloud.com`.
    pub endpoint: String,
    pub region: Option<String>,
    /// Where `project_id` is looked up when no source gives it.
    pub iam_endpoint: Option<String>,
    /// `None`: looked up from `region` at the first call.
    pub project_id: Option<String>,
    pub(crate) credentials: Chosen,
    pub(crate) proxy: ProxySetting,
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
    /// Every secret read from any source, used or not.
    secrets: Vec<Secret>,
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
    "cloud",
    "iam_endpoint",
    "shared_config_file",
    "profile",
    "credentials_file",
    "metadata_endpoint",
    "proxy",
];

/// Where a key's value comes from when the JSON lacks it, in order.
/// Credentials are not read key by key but source by source (`credentials`).
fn env_vars(key: &str) -> &'static [&'static str] {
    match key {
        "endpoint" => &["GES_ENDPOINT"],
        "region" => &["HW_REGION_NAME"],
        "project_id" => &["HW_PROJECT_ID", "HUAWEICLOUD_SDK_PROJECT_ID"],
        "ca_file" => &["HW_CA_FILE"],
        "max_retries" => &["HW_MAX_RETRIES"],
        "cloud" => &["HW_CLOUD"],
        "iam_endpoint" => &["HUAWEICLOUD_SDK_IAM_ENDPOINT"],
        "shared_config_file" => &["HW_SHARED_CONFIG_FILE"],
        "profile" => &["HW_PROFILE"],
        "credentials_file" => &["HUAWEICLOUD_SDK_CREDENTIALS_FILE"],
        _ => &[],
    }
}

const DEFAULT_CLOUD: &str = "myhuaweicloud.com";
const SHARED_CONFIG_FILE: &str = ".hcloud/config.json";
const CREDENTIALS_FILE: &str = ".huaweicloud/credentials";

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
        Self::from_args(&Args::parse("config", json, KEYS)?, env)
    }

    /// A config from typed values, checked exactly as the JSON form is.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    fn from_args(args: &Args, env: impl Fn(&str) -> Option<String>) -> Result<Config, Error> {
        let env = move |name: &str| env(name).filter(|v| !v.is_empty());
        let env: &dyn Fn(&str) -> Option<String> = &env;
        // A key's value and what named it, from the JSON or its variables.
        let named = |key: &str| -> Result<Option<(String, String)>, Error> {
            if let Some(value) = args.string(key)? {
                return Ok(Some((
                    header_safe(&format!("\"{key}\""), value)?,
                    format!("\"{key}\""),
                )));
            }
            for var in env_vars(key) {
                if let Some(value) = env(var) {
                    return Ok(Some((header_safe(var, value)?, var.to_string())));
                }
            }
            Ok(None)
        };
        let string = |key: &str| Ok::<_, Error>(named(key)?.map(|(v, _)| v));
        let json_only = |key: &str| -> Result<Option<String>, Error> {
            args.string(key)?
                .map(|v| header_safe(&format!("\"{key}\""), v))
                .transpose()
        };
        let int =
            |key: &str, range: std::ops::RangeInclusive<i64>, default: i64| -> Result<i64, Error> {
                if let Some(n) = args.int(key, range.clone())? {
                    return Ok(n);
                }
                for var in env_vars(key) {
                    if let Some(raw) = env(var) {
                        return match raw.trim().parse::<i64>() {
                            Ok(n) if range.contains(&n) => Ok(n),
                            _ => Err(Error::invalid(format!(
                                "config: {var} must be an integer from {} to {}",
                                range.start(),
                                range.end()
                            ))),
                        };
                    }
                }
                Ok(default)
            };

        let home = env("HOME");
        let metadata_endpoint = if args.is_empty_string("metadata_endpoint") {
            None
        } else {
            Some(match json_only("metadata_endpoint")? {
                Some(url) => parse_base_url("metadata_endpoint", &url)?,
                None => metadata::DEFAULT_ENDPOINT.to_string(),
            })
        };
        let inputs = credentials::Inputs {
            json: Found {
                access_key: json_only("access_key")?,
                secret_key: json_only("secret_key")?.map(Secret::new),
                security_token: json_only("security_token")?.map(Secret::new),
                auth_token: json_only("auth_token")?.map(Secret::new),
                ..Found::default()
            },
            shared_config_file: FileSetting::new(
                named("shared_config_file")?,
                home.as_deref(),
                SHARED_CONFIG_FILE,
            ),
            profile: named("profile")?,
            credentials_file: FileSetting::new(
                named("credentials_file")?,
                home.as_deref(),
                CREDENTIALS_FILE,
            ),
            metadata_endpoint,
        };
        let resolved = credentials::resolve(inputs, env)?;

        let region = match string("region")?.or(resolved.region) {
            Some(region) => Some(check_region(&region)?),
            None => None,
        };
        let cloud = match string("cloud")? {
            Some(cloud) => check_cloud(&cloud)?,
            // As the official SDKs: eu-west-101 lives under the .eu domain.
            None if region.as_deref() == Some("eu-west-101") => "myhuaweicloud.eu".to_string(),
            None => DEFAULT_CLOUD.to_string(),
        };
        let derived = |service: &str| {
            region
                .as_ref()
                .map(|r| format!("https://{service}.{r}.{cloud}"))
        };
        let endpoint = match string("endpoint")? {
            Some(endpoint) => parse_base_url("endpoint", &endpoint)?,
            None => derived("ges").ok_or_else(|| {
                Error::invalid(
                    "config: set \"endpoint\" or \"region\" (or GES_ENDPOINT / HW_REGION_NAME)",
                )
            })?,
        };
        let iam_endpoint = match string("iam_endpoint")?.or(resolved.iam_endpoint) {
            Some(url) => Some(parse_base_url("iam_endpoint", &url)?),
            None => derived("iam"),
        };
        let project_id = string("project_id")?.or(resolved.project_id);
        if project_id.is_none() && region.is_none() {
            return Err(Error::invalid(
                "config: \"project_id\" is required (or HW_PROJECT_ID), or \"region\" to look it up",
            ));
        }
        let proxy_key = if args.is_empty_string("proxy") {
            Some(String::new())
        } else {
            json_only("proxy")?
        };
        let proxy = ProxySetting::new(proxy_key.as_deref(), env)?;
        let api_version = match args.string("api_version")?.as_deref() {
            None | Some("v1.0") => ApiVersion::V1,
            Some("v2") => ApiVersion::V2,
            Some(_) => {
                return Err(Error::invalid(
                    "config: \"api_version\" must be \"v1.0\" or \"v2\"",
                ))
            }
        };
        let ms = |v: i64| Duration::from_millis(v as u64);
        Ok(Config {
            endpoint,
            region,
            iam_endpoint,
            project_id,
            credentials: resolved.chosen,
            proxy,
            api_version,
            timeout: ms(int("timeout_ms", 1..=3_600_000, 30_000)?),
            connect_timeout: ms(int("connect_timeout_ms", 1..=3_600_000, 10_000)?),
            max_retries: int("max_retries", 0..=10, 3)? as u32,
            page_size: int("page_size", 1..=1000, 100)? as u32,
            max_concurrency: int("max_concurrency", 1..=64, 4)? as u32,
            max_connections: int("max_connections", 1..=256, 32)? as u32,
            ca_file: string("ca_file")?.map(PathBuf::from),
            user_agent: json_only("user_agent")?
                .unwrap_or_else(|| format!("ges-backups/{}", env!("CARGO_PKG_VERSION"))),
            secrets: resolved.secrets,
        })
    }

    /// Every secret this config holds, from every source, used or not: the
    /// credentials, tokens set beside a key pair, proxy URLs and their passwords.
    pub fn secrets(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self.secrets.iter().map(Secret::expose).collect();
        if let Chosen::Static { credentials, .. } = &self.credentials {
            all.extend(credentials.secrets());
        }
        all.extend(self.proxy.secrets().into_iter().map(Secret::expose));
        all
    }
}

impl Config {
    /// Whether `Client::new` will ask the ECS metadata service for credentials:
    /// no other source had them. For tests and fuzzers that must never reach
    /// the real service.
    #[doc(hidden)]
    pub fn uses_metadata_service(&self) -> bool {
        matches!(self.credentials, Chosen::Metadata { .. })
    }

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

/// Builds a `Config` key by key; `build` reads it exactly as `Config::from_json`
/// reads the same keys (docs/configuration.md): same checks, same messages, and
/// the same environment fallback for the keys left unset.
///
/// ```
/// let config = ges_backups::Config::builder()
///     .endpoint("http://127.0.0.1:8080")
///     .project_id("my-project")
///     .auth_token("a-token")
///     .max_concurrency(8)
///     .build()?;
/// assert_eq!(config.max_concurrency, 8);
/// assert!(ges_backups::Config::builder().project_id("p").page_size(0).build().is_err());
/// # Ok::<(), ges_backups::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct ConfigBuilder {
    keys: serde_json::Map<String, serde_json::Value>,
}

/// Keys only: the values may be secrets.
impl std::fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("keys_set", &self.keys.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// One setter per string key of the config JSON.
macro_rules! string_keys {
    ($($(#[$doc:meta])* $key:ident),* $(,)?) => {$(
        $(#[$doc])*
        pub fn $key(self, value: impl Into<String>) -> Self {
            self.set(stringify!($key), value.into())
        }
    )*};
}

/// One setter per integer key of the config JSON.
macro_rules! integer_keys {
    ($($(#[$doc:meta])* $key:ident),* $(,)?) => {$(
        $(#[$doc])*
        pub fn $key(self, value: i64) -> Self {
            self.set(stringify!($key), value)
        }
    )*};
}

impl ConfigBuilder {
    fn set(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        self.keys.insert(key.to_string(), value.into());
        self
    }

    string_keys! {
        /// Base URL, e.g. `https://ges.cn-north-4.myhuaweicloud.com`.
        endpoint,
        region,
        project_id,
        access_key,
        secret_key,
        security_token,
        auth_token,
        /// `v1.0` (the default) or `v2`.
        api_version,
        ca_file,
        user_agent,
        cloud,
        iam_endpoint,
        shared_config_file,
        profile,
        credentials_file,
        /// `""` turns the ECS metadata service off as a credentials source.
        metadata_endpoint,
        /// `""` turns proxies off, environment variables included.
        proxy,
    }

    integer_keys! {
        timeout_ms,
        connect_timeout_ms,
        max_retries,
        page_size,
        max_concurrency,
        max_connections,
    }

    /// The config, reading the process environment for the keys left unset.
    pub fn build(self) -> Result<Config, Error> {
        self.build_with_env(|name| std::env::var(name).ok())
    }

    /// As `build`, with the environment supplied by the caller.
    pub fn build_with_env(self, env: impl Fn(&str) -> Option<String>) -> Result<Config, Error> {
        Config::from_args(&Args::from_map("config", self.keys, KEYS)?, env)
    }
}

/// An `http://` or `https://` base URL with a host and no userinfo, query or
/// fragment. `key` names it in messages; the value is never echoed.
fn parse_base_url(key: &str, raw: &str) -> Result<String, Error> {
    let rest = raw
        .strip_prefix("https://")
        .or_else(|| raw.strip_prefix("http://"))
        .ok_or_else(|| {
            Error::invalid(format!(
                "config: \"{key}\" must start with https:// or http://"
            ))
        })?;
    if rest.split('/').next().unwrap_or_default().contains('@') {
        return Err(Error::invalid(format!(
            "config: \"{key}\" must not hold a user or password (user@host)"
        )));
    }
    let host = rest.split('/').next().unwrap_or_default();
    let valid_host = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-:[]_".contains(&b))
        && raw.parse::<ureq::http::Uri>().is_ok()
        && !rest.contains(['?', '#', '@']);
    if !valid_host {
        return Err(Error::invalid(format!(
            "config: \"{key}\" is not a valid base URL (scheme://host[:port][/path])"
        )));
    }
    Ok(raw.trim_end_matches('/').to_string())
}

fn check_region(region: &str) -> Result<String, Error> {
    if region.is_empty()
        || !region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(Error::invalid(
            "config: \"region\" is not a region name (lowercase letters, digits and -, e.g. cn-north-4)",
        ));
    }
    Ok(region.to_string())
}

fn check_cloud(cloud: &str) -> Result<String, Error> {
    let valid = !cloud.is_empty()
        && !cloud.starts_with(['.', '-'])
        && cloud
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    if !valid {
        return Err(Error::invalid(
            "config: \"cloud\" is not a domain name (e.g. myhuaweicloud.com)",
        ));
    }
    Ok(cloud.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<Config, Error> {
        Config::from_json_with_env(json, |_| None)
    }

    const BASE: &str =
        r#""endpoint":"http://127.0.0.1:1","project_id":"p","access_key":"AK","secret_key":"SK""#;

    fn chosen(c: &Config) -> (&Credentials, &str) {
        match &c.credentials {
            Chosen::Static {
                credentials,
                source,
            } => (credentials, source),
            other => panic!("{other:?}"),
        }
    }

    fn access_key(c: &Config) -> String {
        match chosen(c).0 {
            Credentials::AkSk { access_key, .. } => access_key.clone(),
            Credentials::Token(_) => "token".into(),
        }
    }

    #[test]
    fn defaults() {
        let c = parse(&format!("{{{BASE}}}")).unwrap();
        assert_eq!(c.timeout, Duration::from_secs(30));
        assert_eq!(c.connect_timeout, Duration::from_secs(10));
        assert_eq!((c.max_retries, c.page_size, c.max_concurrency), (3, 100, 4));
        assert_eq!(c.max_connections, 32);
        assert_eq!(c.api_version, ApiVersion::V1);
        assert_eq!(
            c.user_agent,
            format!("ges-backups/{}", env!("CARGO_PKG_VERSION"))
        );
        assert!(matches!(c.proxy, ProxySetting::Off));
    }

    #[test]
    fn region_gives_endpoints() {
        let c = parse(r#"{"region":"cn-north-4","project_id":"p","auth_token":"t"}"#).unwrap();
        assert_eq!(c.endpoint, "https://ges.cn-north-4.myhuaweicloud.com");
        assert_eq!(
            c.iam_endpoint.as_deref(),
            Some("https://iam.cn-north-4.myhuaweicloud.com")
        );
        let c = parse(r#"{"region":"eu-west-101","project_id":"p","auth_token":"t"}"#).unwrap();
        assert_eq!(c.endpoint, "https://ges.eu-west-101.myhuaweicloud.eu");
        let c = parse(r#"{"region":"r-1","cloud":"example.org","auth_token":"t"}"#).unwrap();
        assert_eq!(c.endpoint, "https://ges.r-1.example.org");
        assert_eq!(
            c.iam_endpoint.as_deref(),
            Some("https://iam.r-1.example.org")
        );
        assert_eq!(c.project_id, None, "looked up later");
    }

    #[test]
    fn environment_fills_absent_keys_only() {
        let env = |name: &str| match name {
            "HW_PROJECT_ID" => Some("from-env".to_string()),
            "HW_AUTH_TOKEN" => Some("tok".to_string()),
            "GES_ENDPOINT" => Some("http://env:1".to_string()),
            "HW_MAX_RETRIES" => Some("7".to_string()),
            "HUAWEICLOUD_SDK_IAM_ENDPOINT" => Some("http://iam.env:2".to_string()),
            _ => None,
        };
        let c = Config::from_json_with_env(r#"{"project_id":"mine"}"#, env).unwrap();
        assert_eq!(c.project_id.as_deref(), Some("mine"));
        assert_eq!(c.endpoint, "http://env:1");
        assert_eq!(c.max_retries, 7);
        assert_eq!(c.iam_endpoint.as_deref(), Some("http://iam.env:2"));
        assert_eq!(chosen(&c).0, &Credentials::Token(Secret::new("tok")));
        let c =
            Config::from_json_with_env(r#"{"project_id":"mine","max_retries":1}"#, env).unwrap();
        assert_eq!(c.max_retries, 1);
        let bad = |name: &str| (name == "HW_MAX_RETRIES").then(|| "lots".to_string());
        let err = Config::from_json_with_env(&format!("{{{BASE}}}"), bad).unwrap_err();
        assert!(err.message.contains("HW_MAX_RETRIES"), "{}", err.message);
    }

    #[test]
    fn sdk_variables_come_after_hw_ones() {
        let env = |name: &str| {
            Some(
                match name {
                    "HUAWEICLOUD_SDK_AK" => "SDK-AK",
                    "HUAWEICLOUD_SDK_SK" => "SDK-SK",
                    "HUAWEICLOUD_SDK_PROJECT_ID" => "sdk-project",
                    _ => return None,
                }
                .to_string(),
            )
        };
        let c = Config::from_json_with_env(r#"{"endpoint":"http://x"}"#, env).unwrap();
        assert_eq!(access_key(&c), "SDK-AK");
        assert_eq!(c.project_id.as_deref(), Some("sdk-project"));
        let with_hw = |name: &str| match name {
            "HW_ACCESS_KEY" => Some("HW-AK".to_string()),
            "HW_SECRET_KEY" => Some("HW-SK".to_string()),
            "HW_PROJECT_ID" => Some("hw-project".to_string()),
            other => env(other),
        };
        let c = Config::from_json_with_env(r#"{"endpoint":"http://x"}"#, with_hw).unwrap();
        assert_eq!(access_key(&c), "HW-AK");
        assert_eq!(c.project_id.as_deref(), Some("hw-project"));
        // Every secret read is scrubbed, the unused SDK one too.
        assert!(c.secrets().contains(&"SDK-SK") && c.secrets().contains(&"HW-SK"));
        let c = Config::from_json_with_env(&format!("{{{BASE}}}"), with_hw).unwrap();
        assert_eq!(access_key(&c), "AK");
    }

    #[test]
    fn errors_name_the_key_and_never_echo_its_value() {
        let cases = [
            (r#"{"bogus":1}"#.to_string(), "bogus"),
            (format!(r#"{{{BASE},"page_size":0}}"#), "page_size"),
            (format!(r#"{{{BASE},"page_size":1001}}"#), "page_size"),
            (
                format!(r#"{{{BASE},"max_concurrency":"4"}}"#),
                "max_concurrency",
            ),
            (format!(r#"{{{BASE},"api_version":"v3"}}"#), "api_version"),
            (format!(r#"{{{BASE},"timeout_ms":-5}}"#), "timeout_ms"),
            (format!(r#"{{{BASE},"timeout_ms":"s3cr3t-pasted"}}"#), "timeout_ms"),
            (
                r#"{"endpoint":"ftp://x","project_id":"p","auth_token":"t"}"#.into(),
                "endpoint",
            ),
            (
                r#"{"endpoint":"http://user:s3cr3t-pw@x","project_id":"p","auth_token":"t"}"#.into(),
                "endpoint",
            ),
            (r#"{"endpoint":"http://x","auth_token":"t"}"#.into(), "project_id"),
            (
                r#"{"endpoint":"http://x","project_id":"p","metadata_endpoint":""}"#.into(),
                "credentials",
            ),
            (
                r#"{"endpoint":"http://x","project_id":"p","access_key":"a"}"#.into(),
                "secret_key",
            ),
            (format!(r#"{{{BASE},"region":"Cn North"}}"#), "region"),
            (format!(r#"{{{BASE},"cloud":"a/b"}}"#), "cloud"),
            (format!(r#"{{{BASE},"iam_endpoint":"iam"}}"#), "iam_endpoint"),
            (format!(r#"{{{BASE},"metadata_endpoint":"x"}}"#), "metadata_endpoint"),
            (format!(r#"{{{BASE},"proxy":"ftp://u:s3cr3t-pw@p:1"}}"#), "proxy"),
            (format!(r#"{{{BASE},"user_agent":"a\r\nX-Evil: 1"}}"#), "user_agent"),
            (
                r#"{"endpoint":"http://x","project_id":"p","access_key":"A\u0000K","secret_key":"s"}"#.into(),
                "access_key",
            ),
        ];
        for (json, key) in cases {
            let err = parse(&json).unwrap_err();
            assert_eq!(err.kind, crate::ErrorKind::InvalidArgument, "{json}");
            assert!(err.message.contains(key), "{json}: {}", err.message);
            assert!(!err.message.contains("s3cr3t"), "{json}: {}", err.message);
        }
        let env_bad = |name: &str| (name == "HW_SECRET_KEY").then(|| "x\ny".to_string());
        let err =
            Config::from_json_with_env(r#"{"endpoint":"http://x","project_id":"p"}"#, env_bad)
                .unwrap_err();
        assert!(err.message.contains("HW_SECRET_KEY"), "{}", err.message);
    }

    #[test]
    fn debug_hides_secrets() {
        let c = parse(r#"{"endpoint":"http://x","project_id":"p","access_key":"AK","secret_key":"S3CR3T","security_token":"T0K3N","proxy":"http://u:PR0XYPW@p:1"}"#)
            .unwrap();
        let printed = format!("{c:?}");
        for secret in ["S3CR3T", "T0K3N", "PR0XYPW"] {
            assert!(!printed.contains(secret), "{printed}");
        }
        assert!(printed.contains("AK"));
        let secrets = c.secrets();
        for secret in ["S3CR3T", "T0K3N", "PR0XYPW"] {
            assert!(secrets.iter().any(|s| s.contains(secret)), "{secret}");
        }
    }

    #[test]
    fn builder_reads_as_the_json_does() {
        let built = Config::builder()
            .endpoint("http://127.0.0.1:1/")
            .project_id("p")
            .access_key("AK")
            .secret_key("S3CR3T")
            .api_version("v2")
            .timeout_ms(1500)
            .max_connections(7)
            .metadata_endpoint("")
            .build_with_env(|_| None)
            .unwrap();
        let read = parse(r#"{"endpoint":"http://127.0.0.1:1/","project_id":"p","access_key":"AK","secret_key":"S3CR3T","api_version":"v2","timeout_ms":1500,"max_connections":7,"metadata_endpoint":""}"#)
            .unwrap();
        assert_eq!(format!("{built:?}"), format!("{read:?}"));
        assert_eq!(built.secrets(), read.secrets());
        assert_eq!(built.endpoint, "http://127.0.0.1:1");
        assert_eq!(built.api_version, ApiVersion::V2);
        assert_eq!(built.max_connections, 7);

        // The same refusals, with the same messages.
        let cases = [
            (
                Config::builder().project_id("p").page_size(0),
                r#"{"project_id":"p","page_size":0}"#,
            ),
            (
                Config::builder().endpoint("ftp://x").project_id("p"),
                r#"{"endpoint":"ftp://x","project_id":"p"}"#,
            ),
            (
                Config::builder().endpoint("http://x"),
                r#"{"endpoint":"http://x"}"#,
            ),
            (
                Config::builder()
                    .endpoint("http://x")
                    .project_id("p")
                    .api_version("v3"),
                r#"{"endpoint":"http://x","project_id":"p","api_version":"v3"}"#,
            ),
        ];
        for (builder, json) in cases {
            let from_builder = builder.build_with_env(|_| None).unwrap_err();
            let from_json = parse(json).unwrap_err();
            assert_eq!(from_builder.kind, crate::ErrorKind::InvalidArgument);
            assert_eq!(from_builder.message, from_json.message);
        }
    }

    #[test]
    fn builder_debug_names_keys_only() {
        let builder = Config::builder()
            .access_key("AK")
            .secret_key("S3CR3T")
            .proxy("http://u:PR0XYPW@p:1");
        let printed = format!("{builder:?}");
        assert!(
            printed.contains("secret_key") && printed.contains("proxy"),
            "{printed}"
        );
        for secret in ["S3CR3T", "PR0XYPW", "AK\""] {
            assert!(!printed.contains(secret), "{printed}");
        }
    }

    #[test]
    fn auth_token_beside_a_key_pair_is_still_a_secret() {
        let c = parse(r#"{"endpoint":"http://x","project_id":"p","access_key":"AK","secret_key":"sk-123456","auth_token":"tok-123456"}"#)
            .unwrap();
        assert_eq!(access_key(&c), "AK");
        assert!(c.secrets().contains(&"tok-123456"));
    }

    /// A scratch home directory with the CLI's and the SDKs' files.
    struct Home(std::path::PathBuf);

    impl Home {
        fn new(name: &str) -> Home {
            let dir =
                std::env::temp_dir().join(format!("ges-config-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(dir.join(".hcloud")).unwrap();
            std::fs::create_dir_all(dir.join(".huaweicloud")).unwrap();
            Home(dir)
        }
        fn write(&self, path: &str, text: &str) {
            std::fs::write(self.0.join(path), text).unwrap();
        }
        fn env(&self) -> impl Fn(&str) -> Option<String> + '_ {
            move |name| (name == "HOME").then(|| self.0.to_str().unwrap().to_string())
        }
    }

    impl Drop for Home {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    const PROFILES: &str = r#"{"current": "dev", "profiles": [
        {"name": "dev", "mode": "AKSK", "accessKeyId": "DEV-AK", "secretAccessKey": "dev-secret-1", "region": "cn-north-4", "projectId": "dev-project"},
        {"name": "ops", "mode": "AKSK", "accessKeyId": "OPS-AK", "secretAccessKey": "ops-secret-1", "securityToken": "ops-token-1"},
        {"name": "sso", "mode": "SSO"},
        {"name": "agency", "mode": "AKSK", "accessKeyId": "A", "secretAccessKey": "s", "agencyName": "admin"}]}"#;

    #[test]
    fn profile_file_gives_credentials_region_and_project() {
        let home = Home::new("profile");
        home.write(".hcloud/config.json", PROFILES);
        let c = Config::from_json_with_env("{}", home.env()).unwrap();
        assert_eq!(access_key(&c), "DEV-AK");
        assert_eq!(c.region.as_deref(), Some("cn-north-4"));
        assert_eq!(c.project_id.as_deref(), Some("dev-project"));
        assert_eq!(c.endpoint, "https://ges.cn-north-4.myhuaweicloud.com");
        let c =
            Config::from_json_with_env(r#"{"profile":"ops","region":"r-1"}"#, home.env()).unwrap();
        assert_eq!(access_key(&c), "OPS-AK");
        assert!(c.secrets().contains(&"ops-token-1"));
        for (json, named) in [
            (r#"{"profile":"nope","region":"r-1"}"#, "\"profile\""),
            (r#"{"profile":"sso","region":"r-1"}"#, "mode"),
            (r#"{"profile":"agency","region":"r-1"}"#, "agencyName"),
            (
                r#"{"shared_config_file":"/no/such/file","region":"r-1"}"#,
                "shared_config_file",
            ),
            (
                r#"{"credentials_file":"/no/such/file","region":"r-1"}"#,
                "credentials_file",
            ),
        ] {
            let err = Config::from_json_with_env(json, home.env()).unwrap_err();
            assert_eq!(err.kind, crate::ErrorKind::InvalidArgument);
            assert!(err.message.contains(named), "{json}: {}", err.message);
        }
        // The config JSON comes first, though the file is read.
        let c = Config::from_json_with_env(&format!("{{{BASE}}}"), home.env()).unwrap();
        assert_eq!(access_key(&c), "AK");
        assert_eq!(c.project_id.as_deref(), Some("p"));
    }

    #[test]
    fn sdk_credentials_file_comes_after_the_profile() {
        let home = Home::new("sdkfile");
        home.write(
            ".huaweicloud/credentials",
            "# the SDKs' file\n[global]\nak = GLOBAL\n[basic]\nak = FILE-AK\nsk = file-secret-1\nproject_id = file-project\niam_endpoint = http://iam.file:1\n",
        );
        let c =
            Config::from_json_with_env(r#"{"region":"r-1","metadata_endpoint":""}"#, home.env())
                .unwrap();
        assert_eq!(access_key(&c), "FILE-AK");
        assert_eq!(c.project_id.as_deref(), Some("file-project"));
        assert_eq!(c.iam_endpoint.as_deref(), Some("http://iam.file:1"));
        home.write(".hcloud/config.json", PROFILES);
        let c = Config::from_json_with_env(r#"{"region":"r-1"}"#, home.env()).unwrap();
        assert_eq!(access_key(&c), "DEV-AK");
    }

    #[test]
    fn nothing_found_lists_every_source_tried() {
        let home = Home::new("nothing");
        let err =
            Config::from_json_with_env(r#"{"region":"r-1","metadata_endpoint":""}"#, home.env())
                .unwrap_err();
        for source in [
            "config JSON",
            "HW_ACCESS_KEY",
            "HUAWEICLOUD_SDK_AK",
            "config.json",
            "credentials",
            "metadata",
        ] {
            assert!(err.message.contains(source), "{source}: {}", err.message);
        }
        let c = Config::from_json_with_env(r#"{"region":"r-1"}"#, home.env()).unwrap();
        assert!(
            matches!(&c.credentials, Chosen::Metadata { endpoint, .. } if endpoint == "http://169.254.169.254")
        );
    }
}
