//! The Huawei Cloud CLI (KooCLI) profile file, `~/.hcloud/config.json`, in the
//! shape `terraform-provider-huaweicloud` reads:
//! `{"current": NAME, "profiles": [{"name", "mode", "accessKeyId", "secretAccessKey",
//! "securityToken", "region", "projectId", "agencyName", "agencyDomainName", ...}]}`.
//! A profile that names an agency is the agency's temporary credentials,
//! assumed with the profile's keys, as the provider does it.

use super::assume_role::AssumeRole;
use super::file_setting::FileSetting;
use super::found::{Found, Names};
use super::{checked, Secret};
use crate::error::Error;
use serde::Deserialize;

#[derive(Deserialize)]
struct SharedConfig {
    #[serde(default)]
    current: Option<String>,
    #[serde(default)]
    profiles: Vec<Profile>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Profile {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    mode: Option<String>,
    #[serde(default)]
    access_key_id: Option<String>,
    #[serde(default)]
    secret_access_key: Option<String>,
    #[serde(default)]
    security_token: Option<String>,
    #[serde(default)]
    region: Option<String>,
    #[serde(default)]
    project_id: Option<String>,
    #[serde(default)]
    agency_name: Option<String>,
    #[serde(default)]
    agency_domain_name: Option<String>,
    #[serde(default)]
    agency_domain_id: Option<String>,
}

/// The profile the chain uses.
pub struct Selected {
    pub found: Found,
    /// The CLI's `ecsAgency` mode: credentials come from the metadata service.
    pub ecs_agency: bool,
    /// The agency the profile's credentials assume, first of any `assume_role`.
    pub agency: Option<AssumeRole>,
}

/// How a profile names its keys.
pub fn names(source: String) -> Names {
    Names::of_file(source, ("accessKeyId", "secretAccessKey"), false)
}

/// The selected profile of `file`: `profile` (named by a key or variable) or the
/// file's `current`. `None` when the default file does not exist or names no
/// profile; an error when a file or profile named explicitly is missing.
pub fn read(
    file: &FileSetting,
    profile: Option<&(String, String)>,
) -> Result<Option<Selected>, Error> {
    let what = "shared config file";
    let shown = file.describe();
    let Some((text, warnings)) = file.read(what)? else {
        return match (profile, file.missing(what)) {
            (Some((name, named_by)), _) => Err(Error::invalid(format!(
                "config: {named_by} names the profile {name:?} but the {what} {shown} does not exist"
            ))),
            (None, Some(missing)) => Err(missing),
            (None, None) => Ok(None),
        };
    };
    // serde's messages may quote a value of the file: report the place only.
    let config: SharedConfig = serde_json::from_str(&text).map_err(|e| {
        Error::invalid(format!(
            "config: the {what} {shown} is not a KooCLI config.json (line {}, column {})",
            e.line(),
            e.column()
        ))
    })?;
    let (wanted, named_by) = match (profile, &config.current) {
        (Some((name, named_by)), _) => (name.clone(), Some(named_by)),
        (None, Some(current)) if !current.is_empty() => (current.clone(), None),
        (None, _) => return Ok(None),
    };
    let Some(chosen) = config
        .profiles
        .into_iter()
        .find(|p| p.name.as_deref() == Some(wanted.as_str()))
    else {
        return match named_by {
            Some(named_by) => Err(Error::invalid(format!(
                "config: the profile {wanted:?} named by {named_by} is not in the {what} {shown}"
            ))),
            None => Err(Error::invalid(format!(
                "config: the {what} {shown} has no profile {wanted:?}, which its \"current\" names"
            ))),
        };
    };
    let ecs_agency = match chosen.mode.as_deref() {
        None | Some("") | Some("AKSK") => false,
        Some("ecsAgency") => true,
        Some(_) => {
            return Err(Error::invalid(format!(
                "config: the selected profile of the {what} {shown} uses a mode this client \
                 does not support (only AKSK and ecsAgency)"
            )))
        }
    };
    let agency = match chosen.agency_name.filter(|a| !a.is_empty()) {
        None => None,
        Some(agency_name) => {
            let domain_name = chosen.agency_domain_name.filter(|d| !d.is_empty());
            let domain_id = chosen.agency_domain_id.filter(|d| !d.is_empty());
            if domain_name.is_none() && domain_id.is_none() {
                // Using the profile's own keys instead of the agency's would
                // act as someone else: refused rather than done silently.
                return Err(Error::invalid(format!(
                    "config: the selected profile of the {what} {shown} names the agency \
                     {agency_name:?} (agencyName) but not its account (agencyDomainName)"
                )));
            }
            Some(AssumeRole {
                agency_name,
                domain_name,
                domain_id,
                duration: None,
            })
        }
    };
    let field =
        |name: &str, value: Option<String>| checked(&format!("{name} of the {what}"), value);
    Ok(Some(Selected {
        agency,
        ecs_agency,
        found: Found {
            access_key: field("accessKeyId", chosen.access_key_id)?,
            secret_key: field("secretAccessKey", chosen.secret_access_key)?.map(Secret::new),
            security_token: field("securityToken", chosen.security_token)?.map(Secret::new),
            project_id: field("projectId", chosen.project_id)?,
            region: field("region", chosen.region)?,
            warnings,
            ..Found::default()
        },
    }))
}
