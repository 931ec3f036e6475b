//! What a handler decides to send, and turning that into an HTTP response.

use bytes::Bytes;
use http_body_util::{combinators::BoxBody, BodyExt, Channel, Full};
use hyper::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE, DATE};
use hyper::{Response, StatusCode};
use serde::Serialize;
use serde_json::json;
use std::io;
use std::time::{Duration, SystemTime};

pub type Body = BoxBody<Bytes, io::Error>;

/// Error codes of GES error bodies. GES.7006 is the API page's own example;
/// the others are this emulator's choice (the page lists no others).
pub const CODE_INTERNAL: &str = "GES.7006";
pub const CODE_BAD_PARAMETER: &str = "GES.8011";
pub const CODE_NOT_FOUND: &str = "GES.8404";
pub const CODE_BAD_METHOD: &str = "GES.8405";

/// How the body goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Whole,
    /// `keep` bytes of the body (default half, always at least one short), then
    /// the connection is cut. The head announces the full Content-Length, or
    /// with `chunked` the body is chunked and its closing chunk never comes.
    Truncated {
        keep: Option<usize>,
        chunked: bool,
    },
    /// Headers at once, the body in chunks spread over this long.
    Dribbled(Duration),
    /// The connection is closed without an answer.
    Dropped,
}

#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Bytes,
    /// More headers: `Retry-After`, IAM's `X-Subject-Token`; one that is not a
    /// valid header value is left out.
    pub headers: Vec<(&'static str, String)>,
    /// Waited before anything is sent (latency, `delay` faults).
    pub delay: Duration,
    pub delivery: Delivery,
}

impl Reply {
    pub fn bytes(status: StatusCode, body: impl Into<Bytes>) -> Reply {
        Reply {
            status,
            body: body.into(),
            headers: Vec::new(),
            delay: Duration::ZERO,
            delivery: Delivery::Whole,
        }
    }

    pub fn json(status: StatusCode, value: &impl Serialize) -> Reply {
        let body = serde_json::to_vec(value).expect("JSON values always serialize");
        Reply::bytes(status, body)
    }

    pub fn no_content() -> Reply {
        Reply::bytes(StatusCode::NO_CONTENT, Bytes::new())
    }

    /// GES's own error shape.
    pub fn ges_error(status: StatusCode, code: &str, message: &str) -> Reply {
        Reply::json(status, &json!({"errorCode": code, "errorMessage": message}))
    }

    /// A refused parameter or body, in GES's shape (the control API's too).
    pub fn bad_request(message: &str) -> Reply {
        Reply::ges_error(StatusCode::BAD_REQUEST, CODE_BAD_PARAMETER, message)
    }

    pub fn method_not_allowed(method: &str, path: &str) -> Reply {
        Reply::ges_error(
            StatusCode::METHOD_NOT_ALLOWED,
            CODE_BAD_METHOD,
            &format!("{method} is not allowed on {path}"),
        )
    }

    /// The API gateway's 401 shape.
    pub fn unauthorized(reason: &str, request_id: &str) -> Reply {
        Reply::json(
            StatusCode::UNAUTHORIZED,
            &json!({
                "error_code": "APIGW.0301",
                "error_msg": format!("Incorrect IAM authentication information: {reason}"),
                "request_id": request_id,
            }),
        )
    }
}

/// The connection is to be closed without an answer (the `drop` fault).
#[derive(Debug)]
pub struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by a scripted fault")
    }
}

impl std::error::Error for Dropped {}

/// `2026-11-30T14:00:00.123000Z`, as the metadata service and IAM write times.
pub fn rfc3339(t: SystemTime) -> String {
    let since = t.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        since.subsec_micros()
    )
}

pub fn request_id() -> String {
    format!("{:032x}", fastrand::u128(..))
}

/// Builds the response; every one carries `X-Request-Id`, `Date` (the
/// emulator's clock) and `Content-Type: application/json`.
pub fn into_response(
    reply: Reply,
    request_id: &str,
    now: SystemTime,
) -> Result<Response<Body>, Dropped> {
    let length = reply.body.len();
    let chunked = matches!(reply.delivery, Delivery::Truncated { chunked: true, .. });
    let body = match reply.delivery {
        Delivery::Dropped => return Err(Dropped),
        Delivery::Whole => Full::new(reply.body)
            .map_err(|never| match never {})
            .boxed(),
        Delivery::Truncated { keep, .. } => truncated(reply.body, keep),
        Delivery::Dribbled(over) => dribbled(reply.body, over),
    };
    let mut response = Response::new(body);
    *response.status_mut() = reply.status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(
        DATE,
        HeaderValue::try_from(httpdate::fmt_http_date(now)).expect("HTTP dates are ASCII"),
    );
    headers.insert(
        "x-request-id",
        HeaderValue::try_from(request_id).expect("request ids are hex"),
    );
    if reply.status != StatusCode::NO_CONTENT && !chunked {
        // Set by hand: the streamed bodies have no size of their own, and a
        // truncated one must still announce the full length (unless chunked).
        headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
    }
    for (name, value) in reply.headers {
        if let Ok(value) = HeaderValue::try_from(value) {
            headers.insert(name, value);
        }
    }
    Ok(response)
}

fn truncated(body: Bytes, keep: Option<usize>) -> Body {
    let (mut tx, rx) = Channel::<Bytes, io::Error>::new(1);
    tokio::spawn(async move {
        let keep = keep
            .unwrap_or(body.len() / 2)
            .min(body.len().saturating_sub(1));
        let half = body.slice(..keep);
        // hyper discards bytes it has not flushed when a body fails. With a
        // channel of one, the empty frame is accepted only once hyper has
        // taken the half; the pause then lets it reach the socket.
        let taken = async {
            tx.send_data(half).await?;
            tx.send_data(Bytes::new()).await
        };
        if taken.await.is_ok() {
            tokio::time::sleep(Duration::from_millis(50)).await;
            // An error ends the body short, which makes hyper close the connection.
            tx.abort(io::Error::other("truncated by a scripted fault"));
        }
    });
    rx.boxed()
}

/// Ten chunks (fewer for tiny bodies), evenly spaced over `over`.
fn dribbled(body: Bytes, over: Duration) -> Body {
    const CHUNKS: usize = 10;
    let (mut tx, rx) = Channel::<Bytes, io::Error>::new(1);
    tokio::spawn(async move {
        let size = body.len().div_ceil(CHUNKS).max(1);
        let chunks = body.len().div_ceil(size).max(1);
        let pause = over / chunks as u32;
        for start in (0..body.len()).step_by(size) {
            tokio::time::sleep(pause).await;
            let end = (start + size).min(body.len());
            if tx.send_data(body.slice(start..end)).await.is_err() {
                return;
            }
        }
    });
    rx.boxed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_dates() {
        let at = |s: u64| rfc3339(SystemTime::UNIX_EPOCH + Duration::from_secs(s));
        assert_eq!(at(0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(at(1_623_160_513), "2021-06-08T13:55:13.000000Z");
        assert_eq!(at(1_709_164_800), "2024-02-29T00:00:00.000000Z");
    }
}
