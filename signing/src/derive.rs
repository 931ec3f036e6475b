//! The elliptic-curve private key that SDK-ECDSA-P256-SHA256 and SDK-SM2-SM3
//! derive from AK/SK, as the official SDKs derive it.
//!
//! A counter loop in the manner of NIST SP 800-108's counter-mode KDF: for
//! counter = 0, 1, ..., candidate = HMAC(SK, 00000001 || ALGORITHM || 00 || AK ||
//! counter || 00000100), with the algorithm's own hash (SHA-256 for ECDSA, SM3
//! for SM2); the first candidate that is at most n - 2 gives the key candidate + 1,
//! which lies in [1, n - 1].

use crate::algorithm::{Algorithm, HashFunction};
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use p256::elliptic_curve::ff::{Field, PrimeField};
use p256::elliptic_curve::{CurveArithmetic, FieldBytes, NonZeroScalar};
use sha2::Sha256;
use sm3::Sm3;
use std::fmt;

/// The Python SDK tries counters 0 to 254 (`range(0xff)`), the Go SDK 0 to 255.
/// The 256th try matters with a probability of about 2^-8000.
const COUNTERS: std::ops::Range<u8> = 0..0xff;

/// No counter gave a candidate below the curve's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyDerivationError {
    pub algorithm: Algorithm,
}

impl fmt::Display for KeyDerivationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: no private key could be derived from this access key and secret key",
            self.algorithm.header_name()
        )
    }
}

impl std::error::Error for KeyDerivationError {}

/// The HMAC of one counter's input, 32 bytes with either hash.
fn candidate(algorithm: Algorithm, access_key: &str, secret_key: &str, counter: u8) -> [u8; 32] {
    fn mac<M: Mac + KeyInit>(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
        let mut mac = <M as Mac>::new_from_slice(key).expect("HMAC takes any key length");
        for part in parts {
            mac.update(part);
        }
        mac.finalize()
            .into_bytes()
            .as_slice()
            .try_into()
            .expect("SHA-256 and SM3 give 32 bytes")
    }
    let parts: [&[u8]; 6] = [
        &[0, 0, 0, 1],
        algorithm.header_name().as_bytes(),
        &[0],
        access_key.as_bytes(),
        &[counter],
        &[0, 0, 1, 0],
    ];
    match algorithm.hash_function() {
        HashFunction::Sha256 => mac::<Hmac<Sha256>>(secret_key.as_bytes(), &parts),
        HashFunction::Sm3 => mac::<Hmac<Sm3>>(secret_key.as_bytes(), &parts),
    }
}

/// The private scalar on curve `C` for `algorithm` (ECDSA: P-256, SM2: SM2's curve).
pub(crate) fn private_scalar<C>(
    algorithm: Algorithm,
    access_key: &str,
    secret_key: &str,
) -> Result<NonZeroScalar<C>, KeyDerivationError>
where
    C: CurveArithmetic,
    C::Scalar: PrimeField<Repr = FieldBytes<C>>,
{
    for counter in COUNTERS {
        let bytes = candidate(algorithm, access_key, secret_key, counter);
        // Below n: a scalar; not n - 1: its successor is not zero.
        let below_order: Option<C::Scalar> =
            C::Scalar::from_repr(FieldBytes::<C>::clone_from_slice(&bytes)).into();
        if let Some(scalar) = below_order {
            let key: Option<NonZeroScalar<C>> = NonZeroScalar::new(scalar + C::Scalar::ONE).into();
            if let Some(key) = key {
                return Ok(key);
            }
        }
    }
    Err(KeyDerivationError { algorithm })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_is_the_first_candidate_plus_one() {
        // Almost every first candidate is below n: the key is then counter 0's HMAC + 1.
        let d = private_scalar::<p256::NistP256>(Algorithm::EcdsaP256Sha256, "AK", "SK").unwrap();
        let c0 = candidate(Algorithm::EcdsaP256Sha256, "AK", "SK", 0);
        let mut plus_one = c0;
        for byte in plus_one.iter_mut().rev() {
            let (sum, carry) = byte.overflowing_add(1);
            *byte = sum;
            if !carry {
                break;
            }
        }
        assert_eq!(d.to_repr().as_slice(), plus_one);
        // The SM2 key uses HMAC-SM3 and its own name: another key.
        let sm2 = private_scalar::<sm2::Sm2>(Algorithm::Sm2Sm3, "AK", "SK").unwrap();
        assert_ne!(sm2.to_repr().as_slice(), d.to_repr().as_slice());
        assert_ne!(candidate(Algorithm::Sm2Sm3, "AK", "SK", 0), c0);
    }
}
