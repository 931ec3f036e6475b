//! Strings from the service never reach the terminal raw: the table escapes
//! control characters, the JSON output stays JSON, error lines are escaped too.

use crate::common::{always, control, emulator, ConfigFile};
use serde_json::{json, Value};

/// ESC sequences (clear screen, colour, OSC title), CR, LF, BEL, SOH, DEL (NUL the library refuses: C strings), a
/// C1 CSI and NEL, and a right-to-left override.
const HOSTILE: &str = "evil\u{1b}[2J\u{1b}[31mred\u{1b}]0;title\u{7}\r\nforged line\u{1}\u{7f}\u{9b}1m\u{85}\u{202e}txt";

/// Bytes a terminal acts on: C0 (but the table's own newlines), DEL, and C1 in
/// UTF-8 (C2 80 to C2 9F), and the right-to-left override (E2 80 AE).
fn raw_controls(bytes: &[u8]) -> Vec<usize> {
    let mut found = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        let c1 = b == 0xc2 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n));
        let rlo = bytes[i..].starts_with("\u{202e}".as_bytes());
        if (b < 0x20 && b != b'\n') || b == 0x7f || c1 || rlo {
            found.push(i);
        }
    }
    found
}

#[test]
fn the_table_escapes_what_the_service_sends() {
    let emulator = emulator();
    control(
        &emulator,
        "POST",
        "backups",
        &json!([{"id": "hostile-1", "name": HOSTILE, "graphName": HOSTILE,
                 "backupMethod": "manual\u{1b}[0m", "status": "success\r",
                 "startTime": "2030-01-01T00:00:00\u{1b}[K", "startTimestamp": 1_893_456_000_000_i64}]),
    );
    let config = ConfigFile::new(emulator.base_url(), json!({}));

    let table = config.list(&[]);
    table.expect_code(0, "the table");
    assert_eq!(
        raw_controls(&table.stdout),
        Vec::<usize>::new(),
        "{:?}",
        table.stdout_text()
    );
    let text = table.stdout_text();
    assert!(
        text.contains("evil\\x1b[2J\\x1b[31mred\\x1b]0;title\\x07\\r\\nforged line\\x01\\x7f\\u{009b}1m\\u{0085}\\u{202e}txt"),
        "{text}"
    );
    assert!(
        text.contains("manual\\x1b[0m") && text.contains("success\\r"),
        "{text}"
    );
    // One header, four rows, one summary: the LF in the name made no new line.
    assert_eq!(text.lines().count(), 6, "{text}");

    // JSON output keeps the exact strings, as valid JSON.
    let json_run = config.list(&["--output", "json"]);
    json_run.expect_code(0, "the JSON");
    let list: Value = serde_json::from_slice(&json_run.stdout).expect("JSON output is JSON");
    let hostile = list["backups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == "hostile-1")
        .expect("the hostile backup");
    assert_eq!(hostile["name"], HOSTILE);
    assert_eq!(hostile["graph_name"], HOSTILE);
    let line = String::from_utf8(json_run.stdout.clone()).unwrap();
    assert_eq!(line.lines().count(), 1, "one line of JSON");
    assert!(
        !json_run.stdout.contains(&0x1b),
        "JSON escapes ESC as \\u001b"
    );
}

#[test]
fn error_lines_escape_what_the_service_sends() {
    let emulator = emulator();
    let config = ConfigFile::new(emulator.base_url(), json!({}));
    always(
        &emulator,
        json!({"type": "status", "status": 400,
               "body": {"errorCode": "GES.0001\u{1b}[2J", "errorMessage": HOSTILE}}),
    );
    let run = config.list(&[]);
    run.expect_code(4, "an API error quoting the service");
    assert_eq!(
        raw_controls(run.stderr.as_bytes()),
        Vec::<usize>::new(),
        "{:?}",
        run.stderr
    );
    assert!(run.stderr.contains("evil\\x1b[2J"), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}
