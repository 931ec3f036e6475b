//! A signer for one secret key (and, for ECDSA and SM2, the access key the
//! private key is derived from): the key is made once, every request signed with it.

use crate::algorithm::Algorithm;
use crate::authorization;
use crate::canonical::{string_to_sign, SignableRequest, UNSIGNED_PAYLOAD};
use crate::derive::{private_scalar, KeyDerivationError};
use crate::sdk_date::DATE_HEADER;
use crate::sm2_identity::{self, SM2_DEFAULT_USER_ID};
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use signature::{Signer as _, Verifier as _};
use sm3::Sm3;
use std::fmt;

/// Signs requests with one algorithm and key. Holds key material only as HMAC
/// state or private keys, and prints none.
#[derive(Clone)]
pub struct Signer {
    key: Key,
}

#[derive(Clone)]
enum Key {
    HmacSha256(Hmac<Sha256>),
    HmacSm3(Hmac<Sm3>),
    EcdsaP256(p256::ecdsa::SigningKey),
    Sm2(sm2::dsa::SigningKey),
}

/// Why a signature was not the request's, before anything is said about the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mismatch {
    /// Not hex, or (ECDSA, SM2) not a DER `SEQUENCE { r, s }` of valid scalars.
    Malformed,
    Wrong,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("algorithm", &self.algorithm())
            .finish_non_exhaustive()
    }
}

fn hmac<M: Mac + KeyInit>(secret_key: &str) -> M {
    <M as Mac>::new_from_slice(secret_key.as_bytes()).expect("HMAC takes any key length")
}

fn hmac_hex<M: Mac + Clone>(keyed: &M, to_sign: &str) -> String {
    hex::encode(keyed.clone().chain_update(to_sign).finalize().into_bytes())
}

impl Signer {
    /// An SDK-HMAC-SHA256 signer.
    pub fn new(secret_key: &str) -> Signer {
        Signer {
            key: Key::HmacSha256(hmac(secret_key)),
        }
    }

    /// A signer for `algorithm`. For ECDSA and SM2 this derives the private key
    /// from both keys (see [`Signer::authorization`] for the access key to sign with).
    pub fn with_algorithm(
        algorithm: Algorithm,
        access_key: &str,
        secret_key: &str,
    ) -> Result<Signer, KeyDerivationError> {
        let key = match algorithm {
            Algorithm::HmacSha256 => Key::HmacSha256(hmac(secret_key)),
            Algorithm::HmacSm3 => Key::HmacSm3(hmac(secret_key)),
            Algorithm::EcdsaP256Sha256 => Key::EcdsaP256(
                private_scalar::<p256::NistP256>(algorithm, access_key, secret_key)?.into(),
            ),
            Algorithm::Sm2Sm3 => {
                let scalar = private_scalar::<sm2::Sm2>(algorithm, access_key, secret_key)?;
                Key::Sm2(
                    sm2::dsa::SigningKey::from_nonzero_scalar(SM2_DEFAULT_USER_ID, scalar)
                        .expect("the default user id is short enough"),
                )
            }
        };
        Ok(Signer { key })
    }

    pub fn algorithm(&self) -> Algorithm {
        match self.key {
            Key::HmacSha256(_) => Algorithm::HmacSha256,
            Key::HmacSm3(_) => Algorithm::HmacSm3,
            Key::EcdsaP256(_) => Algorithm::EcdsaP256Sha256,
            Key::Sm2(_) => Algorithm::Sm2Sm3,
        }
    }

    /// Hex signature of `req` (HMAC, or DER ECDSA/SM2 signature) and the signed header names.
    pub fn signature(&self, sdk_date: &str, req: &SignableRequest<'_>) -> (String, String) {
        let (to_sign, signed_headers) = string_to_sign(self.algorithm(), sdk_date, req);
        let signature = match &self.key {
            Key::HmacSha256(keyed) => hmac_hex(keyed, &to_sign),
            Key::HmacSm3(keyed) => hmac_hex(keyed, &to_sign),
            Key::EcdsaP256(key) => {
                let signature: p256::ecdsa::Signature = key.sign(to_sign.as_bytes());
                hex::encode(signature.to_der().as_bytes())
            }
            Key::Sm2(key) => {
                let signature: sm2::dsa::Signature = key.sign(to_sign.as_bytes());
                let (r, s) = (signature.r_bytes(), signature.s_bytes());
                let der = ecdsa::Signature::<sm2::Sm2>::from_scalars(r, s)
                    .expect("an SM2 signature's r and s are valid scalars")
                    .to_der();
                hex::encode(der.as_bytes())
            }
        };
        (signature, signed_headers)
    }

    /// The `Authorization` header value for `req` exactly as given: `req.headers`
    /// must hold `X-Sdk-Date`, and for ECDSA and SM2 `access_key` must be the
    /// one the signer was made with (else the server derives another key).
    pub fn authorization(&self, access_key: &str, req: &SignableRequest<'_>) -> String {
        let sdk_date = req.header(DATE_HEADER).unwrap_or_default();
        let (signature, signed_headers) = self.signature(sdk_date, req);
        authorization::format(self.algorithm(), access_key, &signed_headers, &signature)
    }

    /// The headers to add to `req`, as the SDKs add them: the algorithm's content
    /// hash header set to `UNSIGNED-PAYLOAD` when the `Content-Type` is neither JSON
    /// nor BSON (signed too), then `Authorization`. JSON requests get only the latter.
    pub fn sign(&self, access_key: &str, req: &SignableRequest<'_>) -> Vec<(String, String)> {
        let content_header = self.algorithm().content_hash_header();
        let unsigned_payload = req.header(content_header).is_none()
            && req.header("Content-Type").is_some_and(|t| {
                !t.starts_with("application/json") && !t.starts_with("application/bson")
            });
        if !unsigned_payload {
            let authorization = self.authorization(access_key, req);
            return vec![("Authorization".to_string(), authorization)];
        }
        let added = (content_header.to_string(), UNSIGNED_PAYLOAD.to_string());
        let mut headers = req.headers.to_vec();
        headers.push(added.clone());
        let authorization = self.authorization(
            access_key,
            &SignableRequest {
                headers: &headers,
                ..*req
            },
        );
        vec![added, ("Authorization".to_string(), authorization)]
    }

    /// Whether `signature_hex` signs `to_sign` under this key (HMACs compared in constant time).
    pub(crate) fn check(&self, to_sign: &str, signature_hex: &str) -> Result<(), Mismatch> {
        let given = hex::decode(signature_hex).map_err(|_| Mismatch::Malformed)?;
        let message = to_sign.as_bytes();
        match &self.key {
            Key::HmacSha256(keyed) => keyed.clone().chain_update(message).verify_slice(&given),
            Key::HmacSm3(keyed) => keyed.clone().chain_update(message).verify_slice(&given),
            Key::EcdsaP256(key) => {
                let signature =
                    p256::ecdsa::Signature::from_der(&given).map_err(|_| Mismatch::Malformed)?;
                return key
                    .verifying_key()
                    .verify(message, &signature)
                    .map_err(|_| Mismatch::Wrong);
            }
            Key::Sm2(key) => {
                let (r, s) = ecdsa::Signature::<sm2::Sm2>::from_der(&given)
                    .map_err(|_| Mismatch::Malformed)?
                    .split_bytes();
                let signature =
                    sm2::dsa::Signature::from_scalars(r, s).map_err(|_| Mismatch::Malformed)?;
                return sm2_identity::verify(key.verifying_key(), message, &signature)
                    .map_err(|_| Mismatch::Wrong);
            }
        }
        .map_err(|_| Mismatch::Wrong)
    }
}

#[cfg(test)]
impl Signer {
    pub(crate) fn sm2_key(&self) -> Option<&sm2::dsa::SigningKey> {
        match &self.key {
            Key::Sm2(key) => Some(key),
            _ => None,
        }
    }

    pub(crate) fn sm2_python_z(&self) -> Option<[u8; 32]> {
        sm2_identity::python_sdk_z(self.sm2_key()?.verifying_key())
    }
}
