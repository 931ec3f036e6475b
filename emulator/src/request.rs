//! A request as the handlers see it, and the small readings of it that
//! several of them need (headers, query pairs, JSON content type).

use hyper::header::CONTENT_TYPE;
use hyper::HeaderMap;
use std::borrow::Cow;

/// The request parts that authentication and the handlers look at, as received.
pub struct Received<'a> {
    pub method: &'a str,
    /// Raw path, still percent-encoded.
    pub path: &'a str,
    /// Raw query string, without `?`.
    pub query: Option<&'a str>,
    pub headers: &'a HeaderMap,
    /// The body as read; empty for the list endpoints, whose bodies are not read.
    pub body: &'a [u8],
}

impl Received<'_> {
    /// A header's value, bytes that are not UTF-8 replaced.
    pub fn header(&self, name: &str) -> Option<Cow<'_, str>> {
        header(self.headers, name)
    }

    /// The first value of a query parameter, percent-decoded.
    pub fn query_param(&self, name: &str) -> Option<String> {
        decode_query(self.query.unwrap_or(""))
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

pub fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<Cow<'h, str>> {
    headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()))
}

/// Query pairs, percent-decoded; `+` stays a plus (the signers do not use
/// form encoding).
pub fn decode_query(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (ges_signing::decode(k), ges_signing::decode(v))
        })
        .collect()
}

/// `application/json`, with parameters (`; charset=utf-8`) or not.
pub fn is_json(headers: &HeaderMap) -> bool {
    let Some(Ok(value)) = headers.get(CONTENT_TYPE).map(|v| v.to_str()) else {
        return false;
    };
    let media_type = value.split(';').next().unwrap_or("").trim();
    media_type.eq_ignore_ascii_case("application/json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_decoding() {
        let q = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        assert_eq!(
            decode_query("offset=0&limit=%31%30&&flag&x=a+b"),
            q(&[("offset", "0"), ("limit", "10"), ("flag", ""), ("x", "a+b")])
        );
    }

    #[test]
    fn json_content_types() {
        let mut headers = HeaderMap::new();
        assert!(!is_json(&headers));
        for (value, json) in [
            ("application/json", true),
            ("Application/JSON; charset=utf-8", true),
            ("text/plain", false),
            ("application/json-patch+json", false),
        ] {
            headers.insert(CONTENT_TYPE, value.parse().unwrap());
            assert_eq!(is_json(&headers), json, "{value}");
        }
    }
}
