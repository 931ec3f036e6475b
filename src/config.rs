//! Client configuration (docs/configuration.md): every key declared once in
//! `keys`, read by `read` (JSON, environment, default), validated here. Where
//! credentials come from is `credentials`; which proxy carries a request is
//! `net::proxy`.

mod builder;
mod read;

pub use crate::keys::ConfigBuilder;

use crate::api::{check_id, ApiVersion};
use crate::credentials::{self, metadata, AssumeRole, Chosen, FileSetting, Found, PodIdentity};
use crate::error::Error;
use crate::keys::*;
use crate::net::base_url::parse_base_url;
use crate::net::proxy::ProxySetting;
use crate::secret::Secret;
use ges_signing::Algorithm;
use read::Reader;
use std::path::PathBuf;
use std::time::Duration;

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
    /// The agencies to assume on top of `credentials`, in order.
    pub(crate) assume_role: Vec<AssumeRole>,
    pub(crate) signing_algorithm: Algorithm,
    /// A password's user's account.
    pub(crate) domain_name: Option<String>,
    /// Where STS's agency calls go.
    pub(crate) sts_endpoint: Option<String>,
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
    /// No certificate check, and plain http to any host.
    pub insecure: bool,
    /// The answer bytes one listing may hold.
    pub max_listing_bytes: u64,
    /// Every secret read from any source, used or not.
    secrets: Vec<Secret>,
    /// What the client logs at WARN once a logger is set (`insecure`, files
    /// others can read): the config is read before any logger exists.
    pub(crate) warnings: Vec<String>,
}

/// The names of every config key, in the schema's order.
pub fn key_names() -> impl Iterator<Item = &'static str> {
    KEYS.iter().map(|key| key.name)
}

const DEFAULT_CLOUD: &str = "myhuaweicloud.com";
/// Pod identity's variables, as the official Python SDK names them.
const POD_IDENTITY_URI: &str = "HC_CONTAINER_CREDENTIALS_FULL_URI";
const POD_IDENTITY_TOKEN_FILE: &str = "HC_CONTAINER_AUTHORIZATION_TOKEN_FILE";

/// Under the home directory.
const DEFAULT_SHARED_CONFIG_PATH: &str = ".hcloud/config.json";
const DEFAULT_CREDENTIALS_PATH: &str = ".huaweicloud/credentials";

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
        Self::from_args(&crate::args::Args::parse("config", json, KEYS)?, env)
    }

    /// A config from typed values, checked exactly as the JSON form is.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    fn from_args(
        args: &crate::args::Args,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, Error> {
        let env = move |name: &str| env(name).filter(|v| !v.is_empty());
        let read = Reader::new(args, &env);

        let home = read.env()("HOME");
        let insecure = read.bool(&INSECURE)?;
        let base_url = |key: &str, url: &str| parse_base_url(key, url, insecure);
        let metadata_endpoint = if read.is_turned_off(&METADATA_ENDPOINT) {
            None
        } else {
            Some(match read.json(&METADATA_ENDPOINT)? {
                Some(url) => base_url("metadata_endpoint", &url)?,
                None => metadata::DEFAULT_ENDPOINT.to_string(),
            })
        };
        // Pod identity: both variables, as the official Python SDK reads them.
        let pod_identity = match (
            read.env()(POD_IDENTITY_URI),
            read.env()(POD_IDENTITY_TOKEN_FILE),
        ) {
            (Some(uri), Some(file)) => Some(PodIdentity {
                uri: base_url(POD_IDENTITY_URI, &uri)?,
                token_file: PathBuf::from(file),
            }),
            _ => None,
        };
        let inputs = credentials::Inputs {
            json: Found::of(|key| read.json(key))?,
            shared_config_file: FileSetting::new(
                read.named(&SHARED_CONFIG_FILE)?,
                home.as_deref(),
                DEFAULT_SHARED_CONFIG_PATH,
            ),
            profile: read.named(&PROFILE)?,
            credentials_file: FileSetting::new(
                read.named(&CREDENTIALS_FILE)?,
                home.as_deref(),
                DEFAULT_CREDENTIALS_PATH,
            ),
            pod_identity,
            metadata_endpoint,
        };
        let resolved = credentials::resolve(inputs, read.env())?;
        let assume_role: Vec<AssumeRole> = resolved
            .agency
            .into_iter()
            .chain(AssumeRole::read_all(args, read.env())?)
            .collect();
        let signing_algorithm = match read.string(&SIGNING_ALGORITHM)? {
            Some(name) => name
                .parse()
                .expect("the key's values are the algorithms' names"),
            None => Algorithm::HmacSha256,
        };

        let region = match read.string(&REGION)?.or(resolved.region) {
            Some(region) => Some(check_region(&region)?),
            None => None,
        };
        let cloud = match read.string(&CLOUD)? {
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
        let endpoint = match read.string(&ENDPOINT)? {
            Some(endpoint) => base_url("endpoint", &endpoint)?,
            None => derived("ges").ok_or_else(|| {
                Error::invalid(
                    "config: set \"endpoint\" or \"region\" (or GES_ENDPOINT / HW_REGION_NAME)",
                )
            })?,
        };
        let (iam_endpoint, sts_endpoint) =
            match read.string(&IAM_ENDPOINT)?.or(resolved.iam_endpoint) {
                // A private IAM serves STS's calls too (as the emulator does).
                Some(url) => {
                    let url = base_url("iam_endpoint", &url)?;
                    (Some(url.clone()), Some(url))
                }
                None => (derived("iam"), derived("sts")),
            };
        // `""`: looked up in IAM, whatever the environment and files say.
        let project_id = if read.is_turned_off(&PROJECT_ID) {
            None
        } else {
            read.string(&PROJECT_ID)?.or(resolved.project_id)
        };
        if let Some(id) = &project_id {
            check_id("config: \"project_id\"", id)?;
        }
        if project_id.is_none() && region.is_none() {
            return Err(Error::invalid(
                "config: \"project_id\" is required (or HW_PROJECT_ID), or \"region\" to look it up",
            ));
        }
        let proxy_key = if read.is_turned_off(&PROXY) {
            Some(String::new())
        } else {
            read.json(&PROXY)?
        };
        let proxy = ProxySetting::new(proxy_key.as_deref(), read.env())?;
        let api_version = match read.json(&API_VERSION)?.as_deref() {
            Some("v2") => ApiVersion::V2,
            _ => ApiVersion::V1,
        };
        let ms = |v: i64| Duration::from_millis(v as u64);
        Ok(Config {
            endpoint,
            region,
            iam_endpoint,
            project_id,
            credentials: resolved.chosen,
            assume_role,
            signing_algorithm,
            domain_name: read.string(&DOMAIN_NAME)?,
            sts_endpoint,
            proxy,
            api_version,
            timeout: ms(read.int(&TIMEOUT_MS)?),
            connect_timeout: ms(read.int(&CONNECT_TIMEOUT_MS)?),
            max_retries: read.int(&MAX_RETRIES)? as u32,
            page_size: read.int(&PAGE_SIZE)? as u32,
            max_concurrency: read.int(&MAX_CONCURRENCY)? as u32,
            max_connections: read.int(&MAX_CONNECTIONS)? as u32,
            ca_file: read.string(&CA_FILE)?.map(PathBuf::from),
            user_agent: read
                .json(&USER_AGENT)?
                .unwrap_or_else(|| format!("ges-backups/{}", env!("CARGO_PKG_VERSION"))),
            insecure,
            max_listing_bytes: read.int(&MAX_LISTING_BYTES)? as u64,
            secrets: resolved.secrets,
            warnings: insecure
                .then(|| {
                    "insecure is true: TLS certificates are not verified and plain http:// \
                     is allowed to any host; tokens and signatures may be seen and replayed"
                        .to_string()
                })
                .into_iter()
                .chain(resolved.warnings)
                .collect(),
        })
    }

    /// Every secret this config holds, from every source, used or not: the
    /// credentials, tokens set beside a key pair, proxy URLs and their passwords.
    pub fn secrets(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self.secrets.iter().map(Secret::expose).collect();
        if let Chosen::Found { method, .. } = &self.credentials {
            all.extend(method.secrets());
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
        let millis = |d: Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
        for (key, value) in [
            (&TIMEOUT_MS, millis(self.timeout)),
            (&CONNECT_TIMEOUT_MS, millis(self.connect_timeout)),
            (&MAX_RETRIES, self.max_retries.into()),
            (&PAGE_SIZE, self.page_size.into()),
            (&MAX_CONCURRENCY, self.max_concurrency.into()),
            (&MAX_CONNECTIONS, self.max_connections.into()),
            (
                &MAX_LISTING_BYTES,
                i64::try_from(self.max_listing_bytes).unwrap_or(i64::MAX),
            ),
        ] {
            key.check_range("config", value)?;
        }
        Ok(())
    }
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
    use crate::credentials::Credentials;

    fn parse(json: &str) -> Result<Config, Error> {
        Config::from_json_with_env(json, |_| None)
    }

    const BASE: &str =
        r#""endpoint":"http://127.0.0.1:1","project_id":"p","access_key":"AK","secret_key":"SK""#;

    fn chosen(c: &Config) -> (&Credentials, &str) {
        match &c.credentials {
            Chosen::Found {
                method: crate::credentials::Method::Static(credentials),
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
            "GES_ENDPOINT" => Some("https://env:1".to_string()),
            "HW_MAX_RETRIES" => Some("7".to_string()),
            "HUAWEICLOUD_SDK_IAM_ENDPOINT" => Some("https://iam.env:2".to_string()),
            _ => None,
        };
        let c = Config::from_json_with_env(r#"{"project_id":"mine"}"#, env).unwrap();
        assert_eq!(c.project_id.as_deref(), Some("mine"));
        assert_eq!(c.endpoint, "https://env:1");
        assert_eq!(c.max_retries, 7);
        assert_eq!(c.iam_endpoint.as_deref(), Some("https://iam.env:2"));
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
        let c = Config::from_json_with_env(r#"{"endpoint":"https://x"}"#, env).unwrap();
        assert_eq!(access_key(&c), "SDK-AK");
        assert_eq!(c.project_id.as_deref(), Some("sdk-project"));
        let with_hw = |name: &str| match name {
            "HW_ACCESS_KEY" => Some("HW-AK".to_string()),
            "HW_SECRET_KEY" => Some("HW-SK".to_string()),
            "HW_PROJECT_ID" => Some("hw-project".to_string()),
            other => env(other),
        };
        let c = Config::from_json_with_env(r#"{"endpoint":"https://x"}"#, with_hw).unwrap();
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
                r#"{"endpoint":"https://user:s3cr3t-pw@x","project_id":"p","auth_token":"t"}"#.into(),
                "endpoint",
            ),
            (r#"{"endpoint":"https://x","auth_token":"t"}"#.into(), "project_id"),
            (
                r#"{"endpoint":"https://x","project_id":"p","metadata_endpoint":""}"#.into(),
                "credentials",
            ),
            (
                r#"{"endpoint":"https://x","project_id":"p","access_key":"a"}"#.into(),
                "secret_key",
            ),
            (format!(r#"{{{BASE},"region":"Cn North"}}"#), "region"),
            (format!(r#"{{{BASE},"cloud":"a/b"}}"#), "cloud"),
            (format!(r#"{{{BASE},"iam_endpoint":"iam"}}"#), "iam_endpoint"),
            (format!(r#"{{{BASE},"metadata_endpoint":"x"}}"#), "metadata_endpoint"),
            (format!(r#"{{{BASE},"proxy":"ftp://u:s3cr3t-pw@p:1"}}"#), "proxy"),
            (format!(r#"{{{BASE},"user_agent":"a\r\nX-Evil: 1"}}"#), "user_agent"),
            (
                r#"{"endpoint":"https://x","project_id":"p","access_key":"A\u0000K","secret_key":"s"}"#.into(),
                "access_key",
            ),
        ];
        for (json, key) in cases {
            let err = parse(&json).unwrap_err();
            assert_eq!(err.kind, crate::error::ErrorKind::InvalidArgument, "{json}");
            assert!(err.message.contains(key), "{json}: {}", err.message);
            assert!(!err.message.contains("s3cr3t"), "{json}: {}", err.message);
        }
        let env_bad = |name: &str| (name == "HW_SECRET_KEY").then(|| "x\ny".to_string());
        let err =
            Config::from_json_with_env(r#"{"endpoint":"https://x","project_id":"p"}"#, env_bad)
                .unwrap_err();
        assert!(err.message.contains("HW_SECRET_KEY"), "{}", err.message);
    }

    #[test]
    fn debug_hides_secrets() {
        let c = parse(r#"{"endpoint":"https://x","project_id":"p","access_key":"AK","secret_key":"S3CR3T","security_token":"T0K3N","proxy":"http://u:PR0XYPW@p:1"}"#)
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
                Config::builder().endpoint("https://x"),
                r#"{"endpoint":"https://x"}"#,
            ),
            (
                Config::builder()
                    .endpoint("https://x")
                    .project_id("p")
                    .api_version("v3"),
                r#"{"endpoint":"https://x","project_id":"p","api_version":"v3"}"#,
            ),
        ];
        for (builder, json) in cases {
            let from_builder = builder.build_with_env(|_| None).unwrap_err();
            let from_json = parse(json).unwrap_err();
            assert_eq!(from_builder.kind, crate::error::ErrorKind::InvalidArgument);
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
        let c = parse(r#"{"endpoint":"https://x","project_id":"p","access_key":"AK","secret_key":"sk-123456","auth_token":"tok-123456"}"#)
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
            assert_eq!(err.kind, crate::error::ErrorKind::InvalidArgument);
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
            "# the SDKs' file\n[global]\nak = GLOBAL\n[basic]\nak = FILE-AK\nsk = file-secret-1\nproject_id = file-project\niam_endpoint = https://iam.file:1\n",
        );
        let c =
            Config::from_json_with_env(r#"{"region":"r-1","metadata_endpoint":""}"#, home.env())
                .unwrap();
        assert_eq!(access_key(&c), "FILE-AK");
        assert_eq!(c.project_id.as_deref(), Some("file-project"));
        assert_eq!(c.iam_endpoint.as_deref(), Some("https://iam.file:1"));
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

    #[test]
    fn plain_http_only_to_loopback_unless_insecure() {
        let with = |endpoint: &str, extra: &str| {
            parse(&format!(
                r#"{{"endpoint":"{endpoint}","project_id":"p","auth_token":"t"{extra}}}"#
            ))
        };
        for local in [
            "http://127.0.0.1:8089",
            "http://localhost:1",
            "http://[::1]:2",
            "http://127.3.4.5",
            "https://ges.example.com",
        ] {
            assert!(with(local, "").is_ok(), "{local}");
        }
        for remote in [
            "http://ges.example.com",
            "http://10.0.0.1:80",
            "http://[fd00::1]",
        ] {
            let err = with(remote, "").unwrap_err();
            assert!(
                err.message.contains("\"endpoint\" is plain http://"),
                "{}",
                err.message
            );
            let c = with(remote, r#","insecure":true"#).unwrap();
            assert!(c.insecure && c.warnings.iter().any(|w| w.contains("insecure")));
        }
        let iam = with("https://x", r#","iam_endpoint":"http://iam.example.com""#);
        assert!(iam.unwrap_err().message.contains("iam_endpoint"));
        // The metadata service is link-local; HW_INSECURE is read like the key.
        assert!(with(
            "https://x",
            r#","metadata_endpoint":"http://169.254.169.254""#
        )
        .is_ok());
        let env = |v: &str| (v == "HW_INSECURE").then(|| "true".to_string());
        let c = Config::from_json_with_env(
            r#"{"endpoint":"http://remote","project_id":"p","auth_token":"t"}"#,
            env,
        )
        .unwrap();
        assert!(c.insecure);
        assert!(
            parse(r#"{"endpoint":"https://x","project_id":"p","auth_token":"t"}"#)
                .unwrap()
                .warnings
                .is_empty()
        );
    }

    #[test]
    fn empty_project_id_is_looked_up_whatever_the_environment_says() {
        let env = |v: &str| (v == "HW_PROJECT_ID").then(|| "from-env".to_string());
        let c =
            Config::from_json_with_env(r#"{"region":"r-1","project_id":"","auth_token":"t"}"#, env)
                .unwrap();
        assert_eq!(c.project_id, None);
        let c = Config::from_json_with_env(r#"{"region":"r-1","auth_token":"t"}"#, env).unwrap();
        assert_eq!(c.project_id.as_deref(), Some("from-env"));
        for bad in ["..", ".", "a/b", "p q", "p%2F", "p?x", "p#x"] {
            let json =
                format!(r#"{{"endpoint":"https://x","project_id":{bad:?},"auth_token":"t"}}"#);
            let err = parse(&json).unwrap_err();
            assert!(err.message.contains("project_id"), "{bad}: {}", err.message);
        }
        let env = |v: &str| (v == "HW_PROJECT_ID").then(|| "..".to_string());
        let err = Config::from_json_with_env(r#"{"endpoint":"https://x","auth_token":"t"}"#, env)
            .unwrap_err();
        assert!(err.message.contains("project_id"), "{}", err.message);
    }

    #[test]
    fn credential_files_must_be_regular_and_missing_ones_are_named() {
        let home = Home::new("files");
        let fifo = home.0.join("fifo");
        let path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o600) }, 0);
        let fifo = fifo.to_str().unwrap();
        for key in ["shared_config_file", "credentials_file"] {
            for (path, what) in [(fifo, "a FIFO"), ("/", "a directory")] {
                let json = format!(r#"{{"region":"r-1","{key}":{path:?}}}"#);
                let err = Config::from_json_with_env(&json, home.env()).unwrap_err();
                assert_eq!(err.kind, crate::error::ErrorKind::InvalidArgument);
                assert!(
                    err.message.contains(path) && err.message.contains(what),
                    "{key}: {}",
                    err.message
                );
            }
        }
        let err = Config::from_json_with_env(
            r#"{"region":"r-1","shared_config_file":"/no/such/file","profile":"ops"}"#,
            home.env(),
        )
        .unwrap_err();
        assert!(
            err.message.contains("/no/such/file") && err.message.contains("\"ops\""),
            "{}",
            err.message
        );
        home.write(".hcloud/config.json", PROFILES);
        let err = Config::from_json_with_env(r#"{"region":"r-1","profile":"nope"}"#, home.env())
            .unwrap_err();
        assert!(err.message.contains("\"nope\""), "{}", err.message);
    }

    #[test]
    fn files_others_can_read_are_used_with_a_warning() {
        use std::os::unix::fs::PermissionsExt;
        let home = Home::new("perms");
        home.write(".hcloud/config.json", PROFILES);
        let file = home.0.join(".hcloud/config.json");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        let c = Config::from_json_with_env("{}", home.env()).unwrap();
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let c = Config::from_json_with_env("{}", home.env()).unwrap();
        assert_eq!(access_key(&c), "DEV-AK");
        assert!(
            c.warnings
                .iter()
                .any(|w| w.contains("config.json") && w.contains("chmod 600")),
            "{:?}",
            c.warnings
        );
    }
}
