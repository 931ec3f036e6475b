//! Agencies (`assume_role`), as terraform-provider-huaweicloud assumes them:
//! the credentials in hand are exchanged for the agency's temporary ones,
//! with IAM (`POST /v3.0/OS-CREDENTIAL/securitytokens`, method `assume_role`)
//! or, when the agency's account is given by id, with STS
//! (`POST /v5/agencies/assume`); a chain of agencies, each with the previous
//! one's credentials.

use super::exchange::Service;
use super::renewable::{InUse, Renewable, Temporary};
use super::Secret;
use crate::args::{Arg, Args, Kind};
use crate::error::Error;
use crate::keys::ASSUME_ROLE;
use serde_json::json;

/// One agency to assume.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct AssumeRole {
    pub agency_name: String,
    /// The account that owns the agency, by name (IAM's call)...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain_name: Option<String>,
    /// ...or by id (STS's v5 call).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain_id: Option<String>,
    /// Seconds the credentials last; `None`: the service's default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<u32>,
}

impl AssumeRole {
    /// The agency `agency_name` of the account `domain_name`.
    pub fn new(agency_name: impl Into<String>, domain_name: impl Into<String>) -> AssumeRole {
        AssumeRole {
            agency_name: agency_name.into(),
            domain_name: Some(domain_name.into()),
            ..AssumeRole::default()
        }
    }

    /// Of the account with this id instead: STS's call.
    pub fn domain_id(mut self, domain_id: impl Into<String>) -> AssumeRole {
        self.domain_id = Some(domain_id.into());
        self
    }

    pub fn duration(mut self, seconds: u32) -> AssumeRole {
        self.duration = Some(seconds);
        self
    }

    /// The agencies of the config: its `assume_role` (an object or an array),
    /// else one from the `HW_ASSUME_ROLE_*` variables.
    pub(crate) fn read_all(
        args: &Args,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Vec<AssumeRole>, Error> {
        let roles = match args.list(&ASSUME_ROLE)? {
            Some(items) => items
                .iter()
                .map(|item| {
                    Ok(AssumeRole {
                        agency_name: item.string(attribute("agency_name"))?.unwrap_or_default(),
                        domain_name: item.string(attribute("domain_name"))?,
                        domain_id: item.string(attribute("domain_id"))?,
                        duration: item.int(attribute("duration"))?.map(|d| d as u32),
                    })
                })
                .collect::<Result<Vec<_>, Error>>()?,
            None => Self::from_env(env)?.into_iter().collect(),
        };
        for role in &roles {
            role.check()?;
        }
        Ok(roles)
    }

    /// The agency of the `HW_ASSUME_ROLE_*` variables, if they name one.
    fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Result<Option<AssumeRole>, Error> {
        let var = |name: &str| {
            attribute(name)
                .env
                .iter()
                .find_map(|v| env(v).map(|raw| (*v, raw)))
        };
        let Some((_, agency_name)) = var("agency_name") else {
            return Ok(None);
        };
        let duration = match var("duration") {
            None => None,
            Some((name, raw)) => {
                let range = attribute("duration").range();
                let seconds = raw.trim().parse::<i64>().ok().filter(|n| range.contains(n));
                Some(seconds.ok_or_else(|| {
                    Error::invalid(format!(
                        "config: {name} must be an integer from {} to {}",
                        range.start(),
                        range.end()
                    ))
                })? as u32)
            }
        };
        Ok(Some(AssumeRole {
            agency_name,
            domain_name: var("domain_name").map(|(_, v)| v),
            domain_id: var("domain_id").map(|(_, v)| v),
            duration,
        }))
    }

    /// An agency named, in an account named, with values fit for a header.
    fn check(&self) -> Result<(), Error> {
        if self.agency_name.is_empty() {
            return Err(Error::invalid(
                "config: each assume_role needs an \"agency_name\"",
            ));
        }
        if self.domain_name.is_none() && self.domain_id.is_none() {
            return Err(Error::invalid(format!(
                "config: assume_role of agency {:?} needs \"domain_name\" or \"domain_id\"",
                self.agency_name
            )));
        }
        for value in [
            Some(&self.agency_name),
            self.domain_name.as_ref(),
            self.domain_id.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            crate::args::header_safe("assume_role", value.clone())?;
        }
        Ok(())
    }

    /// In messages.
    fn describe(&self) -> String {
        let account = self
            .domain_name
            .as_deref()
            .or(self.domain_id.as_deref())
            .unwrap_or_default();
        format!("agency {:?} of account {account:?}", self.agency_name)
    }
}

/// An attribute of `assume_role` elements, by name.
fn attribute(name: &str) -> &'static Arg {
    let Kind::List(attributes) = ASSUME_ROLE.kind else {
        unreachable!("assume_role is a list")
    };
    attributes
        .iter()
        .find(|a| a.name == name)
        .expect("an attribute of assume_role")
}

impl From<AssumeRole> for serde_json::Value {
    fn from(role: AssumeRole) -> Self {
        serde_json::to_value(role).expect("an AssumeRole serializes")
    }
}

/// One agency's credentials, renewed with those of `base`.
pub(crate) struct Assumed {
    pub role: AssumeRole,
    pub base: Box<dyn InUse>,
    /// IAM for an agency named by account name, STS by account id.
    pub service: Service,
}

impl Renewable for Assumed {
    fn fetch(&self) -> Result<Temporary, Error> {
        let role = &self.role;
        let what = format!("assume_role of {}", role.describe());
        let with = self.base.current()?;
        let answer = match &role.domain_id {
            Some(domain_id) => {
                let mut body = json!({
                    "agency_urn": format!("iam::{domain_id}:agency:{}", role.agency_name),
                    "agency_session_name": role.agency_name,
                });
                if let Some(seconds) = role.duration {
                    body["duration_seconds"] = seconds.into();
                }
                self.service
                    .post("/v5/agencies/assume", &[], &body, Some(&with), &what)?
            }
            None => {
                let mut assume = json!({
                    "agency_name": role.agency_name,
                    "domain_name": role.domain_name,
                });
                if let Some(seconds) = role.duration {
                    assume["duration_seconds"] = seconds.into();
                }
                let body = json!({"auth": {"identity": {
                    "methods": ["assume_role"], "assume_role": assume}}});
                self.service.post(
                    "/v3.0/OS-CREDENTIAL/securitytokens",
                    &[],
                    &body,
                    Some(&with),
                    &what,
                )?
            }
        };
        self.service.temporary(&answer, &what)
    }

    /// The credentials it assumes with are secrets too.
    fn secrets(&self) -> Vec<Secret> {
        self.base.temporary_secrets()
    }
}
