//! One exit status per kind of failure, each provoked for real.

use crate::common::{always, closed_port, emulator, run, ConfigFile, TempFile};
use serde_json::json;

#[test]
fn success_is_0() {
    let emulator = emulator();
    let config = ConfigFile::new(emulator.base_url(), json!({}));
    let got = config.list(&[]);
    got.expect_code(0, "a listing");
    assert!(got.stdout_text().contains("3 backup(s) shown"));
    run_demo();
}

fn run_demo() {
    let got = run(&["list", "--emulator", "--output", "json"]);
    got.expect_code(0, "the demo");
    let list: serde_json::Value = serde_json::from_slice(&got.stdout).unwrap();
    assert_eq!(list["backups"].as_array().unwrap().len(), 3);
}

#[test]
fn bad_usage_and_invalid_arguments_are_2() {
    let emulator = emulator();
    let config = ConfigFile::new(emulator.base_url(), json!({}));
    for (what, args) in [
        ("an unknown flag", vec!["--bogus"]),
        ("a missing value", vec!["--limit"]),
        ("not a number", vec!["--limit", "ten"]),
        ("a limit out of range", vec!["--limit", "1001"]),
        ("a negative offset", vec!["--offset", "-1"]),
        ("a negative limit", vec!["--limit", "-5"]),
        ("a status in capitals", vec!["--status", "SUCCESS"]),
        ("a misspelt status", vec!["--status", "sucess"]),
        ("an unknown backup method", vec!["--backup-method", "weird"]),
    ] {
        let got = config.list(&args);
        got.expect_code(2, what);
        assert!(got.stdout.is_empty(), "{what}");
    }
    let bad_config = ConfigFile::new(emulator.base_url(), json!({"page_size": 0}));
    bad_config
        .list(&[])
        .expect_code(2, "a config value out of range");
    let got = run(&["list", "--config", "/nonexistent/ges-config.json"]);
    got.expect_code(2, "a config file that does not exist");
    // A file that is no JSON object: the place of the fault, never its text.
    for (text, why) in [
        (
            &br#"{"secret_key": "sk-BROKEN1SECRET"#[..],
            "is not valid JSON",
        ),
        (br#""sk-BROKEN2SECRET""#, "must be a JSON object"),
    ] {
        let file = TempFile::new("broken.json", text);
        let got = run(&["list", "--config", file.arg(), "--region", "cn-north-4"]);
        got.expect_code(2, why);
        assert!(got.stderr.contains(why), "{}", got.stderr);
        assert!(!got.stderr.contains("SECRET"), "{}", got.stderr);
    }
    run_no_subcommand();
}

fn run_no_subcommand() {
    run(&[]).expect_code(2, "no subcommand");
    run(&["--help"]).expect_code(0, "--help");
    run(&["--version"]).expect_code(0, "--version");
}

#[test]
fn negative_numbers_are_out_of_range_not_unknown_flags() {
    let emulator = emulator();
    let config = ConfigFile::new(emulator.base_url(), json!({}));
    for (flag, value, range_from_library) in [
        ("--offset", "-1", true),
        ("--limit", "-5", true),
        // Beyond i64: clap's "number too small to fit in target type".
        ("--offset", "-9999999999999999999999", false),
    ] {
        let got = config.list(&[flag, value]);
        got.expect_code(2, flag);
        let name = flag.trim_start_matches("--");
        assert!(got.stderr.contains(name), "{flag}: {}", got.stderr);
        if range_from_library {
            let range = format!("\"{name}\" must be an integer from");
            assert!(got.stderr.contains(&range), "{flag}: {}", got.stderr);
        }
        assert!(
            !got.stderr.contains("unexpected argument"),
            "{flag}: {}",
            got.stderr
        );
    }
}

#[test]
fn transport_is_3() {
    let endpoint = format!("http://127.0.0.1:{}", closed_port());
    let config = ConfigFile::new(&endpoint, json!({}));
    let got = config.list(&[]);
    got.expect_code(3, "nothing listening");
    assert!(got.stderr.contains("transport"), "{}", got.stderr);
}

#[test]
fn api_error_is_4() {
    let emulator = emulator();
    let config = ConfigFile::new(emulator.base_url(), json!({}));
    for status in [400, 403, 404] {
        always(&emulator, json!({"type": "status", "status": status}));
        let got = config.list(&[]);
        got.expect_code(4, &format!("HTTP {status}"));
        assert!(got.stderr.contains(&status.to_string()), "{}", got.stderr);
    }
    // A 503 that outlasts the retries is an API error too.
    always(&emulator, json!({"type": "status", "status": 503}));
    config.list(&[]).expect_code(4, "HTTP 503");
}

#[test]
fn decode_is_5() {
    let emulator = emulator();
    let config = ConfigFile::new(emulator.base_url(), json!({}));
    always(&emulator, json!({"type": "malformed"}));
    let got = config.list(&[]);
    got.expect_code(5, "a malformed body");
    assert!(got.stderr.contains("decode"), "{}", got.stderr);
}

#[test]
fn inconsistent_is_6() {
    let emulator = emulator();
    let config = ConfigFile::new(emulator.base_url(), json!({}));
    // The count never matches the backups served: restarts, then INCONSISTENT.
    always(&emulator, json!({"type": "count_delta", "delta": 1}));
    let got = config.list(&[]);
    got.expect_code(6, "a count that never matches");
    assert!(got.stderr.contains("inconsistent"), "{}", got.stderr);
}
