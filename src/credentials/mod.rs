//! Where the client's credentials come from: a chain of sources tried in order,
//! the first holding an AK/SK pair or an IAM token winning (docs/configuration.md,
//! "Where credentials come from"):
//!
//! 1. the config JSON (`access_key`, `secret_key`, `security_token`, `auth_token`);
//! 2. the `HW_*` environment, as `terraform-provider-huaweicloud` reads it;
//! 3. the `HUAWEICLOUD_SDK_*` environment, as the official SDKs read it;
//! 4. the Huawei Cloud CLI's profile file (`profile.rs`);
//! 5. the official SDKs' credentials file (`sdk_file.rs`);
//! 6. the ECS metadata service's temporary credentials (`metadata.rs`), renewed
//!    before they expire (`provider.rs`).
//!
//! Each source is taken whole: a value from one is never paired with a value
//! from another. Steps 1 to 5 only read the environment and files; step 6 is
//! asked when the client is made.

mod active;
mod environment;
pub(crate) mod metadata;
mod profile;
mod provider;
mod sdk_file;

pub use active::Active;
pub use provider::Provider;

use crate::args::header_safe;
use crate::error::Error;
use crate::files::{self, Refused};
pub use crate::secret::Secret;
use std::path::PathBuf;

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
    /// The secret values of these credentials, to scrub from error messages.
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

/// What one source holds. Any field may be missing.
#[derive(Default)]
pub(crate) struct Found {
    pub access_key: Option<String>,
    pub secret_key: Option<Secret>,
    pub security_token: Option<Secret>,
    pub auth_token: Option<Secret>,
    pub project_id: Option<String>,
    pub region: Option<String>,
    pub iam_endpoint: Option<String>,
    /// What to log at WARN about the source (a file others can read).
    pub warnings: Vec<String>,
}

/// How a source names its values in messages, e.g. `"access_key"` or `HW_ACCESS_KEY`.
pub(crate) struct Names {
    pub source: String,
    pub access_key: &'static str,
    pub secret_key: &'static str,
}

impl Found {
    /// The credentials this source holds: `None` when it holds none, an error
    /// when it holds half of an AK/SK pair. A pair wins over a token.
    fn credentials(&self, names: &Names) -> Result<Option<Credentials>, Error> {
        match (&self.access_key, &self.secret_key, &self.auth_token) {
            (Some(access_key), Some(secret_key), _) => Ok(Some(Credentials::AkSk {
                access_key: access_key.clone(),
                secret_key: secret_key.clone(),
                security_token: self.security_token.clone(),
            })),
            (_, _, Some(token)) => Ok(Some(Credentials::Token(token.clone()))),
            (Some(_), None, None) => Err(Error::invalid(format!(
                "config: {} is set but {} is not ({})",
                names.access_key, names.secret_key, names.source
            ))),
            (None, Some(_), None) => Err(Error::invalid(format!(
                "config: {} is set but {} is not ({})",
                names.secret_key, names.access_key, names.source
            ))),
            (None, None, None) => Ok(None),
        }
    }

    fn secrets(&self) -> impl Iterator<Item = &Secret> {
        [&self.secret_key, &self.security_token, &self.auth_token]
            .into_iter()
            .flatten()
    }
}

/// A file setting: given by a config key or variable (then it must exist), or
/// the default path under the home directory (then it is used only if it exists).
#[derive(Clone, Debug)]
pub(crate) enum FileSetting {
    Explicit { path: PathBuf, named_by: String },
    Default(PathBuf),
    None,
}

impl FileSetting {
    pub fn new(given: Option<(String, String)>, home: Option<&str>, default: &str) -> Self {
        match (given, home) {
            (Some((path, named_by)), _) => FileSetting::Explicit {
                path: PathBuf::from(path),
                named_by,
            },
            (None, Some(home)) => FileSetting::Default(PathBuf::from(home).join(default)),
            (None, None) => FileSetting::None,
        }
    }

    /// Its text, `None` when it does not exist (`missing` says whether that is
    /// an error), and a warning when others may read it. `what` names it in
    /// messages.
    fn read(&self, what: &str) -> Result<Option<(String, Vec<String>)>, Error> {
        const MAX_BYTES: u64 = 1024 * 1024;
        let path = match self {
            FileSetting::Explicit { path, .. } | FileSetting::Default(path) => path,
            FileSetting::None => return Ok(None),
        };
        let shown = self.describe();
        let small = match files::read(path, MAX_BYTES) {
            Ok(small) => small,
            Err(Refused::Missing) => return Ok(None),
            Err(refused) => {
                return Err(Error::invalid(format!(
                    "config: the {what} {shown} cannot be used: {refused}"
                )))
            }
        };
        let text = String::from_utf8(small.bytes)
            .map_err(|_| Error::invalid(format!("config: the {what} {shown} is not UTF-8 text")))?;
        let warnings = small
            .readable_by_others
            .then(|| {
                format!(
                    "the {what} {shown} can be read by its group or others: \
                     it holds credentials, `chmod 600` it"
                )
            })
            .into_iter()
            .collect();
        Ok(Some((text, warnings)))
    }

    /// The error for a file that does not exist, `None` when it need not.
    fn missing(&self, what: &str) -> Option<Error> {
        matches!(self, FileSetting::Explicit { .. }).then(|| {
            Error::invalid(format!(
                "config: the {what} {} does not exist",
                self.describe()
            ))
        })
    }

    /// The file's path, and what named it when a key or variable did.
    fn describe(&self) -> String {
        match self {
            FileSetting::Explicit { path, named_by } => {
                format!("{} (named by {named_by})", path.display())
            }
            FileSetting::Default(path) => path.display().to_string(),
            FileSetting::None => "(no home directory)".to_string(),
        }
    }
}

/// Everything the chain reads besides the environment.
pub(crate) struct Inputs {
    pub json: Found,
    pub shared_config_file: FileSetting,
    /// The profile and what named it (`"profile"` or `HW_PROFILE`).
    pub profile: Option<(String, String)>,
    pub credentials_file: FileSetting,
    /// `None`: the metadata service is not to be asked.
    pub metadata_endpoint: Option<String>,
}

/// Where the credentials come from.
#[derive(Clone, Debug)]
pub enum Chosen {
    Static {
        credentials: Credentials,
        /// e.g. "the config JSON", "HW_* variables".
        source: String,
    },
    /// Nothing local: ask the ECS metadata service at this base URL.
    Metadata {
        endpoint: String,
        /// Every source tried before, for the error when it does not answer.
        tried: Vec<String>,
    },
}

impl Chosen {
    /// Where the credentials come from, in words for messages.
    pub fn source(&self) -> &str {
        match self {
            Chosen::Static { source, .. } => source,
            Chosen::Metadata { .. } => "the ECS metadata service",
        }
    }
}

/// The chain's result: the credentials, what else the winning source gave,
/// and every secret read on the way (all are scrubbed from errors).
pub(crate) struct Resolved {
    pub chosen: Chosen,
    pub secrets: Vec<Secret>,
    pub project_id: Option<String>,
    pub region: Option<String>,
    pub iam_endpoint: Option<String>,
    /// About the files read, whichever source won.
    pub warnings: Vec<String>,
}

impl Resolved {
    /// `chosen`, with nothing else from its source.
    fn new(chosen: Chosen, gathered: Gathered) -> Resolved {
        Resolved {
            chosen,
            secrets: gathered.secrets,
            project_id: None,
            region: None,
            iam_endpoint: None,
            warnings: gathered.warnings,
        }
    }
}

/// What every source read holds besides the credentials chosen: secrets to
/// scrub, whether used or not, and warnings to log.
#[derive(Clone, Default)]
struct Gathered {
    secrets: Vec<Secret>,
    warnings: Vec<String>,
}

impl Gathered {
    fn add(&mut self, found: &Found) {
        self.secrets.extend(found.secrets().cloned());
        self.warnings.extend(found.warnings.iter().cloned());
    }
}

/// Runs the chain. `env` gives a variable's value, `None` when unset or empty.
pub(crate) fn resolve(
    inputs: Inputs,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Resolved, Error> {
    let hw = environment::hw(env)?;
    let sdk = environment::sdk(env)?;
    // A file named explicitly must exist even when an earlier source wins.
    let explicit_profile = matches!(inputs.shared_config_file, FileSetting::Explicit { .. })
        || inputs.profile.is_some();
    let profile_found = if explicit_profile {
        Some(profile::read(
            &inputs.shared_config_file,
            inputs.profile.as_ref(),
        )?)
    } else {
        None
    };
    let sdk_file_found = match inputs.credentials_file {
        FileSetting::Explicit { .. } => Some(sdk_file::read(&inputs.credentials_file)?),
        _ => None,
    };

    let mut gathered = Gathered::default();
    for found in [&inputs.json, &hw, &sdk] {
        gathered.add(found);
    }
    // Files read already hold secrets too, whichever source wins.
    if let Some(Some(profile)) = &profile_found {
        gathered.add(&profile.found);
    }
    if let Some(Some(found)) = &sdk_file_found {
        gathered.add(found);
    }
    let mut tried = Vec::new();
    let local = [
        (&inputs.json, environment::json_names()),
        (&hw, environment::hw_names()),
        (&sdk, environment::sdk_names()),
    ];
    for (found, names) in local {
        if let Some(credentials) = found.credentials(&names)? {
            let source = names.source;
            return Ok(Resolved::new(
                Chosen::Static {
                    credentials,
                    source,
                },
                gathered,
            ));
        }
        tried.push(names.source);
    }

    // Read now unless read above (its secrets are then counted already).
    let profile_found = match profile_found {
        Some(found) => found,
        None => {
            let found = profile::read(&inputs.shared_config_file, None)?;
            if let Some(profile) = &found {
                gathered.add(&profile.found);
            }
            found
        }
    };
    let profile_source = format!(
        "the shared config file {}",
        inputs.shared_config_file.describe()
    );
    if let Some(profile) = profile_found {
        let names = Names {
            source: format!("the selected profile of {profile_source}"),
            access_key: "accessKeyId",
            secret_key: "secretAccessKey",
        };
        let credentials = profile.found.credentials(&names)?;
        let from_profile = |chosen| Resolved {
            project_id: profile.found.project_id.clone(),
            region: profile.found.region.clone(),
            ..Resolved::new(chosen, gathered.clone())
        };
        match (credentials, profile.ecs_agency, &inputs.metadata_endpoint) {
            (Some(credentials), _, _) => {
                return Ok(from_profile(Chosen::Static {
                    credentials,
                    source: names.source,
                }))
            }
            // The CLI's `ecsAgency` mode: the instance's metadata credentials.
            (None, true, Some(endpoint)) => {
                tried.push(names.source);
                return Ok(from_profile(Chosen::Metadata {
                    endpoint: endpoint.clone(),
                    tried,
                }));
            }
            _ => {}
        }
    }
    tried.push(profile_source);

    let sdk_file_found = match sdk_file_found {
        Some(found) => found,
        None => {
            let found = sdk_file::read(&inputs.credentials_file)?;
            if let Some(found) = &found {
                gathered.add(found);
            }
            found
        }
    };
    let sdk_file_source = format!(
        "the SDK credentials file {}",
        inputs.credentials_file.describe()
    );
    if let Some(found) = sdk_file_found {
        let names = Names {
            source: sdk_file_source.clone(),
            access_key: "ak",
            secret_key: "sk",
        };
        if let Some(credentials) = found.credentials(&names)? {
            let source = names.source;
            return Ok(Resolved {
                project_id: found.project_id,
                iam_endpoint: found.iam_endpoint,
                ..Resolved::new(
                    Chosen::Static {
                        credentials,
                        source,
                    },
                    gathered,
                )
            });
        }
    }
    tried.push(sdk_file_source);

    match inputs.metadata_endpoint {
        Some(endpoint) => Ok(Resolved::new(
            Chosen::Metadata { endpoint, tried },
            gathered,
        )),
        None => {
            tried.push("the ECS metadata service (turned off: metadata_endpoint is \"\")".into());
            Err(no_credentials(&tried))
        }
    }
}

/// The error when no source holds credentials; it lists every source tried.
pub(crate) fn no_credentials(tried: &[String]) -> Error {
    Error::invalid(format!(
        "config: no credentials found: set \"access_key\" and \"secret_key\", or \"auth_token\"; tried {}",
        tried.join("; ")
    ))
}

/// A value read from a variable or a file, checked like a config value.
pub(crate) fn checked(name: &str, value: Option<String>) -> Result<Option<String>, Error> {
    value
        .filter(|v| !v.is_empty())
        .map(|v| header_safe(name, v))
        .transpose()
}
