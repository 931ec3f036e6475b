//! Listing through the C ABI against the emulator on loopback.

use crate::common::*;
use serde_json::{json, Value};
use std::collections::HashSet;

/// Every backup the emulator holds, read raw in its own order (pages of 1000).
fn served(emu: &Emu, api: &str) -> Vec<Value> {
    let (count_key, list_key) = if api == "v2" {
        ("backup_count", "backup_list")
    } else {
        ("backupCount", "backupList")
    };
    let mut all = Vec::new();
    loop {
        let page = emu.raw_page(&format!(
            "/{api}/demo-project/graphs/backups?offset={}&limit=1000",
            all.len()
        ));
        let items = page[list_key].as_array().unwrap().clone();
        all.extend(items);
        if all.len() as u64 >= page[count_key].as_u64().unwrap() {
            return all;
        }
    }
}

fn assert_listing_order(list: &CList) {
    for pair in list.backups.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert!(
            a.start_timestamp > b.start_timestamp
                || (a.start_timestamp == b.start_timestamp && a.id < b.id),
            "{a:?} before {b:?}"
        );
    }
}

#[test]
fn pages_through_1234_backups_each_once_in_order_v1_and_v2() {
    let emu = emulator(generated(1234, 5));
    for api in ["v1.0", "v2"] {
        let before = emu.requests();
        let client = emu.client(json!({"api_version": api, "page_size": 50}));
        let list = client.list(&json!({})).unwrap();
        assert_eq!(list.total_count, 1234);
        assert_eq!(list.backups.len(), 1234);
        let unique: HashSet<String> = list.ids().into_iter().collect();
        assert_eq!(unique.len(), 1234, "each backup once");
        let expected: HashSet<String> = served(&emu, api)
            .iter()
            .map(|b| b["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(unique, expected);
        assert_listing_order(&list);
        // 1 + ceil((1234 - 50) / 49) pages: one backup of overlap between neighbours.
        let pages = emu.requests() - before - 2; // the two raw reads of `served`
        assert_eq!(pages, 1 + (1234u64 - 50).div_ceil(49), "{api}");
    }
}

#[test]
fn every_field_reaches_c_as_served_and_matches_the_json_result() {
    let emu = emulator(generated(300, 3));
    let client = emu.client(json!({}));
    let list = client.list(&json!({})).unwrap();
    let raw: std::collections::HashMap<String, Value> = served(&emu, "v1.0")
        .into_iter()
        .map(|b| (b["id"].as_str().unwrap().to_string(), b))
        .collect();
    let mut encrypted_seen = HashSet::new();
    for b in &list.backups {
        let r = &raw[b.id.as_ref().unwrap()];
        let s = |k: &str| r.get(k).and_then(Value::as_str).map(str::to_string);
        let i = |k: &str| r.get(k).and_then(Value::as_i64).unwrap_or(0);
        assert_eq!(b.name, s("name"));
        assert_eq!(b.backup_method, s("backupMethod"));
        assert_eq!(b.graph_id, s("graphId"));
        assert_eq!(b.graph_name, s("graphName"));
        assert_eq!(b.graph_status, s("graphStatus"));
        assert_eq!(b.graph_size_type_index, s("graphSizeTypeIndex"));
        assert_eq!(b.data_store_version, s("dataStoreVersion"));
        assert_eq!(b.arch, s("arch"));
        assert_eq!(b.status, s("status"));
        assert_eq!(b.start_time, s("startTime"));
        assert_eq!(b.end_time, s("endTime"));
        assert_eq!(
            (b.start_timestamp, b.end_timestamp),
            (i("startTimestamp"), i("endTimestamp"))
        );
        assert_eq!((b.size, b.duration), (i("size"), i("duration")));
        let encrypted = r
            .get("encrypted")
            .and_then(Value::as_bool)
            .map_or(-1, i8::from);
        assert_eq!(b.encrypted, encrypted);
        encrypted_seen.insert(encrypted);
    }
    assert_eq!(
        encrypted_seen.len(),
        3,
        "the data exercises true, false and absent"
    );

    let as_json = client.list_json(&json!({})).unwrap();
    assert_eq!(as_json["id"], json!(list.id));
    assert_eq!(as_json["total_count"], json!(300));
    let first = &as_json["backups"][0];
    assert_eq!(first["id"], json!(list.backups[0].id));
    assert_eq!(
        first["start_timestamp"],
        json!(list.backups[0].start_timestamp)
    );
    let absent = as_json["backups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["encrypted"].is_null());
    assert!(
        absent.is_some(),
        "an absent field is null in the JSON result"
    );
}

#[test]
fn sample_data_matches_the_api_page() {
    let emu = emulator(Default::default());
    let list = emu.client(json!({})).list(&json!({})).unwrap();
    assert_eq!(list.total_count, 3);
    let fixture: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/seed_response_v1.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let mut expected: Vec<&str> = fixture["backupList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_str().unwrap())
        .collect();
    expected.sort();
    let mut got = list.ids();
    got.sort();
    assert_eq!(got, expected);
    assert_listing_order(&list);
    let first = &list.backups[0];
    assert_eq!(
        first.encrypted, -1,
        "the page's backups carry no encrypted field"
    );
}

#[test]
fn per_graph_listing_uses_the_graph_endpoint() {
    let emu = emulator(generated(400, 4));
    let client = emu.client(json!({"page_size": 30}));
    let all = client.list(&json!({})).unwrap();
    let graph = all.backups[0].graph_id.clone().unwrap();
    let expected: HashSet<String> = all
        .backups
        .iter()
        .filter(|b| b.graph_id.as_deref() == Some(&graph))
        .map(|b| b.id.clone().unwrap())
        .collect();
    for api in ["v1.0", "v2"] {
        let client = emu.client(json!({"page_size": 30, "api_version": api}));
        let one = client.list(&json!({"graph_id": graph})).unwrap();
        assert_eq!(
            one.total_count as usize,
            expected.len(),
            "backupCount of that graph"
        );
        assert_eq!(one.ids().into_iter().collect::<HashSet<_>>(), expected);
        assert_listing_order(&one);
    }
    let none = client.list(&json!({"graph_id": "no-such-graph"})).unwrap();
    assert_eq!((none.total_count, none.backups.len()), (0, 0));
}

#[test]
fn filters_and_most_recent() {
    let emu = emulator(generated(500, 4));
    let client = emu.client(json!({}));
    let all = client.list(&json!({})).unwrap();
    let pick = &all.backups[137];
    type Field = fn(&CBackup) -> Option<String>;
    let filters: [(&str, Field); 5] = [
        ("graph_name", |b| b.graph_name.clone()),
        ("backup_id", |b| b.id.clone()),
        ("name", |b| b.name.clone()),
        ("status", |b| b.status.clone()),
        ("backup_method", |b| b.backup_method.clone()),
    ];
    for (arg, field) in filters {
        let wanted = field(pick).unwrap();
        let expected: Vec<CBackup> = all
            .backups
            .iter()
            .filter(|b| field(b).as_deref() == Some(&wanted))
            .cloned()
            .collect();
        assert!(!expected.is_empty());
        let got = client.list(&json!({ arg: wanted })).unwrap();
        assert_eq!(got.backups, expected, "filter {arg}");
        assert_eq!(
            got.total_count, 500,
            "total_count stays the service's count"
        );
        let newest = client
            .list(&json!({ arg: wanted, "most_recent": true }))
            .unwrap();
        assert_eq!(
            newest.backups,
            expected[..1].to_vec(),
            "most_recent with {arg}"
        );
    }
    let combined = client
        .list(&json!({"graph_name": pick.graph_name, "status": pick.status, "backup_method": pick.backup_method}))
        .unwrap();
    assert!(combined.backups.contains(pick));
    assert!(combined
        .backups
        .iter()
        .all(|b| b.graph_name == pick.graph_name && b.status == pick.status));
    let nothing = client
        .list(&json!({"name": "no backup has this name"}))
        .unwrap();
    assert!(nothing.backups.is_empty());
    let most_recent = client.list(&json!({"most_recent": true})).unwrap();
    assert_eq!(most_recent.backups, all.backups[..1].to_vec());
}

#[test]
fn one_page_mode_returns_exactly_that_page_in_service_order() {
    let emu = emulator(generated(95, 2));
    let client = emu.client(json!({}));
    let raw = served(&emu, "v1.0");
    let before = emu.requests();
    let page = client.list(&json!({"offset": 20, "limit": 7})).unwrap();
    assert_eq!(emu.requests() - before, 1, "one request, no paging");
    let expected: Vec<&str> = raw[20..27]
        .iter()
        .map(|b| b["id"].as_str().unwrap())
        .collect();
    assert_eq!(page.ids(), expected);
    assert_eq!(page.total_count, 95);
    let default_limit = client.list(&json!({"offset": 90})).unwrap();
    assert_eq!(
        default_limit.backups.len(),
        5,
        "offset 90 of 95 with the default limit 10"
    );
    let first_ten = client.list(&json!({"limit": 10})).unwrap();
    assert_eq!(
        first_ten.ids(),
        raw[..10]
            .iter()
            .map(|b| b["id"].as_str().unwrap())
            .collect::<Vec<_>>()
    );
    let past_the_end = client.list(&json!({"offset": 500, "limit": 10})).unwrap();
    assert!(past_the_end.backups.is_empty());
}

#[test]
fn ids_are_deterministic_per_query() {
    let emu = emulator(generated(20, 2));
    let a = emu.client(json!({}));
    let b = emu.client(json!({"api_version": "v2", "page_size": 3}));
    let id = |c: &CClient, q: Value| c.list(&q).unwrap().id;
    assert_eq!(id(&a, json!({})), id(&b, json!({})));
    assert_eq!(
        id(&a, json!({"status": "success", "name": "x"})),
        id(&a, json!({"name": "x", "status": "success"}))
    );
    let ids: HashSet<String> = [
        json!({}),
        json!({"status": "success"}),
        json!({"status": "failed"}),
        json!({"most_recent": true}),
        json!({"offset": 0, "limit": 5}),
        json!({"offset": 5, "limit": 5}),
    ]
    .into_iter()
    .map(|q| id(&a, q))
    .collect();
    assert_eq!(ids.len(), 6);
}

#[test]
fn eight_threads_share_one_client() {
    let emu = emulator(generated(600, 3));
    let client = emu.client(json!({"page_size": 40}));
    let expected = client.list(&json!({})).unwrap();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|t| {
                let client = &client;
                let expected = &expected;
                scope.spawn(move || {
                    for round in 0..5 {
                        if (t + round) % 2 == 0 {
                            assert_eq!(&client.list(&json!({})).unwrap(), expected);
                        } else {
                            let newest = client.list(&json!({"most_recent": true})).unwrap();
                            assert_eq!(newest.backups[0], expected.backups[0]);
                        }
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
    });
}

#[test]
fn a_host_name_endpoint_lists_everything() {
    // A name goes through the resolver's lookup (once per 30 s), not the
    // IP-literal shortcut the other tests take.
    let emu = emulator(generated(300, 2));
    let endpoint = emu.url().replace("127.0.0.1", "localhost");
    assert!(endpoint.starts_with("http://localhost:"), "{endpoint}");
    let client = emu.client(json!({"endpoint": endpoint, "page_size": 20}));
    for _ in 0..2 {
        let list = client.list(&json!({})).unwrap();
        assert_eq!(list.backups.len(), 300);
        assert_listing_order(&list);
    }
}
