//! `--output json|ndjson|csv` parsed back (serde_json; Python's csv module, a
//! reader independent of the csv crate that writes) and compared field by
//! field with the result JSON, for backups whose strings hold commas, quotes,
//! CR and LF, and whose `encrypted` is true, false and absent.

use crate::common::{ConfigFile, TempFile};
use ges_emulator::{Dataset, Emulator, EmulatorConfig};
use serde_json::{json, Value};
use std::ffi::CStr;
use std::process::Command;

/// Backups in the v1.0 shape, as the emulator's `--data FILE` reads them.
fn awkward_backups() -> Value {
    json!({"backupCount": 4, "backupList": [
        {"id": "csv-1", "name": "comma, \"quoted\" and\nnewline", "backupMethod": "manual",
         "graphId": "g-1", "graphName": "graph,with,commas", "graphStatus": "200",
         "graphSizeTypeIndex": "1", "dataStoreVersion": "2.2.21", "arch": "x86_64",
         "status": "success", "startTimestamp": 1_700_000_004_000_i64,
         "startTime": "2023-11-14T22:13:24", "endTimestamp": 1_700_000_064_000_i64,
         "endTime": "2023-11-14T22:14:24", "size": 12, "duration": 60, "encrypted": true},
        {"id": "csv-2", "name": "crlf\r\ninside, and a lone \r", "backupMethod": "auto",
         "graphId": "g-2", "graphName": "\"", "status": "failed",
         "startTimestamp": 1_700_000_003_000_i64, "size": 0, "encrypted": false},
        {"id": "csv-3", "name": "  padded 备份 ü  ", "startTimestamp": 1_700_000_002_000_i64},
        {"id": "csv-4", "name": "", "graphName": "plain", "startTimestamp": 1_700_000_001_000_i64}
    ]})
}

/// The result's attribute names in order, from the library's schema.
fn schema_attributes() -> Vec<String> {
    // SAFETY: a static NUL-terminated string, never NULL (ges_backups.h).
    let schema = unsafe { CStr::from_ptr(ges_backups::ffi::ges_backups_schema_json()) };
    let schema: Value = serde_json::from_str(schema.to_str().unwrap()).unwrap();
    let backups = schema["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "backups")
        .expect("the result's backups");
    backups["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_string())
        .collect()
}

/// Rows as Python's csv module reads them (strict quoting).
fn python_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    let file = TempFile::new("out.csv", bytes);
    let out = Command::new("python3")
        .args([
            "-c",
            "import csv, json, sys\n\
             with open(sys.argv[1], newline='', encoding='utf-8') as f:\n\
             \x20   print(json.dumps(list(csv.reader(f, strict=True))))",
            file.arg(),
        ])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// What a csv cell holds for a JSON value: empty for null.
fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => panic!("not a field value: {other}"),
    }
}

#[test]
fn json_ndjson_and_csv_hold_the_same_backups() {
    let data = TempFile::new("data.json", awkward_backups().to_string().as_bytes());
    let emulator = Emulator::start(EmulatorConfig {
        dataset: Dataset::File(data.0.clone()),
        ..EmulatorConfig::default()
    })
    .unwrap();
    let config = ConfigFile::new(emulator.base_url(), json!({}));
    let fields = schema_attributes();
    assert_eq!(fields.len(), 17, "{fields:?}");

    let json_run = config.list(&["--output", "json"]);
    json_run.expect_code(0, "--output json");
    let result: Value = serde_json::from_slice(&json_run.stdout).unwrap();
    let backups = result["backups"].as_array().unwrap();
    assert_eq!(backups.len(), 4);
    let encrypted: Vec<&Value> = backups.iter().map(|b| &b["encrypted"]).collect();
    assert_eq!(
        encrypted,
        [&json!(true), &json!(false), &Value::Null, &Value::Null]
    );

    // ndjson: one backup a line, each the result's object, keys in its order.
    let ndjson_run = config.list(&["--output", "ndjson"]);
    ndjson_run.expect_code(0, "--output ndjson");
    let text = ndjson_run.stdout_text();
    assert!(text.ends_with('\n'));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), backups.len(), "{text}");
    for (line, backup) in lines.iter().zip(backups) {
        let parsed: Value = serde_json::from_str(line).unwrap();
        assert_eq!(&parsed, backup);
        let keys = parsed.as_object().unwrap();
        assert_eq!(keys.len(), 17);
        let at: Vec<usize> = fields
            .iter()
            .map(|f| line.find(&format!("\"{f}\":")).expect(f))
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{line}");
    }

    // csv: a header of the 17 names, then one row per backup, each cell the
    // field's value (empty for null).
    let csv_run = config.list(&["--output", "csv"]);
    csv_run.expect_code(0, "--output csv");
    let raw = csv_run.stdout_text();
    let rows = python_csv(&csv_run.stdout);
    assert_eq!(rows[0], fields);
    assert_eq!(rows.len(), backups.len() + 1);
    let mut embedded_crlf = 0;
    let mut embedded_lone_lf = 0;
    for (row, backup) in rows[1..].iter().zip(backups) {
        let expected: Vec<String> = fields.iter().map(|f| cell(&backup[f])).collect();
        assert_eq!(row, &expected);
        for value in row {
            embedded_crlf += value.matches("\r\n").count();
            embedded_lone_lf += value.matches('\n').count() - value.matches("\r\n").count();
        }
    }
    // RFC 4180: every row ends with CRLF; only quoted fields hold other line ends.
    assert!(raw.starts_with(&(fields.join(",") + "\r\n")), "{raw:?}");
    assert!(raw.ends_with("\r\n"));
    assert_eq!(
        raw.matches("\r\n").count(),
        rows.len() + embedded_crlf,
        "{raw:?}"
    );
    assert_eq!(
        raw.matches('\n').count() - raw.matches("\r\n").count(),
        embedded_lone_lf
    );
    // Quoted only when needed, quotes doubled.
    for quoted in [
        "\"comma, \"\"quoted\"\" and\nnewline\"",
        "\"graph,with,commas\"",
        ",\"\"\"\",",
        "\"crlf\r\ninside, and a lone \r\"",
    ] {
        assert!(raw.contains(quoted), "{quoted:?} in {raw:?}");
    }
    assert!(raw.contains("\r\ncsv-3,  padded 备份 ü  ,"), "{raw:?}");
    assert!(
        raw.contains(",true\r\n") && raw.contains(",false\r\n"),
        "{raw:?}"
    );
}

#[test]
fn an_empty_listing_has_the_header_only() {
    let data = TempFile::new("empty.json", br#"{"backupCount": 0, "backupList": []}"#);
    let emulator = Emulator::start(EmulatorConfig {
        dataset: Dataset::File(data.0.clone()),
        ..EmulatorConfig::default()
    })
    .unwrap();
    let config = ConfigFile::new(emulator.base_url(), json!({}));
    let csv_run = config.list(&["--output", "csv"]);
    csv_run.expect_code(0, "--output csv, no backups");
    assert_eq!(
        csv_run.stdout_text(),
        schema_attributes().join(",") + "\r\n"
    );
    let ndjson_run = config.list(&["--output", "ndjson"]);
    ndjson_run.expect_code(0, "--output ndjson, no backups");
    assert!(ndjson_run.stdout.is_empty());
}
