//! The credentials in use, and their renewal when temporary: before they expire,
//! one caller at a time fetches new ones while the others go on with the old
//! ones, still valid; no caller waits unless the old ones have expired.

use super::metadata::{MetadataClient, Temporary};
use super::{no_credentials, Chosen, Credentials, Secret};
use crate::error::{Error, ErrorKind};
use crate::signing::Signer;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};

/// Renewal starts this long before the end at the latest (the official SDKs: 2 h)...
const MAX_RENEW_AHEAD: Duration = Duration::from_secs(2 * 3600);
/// ...or when less than half their life is left, for short-lived credentials.
/// Credentials closer than this to their end are not used at all.
const MIN_LEFT: Duration = Duration::from_millis(250);
/// After a failed renewal while the old credentials are still good, wait this
/// long before trying again instead of asking on every request.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(1);

/// Credentials ready to authenticate requests.
#[derive(Debug)]
pub struct Active {
    pub credentials: Credentials,
    /// With AK/SK: the secret key's HMAC schedule, computed once.
    pub signer: Option<Signer>,
    /// Temporary credentials: when to renew, and when they end.
    renew_at: Option<SystemTime>,
    expires_at: Option<SystemTime>,
}

impl Active {
    fn new(credentials: Credentials, lifetime: Option<(SystemTime, SystemTime)>) -> Active {
        let signer = match &credentials {
            Credentials::AkSk { secret_key, .. } => Some(Signer::new(secret_key.expose())),
            Credentials::Token(_) => None,
        };
        let (renew_at, expires_at) = match lifetime {
            Some((fetched_at, expires_at)) => {
                let life = expires_at.duration_since(fetched_at).unwrap_or_default();
                let ahead = (life / 2).min(MAX_RENEW_AHEAD);
                (Some(expires_at - ahead), Some(expires_at))
            }
            None => (None, None),
        };
        Active {
            credentials,
            signer,
            renew_at,
            expires_at,
        }
    }

    fn due(&self, now: SystemTime) -> bool {
        self.renew_at.is_some_and(|at| now >= at)
    }

    fn usable(&self, now: SystemTime) -> bool {
        self.expires_at
            .is_none_or(|end| end.duration_since(now).is_ok_and(|left| left > MIN_LEFT))
    }
}

pub enum Provider {
    Static(Arc<Active>),
    Metadata(Box<Rotating>),
}

pub struct Rotating {
    client: MetadataClient,
    current: RwLock<Arc<Active>>,
    /// Held by the one caller renewing; the last failure, to space out retries.
    renewing: Mutex<Option<Instant>>,
    /// The previous credentials' secrets, still scrubbed from errors of
    /// requests that were signed with them.
    previous: Mutex<Option<Arc<Active>>>,
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Provider::Static(active) => write!(f, "Static({:?})", active.credentials),
            Provider::Metadata(r) => write!(f, "Metadata({})", r.client.shown()),
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
        match chosen {
            Chosen::Static { credentials, .. } => Ok(Provider::Static(Arc::new(Active::new(
                credentials.clone(),
                None,
            )))),
            Chosen::Metadata { endpoint, tried } => {
                let client = MetadataClient::new(endpoint, connect_timeout, timeout, user_agent)?;
                let first = client.fetch().map_err(|e| {
                    let mut tried = tried.clone();
                    tried.push(format!("the ECS metadata service ({})", e.message));
                    no_credentials(&tried)
                })?;
                Ok(Provider::Metadata(Box::new(Rotating {
                    current: RwLock::new(Arc::new(activate(first))),
                    client,
                    renewing: Mutex::new(None),
                    previous: Mutex::new(None),
                })))
            }
        }
    }

    /// The credentials to sign the next request with.
    pub fn current(&self) -> Result<Arc<Active>, Error> {
        match self {
            Provider::Static(active) => Ok(active.clone()),
            Provider::Metadata(rotating) => rotating.current(),
        }
    }

    /// After the service refused `refused` (401): renews temporary credentials
    /// unless another caller already did. False for static credentials, or when
    /// renewing fails: the refusal then stands.
    pub fn renew_refused(&self, refused: &Arc<Active>) -> bool {
        let Provider::Metadata(rotating) = self else {
            return false;
        };
        let _renewing = rotating.renewing.lock().unwrap_or_else(|e| e.into_inner());
        if !Arc::ptr_eq(&rotating.read(), refused) {
            return true;
        }
        rotating.renew(refused).is_ok()
    }

    /// Secrets of temporary credentials, current and previous.
    pub fn temporary_secrets(&self) -> Vec<Secret> {
        let Provider::Metadata(rotating) = self else {
            return Vec::new();
        };
        let current = rotating.read();
        let previous = rotating
            .previous
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        [Some(current), previous]
            .into_iter()
            .flatten()
            .flat_map(|a| {
                a.credentials
                    .secrets()
                    .into_iter()
                    .map(Secret::new)
                    .collect::<Vec<_>>()
            })
            .collect()
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
        let renewed = Arc::new(activate(self.client.fetch()?));
        *self.previous.lock().unwrap_or_else(|e| e.into_inner()) = Some(old.clone());
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = renewed.clone();
        Ok(renewed)
    }
}
