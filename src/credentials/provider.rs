//! The credentials in use, and their renewal when temporary: before they expire,
//! one caller at a time fetches new ones while the others go on with the old
//! ones, still valid; no caller waits unless the old ones have expired.

use super::active::Active;
use super::metadata::{MetadataClient, Temporary};
use super::{no_credentials, Chosen, Credentials, Secret};
use crate::error::{Error, ErrorKind};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};

/// After a failed renewal while the old credentials are still good, wait this
/// long before trying again instead of asking on every request.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(1);

/// Where the client's credentials come from, and where it says they do.
pub struct Provider {
    /// Where the credentials come from, in words for messages.
    source: String,
    kind: Kind,
}

enum Kind {
    Static(Arc<Active>),
    Rotating(Box<Rotating>),
}

/// Temporary credentials from a source that hands out new ones.
pub trait Renewable: Send + Sync {
    /// Fresh credentials; errors name the service asked.
    fn fetch(&self) -> Result<Temporary, Error>;
    /// Secrets the source itself holds (session tokens), to scrub like the credentials.
    fn secrets(&self) -> Vec<Secret> {
        Vec::new()
    }
}

struct Rotating {
    renewable: Box<dyn Renewable>,
    current: RwLock<Arc<Active>>,
    /// Held by the one caller renewing; the last failure, to space out retries.
    renewing: Mutex<Option<Instant>>,
    /// The previous credentials' secrets, still scrubbed from errors of
    /// requests that were signed with them.
    previous: Mutex<Option<Arc<Active>>>,
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            Kind::Static(active) => write!(f, "Static({:?})", active.credentials),
            Kind::Rotating(_) => write!(f, "Rotating({})", self.source),
        }
    }
}

impl Provider {
    /// For the chain's choice; with the metadata service, asks it now, and when
    /// it does not answer, fails listing every source tried.
    pub fn new(
        chosen: &Chosen,
        connect_timeout: Duration,
        timeout: Duration,
        user_agent: &str,
    ) -> Result<Provider, Error> {
        let source = chosen.source().to_string();
        match chosen {
            Chosen::Static { credentials, .. } => Ok(Provider {
                source,
                kind: Kind::Static(Arc::new(Active::new(credentials.clone(), None))),
            }),
            Chosen::Metadata { endpoint, tried } => {
                let client = MetadataClient::new(endpoint, connect_timeout, timeout, user_agent)?;
                let first = client.fetch().map_err(|e| {
                    let mut tried = tried.clone();
                    tried.push(format!("the ECS metadata service ({})", e.message));
                    no_credentials(&tried)
                })?;
                Ok(Provider::rotating(source, Box::new(client), first))
            }
        }
    }

    fn rotating(source: String, renewable: Box<dyn Renewable>, first: Temporary) -> Provider {
        Provider {
            source,
            kind: Kind::Rotating(Box::new(Rotating {
                current: RwLock::new(Arc::new(activate(first))),
                renewable,
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

    /// The credentials to sign the next request with.
    pub fn current(&self) -> Result<Arc<Active>, Error> {
        match &self.kind {
            Kind::Static(active) => Ok(active.clone()),
            Kind::Rotating(rotating) => rotating.current(),
        }
    }

    /// After the service refused `refused` (401): renews temporary credentials
    /// unless another caller already did. False for static credentials, or when
    /// renewing fails: the refusal then stands.
    pub fn renew_refused(&self, refused: &Arc<Active>) -> bool {
        let Kind::Rotating(rotating) = &self.kind else {
            return false;
        };
        let _renewing = rotating.renewing.lock().unwrap_or_else(|e| e.into_inner());
        if !Arc::ptr_eq(&rotating.read(), refused) {
            return true;
        }
        rotating.renew(refused).is_ok()
    }

    /// Secrets of temporary credentials, current and previous, and of their source.
    pub fn temporary_secrets(&self) -> Vec<Secret> {
        let Kind::Rotating(rotating) = &self.kind else {
            return Vec::new();
        };
        let current = rotating.read();
        let previous = rotating
            .previous
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let mut secrets: Vec<Secret> = [Some(current), previous]
            .into_iter()
            .flatten()
            .flat_map(|a| a.secrets().collect::<Vec<_>>())
            .collect();
        secrets.extend(rotating.renewable.secrets());
        secrets
    }
}

fn activate(t: Temporary) -> Active {
    Active::new(t.credentials, Some((SystemTime::now(), t.expires_at)))
}

impl Rotating {
    fn read(&self) -> Arc<Active> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn current(&self) -> Result<Arc<Active>, Error> {
        let active = self.read();
        let now = SystemTime::now();
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
            return match self.renew(&active) {
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
        // Expired or about to: wait for whoever renews, or renew.
        let mut last_failure = self.renewing.lock().unwrap_or_else(|e| e.into_inner());
        let latest = self.read();
        if latest.usable(SystemTime::now()) {
            return Ok(latest);
        }
        let renewed = self.renew(&latest).map_err(|e| {
            let mut error = Error::new(
                if e.kind == ErrorKind::Api {
                    ErrorKind::Api
                } else {
                    ErrorKind::Transport
                },
                format!("renewing the temporary credentials failed: {}", e.message),
            );
            error.http_status = e.http_status;
            error
        })?;
        *last_failure = None;
        Ok(renewed)
    }

    fn renew(&self, old: &Arc<Active>) -> Result<Arc<Active>, Error> {
        let renewed = Arc::new(activate(self.renewable.fetch()?));
        *self.previous.lock().unwrap_or_else(|e| e.into_inner()) = Some(old.clone());
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = renewed.clone();
        Ok(renewed)
    }
}
