//! Secrets never leave the client (docs/abi.md, "Panics and secrets"): every error path is driven
//! with a distinctive secret key, security token and IAM token, through the C ABI
//! and the Rust API, and no error message, code, request id, `Debug` or `Display`
//! print, nor any log line of the library or its HTTP stack at `debug` level,
//! holds one of them. The service is made to echo them back too, raw and inside
//! JSON strings, where escaping changes how they are written.
//! (The CLI's output is checked in cli/tests/secrets.rs.)

use crate::common::*;
use ges_backups::ffi::GesErrorKind;
use ges_emulator::EmulatorConfig;
use serde_json::{json, Value};
use std::sync::{Mutex, Once};

const ACCESS_KEY: &str = "AK-secrets-test";
/// Each secret has an alphanumeric core that no escaping rewrites, and characters
/// around it that JSON and `Debug` escape.
const SECRET_KEY: &str = "sk-ZQ8SECRETCORE-\"q\"\\b";
const SECURITY_TOKEN: &str = "sts-STS7SECRETCORE-\"q\"";
const AUTH_TOKEN: &str = "tok-TOK9SECRETCORE-\"q\"";
const CORES: [&str; 3] = ["ZQ8SECRETCORE", "STS7SECRETCORE", "TOK9SECRETCORE"];

fn assert_clean(what: &str, text: &str) {
    for core in CORES {
        assert!(!text.contains(core), "{what} leaks a secret: {text}");
    }
}

// ---- every log record of the process, at debug level ----------------------

static LOG: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Capture;

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata) -> bool {
        true
    }
    fn log(&self, record: &log::Record) {
        let line = format!("{} {}: {}", record.level(), record.target(), record.args());
        LOG.lock().unwrap().push(line);
    }
    fn flush(&self) {}
}

static CAPTURE: Capture = Capture;

/// Every level, trace included: the library's default feature
/// `quiet-release-logs` compiles ureq's wire trace (the raw bytes of each
/// request, tokens and all, in hex rows no text search would see) out of
/// release builds.
fn capture_logs() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        log::set_logger(&CAPTURE).unwrap();
        log::set_max_level(log::LevelFilter::Trace);
    });
}

fn assert_logs_clean() {
    let log = LOG.lock().unwrap();
    for line in log.iter() {
        assert_clean("a log line", line);
        // Debug builds keep the wire trace; CI tests the release build.
        if !cfg!(debug_assertions) {
            assert!(
                !line.starts_with("TRACE"),
                "a trace record in release: {line}"
            );
        }
    }
}

// ---- one error path, through both APIs ------------------------------------

/// Runs `query` with `config` through the C ABI and the Rust API; both must fail
/// with `kind`, and nothing either shows may hold a secret.
fn fails_cleanly(name: &str, config: &Value, query: &Value, kind: GesErrorKind) {
    let err = match CClient::new(config) {
        Ok(client) => client.list(query).expect_err(name),
        Err(err) => err,
    };
    assert_eq!(err.kind, kind, "{name}: {err:?}");
    assert_clean(name, &format!("{err:?}"));

    let rust = ges_backups::Client::from_json(&config.to_string())
        .and_then(|client| {
            assert_clean(name, &format!("{client:?}"));
            client.list_backups_json_query(&query.to_string())
        })
        .expect_err(name);
    assert_eq!(
        rust.message, err.message,
        "{name}: the same error both ways"
    );
    assert_clean(name, &format!("{rust:?}"));
    assert_clean(name, &rust.to_string());
}

fn aksk(emu: &Emu) -> Value {
    json!({"endpoint": emu.url(), "project_id": "demo-project", "access_key": ACCESS_KEY,
           "secret_key": SECRET_KEY, "security_token": SECURITY_TOKEN, "max_retries": 1,
           "timeout_ms": 2000})
}

fn token(emu: &Emu) -> Value {
    json!({"endpoint": emu.url(), "project_id": "demo-project", "auth_token": AUTH_TOKEN,
           "max_retries": 1, "timeout_ms": 2000})
}

fn with(mut config: Value, extra: Value) -> Value {
    for (k, v) in extra.as_object().unwrap() {
        config[k] = v.clone();
    }
    config
}

/// Answers that echo a client's secrets back (`first`, and `second` or `first`
/// again): in an error body, and in a 200 body where decoding quotes the
/// offending value.
fn echoing_answers(first: &str, second: &str) -> Vec<(&'static str, Value, GesErrorKind)> {
    let all = format!("rejected {first} and {second}");
    vec![
        (
            "a 503 whose GES body echoes the secrets",
            json!({"type": "status", "status": 503,
                   "body": {"errorCode": first, "errorMessage": all}}),
            GesErrorKind::Api,
        ),
        (
            "a 401 whose gateway body echoes the secrets",
            json!({"type": "status", "status": 401,
                   "body": {"error_code": second, "error_msg": all, "request_id": first}}),
            GesErrorKind::Api,
        ),
        (
            "a 200 whose count is a secret",
            json!({"type": "status", "status": 200, "body": {"backupCount": second}}),
            GesErrorKind::Decode,
        ),
        (
            "a 200 whose field of the wrong type is a secret",
            json!({"type": "status", "status": 200,
                   "body": {"backupCount": 1, "backupList": [{"id": "a", "encrypted": first}]}}),
            GesErrorKind::Decode,
        ),
        (
            "a 200 whose size is a secret",
            json!({"type": "status", "status": 200,
                   "body": {"backupCount": 1, "backupList": [{"id": "a", "size": second}]}}),
            GesErrorKind::Decode,
        ),
        (
            "pages whose ids are secrets, twice",
            json!({"type": "status", "status": 200,
                   "body": {"backupCount": 2, "backupList": [{"id": first}, {"id": first}]}}),
            GesErrorKind::Inconsistent,
        ),
    ]
}

#[test]
fn config_errors_never_show_the_secrets() {
    capture_logs();
    let base = json!({"endpoint": "http://127.0.0.1:1", "project_id": "p", "access_key": ACCESS_KEY,
                      "secret_key": SECRET_KEY, "security_token": SECURITY_TOKEN, "auth_token": AUTH_TOKEN});
    for extra in [
        json!({"page_size": 0}),
        json!({"max_concurrency": "4"}),
        json!({"api_version": "v3"}),
        json!({"bogus": SECRET_KEY}),
        json!({"endpoint": "ftp://x"}),
        json!({"project_id": null}),
        json!({"access_key": null, "auth_token": null}),
        json!({"ca_file": "/nonexistent/ca.pem"}),
        json!({"timeout_ms": -1}),
    ] {
        let config = with(base.clone(), extra.clone());
        fails_cleanly(
            &format!("config {extra}"),
            &config,
            &json!({}),
            GesErrorKind::InvalidArgument,
        );
    }
    // Text that is not JSON, cut off right after a secret's core.
    let cut = format!(r#"{{"secret_key": "{}"#, &SECRET_KEY[..16]);
    assert!(cut.contains(CORES[0]));
    let err = CClient::new_raw(&cut).err().unwrap();
    assert_eq!(err.kind, GesErrorKind::InvalidArgument);
    assert_clean("unterminated config", &err.message);
    assert_logs_clean();
}

#[test]
fn query_and_transport_errors_never_show_the_secrets() {
    capture_logs();
    let emu = emulator(EmulatorConfig {
        access_key: Some(ACCESS_KEY.into()),
        secret_key: Some(SECRET_KEY.into()),
        ..generated(120, 2)
    });
    let config = with(aksk(&emu), json!({"page_size": 50}));
    assert_eq!(backups_listed(&config), 120);

    fails_cleanly(
        "unknown query key",
        &config,
        &json!({"nmae": AUTH_TOKEN}),
        GesErrorKind::InvalidArgument,
    );
    fails_cleanly(
        "query out of range",
        &config,
        &json!({"limit": 0}),
        GesErrorKind::InvalidArgument,
    );
    let closed = with(config.clone(), json!({"endpoint": "http://127.0.0.1:1"}));
    fails_cleanly(
        "connection refused",
        &closed,
        &json!({}),
        GesErrorKind::Transport,
    );
    for (name, action) in [
        ("dropped connections", json!({"type": "drop"})),
        ("truncated bodies", json!({"type": "truncate"})),
        ("slow answers", json!({"type": "delay", "ms": 3000})),
    ] {
        emu.control("DELETE", "faults", None);
        emu.fault(json!({"times": 0, "action": action}));
        let config = with(config.clone(), json!({"timeout_ms": 300}));
        fails_cleanly(name, &config, &json!({}), GesErrorKind::Transport);
    }
    // Still answering in 3 s: the call's deadline runs out first.
    fails_cleanly(
        "the deadline",
        &config,
        &json!({"deadline_ms": 200}),
        GesErrorKind::Transport,
    );
    assert!(
        !LOG.lock().unwrap().is_empty(),
        "ureq logged at debug level"
    );
    assert_logs_clean();
}

#[test]
fn api_errors_and_echoed_secrets_never_show_them() {
    capture_logs();
    // Signed with the distinctive secret key.
    let keyed = emulator(EmulatorConfig {
        access_key: Some(ACCESS_KEY.into()),
        secret_key: Some(SECRET_KEY.into()),
        ..EmulatorConfig::default()
    });
    // With the distinctive IAM token.
    let tokened = emulator(EmulatorConfig {
        auth_token: Some(AUTH_TOKEN.into()),
        ..EmulatorConfig::default()
    });
    for (emu, config, secrets) in [
        (&keyed, aksk(&keyed), [SECRET_KEY, SECURITY_TOKEN]),
        (&tokened, token(&tokened), [AUTH_TOKEN, AUTH_TOKEN]),
    ] {
        for (name, action, kind) in echoing_answers(secrets[0], secrets[1]) {
            emu.control("DELETE", "faults", None);
            emu.fault(json!({"times": 0, "action": action}));
            fails_cleanly(name, &config, &json!({}), kind);
        }
    }
    keyed.control("DELETE", "faults", None);
    keyed.fault(json!({"times": 0, "action": {"type": "oversize"}}));
    fails_cleanly(
        "an answer over 32 MiB",
        &aksk(&keyed),
        &json!({}),
        GesErrorKind::Decode,
    );

    // Refused by the gateway: the keys of another account, a token it does not know.
    let other = emulator(EmulatorConfig {
        access_key: Some(ACCESS_KEY.into()),
        secret_key: Some("another-secret-key".into()),
        auth_token: Some("another-token".into()),
        ..EmulatorConfig::default()
    });
    fails_cleanly(
        "a refused signature",
        &aksk(&other),
        &json!({}),
        GesErrorKind::Api,
    );
    fails_cleanly(
        "a refused token",
        &token(&other),
        &json!({}),
        GesErrorKind::Api,
    );
    assert_logs_clean();
}

#[test]
fn tls_failures_never_show_the_secrets() {
    capture_logs();
    let dir = std::env::temp_dir().join(format!("ges-backups-secrets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).unwrap();
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert, certified.cert.pem()).unwrap();
    std::fs::write(&key, certified.signing_key.serialize_pem()).unwrap();
    let emu = emulator(EmulatorConfig {
        tls_cert: Some(cert),
        tls_key: Some(key),
        auth_token: Some(AUTH_TOKEN.into()),
        ..EmulatorConfig::default()
    });
    fails_cleanly(
        "an untrusted certificate",
        &token(&emu),
        &json!({}),
        GesErrorKind::Transport,
    );
    std::fs::remove_dir_all(dir).unwrap();
    assert_logs_clean();
}
