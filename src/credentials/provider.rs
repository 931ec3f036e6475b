//! The credentials in use: fixed ones, or temporary ones fetched at their
//! first use and renewed before they expire: one caller at a time fetches new
//! ones while the others go on with the old ones, still valid; no caller waits
//! unless the old ones have expired. An agency of `assume_role` is a source
//! of temporary credentials on top of another provider.

use super::active::Active;
use super::assume_role::{AssumeRole, Assumed};
use super::chain::{no_credentials, Chosen};
use super::exchange::Service;
use super::federated::Federated;
use super::found::Method;
use super::metadata::MetadataClient;
use super::password::{Password, Scope};
use super::pod_identity::PodIdentity;
use super::renewable::{InUse, Renewable, Temporary};
use super::{Credentials, Secret};
use crate::error::Error;
use crate::net::target::AgentSettings;
use ges_signing::Algorithm;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};

/// After a failed renewal while the old credentials are still good, wait this
/// long before trying again instead of asking on every request.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(1);

/// What building the credentials needs of the config.
pub(crate) struct Setup<'a> {
    /// How IAM, STS and pod identity are reached (proxy, TLS, timeouts).
    pub agents: &'a AgentSettings<'a>,
    pub connect_timeout: Duration,
    pub timeout: Duration,
    pub algorithm: Algorithm,
    pub iam_endpoint: Option<&'a str>,
    pub sts_endpoint: Option<&'a str>,
    /// A password's user's account.
    pub domain_name: Option<&'a str>,
    /// What a password's token is scoped to: the project, else the region's.
    pub project_id: Option<&'a str>,
    pub region: Option<&'a str>,
    /// The agencies to assume, in order, on top of what the chain chose.
    pub assume: &'a [AssumeRole],
}

impl Setup<'_> {
    /// IAM at `iam_endpoint`, for `what` (a key of the config, in messages).
    fn iam(&self, what: &str) -> Result<Service, Error> {
        let url = self.iam_endpoint.ok_or_else(|| needs_iam(what))?;
        Service::new("IAM", url, "iam_endpoint", self.agents, self.timeout)
    }
}

fn needs_iam(what: &str) -> Error {
    Error::invalid(format!(
        "config: {what} needs IAM: set \"region\" (or HW_REGION_NAME), or \"iam_endpoint\""
    ))
}

/// Where the client's credentials come from, and where it says they do.
pub struct Provider {
    /// Where the credentials come from, in words for messages.
    source: String,
    kind: Kind,
}

enum Kind {
    Fixed(Arc<Active>),
    Rotating(Box<Rotating>),
}

struct Rotating {
    renewable: Box<dyn Renewable>,
    algorithm: Algorithm,
    /// `None` until the first use.
    current: RwLock<Option<Arc<Active>>>,
    /// Held by the one caller renewing; the last failure, to space out retries.
    renewing: Mutex<Option<Instant>>,
    /// The previous credentials' secrets, still scrubbed from errors of
    /// requests that were signed with them.
    previous: Mutex<Option<Arc<Active>>>,
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            Kind::Fixed(active) => write!(f, "Fixed({:?})", active.credentials),
            Kind::Rotating(_) => write!(f, "Rotating({})", self.source),
        }
    }
}

impl Provider {
    /// The chain's choice, with each agency of `assume_role` on top. With the
    /// metadata service, asks it now (and when it does not answer, fails
    /// listing every source tried); other temporary credentials are fetched
    /// at their first use.
    pub fn new(chosen: &Chosen, setup: &Setup<'_>) -> Result<Provider, Error> {
        let mut provider = Self::chosen(chosen, setup)?;
        for role in setup.assume {
            let service = match &role.domain_id {
                Some(_) => {
                    let url = setup.sts_endpoint.ok_or_else(|| needs_iam("assume_role"))?;
                    Service::new("STS", url, "iam_endpoint", setup.agents, setup.timeout)?
                }
                None => setup.iam("assume_role")?,
            };
            let source = format!(
                "agency {:?} assumed with credentials from {}",
                role.agency_name, provider.source
            );
            let assumed = Assumed {
                role: role.clone(),
                base: Box::new(provider),
                service,
            };
            provider = Provider::rotating(source, Box::new(assumed), None, setup.algorithm);
        }
        Ok(provider)
    }

    fn chosen(chosen: &Chosen, setup: &Setup<'_>) -> Result<Provider, Error> {
        let source = chosen.source();
        let algorithm = setup.algorithm;
        let renewable: Box<dyn Renewable> = match chosen {
            Chosen::Found {
                method: Method::Static(credentials),
                ..
            } => {
                return Ok(Provider {
                    source,
                    kind: Kind::Fixed(Arc::new(Active::new(credentials.clone(), None, algorithm)?)),
                })
            }
            Chosen::Found {
                method:
                    Method::Password {
                        user_name,
                        password,
                    },
                ..
            } => {
                let domain_name = setup.domain_name.ok_or_else(|| {
                    Error::invalid(
                        "config: user_name and password need \"domain_name\" (or HW_DOMAIN_NAME), the user's account",
                    )
                })?;
                let scope = match (setup.project_id, setup.region) {
                    (Some(id), _) => Scope::ProjectId(id.to_string()),
                    (None, Some(region)) => Scope::ProjectName(region.to_string()),
                    (None, None) => unreachable!("the config has a project or a region"),
                };
                Box::new(Password {
                    iam: setup.iam("user_name and password")?,
                    user_name: user_name.clone(),
                    password: password.clone(),
                    domain_name: domain_name.to_string(),
                    scope,
                })
            }
            Chosen::Found {
                method: Method::Federated { idp_id, id_token },
                ..
            } => Box::new(Federated {
                iam: setup.iam("idp_id")?,
                idp_id: idp_id.clone(),
                id_token: id_token.clone(),
                held: Mutex::new(Vec::new()),
            }),
            Chosen::PodIdentity(pod) => Box::new(PodIdentity {
                service: Service::new(
                    "pod identity",
                    &pod.uri,
                    "HC_CONTAINER_CREDENTIALS_FULL_URI",
                    setup.agents,
                    setup.timeout,
                )?,
                token_file: pod.token_file.clone(),
                held: Mutex::new(None),
            }),
            Chosen::Metadata { endpoint, tried } => {
                let client = MetadataClient::new(
                    endpoint,
                    setup.connect_timeout,
                    setup.timeout,
                    setup.agents.user_agent,
                )?;
                let first = client.fetch().map_err(|e| {
                    let mut tried = tried.clone();
                    tried.push(format!("the ECS metadata service ({})", e.message));
                    no_credentials(&tried)
                })?;
                return Ok(Provider::rotating(
                    source,
                    Box::new(client),
                    Some(first),
                    algorithm,
                ));
            }
        };
        Ok(Provider::rotating(source, renewable, None, algorithm))
    }

    fn rotating(
        source: String,
        renewable: Box<dyn Renewable>,
        first: Option<Temporary>,
        algorithm: Algorithm,
    ) -> Provider {
        let first = first
            .and_then(|t| activate(t, algorithm).ok())
            .map(Arc::new);
        Provider {
            source,
            kind: Kind::Rotating(Box::new(Rotating {
                current: RwLock::new(first),
                renewable,
                algorithm,
                renewing: Mutex::new(None),
                previous: Mutex::new(None),
            })),
        }
    }

    /// Where the credentials come from, in words for messages.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether requests are signed (AK/SK), rather than carry a token.
    pub fn signs(&self) -> bool {
        self.current()
            .is_ok_and(|a| matches!(a.credentials, Credentials::AkSk { .. }))
    }

    /// Whether the credentials are temporary, and renewed.
    pub fn renewable(&self) -> bool {
        matches!(self.kind, Kind::Rotating(_))
    }

    /// The credentials to sign the next request with: fetched at the first
    /// use, renewed when due.
    pub fn current(&self) -> Result<Arc<Active>, Error> {
        match &self.kind {
            Kind::Fixed(active) => Ok(active.clone()),
            Kind::Rotating(rotating) => rotating.current(),
        }
    }

    /// After the service refused `refused` (401): renews temporary credentials
    /// unless another caller already did. False for fixed credentials, or when
    /// renewing fails: the refusal then stands.
    pub fn renew_refused(&self, refused: &Arc<Active>) -> bool {
        let Kind::Rotating(rotating) = &self.kind else {
            return false;
        };
        let _renewing = rotating.renewing.lock().unwrap_or_else(|e| e.into_inner());
        if !rotating
            .read()
            .is_some_and(|now| Arc::ptr_eq(&now, refused))
        {
            return true;
        }
        rotating.renew(Some(refused)).is_ok()
    }

    /// Secrets of temporary credentials, current and previous, and of their source.
    pub fn temporary_secrets(&self) -> Vec<Secret> {
        let Kind::Rotating(rotating) = &self.kind else {
            return Vec::new();
        };
        let previous = rotating
            .previous
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let mut secrets: Vec<Secret> = [rotating.read(), previous]
            .into_iter()
            .flatten()
            .flat_map(|a| a.secrets().collect::<Vec<_>>())
            .collect();
        secrets.extend(rotating.renewable.secrets());
        secrets
    }
}

fn activate(t: Temporary, algorithm: Algorithm) -> Result<Active, Error> {
    Active::new(
        t.credentials,
        Some((SystemTime::now(), t.expires_at)),
        algorithm,
    )
}

impl Rotating {
    fn read(&self) -> Option<Arc<Active>> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn current(&self) -> Result<Arc<Active>, Error> {
        let now = SystemTime::now();
        if let Some(active) = self.read() {
            if !active.due(now) {
                return Ok(active);
            }
            if active.usable(now) {
                // Someone else renewing: go on with these, still good.
                let Ok(mut last_failure) = self.renewing.try_lock() else {
                    return Ok(active);
                };
                if last_failure.is_some_and(|at| at.elapsed() < RETRY_AFTER_FAILURE) {
                    return Ok(active);
                }
                return match self.renew(Some(&active)) {
                    Ok(renewed) => {
                        *last_failure = None;
                        Ok(renewed)
                    }
                    Err(_) => {
                        *last_failure = Some(Instant::now());
                        Ok(active)
                    }
                };
            }
        }
        // None yet, or expired or about to: wait for whoever fetches, or fetch.
        let mut last_failure = self.renewing.lock().unwrap_or_else(|e| e.into_inner());
        let latest = self.read();
        if let Some(latest) = &latest {
            if latest.usable(SystemTime::now()) {
                return Ok(latest.clone());
            }
        }
        let renewed = self.renew(latest.as_ref()).map_err(|mut e| {
            if latest.is_some() {
                e.message = format!("renewing the temporary credentials failed: {}", e.message);
            }
            e
        })?;
        *last_failure = None;
        Ok(renewed)
    }

    fn renew(&self, old: Option<&Arc<Active>>) -> Result<Arc<Active>, Error> {
        let renewed = Arc::new(activate(self.renewable.fetch()?, self.algorithm)?);
        *self.previous.lock().unwrap_or_else(|e| e.into_inner()) = old.cloned();
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(renewed.clone());
        Ok(renewed)
    }
}

impl InUse for Provider {
    fn current(&self) -> Result<Arc<Active>, Error> {
        Provider::current(self)
    }

    fn temporary_secrets(&self) -> Vec<Secret> {
        Provider::temporary_secrets(self)
    }
}
