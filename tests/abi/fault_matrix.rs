//! The fault matrix (issue 6): one test per row, each a fault scripted through the
//! emulator's control API and a listing through the C ABI, with the outcome the
//! client promises written beside it. A listing either comes back exactly as the
//! service holds it, or fails with a clean error of the stated kind; it is never
//! short, never doubled, and never slower than its timeouts allow.
//!
//! The README's Reliability section prints this table; the test names are its rows.

use crate::common::*;
use ges_backups::ffi::GesErrorKind;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// 250 backups: three pages of 100 (offsets 0, 99, 198), so faults can hit the
/// first page, a middle one or the last.
fn setup() -> (Emu, CList) {
    let emu = emulator(generated(250, 3));
    let truth = emu.client(json!({})).list(&json!({})).unwrap();
    assert_eq!(truth.backups.len(), 250);
    (emu, truth)
}

/// List requests the emulator received while `f` ran.
fn counting<T>(emu: &Emu, f: impl FnOnce() -> T) -> (T, u64) {
    let before = emu.requests();
    let out = f();
    (out, emu.requests() - before)
}

fn list(emu: &Emu, config: Value) -> Result<CList, CError> {
    emu.client(config).list(&json!({}))
}

fn assert_error(err: &CError, kind: GesErrorKind, http_status: u16) {
    assert_eq!((err.kind, err.http_status), (kind, http_status), "{err:?}");
    assert!(!err.message.is_empty());
}

// ---- error statuses -------------------------------------------------------

/// 500/502/503/504, three in a row (= max_retries): retried with backoff; the
/// exact list; 3 pages + 3 retries.
#[test]
fn row_5xx_burst_within_max_retries_is_retried() {
    let (emu, truth) = setup();
    for status in [500, 502, 503, 504] {
        emu.fault(json!({"times": 3, "action": {"type": "status", "status": status}}));
        let (got, requests) = counting(&emu, || list(&emu, json!({"max_retries": 3})));
        assert_eq!(got.unwrap(), truth, "{status}");
        assert_eq!(requests, 3 + 3, "{status}");
    }
}

/// 500/502/503/504 that never stop: API error with that status, the GES code and
/// the request id, after 1 + max_retries requests.
#[test]
fn row_5xx_burst_beyond_max_retries_is_an_api_error() {
    let (emu, _) = setup();
    for status in [500, 502, 503, 504] {
        emu.control("DELETE", "faults", None);
        emu.fault(json!({"times": 0, "action": {"type": "status", "status": status}}));
        let (got, requests) = counting(&emu, || list(&emu, json!({"max_retries": 2})));
        let err = got.unwrap_err();
        assert_error(&err, GesErrorKind::Api, status);
        assert_eq!(err.code.as_deref(), Some("GES.7006"));
        assert!(err.request_id.is_some());
        assert_eq!(requests, 3, "{status}: one try, two retries");
    }
}

/// Other 4xx (400, 401, 403, 404): not retried; API error at once.
#[test]
fn row_4xx_is_not_retried() {
    let (emu, _) = setup();
    for status in [400, 401, 403, 404] {
        emu.control("DELETE", "faults", None);
        emu.fault(json!({"times": 0, "action": {"type": "status", "status": status}}));
        let (got, requests) = counting(&emu, || list(&emu, json!({})));
        assert_error(&got.unwrap_err(), GesErrorKind::Api, status);
        assert_eq!(requests, 1, "{status}");
    }
}

/// 429 with `Retry-After: 1`: waits at least that long, then the exact list.
#[test]
fn row_429_with_retry_after_waits_as_asked() {
    let (emu, truth) = setup();
    emu.fault(json!({"action": {"type": "status", "status": 429, "retry_after": 1}}));
    let started = Instant::now();
    assert_eq!(list(&emu, json!({})).unwrap(), truth);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

/// 429 with `Retry-After` as an HTTP date 2 s ahead: waits until then (>= 1 s
/// of it, as the date has whole seconds), then the exact list.
#[test]
fn row_429_with_retry_after_as_a_date_waits_until_then() {
    let (emu, truth) = setup();
    let at = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(2));
    emu.fault(json!({"action": {"type": "status", "status": 429, "retry_after": at}}));
    let started = Instant::now();
    assert_eq!(list(&emu, json!({})).unwrap(), truth);
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(1) && waited < Duration::from_secs(4),
        "{waited:?}"
    );
}

/// 429 without `Retry-After`, twice: exponential backoff with jitter (at least
/// 50 + 100 ms), then the exact list.
#[test]
fn row_429_without_retry_after_backs_off() {
    let (emu, truth) = setup();
    emu.fault(json!({"times": 2, "action": {"type": "status", "status": 429}}));
    let started = Instant::now();
    let (got, requests) = counting(&emu, || list(&emu, json!({})));
    assert_eq!(got.unwrap(), truth);
    assert_eq!(requests, 3 + 2);
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(150) && waited < Duration::from_secs(2),
        "{waited:?}"
    );
}

/// `Retry-After: 30` with `deadline_ms: 2000`: fails at once with the 429 (API
/// error), instead of sleeping past the deadline.
#[test]
fn row_retry_after_beyond_the_deadline_fails_at_once() {
    let (emu, _) = setup();
    emu.fault(
        json!({"times": 0, "action": {"type": "status", "status": 429, "retry_after": "30"}}),
    );
    let started = Instant::now();
    let err = emu
        .client(json!({}))
        .list(&json!({"deadline_ms": 2000}))
        .unwrap_err();
    assert_error(&err, GesErrorKind::Api, 429);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

/// `Retry-After: 120` without a deadline: over the client's 60 s cap, so the
/// call fails at once with the 503 rather than stall.
#[test]
fn row_retry_after_over_the_cap_fails_at_once() {
    let (emu, _) = setup();
    emu.fault(json!({"times": 0, "action": {"type": "status", "status": 503, "retry_after": 120}}));
    let started = Instant::now();
    let (got, requests) = counting(&emu, || list(&emu, json!({})));
    assert_error(&got.unwrap_err(), GesErrorKind::Api, 503);
    assert_eq!(requests, 1);
    assert!(started.elapsed() < Duration::from_secs(1));
}

// ---- broken connections and bodies ----------------------------------------

/// Runs `action` once on the middle page (offset 99): retried, the exact list,
/// one extra request. Then on every request: a TRANSPORT error (no HTTP
/// answer, status 0) after 1 + max_retries requests.
fn retried_then_transport(action: Value) -> CError {
    let (emu, truth) = setup();
    emu.fault(json!({"match": {"offset": 99}, "action": action}));
    let (got, requests) = counting(&emu, || list(&emu, json!({})));
    assert_eq!(got.unwrap(), truth, "{action}");
    assert_eq!(requests, 3 + 1, "{action}");

    emu.fault(json!({"times": 0, "action": action}));
    let (got, requests) = counting(&emu, || list(&emu, json!({"max_retries": 2})));
    let err = got.unwrap_err();
    assert_error(&err, GesErrorKind::Transport, 0);
    assert_eq!(requests, 3, "{action}");
    err
}

/// Connection closed before any answer: retried; forever: TRANSPORT.
#[test]
fn row_connection_dropped_before_the_answer() {
    retried_then_transport(json!({"type": "drop"}));
}

/// Connection closed right after the head (200, full Content-Length, no body):
/// retried; forever: TRANSPORT.
#[test]
fn row_connection_dropped_after_the_head() {
    retried_then_transport(json!({"type": "truncate", "keep": 0}));
}

/// Connection closed halfway through the body: retried; forever: TRANSPORT.
#[test]
fn row_connection_dropped_during_the_body() {
    retried_then_transport(json!({"type": "truncate"}));
}

/// A body one byte short of its Content-Length (the JSON lacks only its last
/// `}`): never decoded as a page; retried; forever: TRANSPORT, not DECODE.
#[test]
fn row_body_one_byte_short() {
    retried_then_transport(json!({"type": "truncate", "keep": 100_000_000}));
}

/// A chunked body whose closing chunk never comes: retried; forever: TRANSPORT.
#[test]
fn row_chunked_body_without_its_last_chunk() {
    retried_then_transport(json!({"type": "truncate", "keep": 100_000_000, "chunked": true}));
}

/// A 200 whose body is not JSON: DECODE, with the answer's status and request
/// id; not retried (the service answered, wrongly).
#[test]
fn row_malformed_body_is_a_decode_error() {
    let (emu, _) = setup();
    emu.fault(json!({"times": 0, "action": {"type": "malformed"}}));
    let (got, requests) = counting(&emu, || list(&emu, json!({})));
    let err = got.unwrap_err();
    assert_error(&err, GesErrorKind::Decode, 200);
    assert!(err.request_id.is_some());
    assert_eq!(requests, 1);
}

// ---- slow answers -----------------------------------------------------------

/// Headers 300 ms late, within `timeout_ms` 2000: waited for; the exact list.
#[test]
fn row_slow_headers_within_the_timeout() {
    let (emu, truth) = setup();
    emu.fault(json!({"action": {"type": "delay", "ms": 300}}));
    let started = Instant::now();
    let (got, requests) = counting(&emu, || list(&emu, json!({"timeout_ms": 2000})));
    assert_eq!(got.unwrap(), truth);
    assert_eq!(requests, 3);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

/// Headers 3 s late with `timeout_ms` 400: that attempt times out and is retried
/// (the exact list); late forever: TRANSPORT "timed out" within 2 x 400 ms +
/// backoff.
#[test]
fn row_slow_headers_beyond_the_timeout() {
    let (emu, truth) = setup();
    emu.fault(json!({"action": {"type": "delay", "ms": 3000}}));
    let started = Instant::now();
    let (got, requests) = counting(&emu, || list(&emu, json!({"timeout_ms": 400})));
    assert_eq!(got.unwrap(), truth);
    assert_eq!(requests, 3 + 1);
    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "{:?}",
        started.elapsed()
    );

    emu.fault(json!({"times": 0, "action": {"type": "delay", "ms": 3000}}));
    let started = Instant::now();
    let err = list(&emu, json!({"timeout_ms": 400, "max_retries": 1})).unwrap_err();
    assert_error(&err, GesErrorKind::Transport, 0);
    assert!(err.message.contains("timed out"), "{}", err.message);
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
}

/// A body dribbled over 400 ms, within `timeout_ms` 3000: read whole; the exact list.
#[test]
fn row_slow_body_within_the_timeout() {
    let (emu, truth) = setup();
    emu.fault(json!({"action": {"type": "slow_body", "ms": 400}}));
    let started = Instant::now();
    assert_eq!(list(&emu, json!({"timeout_ms": 3000})).unwrap(), truth);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

/// A body dribbled over 3 s with `timeout_ms` 500: the timeout covers the body
/// too; retried (the exact list); slow forever: TRANSPORT "timed out", bounded.
#[test]
fn row_slow_body_beyond_the_timeout() {
    let (emu, truth) = setup();
    emu.fault(json!({"action": {"type": "slow_body", "ms": 3000}}));
    let (got, requests) = counting(&emu, || list(&emu, json!({"timeout_ms": 500})));
    assert_eq!(got.unwrap(), truth);
    assert_eq!(requests, 3 + 1);

    emu.fault(json!({"times": 0, "action": {"type": "slow_body", "ms": 3000}}));
    let started = Instant::now();
    let err = list(&emu, json!({"timeout_ms": 500, "max_retries": 1})).unwrap_err();
    assert_error(&err, GesErrorKind::Transport, 0);
    assert!(err.message.contains("timed out"), "{}", err.message);
    assert!(
        started.elapsed() < Duration::from_millis(2000),
        "{:?}",
        started.elapsed()
    );
}

// ---- size cap ---------------------------------------------------------------

/// A valid answer padded to 33 MiB + 1: DECODE ("exceeds 32 MiB") with status
/// 200; not retried, and not read past the cap.
#[test]
fn row_answer_over_the_size_cap() {
    let (emu, _) = setup();
    emu.fault(json!({"times": 0, "action": {"type": "oversize"}}));
    let (got, requests) = counting(&emu, || list(&emu, json!({})));
    let err = got.unwrap_err();
    assert_error(&err, GesErrorKind::Decode, 200);
    assert!(err.message.contains("32 MiB"), "{}", err.message);
    assert_eq!(requests, 1);
}

// ---- the count and the pages disagree ------------------------------------------

/// Backups added and deleted while the pages are read (the count changes):
/// the listing starts again and returns the new list exactly.
#[test]
fn row_count_changes_while_paging() {
    let (emu, truth) = setup();
    emu.fault(json!({"after": 1, "action": {"type": "mutate", "add": 2, "delete": 1}}));
    let got = list(&emu, json!({})).unwrap();
    let now = list(&emu, json!({})).unwrap();
    assert_ne!(now, truth);
    assert_eq!(got, now);
    assert_eq!(got.backups.len(), 251);
}

/// The count on one page is off by 5 (once): the listing starts again; the exact list.
#[test]
fn row_count_lies_once() {
    let (emu, truth) = setup();
    emu.fault(json!({"match": {"offset": 99}, "action": {"type": "count_delta", "delta": 5}}));
    let (got, requests) = counting(&emu, || list(&emu, json!({})));
    assert_eq!(got.unwrap(), truth);
    // The first reading stops at the page that lied (its neighbour may already
    // be in flight), then a second reading of all three pages.
    assert!((2 + 3..=3 + 3).contains(&requests), "{requests}");
}

/// Every page claims 5 more backups than there are: INCONSISTENT after 4
/// readings, within seconds; never a list.
#[test]
fn row_count_always_lies_high() {
    let (emu, _) = setup();
    emu.fault(json!({"times": 0, "action": {"type": "count_delta", "delta": 5}}));
    let started = Instant::now();
    let err = list(&emu, json!({})).unwrap_err();
    assert_error(&err, GesErrorKind::Inconsistent, 0);
    assert!(started.elapsed() < Duration::from_secs(5));
}

/// Every page claims fewer backups than there are, among them counts that end
/// exactly on a page (100 and 199, with pages at 0 and 99): INCONSISTENT every
/// time; a short list is never returned.
#[test]
fn row_count_always_lies_low() {
    let (emu, _) = setup();
    for delta in [1, 50, 51, 52, 149, 150, 151, 249, 250] {
        emu.control("DELETE", "faults", None);
        emu.fault(json!({"times": 0, "action": {"type": "count_delta", "delta": -delta}}));
        match list(&emu, json!({"max_concurrency": 1})) {
            Ok(short) => panic!(
                "backupCount {} of 250: a list of {} was returned",
                250 - delta,
                short.backups.len()
            ),
            Err(err) => assert_error(&err, GesErrorKind::Inconsistent, 0),
        }
    }
}

/// Every page claims a million backups more than there are: INCONSISTENT,
/// and quickly: a reading stops at the first page that contradicts the count
/// instead of asking for the ten thousand pages the count would need.
#[test]
fn row_count_lies_by_a_million() {
    let (emu, _) = setup();
    emu.fault(json!({"times": 0, "action": {"type": "count_delta", "delta": 1_000_000}}));
    let started = Instant::now();
    let (got, requests) = counting(&emu, || list(&emu, json!({})));
    assert_error(&got.unwrap_err(), GesErrorKind::Inconsistent, 0);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(requests < 100, "{requests} requests");
}

/// An empty page before the count is reached (once, at offset 99): the listing
/// starts again; the exact list. On every reading: INCONSISTENT.
#[test]
fn row_empty_page_before_the_count_is_reached() {
    let (emu, truth) = setup();
    emu.fault(json!({"match": {"offset": 99}, "action": {"type": "empty_page"}}));
    assert_eq!(list(&emu, json!({})).unwrap(), truth);

    emu.fault(json!({"match": {"offset": 99}, "times": 0, "action": {"type": "empty_page"}}));
    assert_error(
        &list(&emu, json!({})).unwrap_err(),
        GesErrorKind::Inconsistent,
        0,
    );
}

/// The same id on two pages (a page's first backup replaced by the one before
/// it), with overlapping pages and with pages of one: the listing starts again;
/// the exact list. On every reading: INCONSISTENT.
#[test]
fn row_duplicate_ids_across_pages() {
    for page_size in [100, 1] {
        let emu = emulator(generated(if page_size == 1 { 20 } else { 250 }, 3));
        let config = json!({"page_size": page_size});
        let truth = list(&emu, config.clone()).unwrap();
        let offset = if page_size == 1 { 7 } else { 99 };
        emu.fault(json!({"match": {"offset": offset}, "action": {"type": "duplicate"}}));
        assert_eq!(
            list(&emu, config.clone()).unwrap(),
            truth,
            "page_size {page_size}"
        );

        emu.fault(
            json!({"match": {"offset": offset}, "times": 0, "action": {"type": "duplicate"}}),
        );
        let err = list(&emu, config).unwrap_err();
        assert_error(&err, GesErrorKind::Inconsistent, 0);
    }
}
