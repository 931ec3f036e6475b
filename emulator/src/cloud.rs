//! The Huawei Cloud world around GES, as the emulator plays it: the projects
//! of each region, the agencies, users and identity providers of IAM, the
//! metadata service's and pod identity's settings, and counters of the calls
//! made to them. Data and its configuration only: the handlers are in `iam`
//! and `workload`, their control API in `cloud_control`.
//!
//! Each section of the configuration (`iam`, `metadata`, `pod_identity`) is
//! the body of one control call and a section of `--cloud-config`'s file.

use crate::issued::Principal;
use crate::limits::{
    MAX_ACCEPTED_TOKENS, MAX_AGENCIES, MAX_IDENTITY_PROVIDERS, MAX_LIFETIME_MS, MAX_NAME_LEN,
    MAX_PRINCIPALS, MAX_PROJECTS_PER_REGION, MAX_RECORDED_TOKENS, MAX_REGIONS, MAX_SECRET_LEN,
    MAX_USERS,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// The services' settings and counters.
pub struct Cloud {
    state: Mutex<CloudState>,
}

pub struct CloudState {
    /// Regions set through the control API; any other region has one project,
    /// the emulator's `project_id`.
    pub projects: HashMap<String, Vec<String>>,
    pub default_project: String,
    pub iam: IamSettings,
    pub metadata: MetadataSettings,
    pub pod_identity: PodIdentitySettings,
    /// Session tokens the metadata service handed out, the newest last.
    pub session_tokens: Vec<String>,
    pub counters: Counters,
}

#[derive(Default)]
pub struct IamSettings {
    pub agencies: Vec<Agency>,
    pub users: Vec<User>,
    /// Identity provider id -> the ID tokens it accepts.
    pub identity_providers: HashMap<String, Vec<String>>,
    /// When set, the lifetime of every temporary credential IAM issues,
    /// whatever the request asks.
    pub credential_lifetime: Option<Duration>,
    /// When set, the lifetime of every IAM token issued (else 24 hours).
    pub token_lifetime: Option<Duration>,
}

/// An agency of some domain, and who may assume it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    pub domain_name: String,
    /// Defaults to `domain_name`.
    #[serde(default)]
    pub domain_id: Option<String>,
    pub name: String,
    /// Principals as `Principal` prints them, or `*` for anyone let in.
    #[serde(default)]
    pub assumable_by: Vec<String>,
}

impl Agency {
    pub fn domain_id(&self) -> &str {
        self.domain_id.as_deref().unwrap_or(&self.domain_name)
    }

    pub fn allows(&self, caller: &Principal) -> bool {
        let name = caller.to_string();
        self.assumable_by.iter().any(|p| p == "*" || *p == name)
    }

    /// The credentials it hands out stand for it.
    pub fn principal(&self) -> Principal {
        Principal::Agency {
            domain: self.domain_name.clone(),
            name: self.name.clone(),
        }
    }
}

/// An IAM user who gets tokens with a password.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    pub domain_name: String,
    /// Defaults to `domain_name`.
    #[serde(default)]
    pub domain_id: Option<String>,
    pub name: String,
    pub password: String,
}

impl User {
    pub fn domain_id(&self) -> &str {
        self.domain_id.as_deref().unwrap_or(&self.domain_name)
    }
}

impl IamSettings {
    /// The agency named so in the domain given by name, id or both.
    pub fn agency(
        &self,
        domain_name: Option<&str>,
        domain_id: Option<&str>,
        name: &str,
    ) -> Option<&Agency> {
        self.agencies.iter().find(|a| {
            a.name == name
                && domain_name.is_none_or(|d| d == a.domain_name)
                && domain_id.is_none_or(|d| d == a.domain_id())
                && (domain_name.is_some() || domain_id.is_some())
        })
    }

    /// The user with this name in the domain given by name or id.
    pub fn user(
        &self,
        domain_name: Option<&str>,
        domain_id: Option<&str>,
        name: &str,
    ) -> Option<&User> {
        self.users.iter().find(|u| {
            u.name == name
                && domain_name.is_none_or(|d| d == u.domain_name)
                && domain_id.is_none_or(|d| d == u.domain_id())
                && (domain_name.is_some() || domain_id.is_some())
        })
    }
}

pub struct MetadataSettings {
    pub lifetime: Duration,
    pub require_token: bool,
    pub available: bool,
}

pub struct PodIdentitySettings {
    /// `Authorization` values accepted; none: pod identity is off (404).
    pub tokens: Vec<String>,
    pub lifetime: Duration,
    pub shape: PodAnswerShape,
}

/// Where pod identity puts the credentials in its answer: the official
/// Python SDK reads all three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PodAnswerShape {
    /// `{"credentials": {"access_key_id", "secret_access_key", "security_token", "expiration"}}`
    Credentials,
    /// `{"credential": {"access", "secret", "securitytoken", "expires_at"}}`
    Credential,
    /// `{"access_key_id", "secret_access_key", "security_token", "expiration"}`
    TopLevel,
}

/// Calls received, whatever their answer; `GET /__emulator/cloud/stats`
/// shows them under these names.
#[derive(Default, Serialize)]
pub struct Counters {
    /// `GET /v3/projects`.
    pub iam_requests: u64,
    pub metadata_token_requests: u64,
    pub metadata_security_key_requests: u64,
    /// `securitytokens`, method `assume_role`.
    pub assume_role_requests: u64,
    /// `securitytokens`, method `token`.
    pub token_credential_requests: u64,
    /// `POST /v5/agencies/assume`.
    pub sts_assume_requests: u64,
    /// `POST /v3.0/OS-AUTH/id-token/tokens`.
    pub id_token_requests: u64,
    /// `POST /v3/auth/tokens`.
    pub password_token_requests: u64,
    pub pod_identity_requests: u64,
    /// The ID tokens received, oldest first (the last 100).
    pub id_tokens: Vec<String>,
    /// The `Authorization` values pod identity received, oldest first (the last 100).
    pub pod_identity_tokens: Vec<String>,
}

/// Keeps the newest `MAX_RECORDED_TOKENS`.
pub fn record(list: &mut Vec<String>, token: &str) {
    if list.len() >= MAX_RECORDED_TOKENS {
        list.remove(0);
    }
    list.push(token.to_string());
}

/// `POST /__emulator/cloud/iam`: each field given replaces what was set.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IamConfig {
    pub projects: Option<HashMap<String, Vec<String>>>,
    pub agencies: Option<Vec<Agency>>,
    pub users: Option<Vec<User>>,
    pub identity_providers: Option<HashMap<String, Vec<String>>>,
    /// 0: as each request asks.
    pub credential_lifetime_ms: Option<u64>,
    /// 0: 24 hours.
    pub token_lifetime_ms: Option<u64>,
    /// Ends every IAM token and temporary credential handed out so far.
    pub revoke: Option<bool>,
}

/// `POST /__emulator/cloud/metadata`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetadataConfig {
    pub lifetime_ms: Option<u64>,
    pub require_token: Option<bool>,
    pub available: Option<bool>,
    /// Ends every temporary credential handed out so far.
    pub revoke: Option<bool>,
}

/// `POST /__emulator/cloud/pod-identity`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PodIdentityConfig {
    pub authorization_tokens: Option<Vec<String>>,
    pub lifetime_ms: Option<u64>,
    pub shape: Option<PodAnswerShape>,
}

/// `--cloud-config FILE`: the three sections, each as its control call takes it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloudConfig {
    #[serde(default)]
    pub iam: IamConfig,
    #[serde(default)]
    pub metadata: MetadataConfig,
    #[serde(default)]
    pub pod_identity: PodIdentityConfig,
}

fn check_name(what: &str, s: &str) -> Result<(), String> {
    if s.is_empty() || s.len() > MAX_NAME_LEN {
        return Err(format!("{what} {s:?} is not 1 to {MAX_NAME_LEN} bytes"));
    }
    Ok(())
}

fn check_secret(what: &str, s: &str) -> Result<(), String> {
    if s.is_empty() || s.len() > MAX_SECRET_LEN {
        return Err(format!("a {what} is 1 to {MAX_SECRET_LEN} bytes"));
    }
    Ok(())
}

fn check_count(what: &str, n: usize, max: usize) -> Result<(), String> {
    if n > max {
        return Err(format!("at most {max} {what}, not {n}"));
    }
    Ok(())
}

/// A lifetime in ms: 1 ms to 7 days, or 0 where `zero` says what 0 means.
fn lifetime(what: &str, ms: u64, zero_allowed: bool) -> Result<Option<Duration>, String> {
    match ms {
        0 if zero_allowed => Ok(None),
        1..=MAX_LIFETIME_MS => Ok(Some(Duration::from_millis(ms))),
        _ => Err(format!(
            "{what} must be from {} to {MAX_LIFETIME_MS}",
            u64::from(!zero_allowed)
        )),
    }
}

impl IamConfig {
    fn check(&self) -> Result<(), String> {
        if let Some(projects) = &self.projects {
            check_count("regions", projects.len(), MAX_REGIONS)?;
            for (region, ids) in projects {
                check_name("region", region)?;
                check_count("projects in a region", ids.len(), MAX_PROJECTS_PER_REGION)?;
                ids.iter().try_for_each(|id| check_name("project id", id))?;
            }
        }
        if let Some(agencies) = &self.agencies {
            check_count("agencies", agencies.len(), MAX_AGENCIES)?;
            for a in agencies {
                check_name("domain_name", &a.domain_name)?;
                check_name("domain_id", a.domain_id())?;
                check_name("agency name", &a.name)?;
                check_count(
                    "principals in assumable_by",
                    a.assumable_by.len(),
                    MAX_PRINCIPALS,
                )?;
                a.assumable_by
                    .iter()
                    .try_for_each(|p| check_secret("principal", p))?;
            }
        }
        if let Some(users) = &self.users {
            check_count("users", users.len(), MAX_USERS)?;
            for u in users {
                check_name("domain_name", &u.domain_name)?;
                check_name("domain_id", u.domain_id())?;
                check_name("user name", &u.name)?;
                check_secret("password", &u.password)?;
            }
        }
        if let Some(providers) = &self.identity_providers {
            check_count(
                "identity providers",
                providers.len(),
                MAX_IDENTITY_PROVIDERS,
            )?;
            for (idp, tokens) in providers {
                check_name("identity provider id", idp)?;
                check_count("ID tokens of a provider", tokens.len(), MAX_ACCEPTED_TOKENS)?;
                tokens
                    .iter()
                    .try_for_each(|t| check_secret("ID token", t))?;
            }
        }
        Ok(())
    }
}

impl CloudState {
    /// A whole `--cloud-config`: each section in turn (a `revoke` in it has
    /// nothing to end yet).
    pub fn apply(&mut self, config: CloudConfig) -> Result<(), String> {
        self.apply_iam(config.iam)
            .map_err(|e| format!("iam: {e}"))?;
        self.apply_metadata(config.metadata)
            .map_err(|e| format!("metadata: {e}"))?;
        self.apply_pod_identity(config.pod_identity)
            .map_err(|e| format!("pod_identity: {e}"))
    }

    /// Applies a whole `iam` section, or nothing when any part is refused.
    /// Returns whether it asks to revoke what was issued.
    pub fn apply_iam(&mut self, config: IamConfig) -> Result<bool, String> {
        config.check()?;
        let credential_lifetime = config
            .credential_lifetime_ms
            .map(|ms| lifetime("credential_lifetime_ms", ms, true))
            .transpose()?;
        let token_lifetime = config
            .token_lifetime_ms
            .map(|ms| lifetime("token_lifetime_ms", ms, true))
            .transpose()?;
        if let Some(projects) = config.projects {
            self.projects = projects;
        }
        let iam = &mut self.iam;
        if let Some(agencies) = config.agencies {
            iam.agencies = agencies;
        }
        if let Some(users) = config.users {
            iam.users = users;
        }
        if let Some(providers) = config.identity_providers {
            iam.identity_providers = providers;
        }
        if let Some(lifetime) = credential_lifetime {
            iam.credential_lifetime = lifetime;
        }
        if let Some(lifetime) = token_lifetime {
            iam.token_lifetime = lifetime;
        }
        Ok(config.revoke == Some(true))
    }

    /// Applies a `metadata` section; returns whether it asks to revoke.
    pub fn apply_metadata(&mut self, config: MetadataConfig) -> Result<bool, String> {
        if let Some(ms) = config.lifetime_ms {
            // 0 is refused here: the metadata service always says how long.
            self.metadata.lifetime = lifetime("lifetime_ms", ms, false)?.unwrap_or_default();
        }
        if let Some(require) = config.require_token {
            self.metadata.require_token = require;
        }
        if let Some(available) = config.available {
            self.metadata.available = available;
        }
        Ok(config.revoke == Some(true))
    }

    pub fn apply_pod_identity(&mut self, config: PodIdentityConfig) -> Result<(), String> {
        if let Some(tokens) = &config.authorization_tokens {
            check_count("authorization tokens", tokens.len(), MAX_ACCEPTED_TOKENS)?;
            tokens
                .iter()
                .try_for_each(|t| check_secret("pod identity token", t))?;
        }
        let lifetime = config
            .lifetime_ms
            .map(|ms| lifetime("lifetime_ms", ms, false))
            .transpose()?
            .flatten();
        let pod = &mut self.pod_identity;
        if let Some(tokens) = config.authorization_tokens {
            pod.tokens = tokens;
        }
        if let Some(lifetime) = lifetime {
            pod.lifetime = lifetime;
        }
        if let Some(shape) = config.shape {
            pod.shape = shape;
        }
        Ok(())
    }

    /// The project ids of a region: configured, or the emulator's own.
    pub fn region_projects(&self, region: &str) -> Vec<String> {
        match self.projects.get(region) {
            Some(ids) => ids.clone(),
            None => vec![self.default_project.clone()],
        }
    }

    /// Whether some region has this project.
    pub fn knows_project(&self, id: &str) -> bool {
        id == self.default_project || self.projects.values().flatten().any(|p| p == id)
    }
}

impl Cloud {
    pub fn new(default_project: &str) -> Cloud {
        Cloud {
            state: Mutex::new(CloudState {
                projects: HashMap::new(),
                default_project: default_project.to_string(),
                iam: IamSettings::default(),
                metadata: MetadataSettings {
                    lifetime: Duration::from_secs(3600),
                    require_token: true,
                    available: true,
                },
                pod_identity: PodIdentitySettings {
                    tokens: Vec::new(),
                    lifetime: Duration::from_secs(3600),
                    shape: PodAnswerShape::Credentials,
                },
                session_tokens: Vec::new(),
                counters: Counters::default(),
            }),
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, CloudState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn iam(body: serde_json::Value) -> Result<IamConfig, serde_json::Error> {
        serde_json::from_value(body)
    }

    #[test]
    fn agencies_are_found_by_domain_name_or_id() {
        let cloud = Cloud::new("p");
        let mut c = cloud.lock();
        let config = iam(json!({"agencies": [
            {"domain_name": "acme", "domain_id": "d-1", "name": "ops", "assumable_by": ["AK1"]},
            {"domain_name": "other", "name": "ops", "assumable_by": ["*"]}]}))
        .unwrap();
        assert_eq!(c.apply_iam(config), Ok(false));
        let found = |n: Option<&str>, i: Option<&str>| {
            c.iam.agency(n, i, "ops").map(|a| a.domain_name.clone())
        };
        assert_eq!(found(Some("acme"), None).as_deref(), Some("acme"));
        assert_eq!(found(None, Some("d-1")).as_deref(), Some("acme"));
        assert_eq!(found(Some("acme"), Some("d-1")).as_deref(), Some("acme"));
        assert_eq!(found(Some("acme"), Some("other")), None);
        assert_eq!(
            found(None, Some("other")).as_deref(),
            Some("other"),
            "id defaults to the name"
        );
        assert_eq!(found(None, None), None);

        let acme = c.iam.agency(Some("acme"), None, "ops").unwrap();
        assert!(acme.allows(&Principal::AccessKey("AK1".into())));
        assert!(!acme.allows(&Principal::AccessKey("AK2".into())));
        let other = c.iam.agency(Some("other"), None, "ops").unwrap();
        assert!(other.allows(&Principal::Metadata));
    }

    #[test]
    fn a_refused_section_changes_nothing() {
        let cloud = Cloud::new("p");
        let mut c = cloud.lock();
        let long = "x".repeat(MAX_NAME_LEN + 1);
        for bad in [
            json!({"users": [{"domain_name": "d", "name": "u", "password": ""}]}),
            json!({"agencies": [{"domain_name": long, "name": "a"}]}),
            json!({"credential_lifetime_ms": MAX_LIFETIME_MS + 1}),
            json!({"projects": {"r": []}, "identity_providers": {"": ["t"]}}),
        ] {
            assert!(c.apply_iam(iam(bad.clone()).unwrap()).is_err(), "{bad}");
        }
        assert!(c.projects.is_empty());
        assert!(
            iam(json!({"agency": []})).is_err(),
            "unknown fields are refused"
        );
        assert!(c
            .apply_metadata(serde_json::from_value(json!({"lifetime_ms": 0})).unwrap())
            .is_err());
    }

    #[test]
    fn regions_without_projects_of_their_own_have_the_default() {
        let cloud = Cloud::new("p");
        let mut c = cloud.lock();
        c.apply_iam(iam(json!({"projects": {"r1": ["a", "b"], "r2": []}})).unwrap())
            .unwrap();
        assert_eq!(c.region_projects("r1"), ["a", "b"]);
        assert!(c.region_projects("r2").is_empty());
        assert_eq!(c.region_projects("r3"), ["p"]);
        assert!(c.knows_project("b") && c.knows_project("p") && !c.knows_project("z"));
    }
}
