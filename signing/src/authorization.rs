//! The `Authorization` header: `ALGORITHM Access=AK, SignedHeaders=a;b, Signature=HEX`.

use crate::algorithm::Algorithm;

/// A parsed `Authorization` header of any of the four algorithms.
#[derive(Debug, PartialEq, Eq)]
pub struct ParsedAuthorization {
    pub algorithm: Algorithm,
    pub access_key: String,
    pub signed_headers: Vec<String>,
    /// Hex: the HMAC, or the DER-encoded ECDSA/SM2 signature.
    pub signature: String,
}

pub(crate) fn format(
    algorithm: Algorithm,
    access_key: &str,
    signed_headers: &str,
    signature: &str,
) -> String {
    format!(
        "{} Access={access_key}, SignedHeaders={signed_headers}, Signature={signature}",
        algorithm.header_name()
    )
}

/// `None` unless `value` names one of the four algorithms and has exactly the three fields.
pub fn parse_authorization(value: &str) -> Option<ParsedAuthorization> {
    let (name, rest) = value.split_once(' ')?;
    let algorithm = Algorithm::from_header_name(name)?;
    let (mut access_key, mut signed, mut signature) = (None, None, None);
    for part in rest.trim_start().split(',') {
        let (key, val) = part.trim().split_once('=')?;
        let slot = match key {
            "Access" => &mut access_key,
            "SignedHeaders" => &mut signed,
            "Signature" => &mut signature,
            _ => return None,
        };
        if slot.replace(val).is_some() {
            return None;
        }
    }
    Some(ParsedAuthorization {
        algorithm,
        access_key: access_key?.to_string(),
        signed_headers: signed?.split(';').map(str::to_string).collect(),
        signature: signature?.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_algorithm_parses_back() {
        for algorithm in Algorithm::ALL {
            let value = format(algorithm, "AK", "host;x-sdk-date", "ab12");
            let parsed = parse_authorization(&value).unwrap();
            assert_eq!(parsed.algorithm, algorithm);
            assert_eq!(parsed.access_key, "AK");
            assert_eq!(parsed.signed_headers, vec!["host", "x-sdk-date"]);
            assert_eq!(parsed.signature, "ab12");
        }
        for refused in [
            "Bearer x",
            "SDK-HMAC-MD5 Access=AK, SignedHeaders=host, Signature=ab",
            "SDK-HMAC-SM3 Access=AK, SignedHeaders=host",
            "SDK-HMAC-SM3 Access=AK, Access=AK2, SignedHeaders=host, Signature=ab",
            "SDK-HMAC-SM3 Access=AK, SignedHeaders=host, Signature=ab, Extra=1",
        ] {
            assert_eq!(parse_authorization(refused), None, "{refused}");
        }
    }
}
