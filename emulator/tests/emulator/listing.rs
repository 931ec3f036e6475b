//! The list endpoints: shapes, order, paging, errors, headers, datasets.

use crate::common::*;
use ges_emulator::{Dataset, EmulatorConfig};
use serde_json::{json, Value};
use std::time::{Duration, SystemTime};

const GRAPH: &str = "4c5f882d-a813-4d78-a8e3-6d3212ddd121";
const V1_FIELDS: &[&str] = &[
    "id",
    "name",
    "backupMethod",
    "graphId",
    "graphName",
    "graphStatus",
    "graphSizeTypeIndex",
    "dataStoreVersion",
    "arch",
    "status",
    "startTimestamp",
    "startTime",
    "endTimestamp",
    "endTime",
    "size",
    "duration",
];
const V2_FIELDS: &[&str] = &[
    "id",
    "name",
    "backup_method",
    "graph_id",
    "graph_name",
    "graph_status",
    "graph_size_type_index",
    "data_store_version",
    "arch",
    "status",
    "start_timestamp",
    "start_time",
    "end_timestamp",
    "end_time",
    "size",
    "duration",
];

fn keys(record: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = record
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    keys.sort();
    keys
}

fn sorted(fields: &[&'static str]) -> Vec<&'static str> {
    let mut fields = fields.to_vec();
    fields.sort();
    fields
}

#[test]
fn v1_serves_the_samples_in_api_order() {
    let emulator = start_default();
    let got = get(&list_url(&emulator, ""));
    assert_eq!(got.status, 200);
    let answer = got.json();
    assert_eq!(answer["backupCount"], 3);
    assert_eq!(
        ids(&answer),
        [
            "7ed3f51d-816d-4651-9129-fe21b64b5c91",
            "604bfb46-04dd-45fc-a9ae-df24a0705b9d",
            "ada3e720-ab87-48cb-bff7-3ec5ae1a9652"
        ]
    );
    for record in answer["backupList"].as_array().unwrap() {
        assert_eq!(keys(record), sorted(V1_FIELDS));
    }
    // The served records are the fixture's, value for value.
    let fixture: Value = serde_json::from_str(include_str!("../../data/samples.json")).unwrap();
    for record in fixture["backupList"].as_array().unwrap() {
        assert!(answer["backupList"].as_array().unwrap().contains(record));
    }
}

#[test]
fn v2_uses_snake_case() {
    let emulator = start_default();
    let answer = get(&format!(
        "{}/v2/demo-project/graphs/backups?limit=2",
        emulator.base_url()
    ))
    .json();
    assert_eq!(answer["backup_count"], 3);
    assert_eq!(answer["backup_list"].as_array().unwrap().len(), 2);
    assert_eq!(keys(&answer["backup_list"][0]), sorted(V2_FIELDS));
    assert_eq!(
        answer["backup_list"][0]["start_timestamp"],
        json!(1623242004000_i64)
    );
    assert!(answer.get("backupCount").is_none());
}

#[test]
fn per_graph_endpoints_count_only_that_graph() {
    let emulator = start_default();
    for api in ["v1.0", "v2"] {
        let url = format!(
            "{}/{api}/demo-project/graphs/{GRAPH}/backups",
            emulator.base_url()
        );
        let answer = get(&url).json();
        let (count, list) = if api == "v2" {
            ("backup_count", "backup_list")
        } else {
            ("backupCount", "backupList")
        };
        assert_eq!(answer[count], 2, "{api}");
        let graph_key = if api == "v2" { "graph_id" } else { "graphId" };
        for record in answer[list].as_array().unwrap() {
            assert_eq!(record[graph_key], GRAPH);
        }
        let url = format!(
            "{}/{api}/demo-project/graphs/no-such-graph/backups",
            emulator.base_url()
        );
        let answer = get(&url).json();
        assert_eq!(answer[count], 0);
        assert_eq!(answer[list], json!([]));
    }
}

#[test]
fn pages_add_up_to_the_whole_list() {
    let emulator = start(EmulatorConfig {
        dataset: Dataset::Generated {
            backups: 95,
            graphs: 4,
            seed: 3,
        },
        ..EmulatorConfig::default()
    });
    let whole = get(&list_url(&emulator, "?limit=1000")).json();
    assert_eq!(whole["backupCount"], 95);
    let mut paged = Vec::new();
    for offset in (0..95).step_by(10) {
        let page = get(&list_url(&emulator, &format!("?offset={offset}"))).json();
        assert_eq!(page["backupCount"], 95);
        paged.extend(ids(&page));
    }
    assert_eq!(paged, ids(&whole));
    let timestamps: Vec<i64> = whole["backupList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["startTimestamp"].as_i64().unwrap())
        .collect();
    assert!(timestamps.windows(2).all(|w| w[0] >= w[1]), "newest first");

    let past_the_end = get(&list_url(&emulator, "?offset=95&limit=5")).json();
    assert_eq!(past_the_end["backupCount"], 95);
    assert_eq!(past_the_end["backupList"], json!([]));
}

#[test]
fn bad_paging_parameters_get_400_with_a_ges_body() {
    let emulator = start_default();
    for query in [
        "?offset=-1",
        "?offset=x",
        "?offset=",
        "?offset=1.0",
        "?limit=0",
        "?limit=1001",
        "?limit=-3",
        "?limit=abc",
    ] {
        let got = get(&list_url(&emulator, query));
        assert_eq!(got.status, 400, "{query}");
        let body = got.json();
        assert_eq!(body["errorCode"], "GES.8011", "{query}");
        assert!(body["errorMessage"].as_str().unwrap().len() > 10);
        assert_eq!(got.header("content-type"), Some("application/json"));
    }
    assert_eq!(
        get(&list_url(&emulator, "?limit=1000&offset=0")).status,
        200
    );
    assert_eq!(
        get(&list_url(&emulator, "?limit=1")).json()["backupList"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn other_projects_and_unknown_paths_get_404_with_a_ges_body() {
    let emulator = start_default();
    for path in [
        "/v1.0/someone-else/graphs/backups",
        "/v2/someone-else/graphs/g/backups",
        "/v1.0/demo-project/graphs",
        "/v3/demo-project/graphs/backups",
        "/",
        "/__emulator/nothing",
    ] {
        let got = get(&format!("{}{path}", emulator.base_url()));
        assert_eq!(got.status, 404, "{path}");
        assert!(
            got.json()["errorCode"]
                .as_str()
                .unwrap()
                .starts_with("GES."),
            "{path}"
        );
        assert!(got.header("x-request-id").is_some());
    }
}

#[test]
fn every_answer_has_request_id_date_and_json_type() {
    let emulator = start_default();
    let mut seen = std::collections::HashSet::new();
    for url in [
        list_url(&emulator, ""),
        list_url(&emulator, "?limit=0"),
        format!("{}/nowhere", emulator.base_url()),
        control(&emulator, "stats"),
    ] {
        let got = get(&url);
        let id = got.header("x-request-id").unwrap().to_string();
        assert_eq!(id.len(), 32, "{url}");
        assert!(id.bytes().all(|c| c.is_ascii_hexdigit()));
        assert!(seen.insert(id), "request ids are fresh");
        let date = httpdate::parse_http_date(got.header("date").unwrap()).unwrap();
        let skew = SystemTime::now().duration_since(date).unwrap_or_default();
        assert!(skew < Duration::from_secs(5));
        assert_eq!(got.header("content-type"), Some("application/json"));
    }
}

#[test]
fn date_follows_the_configured_clock_offset() {
    let emulator = start(EmulatorConfig {
        clock_offset_s: -7200,
        ..EmulatorConfig::default()
    });
    let got = get(&list_url(&emulator, ""));
    let date = httpdate::parse_http_date(got.header("date").unwrap()).unwrap();
    let behind = SystemTime::now().duration_since(date).unwrap();
    assert!(behind > Duration::from_secs(7190) && behind < Duration::from_secs(7210));
}

#[test]
fn data_file_is_served() {
    let dir = std::env::temp_dir().join(format!("ges-emulator-data-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("data.json");
    std::fs::write(
        &file,
        json!({"backupCount": 99, "backupList": [
            {"id": "b-old", "name": "old", "startTimestamp": 1000, "encrypted": true},
            {"id": "b-new", "name": "new", "startTimestamp": 2000}
        ]})
        .to_string(),
    )
    .unwrap();
    let emulator = start(EmulatorConfig {
        dataset: Dataset::File(file.clone()),
        ..EmulatorConfig::default()
    });
    let answer = get(&list_url(&emulator, "")).json();
    assert_eq!(
        answer["backupCount"], 2,
        "the list counts, not the file's count"
    );
    assert_eq!(ids(&answer), ["b-new", "b-old"]);
    assert_eq!(answer["backupList"][1]["encrypted"], true);

    std::fs::write(&file, "{\"backupList\": 5}").unwrap();
    let err = ges_emulator::Emulator::start(EmulatorConfig {
        dataset: Dataset::File(file.clone()),
        ..EmulatorConfig::default()
    })
    .err()
    .expect("a bad file is refused");
    assert!(err.to_string().contains("data.json"), "{err}");
    let missing = ges_emulator::Emulator::start(EmulatorConfig {
        dataset: Dataset::File(dir.join("missing.json")),
        ..EmulatorConfig::default()
    });
    assert!(missing.is_err());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn generated_data_is_deterministic() {
    let body = |seed| {
        let emulator = start(EmulatorConfig {
            dataset: Dataset::Generated {
                backups: 300,
                graphs: 5,
                seed,
            },
            ..EmulatorConfig::default()
        });
        get(&list_url(&emulator, "?limit=1000")).body
    };
    let first = body(11);
    assert_eq!(first, body(11), "same arguments, same bytes");
    assert_ne!(first, body(12));
    let answer: Value = serde_json::from_slice(&first).unwrap();
    let graphs: std::collections::HashSet<&str> = answer["backupList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["graphId"].as_str().unwrap())
        .collect();
    assert!(graphs.len() > 1 && graphs.len() <= 5);
}

#[test]
fn keep_alive_serves_many_requests_on_one_connection() {
    let emulator = start_default();
    let agent = agent();
    for _ in 0..20 {
        let response = agent.get(&list_url(&emulator, "")).call().unwrap();
        assert_eq!(response.status(), 200);
    }
    assert_eq!(get(&control(&emulator, "stats")).json()["requests"], 20);
}

#[test]
fn shutdown_closes_the_port() {
    let emulator = start_default();
    let addr = emulator
        .base_url()
        .trim_start_matches("http://")
        .to_string();
    assert_eq!(get(&list_url(&emulator, "")).status, 200);
    emulator.shutdown();
    assert!(std::net::TcpStream::connect(addr).is_err());
}
