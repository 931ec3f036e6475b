//! What a non-2xx answer says, whichever service gave it: its code, message
//! and request id, from whichever body shape it used (GES's
//! `errorCode`/`errorMessage`, the gateway's and IAM's `error_code`/`error_msg`,
//! Keystone's `{"error": {"code", "message"}}`).

use crate::error::{Error, ErrorKind};
use ureq::http::{HeaderMap, StatusCode};

/// Error bodies are only read for their code and message.
pub(crate) const MAX_ERROR_BODY_BYTES: u64 = 64 * 1024;

/// The API error of an answer with `status`, `headers` and `body`.
pub(crate) fn api_error(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Error {
    let parsed: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    let nested = parsed.get("error").filter(|e| e.is_object());
    let field = |names: &[&str]| {
        names.iter().find_map(|n| {
            [Some(&parsed), nested]
                .into_iter()
                .flatten()
                .find_map(|v| v.get(n).and_then(|v| v.as_str()).map(str::to_string))
        })
    };
    let message = field(&["errorMessage", "error_msg", "message"]).unwrap_or_else(|| {
        format!(
            "the service answered HTTP {} {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        )
        .trim_end()
        .to_string()
    });
    let mut error = Error::new(ErrorKind::Api, message);
    error.http_status = status.as_u16();
    error.code = field(&["errorCode", "error_code", "code"]);
    // IAM names its request id X-IAM-Trace-Id.
    error.request_id = header(headers, "x-request-id")
        .or_else(|| header(headers, "x-iam-trace-id"))
        .map(str::to_string)
        .or_else(|| field(&["request_id"]));
    error
}

pub(crate) fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_body_shape() {
        let mut headers = HeaderMap::new();
        headers.insert("x-iam-trace-id", "trace-1".parse().unwrap());
        for (body, code, message) in [
            (
                r#"{"errorCode":"GES.7006","errorMessage":"m1"}"#,
                Some("GES.7006"),
                "m1",
            ),
            (
                r#"{"error_code":"IAM.0004","error_msg":"m2"}"#,
                Some("IAM.0004"),
                "m2",
            ),
            (
                r#"{"error":{"code":"IAM.0001","message":"m3"}}"#,
                Some("IAM.0001"),
                "m3",
            ),
            (r#"{"error":{"code":401,"message":"m4"}}"#, None, "m4"),
            ("not json", None, "the service answered HTTP 404 Not Found"),
        ] {
            let e = api_error(StatusCode::NOT_FOUND, &headers, body.as_bytes());
            assert_eq!((e.code.as_deref(), e.message.as_str()), (code, message));
            assert_eq!(e.request_id.as_deref(), Some("trace-1"));
            assert_eq!(e.http_status, 404);
        }
    }
}
