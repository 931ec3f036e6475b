//! The control API against hostile bodies: only JSON-typed bodies are taken
//! (a web page cannot script the emulator), every size is bounded, and no
//! input takes the process down.

use crate::common::{agent, control, delete, get, list_url, post, start_default, Got};
use ges_emulator::limits::{MAX_BACKUPS, MAX_CONTROL_BODY, MAX_FAULTS, MAX_POSTED_BYTES};
use ges_emulator::Emulator;
use serde_json::{json, Value};

/// POST `body` as is, with this Content-Type (none for `None`).
fn post_raw(url: &str, content_type: Option<&str>, body: &[u8]) -> Got {
    let mut request = agent().post(url);
    if let Some(content_type) = content_type {
        request = request.header("Content-Type", content_type);
    }
    let mut response = request.send(body).expect("an HTTP answer");
    Got {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response.body_mut().read_to_vec().unwrap(),
    }
}

fn backup_count(emulator: &Emulator) -> u64 {
    get(&control(emulator, "stats")).json()["backupCount"]
        .as_u64()
        .unwrap()
}

/// The emulator still serves a list and its control API.
fn still_serving(emulator: &Emulator, after: &str) {
    let list = get(&list_url(emulator, "?limit=1"));
    assert_eq!(list.status, 200, "after {after}");
    assert_eq!(
        get(&control(emulator, "stats")).status,
        200,
        "after {after}"
    );
}

#[test]
fn a_cross_origin_post_cannot_reset_or_change_it() {
    let emulator = start_default();
    let added = post(&control(&emulator, "backups"), &json!({"generate": 2}));
    assert_eq!(added.status, 200);
    assert_eq!(backup_count(&emulator), 5);

    // What a browser page may send to another origin without a preflight:
    // text/plain, a form, multipart, or no body and no type at all.
    let fault = br#"{"times": 0, "action": {"type": "drop"}}"#;
    for content_type in [
        Some("text/plain"),
        Some("text/plain;charset=UTF-8"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("application/jsonx"),
        None,
    ] {
        for (what, body) in [
            ("reset", &b""[..]),
            ("reset", &b"{}"[..]),
            ("faults", &fault[..]),
            ("backups", &br#"{"generate": 5}"#[..]),
            ("clock", &br#"{"offset_s": 3600}"#[..]),
        ] {
            let got = post_raw(&control(&emulator, what), content_type, body);
            assert_eq!(got.status, 415, "{what} with {content_type:?}");
            assert_eq!(got.json()["errorCode"], "GES.8011");
        }
    }
    assert_eq!(backup_count(&emulator), 5, "nothing reset or added");
    assert_eq!(get(&control(&emulator, "faults")).json(), json!([]));
    still_serving(&emulator, "refused posts");

    // JSON with parameters, in any case, is JSON.
    let got = post_raw(
        &control(&emulator, "reset"),
        Some("Application/JSON; charset=utf-8"),
        b"",
    );
    assert_eq!(got.status, 204);
    assert_eq!(backup_count(&emulator), 3);
}

#[test]
fn every_size_is_bounded() {
    let emulator = start_default();
    let too_big: Vec<(&str, Value)> = vec![
        ("backups", json!({"generate": 1_000_000_000_000_u64})),
        ("backups", json!({"generate": 1e12})),
        ("backups", json!({"generate": u64::MAX})),
        ("backups", json!({"generate": -1})),
        ("backups", json!({"generate": MAX_BACKUPS})),
        (
            "faults",
            json!({"action": {"type": "delay", "ms": 1_000_000_000_000_000_u64}}),
        ),
        (
            "faults",
            json!({"action": {"type": "delay", "ms": u64::MAX}}),
        ),
        (
            "faults",
            json!({"action": {"type": "slow_body", "ms": u64::MAX}}),
        ),
        (
            "faults",
            json!({"action": {"type": "oversize", "bytes": u64::MAX}}),
        ),
        (
            "faults",
            json!({"action": {"type": "oversize", "bytes": 1_u64 << 40}}),
        ),
        (
            "faults",
            json!({"action": {"type": "mutate", "add": 1_000_000_000_000_u64}}),
        ),
        (
            "faults",
            json!({"action": {"type": "count_delta", "delta": 1e300}}),
        ),
        (
            "faults",
            json!({"action": {"type": "status", "status": 100}}),
        ),
        (
            "faults",
            json!({"action": {"type": "status", "status": 65535}}),
        ),
        ("faults", json!({"after": -1, "action": {"type": "drop"}})),
        ("clock", json!({"offset_s": i64::MIN})),
        ("clock", json!({"offset_s": i64::MAX})),
    ];
    for (what, body) in &too_big {
        let got = post(&control(&emulator, what), body);
        assert_eq!(got.status, 400, "{what} {body}");
        assert_eq!(got.json()["errorCode"], "GES.8011", "{what} {body}");
        still_serving(&emulator, &body.to_string());
    }
    assert_eq!(backup_count(&emulator), 3);
    assert_eq!(get(&control(&emulator, "faults")).json(), json!([]));

    // A count off by the most an i64 holds saturates instead of overflowing.
    for (delta, count) in [(i64::MAX, i64::MAX), (i64::MIN, i64::MIN + 3)] {
        let fault = json!({"action": {"type": "count_delta", "delta": delta}});
        assert_eq!(post(&control(&emulator, "faults"), &fault).status, 200);
        let answer = get(&list_url(&emulator, "")).json();
        assert_eq!(answer["backupCount"], count, "{delta}");
    }
    assert_eq!(delete(&control(&emulator, "faults")).status, 204);

    // A queue of faults has an end.
    let many: Vec<Value> = (0..=MAX_FAULTS)
        .map(|_| json!({"action": {"type": "drop"}}))
        .collect();
    let got = post(&control(&emulator, "faults"), &Value::Array(many));
    assert_eq!(got.status, 400);
    assert_eq!(get(&control(&emulator, "faults")).json(), json!([]));

    // So has a body: refused while it is read, with 413.
    let huge = vec![b' '; MAX_CONTROL_BODY + 1];
    let got = post_raw(
        &control(&emulator, "backups"),
        Some("application/json"),
        &huge,
    );
    assert_eq!(got.status, 413);
    still_serving(&emulator, "an oversize body");
}

#[test]
fn no_body_takes_it_down() {
    let emulator = start_default();
    let depth = 100_000;
    let nested = "[".repeat(depth) + &"]".repeat(depth);
    for body in [
        nested.as_str(),
        "",
        "null",
        "\u{feff}{}",
        "{\"generate\": 3, \"generate\": 4}",
        "[{\"id\": \"\"}]",
        "[{\"id\": 5}]",
        "\"\\ud800\"",
        "{\"action\": {\"type\": \"status\", \"status\": 503, \"retry_after\": \"a\\r\\nX-Evil: 1\"}}",
    ] {
        for what in ["backups", "faults", "clock"] {
            let got = post_raw(&control(&emulator, what), Some("application/json"), body.as_bytes());
            assert!(
                [200, 400].contains(&got.status),
                "{what} {:.40}: {}",
                body,
                got.status
            );
        }
        // A fault that parsed (the odd Retry-After) is not what is checked here.
        assert_eq!(delete(&control(&emulator, "faults")).status, 204);
        still_serving(&emulator, body);
    }
    let _ = post(&control(&emulator, "faults"), &json!({}));
    assert_eq!(post(&control(&emulator, "reset"), &json!({})).status, 204);

    // Backups at the end of time, then more generated above them and by
    // `mutate`: timestamps saturate instead of overflowing.
    let end_of_time = json!([{"id": "last", "startTimestamp": i64::MAX, "endTimestamp": i64::MAX,
                              "size": i64::MIN, "duration": i64::MAX}]);
    assert_eq!(
        post(&control(&emulator, "backups"), &end_of_time).status,
        200
    );
    assert_eq!(
        post(&control(&emulator, "backups"), &json!({"generate": 3})).status,
        200
    );
    let fault = json!({"times": 2, "action": {"type": "mutate", "add": 2, "delete": 1_000_000}});
    assert_eq!(post(&control(&emulator, "faults"), &fault).status, 200);
    for _ in 0..3 {
        still_serving(&emulator, "backups at the end of time");
    }
    let all = get(&list_url(&emulator, "?limit=1000")).json();
    assert!(all["backupCount"].as_u64().unwrap() >= 2, "{all}");
}

#[test]
fn posted_text_is_bounded_in_all_not_only_per_body() {
    let emulator = start_default();
    // Bodies under the limit one by one, over it together.
    let name = "n".repeat(15 * 1024 * 1024);
    let fits = MAX_POSTED_BYTES / name.len();
    let post_one = |i: usize| {
        let body = json!([{"id": format!("big-{i}"), "name": name}]);
        post(&control(&emulator, "backups"), &body)
    };
    for i in 0..fits {
        assert_eq!(post_one(i).status, 200, "body {i}");
    }
    let refused = post_one(fits);
    assert_eq!(refused.status, 400);
    assert!(
        refused.json()["errorMessage"]
            .as_str()
            .unwrap()
            .contains("reset"),
        "{}",
        refused.json()
    );
    assert_eq!(backup_count(&emulator), 3 + fits as u64);
    still_serving(&emulator, "the text budget spent");
    // A reset gives the budget back.
    assert_eq!(post(&control(&emulator, "reset"), &json!({})).status, 204);
    assert_eq!(post_one(fits).status, 200);
}
