//! `--verbose`: the library's log on stderr, one line per event, escaped,
//! and never a secret.

use crate::common::{always, control, emulator, ConfigFile};
use ges_emulator::{Emulator, EmulatorConfig};
use serde_json::json;

#[test]
fn verbose_prints_each_request_retry_and_the_summary() {
    let emulator = emulator();
    let config = ConfigFile::new(emulator.base_url(), json!({"max_retries": 2}));
    control(
        &emulator,
        "POST",
        "faults",
        &json!({"action": {"type": "status", "status": 503, "retry_after": "0"}}),
    );
    let run = config.list(&["--verbose"]);
    run.expect_code(0, "--verbose");
    let lines: Vec<&str> = run.stderr.lines().collect();
    let with = |prefix: &str| lines.iter().filter(|l| l.starts_with(prefix)).count();
    assert_eq!(
        with("ges-backups: DEBUG GET /v1.0/demo-project/graphs/backups?offset=0&limit=100 -> "),
        2,
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("-> 503 (attempt 1"), "{}", run.stderr);
    assert_eq!(with("ges-backups: WARN "), 1, "the retry: {}", run.stderr);
    assert_eq!(
        with("ges-backups: INFO listed 3 backups in 1 pages"),
        1,
        "{}",
        run.stderr
    );
    assert_eq!(with("ges-backups: "), lines.len(), "{}", run.stderr);
    assert!(run.stdout_text().contains("3 backup(s) shown"));

    // Without --verbose (and stderr not a terminal), nothing at all.
    let quiet = config.list(&[]);
    quiet.expect_code(0, "no --verbose");
    assert_eq!(quiet.stderr, "");

    // The error a call returns is logged too, before the error line.
    always(&emulator, json!({"type": "status", "status": 404}));
    let failed = config.list(&["-v"]);
    failed.expect_code(4, "-v and a 404");
    assert!(
        failed.stderr.contains("ges-backups: ERROR "),
        "{}",
        failed.stderr
    );
}

#[test]
fn verbose_never_prints_a_secret() {
    const SK: &str = "sk-VERBOSE1SECRET";
    const TOKEN: &str = "tok-VERBOSE2SECRET";
    const STS: &str = "sts-VERBOSE3SECRET";
    let keyed = Emulator::start(EmulatorConfig {
        access_key: Some("AK-verbose".into()),
        secret_key: Some(SK.into()),
        ..EmulatorConfig::default()
    })
    .unwrap();
    let signed = json!({"access_key": "AK-verbose", "secret_key": SK, "security_token": STS,
                        "auth_token": null});
    let signed = ConfigFile::new(keyed.base_url(), signed);
    let wrong_key = json!({"access_key": "AK-verbose", "secret_key": "sk-wrong-key-VERBOSE1SECRET",
                           "security_token": STS, "auth_token": null});
    let wrong_key = ConfigFile::new(keyed.base_url(), wrong_key);
    let token = ConfigFile::new(keyed.base_url(), json!({"auth_token": TOKEN}));
    let mut outputs = Vec::new();
    for (config, expect) in [(&signed, 0), (&wrong_key, 4), (&token, 4)] {
        let run = config.list(&["--verbose"]);
        run.expect_code(expect, "a keyed emulator");
        assert!(
            run.stderr.contains("ges-backups: DEBUG GET "),
            "{}",
            run.stderr
        );
        outputs.push(run.stderr.clone() + &run.stdout_text());
    }
    for text in outputs {
        for secret in ["VERBOSE1SECRET", "VERBOSE2SECRET", "VERBOSE3SECRET"] {
            assert!(
                !text.contains(secret),
                "a secret in --verbose output:\n{text}"
            );
        }
    }
}

/// A gateway that echoes the request (its headers, tokens and signature
/// included) in a 503 that is retried: the WARN lines quote its words, and
/// none of its secrets.
#[test]
fn verbose_shows_an_echoing_gateway_without_its_secrets() {
    const SK: &str = "sk-ECHO1SECRET-key";
    const STS: &str = "sts-ECHO2SECRET-token";
    let keyed = Emulator::start(EmulatorConfig {
        access_key: Some("AK-echo".into()),
        secret_key: Some(SK.into()),
        ..EmulatorConfig::default()
    })
    .unwrap();
    let config = ConfigFile::new(
        keyed.base_url(),
        json!({"access_key": "AK-echo", "secret_key": SK, "security_token": STS,
               "auth_token": null, "max_retries": 3}),
    );
    control(
        &keyed,
        "POST",
        "faults",
        &json!({"times": 2, "action": {"type": "echo", "status": 503}}),
    );
    let run = config.list(&["--verbose"]);
    run.expect_code(0, "two echoed 503s, then the list");
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("ges-backups: WARN "))
        .collect();
    assert_eq!(warnings.len(), 2, "{}", run.stderr);
    for line in &warnings {
        assert!(line.contains("x-security-token: ***"), "{line}");
        assert!(line.contains("Signature=***"), "{line}");
    }
    for secret in ["ECHO1SECRET", "ECHO2SECRET"] {
        assert!(!run.stderr.contains(secret), "{}", run.stderr);
    }
}
