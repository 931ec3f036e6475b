//! SM2 verification that also accepts the official Python SDK's signatures.
//!
//! SM2 signs SM3(Z || message), Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA)
//! with each field 32 bytes (GB/T 32918.2, the `sm2` crate, the Go SDK's gmsm).
//! The Python SDK (huaweicloudsdkcore 3.1.219, `SM2SigningKey._za`) writes the
//! public key's coordinates without their leading zero bytes: for the one key in
//! about 128 whose xA or yA starts with a zero byte, its Z differs. Such a
//! signature is accepted too, with Z computed the Python SDK's way.

use p256::elliptic_curve::ff::PrimeField;
use p256::elliptic_curve::sec1::{Coordinates, ToEncodedPoint};
use primeorder::PrimeCurveParams;
use signature::hazmat::PrehashVerifier;
use signature::Verifier;
use sm2::dsa::{Signature, VerifyingKey};
use sm2::Sm2;
use sm3::{Digest, Sm3};

/// SM2's default user id (GB/T 35276), which both SDKs use.
pub const SM2_DEFAULT_USER_ID: &str = "1234567812345678";

/// Z as the Python SDK computes it, when it differs from the standard one.
pub(crate) fn python_sdk_z(key: &VerifyingKey) -> Option<[u8; 32]> {
    let point = key.as_affine().to_encoded_point(false);
    let Coordinates::Uncompressed { x, y } = point.coordinates() else {
        return None;
    };
    if x[0] != 0 && y[0] != 0 {
        return None;
    }
    let unpadded = |c: &[u8]| -> Vec<u8> { c.iter().copied().skip_while(|&b| b == 0).collect() };
    let id = SM2_DEFAULT_USER_ID.as_bytes();
    let bits = u16::try_from(id.len() * 8).ok()?;
    let z = Sm3::new()
        .chain_update(bits.to_be_bytes())
        .chain_update(id)
        .chain_update(Sm2::EQUATION_A.to_repr())
        .chain_update(Sm2::EQUATION_B.to_repr())
        .chain_update(Sm2::GENERATOR.0.to_repr())
        .chain_update(Sm2::GENERATOR.1.to_repr())
        .chain_update(unpadded(x))
        .chain_update(unpadded(y))
        .finalize();
    Some(z.into())
}

/// Standard SM2 verification, then, for a key the Python SDK hashes differently, its way.
pub(crate) fn verify(
    key: &VerifyingKey,
    message: &[u8],
    signature: &Signature,
) -> Result<(), signature::Error> {
    key.verify(message, signature).or_else(|standard| {
        let z = python_sdk_z(key).ok_or(standard)?;
        let prehash = Sm3::new().chain_update(z).chain_update(message).finalize();
        key.verify_prehash(&prehash, signature)
    })
}
