//! Credentials in use, and how they authenticate one request: an IAM token as
//! `X-Auth-Token`, or AK/SK signing of every header sent.

use super::{Credentials, Secret};
use crate::error::Error;
use ges_signing::{self as signing, Algorithm, SignableRequest, Signer};
use std::time::{Duration, SystemTime};

/// Renewal starts this long before the end at the latest (the official SDKs: 2 h)...
const MAX_RENEW_AHEAD: Duration = Duration::from_secs(2 * 3600);
/// ...or when less than half their life is left, for short-lived credentials.
/// Credentials closer than this to their end are not used at all.
const MIN_LEFT: Duration = Duration::from_millis(250);

/// Credentials ready to authenticate requests.
#[derive(Debug)]
pub struct Active {
    pub credentials: Credentials,
    /// With AK/SK: the signer of the config's algorithm, its key (HMAC
    /// schedule, or the ECDSA/SM2 key derived from AK/SK) computed once.
    signer: Option<Signer>,
    /// Temporary credentials: when to renew, and when they end.
    renew_at: Option<SystemTime>,
    expires_at: Option<SystemTime>,
}

impl Active {
    /// `lifetime`: when temporary credentials were fetched and when they end.
    pub fn new(
        credentials: Credentials,
        lifetime: Option<(SystemTime, SystemTime)>,
        algorithm: Algorithm,
    ) -> Result<Active, Error> {
        let signer = match &credentials {
            Credentials::AkSk {
                access_key,
                secret_key,
                ..
            } => Some(
                Signer::with_algorithm(algorithm, access_key, secret_key.expose()).map_err(|_| {
                    // The SDKs' derivation fails for one key pair in about 2^8000.
                    Error::invalid(format!(
                        "config: no {algorithm} key can be derived from this access key and secret key"
                    ))
                })?,
            ),
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
        Ok(Active {
            credentials,
            signer,
            renew_at,
            expires_at,
        })
    }

    /// Time to fetch new ones.
    pub fn due(&self, now: SystemTime) -> bool {
        self.renew_at.is_some_and(|at| now >= at)
    }

    /// Still good for a request sent now.
    pub fn usable(&self, now: SystemTime) -> bool {
        self.expires_at
            .is_none_or(|end| end.duration_since(now).is_ok_and(|left| left > MIN_LEFT))
    }

    /// Adds to `headers` what authenticates the request: with AK/SK, the
    /// `X-Sdk-Date`, the security token and the signature over every header
    /// in `headers` (so `Host` and the rest must be there already) and the body.
    pub fn authenticate(
        &self,
        headers: &mut Vec<(String, String)>,
        method: &str,
        decoded_path: &str,
        query: &[(String, String)],
        body: &[u8],
        now: SystemTime,
    ) {
        match (&self.credentials, &self.signer) {
            (
                Credentials::AkSk {
                    access_key,
                    security_token,
                    ..
                },
                Some(signer),
            ) => {
                headers.push((
                    signing::DATE_HEADER.to_string(),
                    signing::format_sdk_date(now),
                ));
                if let Some(token) = security_token {
                    headers.push(("X-Security-Token".to_string(), token.expose().to_string()));
                }
                let signable = SignableRequest {
                    method,
                    path: decoded_path,
                    query,
                    headers,
                    body,
                };
                let added = signer.sign(access_key, &signable);
                headers.extend(added);
            }
            (Credentials::Token(token), _) => {
                headers.push(("X-Auth-Token".to_string(), token.expose().to_string()))
            }
            (Credentials::AkSk { .. }, None) => unreachable!("AK/SK credentials have a signer"),
        }
    }

    /// The secret values of these credentials.
    pub fn secrets(&self) -> impl Iterator<Item = Secret> + '_ {
        self.credentials.secrets().into_iter().map(Secret::new)
    }
}
