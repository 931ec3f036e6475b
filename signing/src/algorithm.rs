//! The four signing algorithms of the official SDKs, by their configuration
//! names (those `terraform-provider-huaweicloud` and the Go SDK take) and by the
//! names their `Authorization` headers carry.

use sha2::{Digest, Sha256};
use sm3::Sm3;
use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// `SDK-HMAC-SHA256`, the default.
    #[default]
    HmacSha256,
    /// `SDK-HMAC-SM3`.
    HmacSm3,
    /// `SDK-ECDSA-P256-SHA256`, with a P-256 key derived from AK/SK.
    EcdsaP256Sha256,
    /// `SDK-SM2-SM3`, with an SM2 key derived from AK/SK.
    Sm2Sm3,
}

/// The hash an algorithm uses for the body, the canonical request and its key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HashFunction {
    Sha256,
    Sm3,
}

impl HashFunction {
    /// Lowercase hex digest, 64 digits for both.
    pub(crate) fn hex(self, data: &[u8]) -> String {
        match self {
            HashFunction::Sha256 => hex::encode(Sha256::digest(data)),
            HashFunction::Sm3 => hex::encode(Sm3::digest(data)),
        }
    }
}

impl Algorithm {
    pub const ALL: [Algorithm; 4] = [
        Algorithm::HmacSha256,
        Algorithm::HmacSm3,
        Algorithm::EcdsaP256Sha256,
        Algorithm::Sm2Sm3,
    ];

    /// The configuration name: `HmacSHA256`, `HmacSM3`, `EcdsaP256SHA256`, `SM2SM3`.
    pub const fn config_name(self) -> &'static str {
        match self {
            Algorithm::HmacSha256 => "HmacSHA256",
            Algorithm::HmacSm3 => "HmacSM3",
            Algorithm::EcdsaP256Sha256 => "EcdsaP256SHA256",
            Algorithm::Sm2Sm3 => "SM2SM3",
        }
    }

    /// The name that opens the `Authorization` header and the string to sign.
    pub const fn header_name(self) -> &'static str {
        match self {
            Algorithm::HmacSha256 => "SDK-HMAC-SHA256",
            Algorithm::HmacSm3 => "SDK-HMAC-SM3",
            Algorithm::EcdsaP256Sha256 => "SDK-ECDSA-P256-SHA256",
            Algorithm::Sm2Sm3 => "SDK-SM2-SM3",
        }
    }

    /// The header that, when signed, stands for the body's hash: the SDKs set it to
    /// `UNSIGNED-PAYLOAD` for a body that is neither JSON nor BSON.
    pub const fn content_hash_header(self) -> &'static str {
        match self.hash_function() {
            HashFunction::Sha256 => "X-Sdk-Content-Sha256",
            HashFunction::Sm3 => "X-Sdk-Content-Sm3",
        }
    }

    /// Whether the key is derived from AK/SK (an elliptic-curve key) rather than
    /// the secret key used as an HMAC key.
    pub const fn is_asymmetric(self) -> bool {
        matches!(self, Algorithm::EcdsaP256Sha256 | Algorithm::Sm2Sm3)
    }

    pub(crate) const fn hash_function(self) -> HashFunction {
        match self {
            Algorithm::HmacSha256 | Algorithm::EcdsaP256Sha256 => HashFunction::Sha256,
            Algorithm::HmacSm3 | Algorithm::Sm2Sm3 => HashFunction::Sm3,
        }
    }

    /// The algorithm whose `Authorization` name is `name` (`SDK-HMAC-SM3`...).
    pub fn from_header_name(name: &str) -> Option<Algorithm> {
        Algorithm::ALL.into_iter().find(|a| a.header_name() == name)
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.config_name())
    }
}

/// A signing algorithm name that is none of the four.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownAlgorithm(pub String);

impl fmt::Display for UnknownAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown signing algorithm {:?}: expected one of ",
            self.0
        )?;
        for (i, a) in Algorithm::ALL.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(a.config_name())?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownAlgorithm {}

impl FromStr for Algorithm {
    type Err = UnknownAlgorithm;

    /// Takes the configuration name (`HmacSM3`) or the header name (`SDK-HMAC-SM3`), exactly.
    fn from_str(s: &str) -> Result<Algorithm, UnknownAlgorithm> {
        Algorithm::ALL
            .into_iter()
            .find(|a| a.config_name() == s)
            .or_else(|| Algorithm::from_header_name(s))
            .ok_or_else(|| UnknownAlgorithm(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_names_parse_and_others_are_refused() {
        for a in Algorithm::ALL {
            assert_eq!(a.config_name().parse(), Ok(a));
            assert_eq!(a.header_name().parse(), Ok(a));
            assert_eq!(a.to_string(), a.config_name());
        }
        assert_eq!(Algorithm::default(), Algorithm::HmacSha256);
        let err = "hmacsha256".parse::<Algorithm>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown signing algorithm \"hmacsha256\": expected one of HmacSHA256, HmacSM3, EcdsaP256SHA256, SM2SM3"
        );
    }

    #[test]
    fn empty_body_hashes_are_the_sdks() {
        assert_eq!(
            HashFunction::Sha256.hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            HashFunction::Sm3.hex(b""),
            "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b"
        );
    }
}
