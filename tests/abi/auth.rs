//! Authentication through the C ABI against an emulator that checks it like the gateway.

use crate::common::*;
use ges_backups::ffi::GesErrorKind;
use ges_emulator::EmulatorConfig;
use serde_json::json;

fn guarded() -> Emu {
    emulator(EmulatorConfig {
        access_key: Some("AK-TEST".into()),
        secret_key: Some("SK-TEST-very-secret".into()),
        auth_token: Some("iam-token-123".into()),
        ..generated(250, 2)
    })
}

fn base(emu: &Emu) -> serde_json::Value {
    json!({"endpoint": emu.url(), "project_id": "demo-project", "page_size": 40, "max_retries": 0})
}

fn with(emu: &Emu, extra: serde_json::Value) -> CClient {
    let mut config = base(emu);
    for (k, v) in extra.as_object().unwrap() {
        config[k] = v.clone();
    }
    CClient::new(&config).unwrap()
}

#[test]
fn aksk_signed_requests_page_through_everything() {
    let emu = guarded();
    for api in ["v1.0", "v2"] {
        let client = with(
            &emu,
            json!({"access_key": "AK-TEST", "secret_key": "SK-TEST-very-secret", "api_version": api}),
        );
        let list = client.list(&json!({})).unwrap();
        assert_eq!(list.backups.len(), 250);
        let graph = list.backups[0].graph_id.clone().unwrap();
        assert!(!client
            .list(&json!({"graph_id": graph}))
            .unwrap()
            .backups
            .is_empty());
    }
}

#[test]
fn security_token_is_sent_and_signed() {
    let emu = guarded();
    let client = with(
        &emu,
        json!({"access_key": "AK-TEST", "secret_key": "SK-TEST-very-secret", "security_token": "tmp/token+=="}),
    );
    assert_eq!(client.list(&json!({})).unwrap().backups.len(), 250);
}

#[test]
fn iam_token_is_accepted() {
    let emu = guarded();
    let client = with(&emu, json!({"auth_token": "iam-token-123"}));
    assert_eq!(client.list(&json!({})).unwrap().backups.len(), 250);
}

#[test]
fn wrong_credentials_get_the_gateway_401_with_code_and_request_id() {
    let emu = guarded();
    let cases = [
        json!({"access_key": "AK-TEST", "secret_key": "wrong-secret"}),
        json!({"access_key": "AK-OTHER", "secret_key": "SK-TEST-very-secret"}),
        json!({"auth_token": "not-the-token"}),
    ];
    for extra in cases {
        let before = emu.requests();
        let err = with(&emu, extra.clone()).list(&json!({})).unwrap_err();
        assert_eq!(err.kind, GesErrorKind::Api, "{extra}");
        assert_eq!(err.http_status, 401);
        assert_eq!(err.code.as_deref(), Some("APIGW.0301"));
        assert_eq!(
            err.request_id.as_ref().map(String::len),
            Some(32),
            "X-Request-Id carried"
        );
        assert!(!err.message.contains("wrong-secret") && !err.message.contains("not-the-token"));
        assert_eq!(emu.requests() - before, 1, "a 401 is not retried");
    }
}
