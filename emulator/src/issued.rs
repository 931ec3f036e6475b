//! What the emulator hands out and later accepts: temporary access keys (each
//! with its security token) and IAM tokens, each with its end and the
//! principal it stands for. The metadata service, pod identity and the IAM
//! calls issue them; `auth` checks them on every endpoint.

use crate::reply::rfc3339;
use ges_signing::Verifier;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

/// Issued keys or tokens kept for checking; past this the ended ones are
/// forgotten, and if none has ended, all of them. Each key keeps its
/// verifier (with its ECDSA and SM2 keys once used), so this bounds those too.
pub const MAX_ISSUED: usize = 10_000;

/// Who a request speaks for, as `assumable_by` names it (see README.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// A permanent access key: the emulator's own, or on an emulator without
    /// credentials, whichever key a request claims.
    AccessKey(String),
    /// The emulator's `--auth-token`.
    StaticToken,
    /// Temporary credentials of an agency, from `assume_role` or STS.
    Agency { domain: String, name: String },
    /// An IAM user, from a password token.
    User { domain: String, name: String },
    /// A federated user, from an OpenID Connect ID token.
    Federated { idp: String },
    /// The ECS metadata service's credentials.
    Metadata,
    /// Pod identity credentials.
    PodIdentity,
    /// A request to an emulator without credentials that claims nobody.
    Anonymous,
}

impl fmt::Display for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Principal::AccessKey(ak) => f.write_str(ak),
            Principal::StaticToken => f.write_str("token"),
            Principal::Agency { domain, name } => write!(f, "agency:{domain}/{name}"),
            Principal::User { domain, name } => write!(f, "user:{domain}/{name}"),
            Principal::Federated { idp } => write!(f, "idp:{idp}"),
            Principal::Metadata => f.write_str("ecs:metadata"),
            Principal::PodIdentity => f.write_str("cce:pod-identity"),
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

impl TemporaryKey {
    /// `{"access", "secret", "securitytoken", "expires_at"}`: IAM's and the
    /// metadata service's shape, under `credential`.
    pub fn as_credential(&self) -> Value {
        json!({"access": self.access, "secret": self.secret,
               "securitytoken": self.security_token, "expires_at": rfc3339(self.expires_at)})
    }

    /// `{"access_key_id", "secret_access_key", "security_token", "expiration"}`:
    /// STS's shape, under `credentials`.
    pub fn as_credentials(&self) -> Value {
        json!({"access_key_id": self.access, "secret_access_key": self.secret,
               "security_token": self.security_token, "expiration": rfc3339(self.expires_at)})
    }
}

/// An issued access key as `auth` checks it.
pub struct KnownKey {
    /// Made when the key was issued and shared by every request signed with
    /// it: an ECDSA or SM2 key is derived once per issued key, not per request.
    pub verifier: Arc<Verifier>,
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
    verifier: Arc<Verifier>,
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
            verifier: Arc::new(Verifier::new(&issued.access, &issued.secret)),
            security_token: issued.security_token.clone(),
            principal,
        };
        self.keys
            .insert(issued.access.clone(), entry, issued.expires_at, now);
        issued
    }

    /// A new IAM token for `principal`, and its end.
    pub fn issue_token(
        &self,
        principal: Principal,
        now: SystemTime,
        lifetime: Duration,
    ) -> (String, SystemTime) {
        // Real tokens are long base64 text starting with "MII".
        let token = format!("MIIemu{}", random_hex(96));
        let expires_at = now + lifetime;
        self.tokens
            .insert(token.clone(), principal, expires_at, now);
        (token, expires_at)
    }

    pub fn key(&self, access: &str) -> Option<KnownKey> {
        self.keys.get(access, |entry, expires_at| KnownKey {
            verifier: entry.verifier.clone(),
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

    /// Every IAM token handed out so far becomes unknown.
    pub fn revoke_tokens(&self) {
        self.tokens.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_keys_and_tokens_are_found_with_their_principal() {
        let issued = Issued::default();
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let agency = Principal::Agency {
            domain: "acme".into(),
            name: "ops".into(),
        };
        let key = issued.issue_key(agency.clone(), now, Duration::from_secs(60));
        assert!(key.access.starts_with("TMP") && key.access.len() == 20);
        let known = issued.key(&key.access).unwrap();
        assert_eq!(known.verifier.access_key(), key.access);
        // One verifier per key, whatever the number of lookups.
        assert!(Arc::ptr_eq(
            &known.verifier,
            &issued.key(&key.access).unwrap().verifier
        ));
        // It holds the secret handed out.
        let headers = [("X-Sdk-Date".to_string(), "20240601T000000Z".to_string())];
        let mut request = ges_signing::SignableRequest {
            method: "GET",
            path: "/",
            query: &[],
            headers: &headers,
            body: b"",
        };
        let signed: Vec<(String, String)> = headers
            .iter()
            .cloned()
            .chain(ges_signing::Signer::new(&key.secret).sign(&key.access, &request))
            .collect();
        request.headers = &signed;
        assert!(known.verifier.verify(&request).is_ok());
        assert_eq!(known.security_token, key.security_token);
        assert_eq!(known.expires_at, now + Duration::from_secs(60));
        assert_eq!(known.principal, agency);

        let (token, end) = issued.issue_token(Principal::Metadata, now, Duration::from_secs(5));
        assert_eq!(issued.token(&token).unwrap().expires_at, end);
        assert!(issued.token("MIIother").is_none());

        issued.revoke_keys();
        assert!(issued.key(&key.access).is_none());
        assert!(issued.token(&token).is_some());
        issued.revoke_tokens();
        assert!(issued.token(&token).is_none());
    }

    #[test]
    fn principals_print_as_assumable_by_names_them() {
        let names: Vec<String> = [
            Principal::AccessKey("AK1".into()),
            Principal::Agency {
                domain: "d".into(),
                name: "a".into(),
            },
            Principal::User {
                domain: "d".into(),
                name: "u".into(),
            },
            Principal::Federated { idp: "gh".into() },
            Principal::Metadata,
            Principal::PodIdentity,
        ]
        .iter()
        .map(Principal::to_string)
        .collect();
        assert_eq!(
            names,
            [
                "AK1",
                "agency:d/a",
                "user:d/u",
                "idp:gh",
                "ecs:metadata",
                "cce:pod-identity"
            ]
        );
    }
}
