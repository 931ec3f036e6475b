//! Each scripted fault action, and how faults are matched and used up.

use crate::common::*;
use ges_emulator::{Emulator, EmulatorConfig};
use serde_json::{json, Value};
use std::time::{Duration, Instant, SystemTime};

fn script(emulator: &Emulator, faults: Value) {
    let got = post(&control(emulator, "faults"), &faults);
    assert_eq!(got.status, 200, "{}", String::from_utf8_lossy(&got.body));
}

const LIST: &str = "/v1.0/demo-project/graphs/backups";

#[test]
fn status_with_retry_after_and_the_default_ges_body() {
    let emulator = start_default();
    script(
        &emulator,
        json!({"action": {"type": "status", "status": 503, "retry_after": "1"}}),
    );
    let got = get(&list_url(&emulator, ""));
    assert_eq!(got.status, 503);
    assert_eq!(got.header("retry-after"), Some("1"));
    assert_eq!(got.json()["errorCode"], "GES.7006");
    assert!(got.header("x-request-id").is_some());
    assert_eq!(
        get(&list_url(&emulator, "")).status,
        200,
        "times defaults to 1"
    );
}

#[test]
fn status_with_a_custom_body() {
    let emulator = start_default();
    let body = json!({"error_code": "APIGW.0308", "error_msg": "throttled"});
    script(
        &emulator,
        json!({"action": {"type": "status", "status": 429, "body": body}}),
    );
    let got = get(&list_url(&emulator, ""));
    assert_eq!(got.status, 429);
    assert_eq!(got.json(), body);
    assert_eq!(got.header("retry-after"), None);
}

#[test]
fn drop_closes_without_an_answer() {
    let emulator = start_default();
    script(&emulator, json!({"action": {"type": "drop"}}));
    match raw_get(&emulator, LIST) {
        Ok(received) => assert!(received.is_empty(), "got {received:?}"),
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset),
    }
    assert_eq!(get(&list_url(&emulator, "")).status, 200);
}

#[test]
fn truncate_sends_half_of_the_announced_body() {
    let emulator = start_default();
    let whole = get(&list_url(&emulator, "")).body;
    script(&emulator, json!({"action": {"type": "truncate"}}));
    let raw = raw_get(&emulator, LIST).expect("the head and half a body, then EOF");
    let (head, body) = split_head(&raw);
    assert!(head.starts_with("http/1.1 200"));
    assert_eq!(content_length(&head), whole.len());
    assert_eq!(body, whole[..whole.len() / 2]);
}

#[test]
fn truncate_a_large_page() {
    let emulator = start(ges_emulator::EmulatorConfig {
        dataset: ges_emulator::Dataset::Generated {
            backups: 1000,
            graphs: 4,
            seed: 1,
        },
        ..ges_emulator::EmulatorConfig::default()
    });
    let path = format!("{LIST}?limit=1000");
    let whole = get(&format!("{}{path}", emulator.base_url())).body;
    assert!(whole.len() > 400_000);
    script(&emulator, json!({"action": {"type": "truncate"}}));
    let (head, body) = split_head(&raw_get(&emulator, &path).unwrap());
    assert_eq!(content_length(&head), whole.len());
    assert_eq!(body, whole[..whole.len() / 2]);
}

#[test]
fn truncate_keeps_as_many_bytes_as_asked_and_always_cuts() {
    let emulator = start_default();
    let whole = get(&list_url(&emulator, "")).body;
    for (keep, sent) in [(0, 0), (10, 10), (whole.len() + 5, whole.len() - 1)] {
        script(
            &emulator,
            json!({"action": {"type": "truncate", "keep": keep}}),
        );
        let (head, body) = split_head(&raw_get(&emulator, LIST).unwrap());
        assert_eq!(content_length(&head), whole.len());
        assert_eq!(body, whole[..sent], "keep {keep}");
    }
}

#[test]
fn truncate_chunked_never_sends_the_closing_chunk() {
    let emulator = start_default();
    let whole = get(&list_url(&emulator, "")).body;
    script(
        &emulator,
        json!({"action": {"type": "truncate", "keep": 100, "chunked": true}}),
    );
    let (head, body) = split_head(&raw_get(&emulator, LIST).unwrap());
    assert!(head.contains("transfer-encoding: chunked"), "{head}");
    assert!(!head.contains("content-length"), "{head}");
    // Chunk framing around the first 100 bytes, and no `0\r\n\r\n` at the end.
    let text = String::from_utf8_lossy(&body);
    assert!(text.contains(std::str::from_utf8(&whole[..100]).unwrap()));
    assert!(!text.ends_with("0\r\n\r\n"), "{text:?}");
}

#[test]
fn probability_faults_a_share_of_requests() {
    let emulator = start_default();
    script(
        &emulator,
        json!({"times": 0, "probability": 0.3, "action": {"type": "status", "status": 503}}),
    );
    let failed = (0..300)
        .filter(|_| get(&list_url(&emulator, "")).status == 503)
        .count();
    assert!((60..=120).contains(&failed), "{failed} of 300");
    let listed: Value = get(&control(&emulator, "faults")).json();
    assert_eq!(listed[0]["applied"], failed as u64);
}

#[test]
fn malformed_is_200_with_a_body_that_is_not_json() {
    let emulator = start_default();
    script(&emulator, json!({"action": {"type": "malformed"}}));
    let got = get(&list_url(&emulator, ""));
    assert_eq!(got.status, 200);
    assert!(serde_json::from_slice::<Value>(&got.body).is_err());
}

#[test]
fn delay_waits_then_answers_normally() {
    let emulator = start_default();
    script(&emulator, json!({"action": {"type": "delay", "ms": 300}}));
    let started = Instant::now();
    let got = get(&list_url(&emulator, ""));
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(got.json()["backupCount"], 3);
}

#[test]
fn slow_body_sends_headers_at_once_and_the_body_over_time() {
    let emulator = start_default();
    let whole = get(&list_url(&emulator, "")).body;
    script(
        &emulator,
        json!({"action": {"type": "slow_body", "ms": 600}}),
    );
    let started = Instant::now();
    let mut response = agent().get(&list_url(&emulator, "")).call().unwrap();
    let headers_after = started.elapsed();
    let body = response.body_mut().read_to_vec().unwrap();
    let body_after = started.elapsed();
    assert!(
        headers_after < Duration::from_millis(400),
        "{headers_after:?}"
    );
    assert!(body_after >= Duration::from_millis(550), "{body_after:?}");
    assert_eq!(body, whole);
}

#[test]
fn oversize_pads_a_valid_answer() {
    let emulator = start_default();
    script(
        &emulator,
        json!([
            {"action": {"type": "oversize"}},
            {"action": {"type": "oversize", "bytes": 5000}},
        ]),
    );
    let big = get(&list_url(&emulator, ""));
    assert_eq!(big.status, 200);
    assert_eq!(big.body.len(), 33 * 1024 * 1024 + 1);
    assert_eq!(big.header("content-length"), Some("34603009"));
    assert_eq!(big.json()["backupCount"], 3, "still valid JSON");
    let small = get(&list_url(&emulator, ""));
    assert_eq!(small.body.len(), 5000);
    assert_eq!(ids(&small.json()).len(), 3);
}

#[test]
fn count_delta_lies_about_the_count() {
    let emulator = start_default();
    script(
        &emulator,
        json!({"action": {"type": "count_delta", "delta": 5}}),
    );
    let answer = get(&list_url(&emulator, "")).json();
    assert_eq!(answer["backupCount"], 8);
    assert_eq!(ids(&answer).len(), 3);
}

#[test]
fn mutate_changes_the_data_before_answering() {
    let emulator = start_default();
    let before = ids(&get(&list_url(&emulator, "")).json());
    script(
        &emulator,
        json!({"action": {"type": "mutate", "add": 2, "delete": 1}}),
    );
    let answer = get(&list_url(&emulator, "")).json();
    assert_eq!(answer["backupCount"], 4);
    let after = ids(&answer);
    assert!(!after.contains(&before[0]), "the first backup was deleted");
    assert_eq!(&after[2..], &before[1..], "two new ones sort first");
    let newest = answer["backupList"][0]["startTimestamp"].as_i64().unwrap();
    assert!(newest > answer["backupList"][2]["startTimestamp"].as_i64().unwrap());
    // The change stays.
    assert_eq!(ids(&get(&list_url(&emulator, "")).json()), after);
    assert_eq!(get(&control(&emulator, "stats")).json()["backupCount"], 4);
}

#[test]
fn empty_page_keeps_the_true_count() {
    let emulator = start_default();
    script(&emulator, json!({"action": {"type": "empty_page"}}));
    let answer = get(&list_url(&emulator, "")).json();
    assert_eq!(answer["backupCount"], 3);
    assert_eq!(answer["backupList"], json!([]));
}

#[test]
fn duplicate_repeats_the_backup_before_the_page() {
    let emulator = start_default();
    let all = ids(&get(&list_url(&emulator, "")).json());
    script(
        &emulator,
        json!({"times": 2, "action": {"type": "duplicate"}}),
    );
    let page = ids(&get(&list_url(&emulator, "?offset=1&limit=2")).json());
    assert_eq!(page, [all[0].clone(), all[2].clone()]);
    let first_page = ids(&get(&list_url(&emulator, "?offset=0&limit=2")).json());
    assert_eq!(first_page, all[..2], "unchanged at offset 0");
}

#[test]
fn matching_after_times_and_queue_order() {
    let emulator = start_default();
    script(
        &emulator,
        json!([
            {"match": {"offset": 10}, "action": {"type": "status", "status": 500}},
            {"match": {"api": "v2"}, "after": 1, "times": 2, "action": {"type": "status", "status": 502}},
            {"match": {"path": "/graphs/g1/"}, "times": 0, "action": {"type": "empty_page"}},
        ]),
    );
    let base = emulator.base_url().to_string();
    let v1 = |q: &str| get(&format!("{base}/v1.0/demo-project/graphs/backups{q}")).status;
    let v2 = || get(&format!("{base}/v2/demo-project/graphs/backups")).status;
    assert_eq!(v1("?offset=0"), 200);
    assert_eq!(v1("?offset=10"), 500);
    assert_eq!(v1("?offset=10"), 200, "used up");
    assert_eq!(v2(), 200, "after 1");
    assert_eq!(v2(), 502);
    assert_eq!(v2(), 502);
    assert_eq!(v2(), 200);
    for _ in 0..3 {
        let answer = get(&format!("{base}/v1.0/demo-project/graphs/g1/backups")).json();
        assert_eq!(answer["backupList"], json!([]), "times 0 is forever");
    }

    let queue = get(&control(&emulator, "faults")).json();
    assert_eq!(queue.as_array().unwrap().len(), 3);
    assert_eq!(queue[0]["remaining"], 0);
    assert_eq!(queue[1]["applied"], 2);
    assert_eq!(queue[1]["after"], 0);
    assert_eq!(queue[2]["remaining"], Value::Null);
    assert_eq!(queue[2]["applied"], 3);

    assert_eq!(delete(&control(&emulator, "faults")).status, 204);
    assert_eq!(get(&control(&emulator, "faults")).json(), json!([]));
    assert_eq!(
        get(&format!("{base}/v1.0/demo-project/graphs/g1/backups")).json()["backupCount"],
        0
    );
}

#[test]
fn faults_only_touch_list_requests_that_pass_the_checks() {
    let emulator = start_default();
    script(
        &emulator,
        json!({"action": {"type": "status", "status": 500}}),
    );
    assert_eq!(get(&list_url(&emulator, "?limit=0")).status, 400);
    assert_eq!(
        get(&format!(
            "{}/v1.0/other/graphs/backups",
            emulator.base_url()
        ))
        .status,
        404
    );
    assert_eq!(get(&control(&emulator, "stats")).status, 200);
    assert_eq!(get(&list_url(&emulator, "")).status, 500, "still queued");
}

#[test]
fn invalid_faults_are_refused_whole() {
    let emulator = start_default();
    for bad in [
        json!({"action": {"type": "explode"}}),
        json!({"action": {"type": "status"}}),
        json!({"action": {"type": "status", "status": 1000}}),
        json!({"match": {"api": "v9"}, "action": {"type": "drop"}}),
        json!([{"action": {"type": "drop"}}, {"action": {"type": "delay"}}]),
        json!({"action": {"type": "drop"}, "unknown": 1}),
    ] {
        let got = post(&control(&emulator, "faults"), &bad);
        assert_eq!(got.status, 400, "{bad}");
        assert_eq!(got.json()["errorCode"], "GES.8011");
    }
    assert_eq!(get(&control(&emulator, "faults")).json(), json!([]));
    let not_json = agent()
        .post(&control(&emulator, "faults"))
        .header("Content-Type", "application/json")
        .send("{nope")
        .unwrap();
    assert_eq!(not_json.status(), 400);
}

#[test]
fn echo_quotes_the_query_and_every_header_secrets_included() {
    let emulator = start(EmulatorConfig {
        access_key: Some("AKECHO".into()),
        secret_key: Some("SKECHO".into()),
        ..EmulatorConfig::default()
    });
    script(
        &emulator,
        json!([{"action": {"type": "echo", "status": 503, "retry_after": 1}},
               {"action": {"type": "echo"}}]),
    );
    let url = list_url(&emulator, "?offset=0&limit=10");
    let secrets = [
        ("X-Auth-Token", "token-secret"),
        ("X-Security-Token", "security-secret"),
    ];
    let got = signed_request(
        "GET",
        &url,
        &secrets,
        b"",
        ("AKECHO", "SKECHO"),
        SystemTime::now(),
    );
    assert_eq!(got.status, 503);
    assert_eq!(got.header("retry-after"), Some("1"));
    let body = got.json();
    assert_eq!(body["errorCode"], "GES.7006");
    let request = &body["request"];
    assert_eq!(request["method"], "GET");
    assert_eq!(request["path"], LIST);
    assert_eq!(request["query"], "offset=0&limit=10");
    let authorization = request["headers"]["authorization"].as_str().unwrap();
    assert!(authorization.starts_with("SDK-HMAC-SHA256 Access=AKECHO, "));
    let message = body["errorMessage"].as_str().unwrap();
    for quoted in [
        authorization,
        "token-secret",
        "security-secret",
        "offset=0&limit=10",
    ] {
        assert!(message.contains(quoted), "{quoted} not in {message}");
    }
    assert_eq!(request["headers"]["x-auth-token"], "token-secret");
    assert_eq!(request["headers"]["x-security-token"], "security-secret");

    let second = signed_request(
        "GET",
        &url,
        &secrets,
        b"",
        ("AKECHO", "SKECHO"),
        SystemTime::now(),
    );
    assert_eq!(second.status, 503, "the default status");
    assert!(second.header("retry-after").is_none());
    let third = signed_request(
        "GET",
        &url,
        &secrets,
        b"",
        ("AKECHO", "SKECHO"),
        SystemTime::now(),
    );
    assert_eq!(third.status, 200, "each echo applies once");
}
