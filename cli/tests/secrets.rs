//! The CLI never prints a secret (issue 6): its error lines, for every kind of
//! failure, and its listings, with the secret key and tokens in the config file
//! or the environment. Runs the real binary against the emulator on loopback.

use ges_emulator::{Emulator, EmulatorConfig};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;

const ACCESS_KEY: &str = "AK-cli-secrets";
const SECRET_KEY: &str = "sk-CLI7SECRETCORE-\"q\"";
const SECURITY_TOKEN: &str = "sts-CLI8SECRETCORE";
const AUTH_TOKEN: &str = "tok-CLI9SECRETCORE-\"q\"";
const CORES: [&str; 3] = ["CLI7SECRETCORE", "CLI8SECRETCORE", "CLI9SECRETCORE"];

/// Runs `ges-backups list` with this config file and environment; returns
/// (success, stdout + stderr).
fn run(config: &Value, env: &[(&str, &str)], args: &[&str]) -> (bool, String) {
    let dir = std::env::temp_dir().join(format!("ges-cli-secrets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("config-{}.json", fastrand_suffix()));
    std::fs::write(&file, config.to_string()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ges-backups"))
        .arg("list")
        .arg("--config")
        .arg(&file)
        .args(args)
        .env_remove("HW_SECRET_KEY")
        .env_remove("HW_SECURITY_TOKEN")
        .env_remove("HW_AUTH_TOKEN")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    std::fs::remove_file(&file).unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

fn fastrand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

fn assert_clean(what: &str, text: &str) {
    for core in CORES {
        assert!(
            !text.contains(core),
            "{what}: the CLI printed a secret:\n{text}"
        );
    }
}

/// Replaces the emulator's faults with this one, through its control API over a
/// plain socket.
fn only_fault(emulator: &Emulator, fault: Value) {
    let addr = emulator.base_url().trim_start_matches("http://");
    for (method, body) in [("DELETE", String::new()), ("POST", fault.to_string())] {
        let mut socket = TcpStream::connect(addr).unwrap();
        write!(
            socket,
            "{method} /__emulator/faults HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut answer = String::new();
        socket.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 2"), "{answer}");
    }
}

fn config(endpoint: &str) -> Value {
    json!({"endpoint": endpoint, "project_id": "demo-project", "access_key": ACCESS_KEY,
           "secret_key": SECRET_KEY, "security_token": SECURITY_TOKEN, "max_retries": 0,
           "timeout_ms": 2000})
}

#[test]
fn every_failure_and_the_listing_print_no_secret() {
    let keyed = Emulator::start(EmulatorConfig {
        access_key: Some(ACCESS_KEY.into()),
        secret_key: Some(SECRET_KEY.into()),
        auth_token: Some(AUTH_TOKEN.into()),
        ..EmulatorConfig::default()
    })
    .unwrap();
    let other = Emulator::start(EmulatorConfig {
        access_key: Some(ACCESS_KEY.into()),
        secret_key: Some("another-secret-key".into()),
        auth_token: Some("another-token".into()),
        ..EmulatorConfig::default()
    })
    .unwrap();

    // It works, and the listing shows no secret either.
    for output in ["table", "json"] {
        let (ok, text) = run(&config(keyed.base_url()), &[], &["--output", output]);
        assert!(ok, "{text}");
        assert_clean("a listing", &text);
    }
    let token_only = json!({"endpoint": keyed.base_url(), "project_id": "demo-project"});
    let (ok, text) = run(&token_only, &[("HW_AUTH_TOKEN", AUTH_TOKEN)], &[]);
    assert!(ok, "{text}");

    let mut failures = vec![
        (
            "bad config",
            {
                let mut c = config(keyed.base_url());
                c["page_size"] = json!(0);
                c
            },
            vec![],
        ),
        (
            "unknown config key",
            {
                let mut c = config(keyed.base_url());
                c["secret"] = json!(SECRET_KEY);
                c
            },
            vec![],
        ),
        ("connection refused", config("http://127.0.0.1:1"), vec![]),
        ("refused signature", config(other.base_url()), vec![]),
        (
            "refused token from the environment",
            json!({"endpoint": other.base_url(), "project_id": "demo-project"}),
            vec![("HW_AUTH_TOKEN", AUTH_TOKEN)],
        ),
    ];
    failures.push((
        "refused keys from the environment",
        json!({"endpoint": other.base_url(), "project_id": "demo-project", "access_key": ACCESS_KEY}),
        vec![("HW_SECRET_KEY", SECRET_KEY), ("HW_SECURITY_TOKEN", SECURITY_TOKEN)],
    ));
    for (what, config, env) in &failures {
        let (ok, text) = run(config, env, &[]);
        assert!(!ok, "{what}: {text}");
        assert!(text.contains("ges-backups: "), "{what}: {text}");
        assert_clean(what, &text);
    }

    // The service echoes the secrets back, in an error body and in a 200 that
    // does not decode.
    for (what, action) in [
        (
            "echoed in a 503",
            json!({"type": "status", "status": 503,
            "body": {"errorCode": SECRET_KEY, "errorMessage": format!("no {SECURITY_TOKEN}")}}),
        ),
        (
            "echoed in a 200",
            json!({"type": "status", "status": 200,
            "body": {"backupCount": SECRET_KEY}}),
        ),
    ] {
        only_fault(&keyed, json!({"times": 0, "action": action}));
        let (ok, text) = run(&config(keyed.base_url()), &[], &[]);
        assert!(!ok, "{what}: {text}");
        assert!(
            text.contains(if what.contains("503") {
                "api error"
            } else {
                "decode error"
            }),
            "{text}"
        );
        assert_clean(what, &text);
    }
}
