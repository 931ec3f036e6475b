//! What the emulator hands out and later accepts: temporary access keys (each
//! with its security token) and IAM tokens, each with its end and the
//! principal it stands for. The metadata service, pod identity and the IAM
//! calls issue them; `auth` checks them on every endpoint.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

/// Issued keys or tokens kept for checking; past this the ended ones are
/// forgotten, and if none has ended, all of them.
const MAX_ISSUED: usize = 10_000;

/// Who a request speaks for, as `assumable_by` names it (see README.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// A permanent access key: the emulator's own, or on an emulator without
    /// credentials, whichever key a request claims.
    AccessKey(String),
    /// The emulator's `--auth-token`.
    StaticToken,
    /// The ECS metadata service's credentials.
    Metadata,
    /// A request to an emulator without credentials that claims nobody.
    Anonymous,
}

impl fmt::Display for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Principal::AccessKey(ak) => f.write_str(ak),
            Principal::StaticToken => f.write_str("token"),
            Principal::Metadata => f.write_str("ecs:metadata"),
            Principal::Anonymous => f.write_str("anonymous"),
        }
    }
}

/// Temporary credentials as handed out.
pub struct TemporaryKey {
    pub access: String,
    pub secret: String,
    pub security_token: String,
    pub expires_at: SystemTime,
}

/// An issued access key as `auth` checks it.
pub struct KnownKey {
    pub secret: String,
    pub security_token: String,
    pub expires_at: SystemTime,
    pub principal: Principal,
}

/// An issued IAM token as `auth` checks it.
pub struct KnownToken {
    pub expires_at: SystemTime,
    pub principal: Principal,
}

/// One kind of issued thing, keyed by its public part.
struct Store<T> {
    entries: Mutex<HashMap<String, (T, SystemTime)>>,
}

impl<T> Default for Store<T> {
    fn default() -> Self {
        Store {
            entries: Mutex::default(),
        }
    }
}

impl<T> Store<T> {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, (T, SystemTime)>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn insert(&self, key: String, value: T, expires_at: SystemTime, now: SystemTime) {
        let mut entries = self.lock();
        if entries.len() >= MAX_ISSUED {
            entries.retain(|_, (_, end)| *end > now);
            if entries.len() >= MAX_ISSUED {
                entries.clear();
            }
        }
        entries.insert(key, (value, expires_at));
    }

    fn get<R>(&self, key: &str, read: impl FnOnce(&T, SystemTime) -> R) -> Option<R> {
        self.lock().get(key).map(|(value, end)| read(value, *end))
    }

    fn clear(&self) {
        self.lock().clear();
    }
}

struct KeyEntry {
    secret: String,
    security_token: String,
    principal: Principal,
}

/// Everything issued so far, shared by the issuing handlers and `Auth`.
#[derive(Default)]
pub struct Issued {
    keys: Store<KeyEntry>,
    tokens: Store<Principal>,
}

fn random_hex(digits: usize) -> String {
    let mut out = String::with_capacity(digits + 32);
    while out.len() < digits {
        out.push_str(&format!("{:032x}", fastrand::u128(..)));
    }
    out.truncate(digits);
    out
}

impl Issued {
    /// New temporary credentials for `principal`, valid for `lifetime`.
    pub fn issue_key(
        &self,
        principal: Principal,
        now: SystemTime,
        lifetime: Duration,
    ) -> TemporaryKey {
        let issued = TemporaryKey {
            access: format!("TMP{}", random_hex(17).to_ascii_uppercase()),
            secret: random_hex(40),
            security_token: format!("tok-{}", random_hex(64)),
            expires_at: now + lifetime,
        };
        let entry = KeyEntry {
            secret: issued.secret.clone(),
            security_token: issued.security_token.clone(),
            principal,
        };
        self.keys
            .insert(issued.access.clone(), entry, issued.expires_at, now);
        issued
    }

    pub fn key(&self, access: &str) -> Option<KnownKey> {
        self.keys.get(access, |entry, expires_at| KnownKey {
            secret: entry.secret.clone(),
            security_token: entry.security_token.clone(),
            expires_at,
            principal: entry.principal.clone(),
        })
    }

    pub fn token(&self, token: &str) -> Option<KnownToken> {
        self.tokens.get(token, |principal, expires_at| KnownToken {
            expires_at,
            principal: principal.clone(),
        })
    }

    /// Every temporary access key handed out so far becomes unknown.
    pub fn revoke_keys(&self) {
        self.keys.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_keys_are_found_with_their_principal() {
        let issued = Issued::default();
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let key = issued.issue_key(Principal::Metadata, now, Duration::from_secs(60));
        assert!(key.access.starts_with("TMP") && key.access.len() == 20);
        let known = issued.key(&key.access).unwrap();
        assert_eq!(known.secret, key.secret);
        assert_eq!(known.security_token, key.security_token);
        assert_eq!(known.expires_at, now + Duration::from_secs(60));
        assert_eq!(known.principal, Principal::Metadata);
        assert!(issued.token("MIIother").is_none());
        issued.revoke_keys();
        assert!(issued.key(&key.access).is_none());
    }
}
