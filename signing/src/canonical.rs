//! The canonical request and the string to sign, common to the four algorithms:
//! only the hash and the algorithm's name differ.

use crate::algorithm::Algorithm;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but the unreserved characters `A-Z a-z 0-9 - _ . ~` is escaped.
const ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The body hash the SDKs sign for a body that is neither JSON nor BSON.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

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

impl SignableRequest<'_> {
    /// The first header named `name`, whatever its case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub fn encode(s: &str) -> String {
    utf8_percent_encode(s, ESCAPED).to_string()
}

/// Percent-decodes one path segment or query component as it came off the wire.
pub fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

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

/// Appends the query pairs joined by `&`: sorted by decoded name then value, as
/// the SDKs sort them, and encoded after sorting.
fn push_canonical_query(out: &mut String, query: &[(String, String)]) {
    let mut pairs: Vec<&(String, String)> = query.iter().collect();
    pairs.sort();
    for (i, (k, v)) in pairs.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.extend(utf8_percent_encode(k, ESCAPED));
        out.push('=');
        out.extend(utf8_percent_encode(v, ESCAPED));
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

/// The body's hash as signed: of the empty body when there is none, else the
/// algorithm's content hash header when the request has it (`UNSIGNED-PAYLOAD`),
/// else the hash of the body.
pub(crate) fn payload_hash(algorithm: Algorithm, req: &SignableRequest<'_>) -> String {
    let hash = algorithm.hash_function();
    if req.body.is_empty() {
        return hash.hex(b"");
    }
    match req.header(algorithm.content_hash_header()) {
        Some(given) => given.trim().to_string(),
        None => hash.hex(req.body),
    }
}

/// The canonical request and the signed header names, for `algorithm`. Built in
/// one string: the client signs every page it reads.
pub fn canonical_request_for(algorithm: Algorithm, req: &SignableRequest<'_>) -> (String, String) {
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
    canonical.push_str(&payload_hash(algorithm, req));
    (canonical, signed_headers)
}

/// The canonical request for SDK-HMAC-SHA256 and the signed header names.
pub fn canonical_request(req: &SignableRequest<'_>) -> (String, String) {
    canonical_request_for(Algorithm::HmacSha256, req)
}

/// `ALGORITHM \n X-Sdk-Date \n hex(hash(canonical request))`, and the signed header names.
pub fn string_to_sign(
    algorithm: Algorithm,
    sdk_date: &str,
    req: &SignableRequest<'_>,
) -> (String, String) {
    let (canonical, signed_headers) = canonical_request_for(algorithm, req);
    let to_sign = format!(
        "{}\n{sdk_date}\n{}",
        algorithm.header_name(),
        algorithm.hash_function().hex(canonical.as_bytes())
    );
    (to_sign, signed_headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_keeps_only_unreserved() {
        assert_eq!(encode("a b/c~d*e-_."), "a%20b%2Fc~d%2Ae-_.");
        assert_eq!(encode("é"), "%C3%A9");
        let mut uri = String::new();
        push_canonical_uri(&mut uri, "/v1.0/p/graphs/backups");
        assert_eq!(uri, "/v1.0/p/graphs/backups/");
    }

    #[test]
    fn query_sorts_before_encoding() {
        // Encoded, `{` and `é` (`%7B`, `%C3%A9`) would sort before `z`; decoded they sort after.
        let query = [("é", "1"), ("{", "2"), ("z", "b"), ("z", "a")]
            .map(|(k, v)| (k.to_string(), v.to_string()));
        let mut out = String::new();
        push_canonical_query(&mut out, &query);
        assert_eq!(out, "z=a&z=b&%7B=2&%C3%A9=1");
    }

    #[test]
    fn payload_hash_takes_the_content_header_only_with_a_body() {
        let headers = [(
            "x-sdk-content-sm3".to_string(),
            UNSIGNED_PAYLOAD.to_string(),
        )];
        let mut req = SignableRequest {
            method: "PUT",
            path: "/",
            query: &[],
            headers: &headers,
            body: b"",
        };
        assert_eq!(
            payload_hash(Algorithm::HmacSm3, &req),
            "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b"
        );
        req.body = b"raw";
        assert_eq!(payload_hash(Algorithm::HmacSm3, &req), UNSIGNED_PAYLOAD);
        assert_eq!(
            payload_hash(Algorithm::HmacSha256, &req),
            crate::algorithm::HashFunction::Sha256.hex(b"raw")
        );
    }
}
