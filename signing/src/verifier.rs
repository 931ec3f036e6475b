//! The gateway's side: whether a request as received carries a valid signature
//! of any of the four algorithms for a known AK/SK, and if not, why.

use crate::algorithm::Algorithm;
use crate::authorization::parse_authorization;
use crate::canonical::{payload_hash, string_to_sign, SignableRequest, UNSIGNED_PAYLOAD};
use crate::derive::KeyDerivationError;
use crate::sdk_date::{parse_sdk_date, DATE_HEADER};
use crate::signer::{Mismatch, Signer};
use std::fmt;
use std::sync::OnceLock;
use std::time::SystemTime;

/// A request whose signature holds. The caller still checks the date's distance
/// from its clock (the gateway allows 15 minutes), after the signature, so that
/// "expired" means that only the date is wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verified {
    pub algorithm: Algorithm,
    /// `X-Sdk-Date`.
    pub signed_at: SystemTime,
}

/// Why a request is refused (the gateway answers 401 `APIGW.0301`). Its text
/// names headers, never a key or a signature.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    MissingAuthorization,
    MalformedAuthorization,
    UnknownAccessKey,
    MissingDate,
    MalformedDate,
    MissingSignedHeader(String),
    /// The named content hash header is signed but is neither `UNSIGNED-PAYLOAD`
    /// nor the body's hash.
    BodyHashMismatch(&'static str),
    MalformedSignature(Algorithm),
    SignatureMismatch,
    /// No key could be derived from the AK/SK for this algorithm (about 2^-8000).
    NoKey(Algorithm),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::MissingAuthorization => f.write_str("missing Authorization header"),
            Refusal::MalformedAuthorization => {
                f.write_str("Authorization is not \"ALGORITHM Access=..., SignedHeaders=..., Signature=...\" with ALGORITHM one of ")?;
                for (i, a) in Algorithm::ALL.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(a.header_name())?;
                }
                Ok(())
            }
            Refusal::UnknownAccessKey => f.write_str("unknown access key"),
            Refusal::MissingDate => write!(f, "missing {DATE_HEADER} header"),
            Refusal::MalformedDate => write!(f, "{DATE_HEADER} is not YYYYMMDDTHHMMSSZ"),
            Refusal::MissingSignedHeader(name) => write!(f, "signed header {name} is missing"),
            Refusal::BodyHashMismatch(header) => write!(
                f,
                "{header} is neither {UNSIGNED_PAYLOAD} nor the hash of the body"
            ),
            Refusal::MalformedSignature(algorithm) => match algorithm.is_asymmetric() {
                true => f.write_str("Signature is not a hex DER signature"),
                false => f.write_str("Signature is not hex"),
            },
            Refusal::SignatureMismatch => f.write_str("signature does not match the request"),
            Refusal::NoKey(algorithm) => write!(
                f,
                "{}",
                KeyDerivationError {
                    algorithm: *algorithm
                }
            ),
        }
    }
}

impl std::error::Error for Refusal {}

/// Checks requests signed with one AK/SK, in any of the four algorithms. Each
/// algorithm's key is made on its first use and kept. Prints no secret.
pub struct Verifier {
    access_key: String,
    secret_key: String,
    signers: [OnceLock<Result<Signer, KeyDerivationError>>; 4],
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("access_key", &self.access_key)
            .finish_non_exhaustive()
    }
}

impl Verifier {
    pub fn new(access_key: &str, secret_key: &str) -> Verifier {
        Verifier {
            access_key: access_key.to_string(),
            secret_key: secret_key.to_string(),
            signers: Default::default(),
        }
    }

    pub fn access_key(&self) -> &str {
        &self.access_key
    }

    fn signer(&self, algorithm: Algorithm) -> Result<&Signer, Refusal> {
        let slot = Algorithm::ALL
            .iter()
            .position(|a| *a == algorithm)
            .expect("ALL holds every algorithm");
        self.signers[slot]
            .get_or_init(|| Signer::with_algorithm(algorithm, &self.access_key, &self.secret_key))
            .as_ref()
            .map_err(|_| Refusal::NoKey(algorithm))
    }

    /// Checks `req` as received: decoded path and query, every header received
    /// (`Authorization` and `X-Sdk-Date` among them, any case), the body.
    pub fn verify(&self, req: &SignableRequest<'_>) -> Result<Verified, Refusal> {
        let value = req
            .header("Authorization")
            .ok_or(Refusal::MissingAuthorization)?;
        let parsed = parse_authorization(value).ok_or(Refusal::MalformedAuthorization)?;
        if parsed.access_key != self.access_key {
            return Err(Refusal::UnknownAccessKey);
        }
        let sdk_date = req.header(DATE_HEADER).ok_or(Refusal::MissingDate)?;
        let signed_at = parse_sdk_date(sdk_date).ok_or(Refusal::MalformedDate)?;

        let mut signed = Vec::with_capacity(parsed.signed_headers.len());
        for name in &parsed.signed_headers {
            let value = req
                .header(name)
                .ok_or_else(|| Refusal::MissingSignedHeader(name.clone()))?;
            signed.push((name.clone(), value.to_string()));
        }
        let algorithm = parsed.algorithm;
        let as_signed = SignableRequest {
            headers: &signed,
            ..*req
        };
        let claimed = payload_hash(algorithm, &as_signed);
        if claimed != UNSIGNED_PAYLOAD && claimed != algorithm.hash_function().hex(req.body) {
            return Err(Refusal::BodyHashMismatch(algorithm.content_hash_header()));
        }

        let (to_sign, _) = string_to_sign(algorithm, sdk_date, &as_signed);
        match self.signer(algorithm)?.check(&to_sign, &parsed.signature) {
            Ok(()) => Ok(Verified {
                algorithm,
                signed_at,
            }),
            Err(Mismatch::Malformed) => Err(Refusal::MalformedSignature(algorithm)),
            Err(Mismatch::Wrong) => Err(Refusal::SignatureMismatch),
        }
    }
}

/// [`Verifier::verify`] for one request: derives only the key the request's algorithm needs.
pub fn verify(
    access_key: &str,
    secret_key: &str,
    req: &SignableRequest<'_>,
) -> Result<Verified, Refusal> {
    Verifier::new(access_key, secret_key).verify(req)
}
