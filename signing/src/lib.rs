//! SDK-HMAC-SHA256 request signing, as the official Huawei Cloud SDKs do it.
//!
//! A crate of its own so that the client (`ges-backups`) signs and the emulator
//! verifies with the very same canonicalisation, without the emulator linking
//! the client. The official SDK's own vectors (`tests/fixtures/signing_vectors.json`,
//! checked by the client's `tests/abi/signing_vectors.rs`) pin it down from the outside.

use hmac::{Hmac, Mac};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha2::{Digest, Sha256};
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub const ALGORITHM: &str = "SDK-HMAC-SHA256";
pub const DATE_HEADER: &str = "X-Sdk-Date";

/// Everything but the unreserved characters `A-Z a-z 0-9 - _ . ~` is escaped.
const ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The parts of an HTTP request that the signature covers.
pub struct SignableRequest<'a> {
    pub method: &'a str,
    /// Decoded path, e.g. `/v1.0/proj/graphs/backups`; each segment is encoded here.
    pub path: &'a str,
    /// Decoded query pairs, in any order.
    pub query: &'a [(String, String)],
    /// Headers to sign (name, value), `Host` and `X-Sdk-Date` included.
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

pub fn encode(s: &str) -> String {
    utf8_percent_encode(s, ESCAPED).to_string()
}

/// Percent-decodes one path segment or query component as it came off the wire.
pub fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// SHA-256 of the empty body, which every GET signs.
const EMPTY_BODY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Appends each segment of `path` percent-encoded, and a trailing `/`.
fn push_canonical_uri(out: &mut String, path: &str) {
    for (i, segment) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.extend(utf8_percent_encode(segment, ESCAPED));
    }
    if !out.ends_with('/') {
        out.push('/');
    }
}

/// Appends the query pairs encoded and sorted, joined by `&`.
fn push_canonical_query(out: &mut String, query: &[(String, String)]) {
    let mut pairs: Vec<(String, String)> =
        query.iter().map(|(k, v)| (encode(k), encode(v))).collect();
    pairs.sort();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
}

/// Signed header names (lowercase, sorted, deduplicated), their canonical block
/// appended to `out`. Names with `_` are never signed, as in the official SDKs.
fn push_canonical_headers(out: &mut String, headers: &[(String, String)]) -> String {
    let mut lowered: Vec<(String, &str)> = headers
        .iter()
        .filter(|(name, _)| !name.contains('_'))
        .map(|(name, value)| (name.to_ascii_lowercase(), value.trim()))
        .collect();
    lowered.sort_by(|a, b| a.0.cmp(&b.0));
    lowered.dedup_by(|a, b| a.0 == b.0);
    let mut names = String::new();
    for (i, (name, value)) in lowered.iter().enumerate() {
        out.push_str(name);
        out.push(':');
        out.push_str(value);
        out.push('\n');
        if i > 0 {
            names.push(';');
        }
        names.push_str(name);
    }
    names
}

/// The canonical request and the signed header names. Built in one string:
/// the client signs every page it reads.
pub fn canonical_request(req: &SignableRequest<'_>) -> (String, String) {
    let mut canonical = String::with_capacity(512);
    canonical.extend(req.method.chars().map(|c| c.to_ascii_uppercase()));
    canonical.push('\n');
    push_canonical_uri(&mut canonical, req.path);
    canonical.push('\n');
    push_canonical_query(&mut canonical, req.query);
    canonical.push('\n');
    let signed_headers = push_canonical_headers(&mut canonical, req.headers);
    canonical.push('\n');
    canonical.push_str(&signed_headers);
    canonical.push('\n');
    if req.body.is_empty() {
        canonical.push_str(EMPTY_BODY_SHA256);
    } else {
        canonical.push_str(&hex::encode(Sha256::digest(req.body)));
    }
    (canonical, signed_headers)
}

/// Signs requests with one secret key; the HMAC key schedule is computed once,
/// not per request. Holds key material only in hashed form, and prints none.
#[derive(Clone)]
pub struct Signer {
    keyed: Hmac<Sha256>,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Signer")
    }
}

impl Signer {
    pub fn new(secret_key: &str) -> Signer {
        Signer {
            keyed: Hmac::<Sha256>::new_from_slice(secret_key.as_bytes())
                .expect("HMAC takes any key length"),
        }
    }

    /// Hex HMAC-SHA256 signature and the signed header names.
    pub fn signature(&self, sdk_date: &str, req: &SignableRequest<'_>) -> (String, String) {
        let (canonical, signed_headers) = canonical_request(req);
        let mut hex_digest = [0u8; 64];
        hex::encode_to_slice(Sha256::digest(canonical.as_bytes()), &mut hex_digest)
            .expect("64 hex digits for 32 bytes");
        let mut mac = self.keyed.clone();
        for part in [
            ALGORITHM.as_bytes(),
            b"\n",
            sdk_date.as_bytes(),
            b"\n",
            &hex_digest,
        ] {
            mac.update(part);
        }
        (hex::encode(mac.finalize().into_bytes()), signed_headers)
    }

    /// The `Authorization` header value. `req.headers` must hold `X-Sdk-Date`.
    pub fn authorization(&self, access_key: &str, req: &SignableRequest<'_>) -> String {
        let sdk_date = req
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(DATE_HEADER))
            .map(|(_, v)| v.as_str())
            .unwrap_or_default();
        let (sig, signed_headers) = self.signature(sdk_date, req);
        format!("{ALGORITHM} Access={access_key}, SignedHeaders={signed_headers}, Signature={sig}")
    }
}

/// Hex HMAC-SHA256 signature and the signed header names.
pub fn signature(secret_key: &str, sdk_date: &str, req: &SignableRequest<'_>) -> (String, String) {
    Signer::new(secret_key).signature(sdk_date, req)
}

/// The `Authorization` header value. `req.headers` must hold `X-Sdk-Date`.
pub fn authorization(access_key: &str, secret_key: &str, req: &SignableRequest<'_>) -> String {
    Signer::new(secret_key).authorization(access_key, req)
}

/// A parsed `Authorization: SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...`.
#[derive(Debug, PartialEq, Eq)]
pub struct ParsedAuthorization {
    pub access_key: String,
    pub signed_headers: Vec<String>,
    pub signature: String,
}

pub fn parse_authorization(value: &str) -> Option<ParsedAuthorization> {
    let rest = value.strip_prefix(ALGORITHM)?.trim_start();
    let (mut access_key, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (key, val) = part.trim().split_once('=')?;
        match key {
            "Access" => access_key = Some(val.to_string()),
            "SignedHeaders" => signed = Some(val.split(';').map(str::to_string).collect()),
            "Signature" => signature = Some(val.to_string()),
            _ => return None,
        }
    }
    Some(ParsedAuthorization {
        access_key: access_key?,
        signed_headers: signed?,
        signature: signature?,
    })
}

/// `YYYYMMDDTHHMMSSZ` in UTC.
pub fn format_sdk_date(t: SystemTime) -> String {
    let secs = t
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Parses `YYYYMMDDTHHMMSSZ`; `None` when malformed.
pub fn parse_sdk_date(s: &str) -> Option<SystemTime> {
    let b = s.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<u64>().ok();
    let (y, mo, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (h, mi, se) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let days = days_from_civil(y as i64, mo as i64, d as i64);
    let secs = u64::try_from(days).ok()? * 86_400 + h * 3600 + mi * 60 + se;
    Some(UNIX_EPOCH + Duration::from_secs(secs))
}

// Howard Hinnant's civil calendar algorithms: days since 1970-01-01 <-> (y, m, d).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdk_date_round_trips() {
        let t = UNIX_EPOCH + Duration::from_secs(1_623_160_513);
        assert_eq!(format_sdk_date(t), "20210608T135513Z");
        assert_eq!(parse_sdk_date("20210608T135513Z"), Some(t));
        assert_eq!(
            format_sdk_date(UNIX_EPOCH + Duration::from_secs(951_782_400)),
            "20000229T000000Z"
        );
        assert_eq!(parse_sdk_date("2021-06-08T13:55:13Z"), None);
        assert_eq!(parse_sdk_date("20211308T135513Z"), None);
    }

    #[test]
    fn authorization_parses_back() {
        let parsed = parse_authorization(
            "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=ab12",
        )
        .unwrap();
        assert_eq!(parsed.access_key, "AK");
        assert_eq!(parsed.signed_headers, vec!["host", "x-sdk-date"]);
        assert_eq!(parsed.signature, "ab12");
        assert_eq!(parse_authorization("Bearer x"), None);
    }

    #[test]
    fn one_signer_signs_as_a_fresh_key_would() {
        let headers = [
            ("Host".to_string(), "h".to_string()),
            (DATE_HEADER.to_string(), "20210608T135513Z".to_string()),
        ];
        let query = [("offset".to_string(), "9".to_string())];
        let mut req = SignableRequest {
            method: "get",
            path: "/v1.0/p q/graphs/backups",
            query: &query,
            headers: &headers,
            body: b"",
        };
        let signer = Signer::new("secret");
        for body in [&b""[..], b"{}", b""] {
            req.body = body;
            let fresh = Hmac::<Sha256>::new_from_slice(b"secret")
                .unwrap()
                .chain_update(format!(
                    "{ALGORITHM}\n20210608T135513Z\n{}",
                    hex::encode(Sha256::digest(canonical_request(&req).0))
                ))
                .finalize()
                .into_bytes();
            assert_eq!(
                signer.signature("20210608T135513Z", &req).0,
                hex::encode(fresh)
            );
        }
        assert_eq!(
            canonical_request(&req).0,
            format!(
                "GET\n/v1.0/p%20q/graphs/backups/\noffset=9\nhost:h\nx-sdk-date:20210608T135513Z\n\nhost;x-sdk-date\n{}",
                hex::encode(Sha256::digest(b""))
            )
        );
        assert_eq!(format!("{signer:?}"), "Signer");
    }

    #[test]
    fn encoding_keeps_only_unreserved() {
        assert_eq!(encode("a b/c~d*e-_."), "a%20b%2Fc~d%2Ae-_.");
        assert_eq!(encode("é"), "%C3%A9");
        let mut uri = String::new();
        push_canonical_uri(&mut uri, "/v1.0/p/graphs/backups");
        assert_eq!(uri, "/v1.0/p/graphs/backups/");
    }
}
