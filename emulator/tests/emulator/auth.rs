//! The gateway checks: AK/SK signatures (signed with ges_signing),
//! the 15-minute date window, IAM tokens, and both at once.

use crate::common::*;
use ges_emulator::{Emulator, EmulatorConfig};
use serde_json::Value;
use std::time::{Duration, SystemTime};

const PATH: &str = "/v1.0/demo-project/graphs/backups?offset=0&limit=10";

fn with_keys() -> Emulator {
    start(EmulatorConfig {
        access_key: Some("AKTEST".into()),
        secret_key: Some("SKTEST".into()),
        ..EmulatorConfig::default()
    })
}

fn assert_gateway_401(got: &Got) -> String {
    assert_eq!(got.status, 401);
    let body: Value = got.json();
    assert_eq!(body["error_code"], "APIGW.0301");
    assert_eq!(
        body["request_id"].as_str(),
        got.header("x-request-id"),
        "request_id repeats X-Request-Id"
    );
    let message = body["error_msg"].as_str().unwrap().to_string();
    assert!(
        message.starts_with("Incorrect IAM authentication information: "),
        "{message}"
    );
    message
}

#[test]
fn a_good_signature_passes_on_every_endpoint() {
    let emulator = with_keys();
    for path in [
        PATH,
        "/v2/demo-project/graphs/backups",
        "/v1.0/demo-project/graphs/4c5f882d-a813-4d78-a8e3-6d3212ddd121/backups?limit=1",
        "/v2/demo-project/graphs/4c5f882d-a813-4d78-a8e3-6d3212ddd121/backups?limit=5&offset=1",
        // Escaped characters are decoded before the signature is recomputed.
        "/v1.0/demo-project/graphs/a%20b%2Bc/backups?limit=%31",
    ] {
        let got = signed_get(&emulator, path, "AKTEST", "SKTEST", SystemTime::now());
        assert_eq!(
            got.status,
            200,
            "{path}: {}",
            String::from_utf8_lossy(&got.body)
        );
    }
}

#[test]
fn unsigned_or_badly_signed_requests_get_the_gateway_401() {
    let emulator = with_keys();
    let unsigned = get(&format!("{}{PATH}", emulator.base_url()));
    assert!(assert_gateway_401(&unsigned).contains("Authorization"));

    let wrong_secret = signed_get(&emulator, PATH, "AKTEST", "nope", SystemTime::now());
    assert!(assert_gateway_401(&wrong_secret).contains("signature does not match"));

    let wrong_key = signed_get(&emulator, PATH, "AKOTHER", "SKTEST", SystemTime::now());
    assert!(assert_gateway_401(&wrong_key).contains("access key"));

    let garbage = get_with(
        &format!("{}{PATH}", emulator.base_url()),
        &[("Authorization", "Basic dXNlcjpwYXNz")],
    );
    assert_gateway_401(&garbage);

    // Nothing is listed to an unauthenticated caller, but the request counts.
    assert!(!String::from_utf8_lossy(&unsigned.body).contains("backupList"));
    assert_eq!(get(&control(&emulator, "stats")).json()["requests"], 4);
}

#[test]
fn a_date_over_fifteen_minutes_away_is_signature_expired() {
    let emulator = with_keys();
    let now = SystemTime::now();
    for at in [
        now - Duration::from_secs(16 * 60),
        now + Duration::from_secs(16 * 60),
    ] {
        let got = signed_get(&emulator, PATH, "AKTEST", "SKTEST", at);
        assert!(assert_gateway_401(&got).contains("signature expired"));
    }
    for at in [
        now - Duration::from_secs(14 * 60),
        now + Duration::from_secs(14 * 60),
    ] {
        assert_eq!(
            signed_get(&emulator, PATH, "AKTEST", "SKTEST", at).status,
            200
        );
    }
    // A wrong secret with an old date is a bad signature, not an expired one.
    let both_wrong = signed_get(
        &emulator,
        PATH,
        "AKTEST",
        "x",
        now - Duration::from_secs(3600),
    );
    assert!(!assert_gateway_401(&both_wrong).contains("expired"));
}

#[test]
fn the_window_follows_the_emulator_clock() {
    let emulator = with_keys();
    let client_now = SystemTime::now();
    let shifted = post(
        &control(&emulator, "clock"),
        &serde_json::json!({"offset_s": 3600}),
    );
    assert_eq!(shifted.status, 200);
    let got = signed_get(&emulator, PATH, "AKTEST", "SKTEST", client_now);
    assert!(assert_gateway_401(&got).contains("signature expired"));
    // The Date header tells the client the server's time, so it can correct itself.
    let server_now = httpdate::parse_http_date(got.header("date").unwrap()).unwrap();
    let got = signed_get(&emulator, PATH, "AKTEST", "SKTEST", server_now);
    assert_eq!(got.status, 200);
}

#[test]
fn tokens_and_either_way_in() {
    let token_only = start(EmulatorConfig {
        auth_token: Some("tok-123".into()),
        ..EmulatorConfig::default()
    });
    let url = format!("{}{PATH}", token_only.base_url());
    assert_eq!(get_with(&url, &[("X-Auth-Token", "tok-123")]).status, 200);
    assert!(
        assert_gateway_401(&get_with(&url, &[("X-Auth-Token", "tok-999")]))
            .contains("X-Auth-Token")
    );
    assert_gateway_401(&get(&url));

    let both = start(EmulatorConfig {
        access_key: Some("AKTEST".into()),
        secret_key: Some("SKTEST".into()),
        auth_token: Some("tok-123".into()),
        ..EmulatorConfig::default()
    });
    let url = format!("{}{PATH}", both.base_url());
    assert_eq!(get_with(&url, &[("X-Auth-Token", "tok-123")]).status, 200);
    assert_eq!(
        signed_get(&both, PATH, "AKTEST", "SKTEST", SystemTime::now()).status,
        200
    );
    assert_gateway_401(&get_with(&url, &[("X-Auth-Token", "wrong")]));
    assert_gateway_401(&signed_get(&both, PATH, "AKTEST", "bad", SystemTime::now()));
    assert_gateway_401(&get(&url));
}

#[test]
fn no_credentials_configured_means_no_checks() {
    let emulator = start_default();
    assert_eq!(get(&format!("{}{PATH}", emulator.base_url())).status, 200);
    let got = get_with(
        &format!("{}{PATH}", emulator.base_url()),
        &[("Authorization", "garbage"), ("X-Auth-Token", "whatever")],
    );
    assert_eq!(got.status, 200);
}

#[test]
fn control_api_needs_no_credentials() {
    let emulator = with_keys();
    assert_eq!(get(&control(&emulator, "stats")).status, 200);
}

#[test]
fn half_configured_keys_are_refused() {
    let err = Emulator::start(EmulatorConfig {
        access_key: Some("AK".into()),
        ..EmulatorConfig::default()
    })
    .err()
    .unwrap();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
}
