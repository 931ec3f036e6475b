//! Scripted faults through the C ABI: retries, error bodies, timeouts, deadlines,
//! and lists that change while they are paged through.

use crate::common::*;
use ges_backups::ffi::GesErrorKind;
use serde_json::json;
use std::collections::HashSet;
use std::time::{Duration, Instant};

#[test]
fn status_503_twice_then_ok_is_retried() {
    let emu = emulator(Default::default());
    emu.fault(json!({"times": 2, "action": {"type": "status", "status": 503}}));
    let before = emu.requests();
    let list = emu.client(json!({})).list(&json!({})).unwrap();
    assert_eq!(list.backups.len(), 3);
    assert_eq!(emu.requests() - before, 3);
}

#[test]
fn retries_stop_at_max_retries_with_the_api_error() {
    let emu = emulator(Default::default());
    emu.fault(json!({"times": 0, "action": {"type": "status", "status": 500}}));
    let before = emu.requests();
    let err = emu
        .client(json!({"max_retries": 2}))
        .list(&json!({}))
        .unwrap_err();
    assert_eq!(emu.requests() - before, 3, "one try and two retries");
    assert_eq!((err.kind, err.http_status), (GesErrorKind::Api, 500));
    assert_eq!(
        err.code.as_deref(),
        Some("GES.7006"),
        "GES's errorCode body is decoded"
    );
    assert!(err.request_id.is_some());
}

#[test]
fn status_429_waits_for_retry_after() {
    let emu = emulator(Default::default());
    emu.fault(json!({"action": {"type": "status", "status": 429, "retry_after": "1"}}));
    let started = Instant::now();
    let list = emu.client(json!({})).list(&json!({})).unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(list.backups.len(), 3);
}

#[test]
fn other_4xx_are_not_retried_and_keep_the_ges_error() {
    let emu = emulator(Default::default());
    emu.fault(json!({"times": 0, "action": {"type": "status", "status": 400,
        "body": {"errorCode": "GES.7006", "errorMessage": "The underlying graph engine has internal error."}}}));
    let before = emu.requests();
    let err = emu.client(json!({})).list(&json!({})).unwrap_err();
    assert_eq!(emu.requests() - before, 1);
    assert_eq!(
        (err.kind, err.http_status, err.code.as_deref()),
        (GesErrorKind::Api, 400, Some("GES.7006"))
    );
    assert!(
        err.message.contains("underlying graph engine"),
        "{}",
        err.message
    );
}

#[test]
fn a_dropped_connection_is_retried() {
    let emu = emulator(Default::default());
    emu.fault(json!({"action": {"type": "drop"}}));
    assert_eq!(backups_listed(&emu.config()), 3);
    emu.fault(json!({"action": {"type": "truncate"}}));
    assert_eq!(backups_listed(&emu.config()), 3);
}

#[test]
fn connections_that_keep_dropping_are_a_transport_error() {
    let emu = emulator(Default::default());
    emu.fault(json!({"times": 0, "action": {"type": "drop"}}));
    let err = emu
        .client(json!({"max_retries": 1}))
        .list(&json!({}))
        .unwrap_err();
    assert_eq!((err.kind, err.http_status), (GesErrorKind::Transport, 0));
}

#[test]
fn a_malformed_body_is_a_decode_error() {
    let emu = emulator(Default::default());
    emu.fault(json!({"action": {"type": "malformed"}}));
    let err = emu.client(json!({})).list(&json!({})).unwrap_err();
    assert_eq!(err.kind, GesErrorKind::Decode, "{}", err.message);
    assert_eq!(err.http_status, 200, "the answer's status is kept");
    assert!(err.request_id.is_some(), "and its request id");
}

#[test]
fn an_oversize_body_is_a_decode_error() {
    let emu = emulator(Default::default());
    emu.fault(json!({"action": {"type": "oversize"}}));
    let err = emu.client(json!({})).list(&json!({})).unwrap_err();
    assert_eq!(err.kind, GesErrorKind::Decode);
    assert!(err.message.contains("32 MiB"), "{}", err.message);
    assert_eq!(err.http_status, 200);
}

#[test]
fn a_slow_answer_times_out() {
    let emu = emulator(Default::default());
    emu.fault(json!({"times": 0, "action": {"type": "delay", "ms": 3000}}));
    let started = Instant::now();
    let err = emu
        .client(json!({"timeout_ms": 300, "max_retries": 1}))
        .list(&json!({}))
        .unwrap_err();
    assert_eq!(err.kind, GesErrorKind::Transport);
    assert!(err.message.contains("timed out"), "{}", err.message);
    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn the_deadline_bounds_the_whole_call() {
    let emu = emulator(Default::default());
    emu.fault(json!({"times": 0, "action": {"type": "delay", "ms": 2000}}));
    let started = Instant::now();
    let err = emu
        .client(json!({"max_retries": 5}))
        .list(&json!({"deadline_ms": 400}))
        .unwrap_err();
    assert_eq!(err.kind, GesErrorKind::Transport);
    assert!(err.message.contains("deadline_ms"), "{}", err.message);
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn retry_after_beyond_the_deadline_fails_at_once() {
    let emu = emulator(Default::default());
    emu.fault(
        json!({"times": 0, "action": {"type": "status", "status": 503, "retry_after": "30"}}),
    );
    let started = Instant::now();
    let err = emu
        .client(json!({}))
        .list(&json!({"deadline_ms": 2000}))
        .unwrap_err();
    assert_eq!((err.kind, err.http_status), (GesErrorKind::Api, 503));
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[test]
fn backups_added_or_deleted_mid_listing_are_each_returned_once() {
    for action in [
        json!({"type": "mutate", "add": 3}),
        json!({"type": "mutate", "delete": 2}),
        json!({"type": "mutate", "add": 1, "delete": 1}),
    ] {
        let emu = emulator(generated(300, 3));
        let client = emu.client(json!({"page_size": 25, "max_concurrency": 2}));
        let before = client.list(&json!({})).unwrap().ids();
        // The third page request changes the list under the reader.
        emu.fault(json!({"after": 2, "action": action}));
        let during = client.list(&json!({})).unwrap();
        let after = client.list(&json!({})).unwrap().ids();
        assert_ne!(before, after, "{action} changed the list");
        // The listing is the list as it was before or after the change, never a mix.
        assert!(
            during.ids() == before || during.ids() == after,
            "{action}: a listing that never existed"
        );
        let unique: HashSet<String> = during.ids().into_iter().collect();
        assert_eq!(unique.len(), during.backups.len());
        assert_eq!(during.backups.len() as i64, during.total_count);
    }
}

#[test]
fn a_count_that_never_settles_is_inconsistent_in_bounded_time() {
    let emu = emulator(generated(200, 2));
    emu.fault(
        json!({"match": {"offset": 0}, "times": 0, "action": {"type": "count_delta", "delta": 1}}),
    );
    let started = Instant::now();
    let err = emu
        .client(json!({"page_size": 50}))
        .list(&json!({}))
        .unwrap_err();
    assert_eq!(err.kind, GesErrorKind::Inconsistent, "{}", err.message);
    assert!(started.elapsed() < Duration::from_secs(5));

    let emu = emulator(generated(200, 2));
    emu.fault(json!({"after": 1, "times": 0, "action": {"type": "mutate", "add": 1}}));
    let err = emu
        .client(json!({"page_size": 50}))
        .list(&json!({}))
        .unwrap_err();
    assert_eq!(err.kind, GesErrorKind::Inconsistent, "{}", err.message);
}

#[test]
fn an_empty_page_or_a_duplicate_never_passes_as_a_list() {
    for action in ["empty_page", "duplicate"] {
        let emu = emulator(generated(200, 2));
        emu.fault(json!({"match": {"offset": 49}, "times": 1, "action": {"type": action}}));
        let list = emu
            .client(json!({"page_size": 50}))
            .list(&json!({}))
            .unwrap();
        assert_eq!(
            list.backups.len(),
            200,
            "{action}: the listing started again and came out whole"
        );
        let unique: HashSet<String> = list.ids().into_iter().collect();
        assert_eq!(unique.len(), 200);
    }
}

#[test]
fn an_absurd_backup_count_is_refused_not_allocated_for() {
    let emu = emulator(Default::default());
    emu.fault(
        json!({"times": 0, "action": {"type": "count_delta", "delta": 1_000_000_000_000_i64}}),
    );
    let err = emu.client(json!({})).list(&json!({})).unwrap_err();
    assert_eq!(err.kind, GesErrorKind::Decode, "{}", err.message);
    assert!(err.message.contains("max_listing_bytes"), "{}", err.message);
    // One-page mode reports the count as the service gave it.
    let page = emu.client(json!({})).list(&json!({"limit": 2})).unwrap();
    assert_eq!(page.total_count, 1_000_000_000_003);
}
