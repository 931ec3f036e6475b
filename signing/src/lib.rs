//! Request signing as the official Huawei Cloud SDKs do it: SDK-HMAC-SHA256,
//! SDK-HMAC-SM3, SDK-ECDSA-P256-SHA256 and SDK-SM2-SM3, the last two with a
//! private key derived from AK/SK.
//!
//! A crate of its own so that the client (`ges-backups`) signs and the emulator
//! verifies with the very same canonicalisation, without the emulator linking
//! the client. The official Python SDK's own signers pin it down from the
//! outside: `tests/fixtures/signing_vectors.json` (checked by the client's
//! `tests/abi/signing_vectors.rs`) and `tests/fixtures/signing_vectors_sm.json`
//! (checked by `signing/tests/official_sdk_vectors.rs`, and the SDK's verifiers
//! check ours in `tests/official_sdk/test_signing.py`).
//!
//! The client makes one [`Signer`] per credentials ([`Signer::with_algorithm`])
//! and adds [`Signer::sign`]'s headers to each request; the emulator keeps one
//! [`Verifier`] per AK/SK and calls [`Verifier::verify`] on each request.

mod algorithm;
mod authorization;
mod canonical;
mod derive;
mod sdk_date;
mod signer;
mod sm2_identity;
mod verifier;

pub use algorithm::{Algorithm, UnknownAlgorithm};
pub use authorization::{parse_authorization, ParsedAuthorization};
pub use canonical::{
    canonical_request, canonical_request_for, decode, encode, string_to_sign, SignableRequest,
    UNSIGNED_PAYLOAD,
};
pub use derive::KeyDerivationError;
pub use sdk_date::{format_sdk_date, parse_sdk_date, DATE_HEADER};
pub use signer::Signer;
pub use sm2_identity::SM2_DEFAULT_USER_ID;
pub use verifier::{verify, Refusal, Verified, Verifier};

/// The default algorithm's `Authorization` name.
pub const ALGORITHM: &str = Algorithm::HmacSha256.header_name();

/// Hex HMAC-SHA256 signature and the signed header names.
pub fn signature(secret_key: &str, sdk_date: &str, req: &SignableRequest<'_>) -> (String, String) {
    Signer::new(secret_key).signature(sdk_date, req)
}

/// The SDK-HMAC-SHA256 `Authorization` header value. `req.headers` must hold `X-Sdk-Date`.
pub fn authorization(access_key: &str, secret_key: &str, req: &SignableRequest<'_>) -> String {
    Signer::new(secret_key).authorization(access_key, req)
}

#[cfg(test)]
mod tests;
