//! Every config key, declared once: name, kind and range, environment variables,
//! default, secrecy and description. The config reader, the range checks, the
//! builder's setters and the schema (`ges_backups_schema_json`, from which the
//! Python, Go and Terraform declarations are generated) all read this table.
//!
//! A new key is one line here, then the code that uses its value
//! (docs/configuration.md says where that goes). On the ground floor: the
//! config reader and the credential chain both read it.

use crate::args::Default::{Bool, Integer, Shown};
use crate::args::{declare_args, Arg};

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

impl ConfigBuilder {
    fn set(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        self.keys.insert(key.to_string(), value.into());
        self
    }

    /// The keys set, for `build`.
    pub(crate) fn into_keys(self) -> serde_json::Map<String, serde_json::Value> {
        self.keys
    }
}

declare_args! {
    /// Every config key, in the order of the schema and the docs.
    list KEYS for ConfigBuilder;

    /// Base URL, e.g. `https://ges.cn-north-4.myhuaweicloud.com`.
    endpoint ENDPOINT: url("Base URL of the GES API, https://... (http:// only to loopback, unless insecure); derived from region when unset: https://ges.{region}.{cloud}.")
        .env(&["GES_ENDPOINT"])
        .default(Shown("https://ges.{region}.{cloud}"));
    region REGION: text("Huawei Cloud region, e.g. cn-north-4; gives the GES and IAM endpoints, and the project to look up when project_id is unset. A shared config file profile may give it too.")
        .env(&["HW_REGION_NAME"]);
    /// `""`: look the project up in IAM from the region, whatever the environment says.
    project_id PROJECT_ID: text("Project ID that owns the graphs. When no source gives it, it is looked up once per client in IAM (GET /v3/projects?name={region}) with the same credentials; \"\" looks it up whatever the environment and files say.")
        .env(&["HW_PROJECT_ID", "HUAWEICLOUD_SDK_PROJECT_ID"])
        .default(Shown("looked up from region"))
        .empty_turns_off();
    access_key ACCESS_KEY: text("Access key (AK) for request signing. Credentials come from the first source holding them: config, HW_* variables, HUAWEICLOUD_SDK_* variables, shared config file profile, SDK credentials file, pod identity, ECS metadata service; then assume_role applies.")
        .env(&["HW_ACCESS_KEY", "HUAWEICLOUD_SDK_AK"]);
    secret_key SECRET_KEY: text("Secret key (SK) for request signing.")
        .env(&["HW_SECRET_KEY", "HUAWEICLOUD_SDK_SK"])
        .secret();
    security_token SECURITY_TOKEN: text("Security token of temporary AK/SK credentials, sent as X-Security-Token and signed.")
        .env(&["HW_SECURITY_TOKEN", "HUAWEICLOUD_SDK_SECURITY_TOKEN"])
        .secret();
    auth_token AUTH_TOKEN: text("IAM token sent as X-Auth-Token instead of signing; used when access_key and secret_key are not both set.")
        .env(&["HW_AUTH_TOKEN"])
        .secret();
    /// `v1.0` (the default) or `v2`.
    api_version API_VERSION: one_of(&["v1.0", "v2"], "API version: v1.0 (camelCase answers) or v2 (snake_case answers).")
        .default(Shown("v1.0"));
    timeout_ms TIMEOUT_MS: integer(1, 3_600_000, "Time limit of one HTTP request, connect to last byte, in milliseconds.")
        .default(Integer(30_000));
    connect_timeout_ms CONNECT_TIMEOUT_MS: integer(1, 3_600_000, "Time limit to connect, in milliseconds.")
        .default(Integer(10_000));
    max_retries MAX_RETRIES: integer(0, 10, "Retries of one request on transport errors and HTTP 429, 500, 502, 503, 504.")
        .env(&["HW_MAX_RETRIES"])
        .default(Integer(3));
    page_size PAGE_SIZE: integer(1, 1000, "Page size (limit) used when paging through every backup.")
        .default(Integer(100));
    max_concurrency MAX_CONCURRENCY: integer(1, 64, "Pages fetched at once when paging through every backup.")
        .default(Integer(4));
    max_connections MAX_CONNECTIONS: integer(1, 256, "Requests in flight at once on one client, over all the threads that share it: bounds its sockets and buffers.")
        .default(Integer(32));
    ca_file CA_FILE: path("PEM file of extra trusted root certificates for https.")
        .env(&["HW_CA_FILE"]);
    user_agent USER_AGENT: text("User-Agent header sent with every request.")
        .default(Shown("ges-backups/{version}"));
    cloud CLOUD: text("Domain of derived endpoints: https://ges.{region}.{cloud} and https://iam.{region}.{cloud} (myhuaweicloud.eu for eu-west-101 when unset).")
        .env(&["HW_CLOUD"])
        .default(Shown("myhuaweicloud.com"));
    iam_endpoint IAM_ENDPOINT: url("IAM base URL where project_id is looked up when no source gives it.")
        .env(&["HUAWEICLOUD_SDK_IAM_ENDPOINT"])
        .default(Shown("https://iam.{region}.{cloud}"));
    shared_config_file SHARED_CONFIG_FILE: path("Huawei Cloud CLI (KooCLI) profile file: {\"current\", \"profiles\": [{\"name\", \"mode\", \"accessKeyId\", \"secretAccessKey\", \"securityToken\", \"region\", \"projectId\"}]}. Read only when it exists; a file named here or in the variable must exist.")
        .env(&["HW_SHARED_CONFIG_FILE"])
        .default(Shown("~/.hcloud/config.json"));
    profile PROFILE: text("Profile of the shared config file to use; defaults to the file's current profile. A profile named here must exist.")
        .env(&["HW_PROFILE"]);
    credentials_file CREDENTIALS_FILE: path("The official SDKs' INI credentials file: section [basic] with ak, sk, project_id, security_token, iam_endpoint. Read only when it exists; a file named here or in the variable must exist.")
        .env(&["HUAWEICLOUD_SDK_CREDENTIALS_FILE"])
        .default(Shown("~/.huaweicloud/credentials"));
    /// `""` turns the ECS metadata service off as a credentials source.
    metadata_endpoint METADATA_ENDPOINT: url("ECS metadata service asked last for the temporary credentials of the instance's agency (renewed before they expire); \"\" turns it off.")
        .default(Shown("http://169.254.169.254"))
        .empty_turns_off();
    /// `""` turns proxies off, environment variables included.
    proxy PROXY: text("Proxy URL, http://, https:// or socks5:// (the proxy resolves names), with optional user:password@; \"\" turns the environment's proxy variables off (either case, NO_PROXY honoured). Loopback endpoints are never proxied.")
        .env(&["HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY"])
        .secret()
        .empty_turns_off();
    /// `HmacSHA256` (the default), `HmacSM3`, `EcdsaP256SHA256` or `SM2SM3`.
    signing_algorithm SIGNING_ALGORITHM: one_of(&["HmacSHA256", "HmacSM3", "EcdsaP256SHA256", "SM2SM3"], "How AK/SK requests are signed, as the official SDKs sign: SDK-HMAC-SHA256, SDK-HMAC-SM3, SDK-ECDSA-P256-SHA256 or SDK-SM2-SM3 (the asymmetric keys derived from AK/SK). Every signed request uses it: GES, IAM's project lookup, assume_role.")
        .env(&["HW_SIGNING_ALGORITHM"])
        .default(Shown("HmacSHA256"));
    /// One agency, or a chain of them, each assumed with the previous one's credentials.
    assume_role ASSUME_ROLE: list(ASSUME_ROLE_ATTRIBUTES, "Agencies to assume, as terraform-provider-huaweicloud does: the credentials found are exchanged for the first agency's temporary ones (IAM securitytokens, method assume_role; with domain_id, STS's v5 assume), those for the next one's, and so on; renewed before they expire. An object or an array of objects.");
    /// OIDC federation: the identity provider's id.
    idp_id IDP_ID: text("OIDC federation, as the official SDKs do it: the IAM identity provider whose ID token (id_token_file or id_token) is exchanged for temporary credentials, renewed before they expire.")
        .env(&["HUAWEICLOUD_SDK_IDP_ID"]);
    id_token_file ID_TOKEN_FILE: path("File holding the OIDC ID token, read again at each renewal (CI systems rotate it).")
        .env(&["HUAWEICLOUD_SDK_ID_TOKEN_FILE"]);
    id_token ID_TOKEN: text("The OIDC ID token itself, instead of id_token_file.")
        .secret();
    user_name USER_NAME: text("IAM user name for password authentication: an IAM token from POST /v3/auth/tokens, scoped to the project, renewed before it expires.")
        .env(&["HW_USER_NAME"]);
    password PASSWORD: text("The IAM user's password.")
        .env(&["HW_USER_PASSWORD"])
        .secret();
    domain_name DOMAIN_NAME: text("The IAM user's account (domain) name, for password authentication.")
        .env(&["HW_DOMAIN_NAME"]);
    /// Skips certificate checks and allows plain http to any host: test networks only.
    insecure INSECURE: bool("Skip TLS certificate verification, and allow plain http:// to hosts other than loopback; a client made with it logs a WARN saying so.")
        .env(&["HW_INSECURE"])
        .default(Bool(false));
    max_listing_bytes MAX_LISTING_BYTES: integer(1024, 1 << 40, "The answer bytes one listing may hold, in bytes; past it, a DECODE error that names this key.")
        .default(Integer(1 << 30));
}

/// The attributes of one `assume_role` element.
const ASSUME_ROLE_ATTRIBUTES: &[Arg] = &[
    Arg::text("The agency to assume.")
        .named("agency_name")
        .env(&["HW_ASSUME_ROLE_AGENCY_NAME"]),
    Arg::text("The account (domain) name that owns the agency.")
        .named("domain_name")
        .env(&["HW_ASSUME_ROLE_DOMAIN_NAME"]),
    Arg::text("The account (domain) id that owns the agency: with it, STS's v5 assume is used.")
        .named("domain_id")
        .env(&["HW_ASSUME_ROLE_DOMAIN_ID"]),
    Arg::integer(
        900,
        43_200,
        "How long the temporary credentials last, in seconds; unset: the service's default.",
    )
    .named("duration")
    .env(&["HW_ASSUME_ROLE_DURATION"]),
];
