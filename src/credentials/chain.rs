//! The chain: the sources tried in order, the first that can authenticate
//! winning, then `assume_role` on top of what it found.

use super::assume_role::AssumeRole;
use super::environment::{self, HW, SDK};
use super::file_setting::FileSetting;
use super::found::{Found, IdToken, Method};
use super::{profile, sdk_file, Secret};
use crate::error::Error;

/// Everything the chain reads besides the environment.
pub(crate) struct Inputs {
    pub json: Found,
    pub shared_config_file: FileSetting,
    /// The profile and what named it (`"profile"` or `HW_PROFILE`).
    pub profile: Option<(String, String)>,
    pub credentials_file: FileSetting,
    /// Pod identity's URI and token file (`HC_CONTAINER_*`), when both are set.
    pub pod_identity: Option<PodIdentity>,
    /// `None`: the metadata service is not to be asked.
    pub metadata_endpoint: Option<String>,
}

/// Where pod identity's credentials come from.
#[derive(Clone, Debug)]
pub(crate) struct PodIdentity {
    pub uri: String,
    pub token_file: std::path::PathBuf,
}

/// How the client authenticates, and where that came from.
#[derive(Clone, Debug)]
pub(crate) enum Chosen {
    /// A source of the chain: its way of authenticating.
    Found {
        method: Method,
        source: String,
    },
    PodIdentity(PodIdentity),
    /// Nothing else: ask the ECS metadata service at this base URL.
    Metadata {
        endpoint: String,
        /// Every source tried before, for the error when it does not answer.
        tried: Vec<String>,
    },
}

impl Chosen {
    /// Where the credentials come from, in words for messages.
    pub fn source(&self) -> String {
        match self {
            Chosen::Found { source, .. } => source.clone(),
            Chosen::PodIdentity(pod) => format!("pod identity ({})", pod.uri),
            Chosen::Metadata { .. } => "the ECS metadata service".to_string(),
        }
    }
}

/// The chain's result: the credentials, the agencies to assume with them,
/// what else the winning source gave, and every secret read on the way (all
/// are scrubbed from errors and logs).
pub(crate) struct Resolved {
    pub chosen: Chosen,
    /// A profile's agency, first of those the config names.
    pub agency: Option<AssumeRole>,
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
            agency: None,
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
    let hw = HW.read(env)?;
    let sdk = SDK.read(env)?;
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
        (&hw, HW.names()),
        (&sdk, SDK.names()),
    ];
    for (found, names) in local {
        if let Some(method) = found.method(&names)? {
            let source = names.source;
            return Ok(Resolved::new(Chosen::Found { method, source }, gathered));
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
        let names = profile::names(format!("the selected profile of {profile_source}"));
        let method = profile.found.method(&names)?;
        let from_profile = |chosen| Resolved {
            agency: profile.agency.clone(),
            project_id: profile.found.project_id.clone(),
            region: profile.found.region.clone(),
            ..Resolved::new(chosen, gathered.clone())
        };
        match (method, profile.ecs_agency, &inputs.metadata_endpoint) {
            (Some(method), _, _) => {
                let source = names.source;
                return Ok(from_profile(Chosen::Found { method, source }));
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
        let names = sdk_file::names(sdk_file_source.clone());
        if let Some(method) = found.method(&names)? {
            let source = names.source;
            return Ok(Resolved {
                project_id: found.project_id,
                iam_endpoint: found.iam_endpoint,
                ..Resolved::new(Chosen::Found { method, source }, gathered)
            });
        }
    }
    tried.push(sdk_file_source);

    if let Some(pod) = inputs.pod_identity {
        return Ok(Resolved::new(Chosen::PodIdentity(pod), gathered));
    }
    tried.push("pod identity (HC_CONTAINER_CREDENTIALS_FULL_URI is not set)".to_string());

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
        "config: no credentials found: set \"access_key\" and \"secret_key\", \"auth_token\", \
         \"user_name\" and \"password\", or \"idp_id\" and \"id_token_file\"; tried {}",
        tried.join("; ")
    ))
}

impl Method {
    /// The secrets a method holds, for a Debug-free `Config::secrets`.
    pub fn secrets(&self) -> Vec<&str> {
        match self {
            Method::Static(credentials) => credentials.secrets(),
            Method::Password { password, .. } => vec![password.expose()],
            Method::Federated {
                id_token: IdToken::Given(token),
                ..
            } => vec![token.expose()],
            Method::Federated { .. } => Vec::new(),
        }
    }
}
