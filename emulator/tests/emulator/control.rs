//! The control API: backups, stats, clock and reset.

use crate::common::*;
use serde_json::json;
use std::time::{Duration, SystemTime};

const NEWEST: &str = "7ed3f51d-816d-4651-9129-fe21b64b5c91";

#[test]
fn add_backups_in_the_v1_shape() {
    let emulator = start_default();
    let added = post(
        &control(&emulator, "backups"),
        &json!([
            {"id": "zz-new", "name": "n", "graphId": "g", "startTimestamp": 4_000_000_000_000_i64, "encrypted": false},
            {"id": NEWEST, "name": "renamed", "startTimestamp": 1}
        ]),
    );
    assert_eq!(added.status, 200);
    assert_eq!(added.json(), json!({"backupCount": 4}), "same id replaces");
    let answer = get(&list_url(&emulator, "")).json();
    assert_eq!(ids(&answer)[0], "zz-new");
    assert_eq!(answer["backupList"][0]["encrypted"], false);
    assert_eq!(ids(&answer)[3], NEWEST, "sorted by its new timestamp");
    assert_eq!(answer["backupList"][3]["name"], "renamed");

    let bad = post(&control(&emulator, "backups"), &json!([{"name": "no id"}]));
    assert_eq!(bad.status, 400);
    let bad = post(&control(&emulator, "backups"), &json!({"make": 3}));
    assert_eq!(bad.status, 400);
}

#[test]
fn generate_adds_newer_backups() {
    let emulator = start_default();
    let added = post(&control(&emulator, "backups"), &json!({"generate": 25}));
    assert_eq!(added.json(), json!({"backupCount": 28}));
    let answer = get(&list_url(&emulator, "?limit=1000")).json();
    assert_eq!(ids(&answer)[25], NEWEST, "generated ones sort first");
    let list = answer["backupList"].as_array().unwrap();
    for b in &list[..25] {
        assert_eq!(b["id"].as_str().unwrap().len(), 36);
        assert!(b["startTime"].as_str().unwrap().contains('T'));
    }
}

#[test]
fn delete_one_or_all() {
    let emulator = start_default();
    let one = format!("{}/{NEWEST}", control(&emulator, "backups"));
    assert_eq!(delete(&one).status, 204);
    assert_eq!(delete(&one).status, 404);
    assert!(!ids(&get(&list_url(&emulator, "")).json()).contains(&NEWEST.to_string()));
    assert_eq!(delete(&control(&emulator, "backups")).status, 204);
    let answer = get(&list_url(&emulator, "")).json();
    assert_eq!(answer["backupCount"], 0);
    assert_eq!(answer["backupList"], json!([]));
}

#[test]
fn stats_count_list_requests_faulted_or_not() {
    let emulator = start_default();
    post(
        &control(&emulator, "faults"),
        &json!({"action": {"type": "status", "status": 503}}),
    );
    get(&list_url(&emulator, ""));
    get(&list_url(&emulator, ""));
    get(&list_url(&emulator, "?limit=0"));
    get(&control(&emulator, "faults"));
    get(&format!("{}/elsewhere", emulator.base_url()));
    let stats = get(&control(&emulator, "stats")).json();
    assert_eq!(
        (&stats["requests"], &stats["backupCount"]),
        (&json!(3), &json!(3))
    );
}

#[test]
fn clock_shifts_the_date_header() {
    let emulator = start_default();
    let set = post(&control(&emulator, "clock"), &json!({"offset_s": 86400}));
    assert_eq!(set.json()["offset_s"], 86400);
    let date =
        httpdate::parse_http_date(get(&list_url(&emulator, "")).header("date").unwrap()).unwrap();
    let ahead = date.duration_since(SystemTime::now()).unwrap();
    assert!(ahead > Duration::from_secs(86390) && ahead < Duration::from_secs(86410));
    assert_eq!(
        post(&control(&emulator, "clock"), &json!({"offset": 1})).status,
        400
    );
    let too_far = post(&control(&emulator, "clock"), &json!({"offset_s": i64::MIN}));
    assert_eq!(too_far.status, 400);
    assert_eq!(get(&list_url(&emulator, "")).status, 200, "still serving");
}

#[test]
fn reset_restores_data_faults_stats_and_clock() {
    let emulator = start(ges_emulator::EmulatorConfig {
        clock_offset_s: 60,
        ..ges_emulator::EmulatorConfig::default()
    });
    let start_ids = ids(&get(&list_url(&emulator, "")).json());
    delete(&format!("{}/{NEWEST}", control(&emulator, "backups")));
    post(&control(&emulator, "backups"), &json!({"generate": 4}));
    post(
        &control(&emulator, "faults"),
        &json!({"times": 0, "action": {"type": "drop"}}),
    );
    post(&control(&emulator, "clock"), &json!({"offset_s": -5000}));

    assert_eq!(post(&control(&emulator, "reset"), &json!({})).status, 204);
    assert_eq!(get(&control(&emulator, "faults")).json(), json!([]));
    let stats = get(&control(&emulator, "stats")).json();
    assert_eq!(
        (&stats["requests"], &stats["backupCount"]),
        (&json!(0), &json!(3))
    );
    let got = get(&list_url(&emulator, ""));
    assert_eq!(ids(&got.json()), start_ids);
    let date = httpdate::parse_http_date(got.header("date").unwrap()).unwrap();
    let ahead = date.duration_since(SystemTime::now()).unwrap();
    assert!(ahead > Duration::from_secs(50) && ahead < Duration::from_secs(70));
}

#[test]
fn wrong_methods_and_paths() {
    let emulator = start_default();
    assert_eq!(delete(&control(&emulator, "stats")).status, 405);
    assert_eq!(get(&control(&emulator, "nothing")).status, 404);
    assert_eq!(delete(&list_url(&emulator, "")).status, 405);
}
