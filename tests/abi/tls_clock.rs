//! https with a private CA (`ca_file`), and recovery from a skewed clock (docs/contract.md, "Errors, retries and time").

use crate::common::*;
use ges_backups::ffi::GesErrorKind;
use ges_emulator::EmulatorConfig;
use serde_json::json;

#[test]
fn a_client_whose_clock_is_an_hour_off_adopts_the_servers_and_retries_once() {
    for offset_s in [3600, -3600] {
        let emu = emulator(EmulatorConfig {
            access_key: Some("AK-CLOCK".into()),
            secret_key: Some("SK-CLOCK-secret".into()),
            clock_offset_s: offset_s,
            ..generated(120, 2)
        });
        let client = emu.client(
            json!({"access_key": "AK-CLOCK", "secret_key": "SK-CLOCK-secret",
            "auth_token": null, "page_size": 50, "max_retries": 0}),
        );
        let before = emu.requests();
        let list = client.list(&json!({})).unwrap();
        assert_eq!(list.backups.len(), 120);
        // 3 pages plus the one refused as expired.
        assert_eq!(emu.requests() - before, 4, "offset {offset_s}");
        let before = emu.requests();
        client.list(&json!({})).unwrap();
        assert_eq!(
            emu.requests() - before,
            3,
            "the learnt offset is kept for later requests"
        );
    }
}

#[test]
fn a_wrong_key_is_not_mistaken_for_clock_skew() {
    let emu = emulator(EmulatorConfig {
        access_key: Some("AK-CLOCK".into()),
        secret_key: Some("SK-CLOCK-secret".into()),
        clock_offset_s: 3600,
        ..EmulatorConfig::default()
    });
    let client = emu.client(
        json!({"access_key": "AK-CLOCK", "secret_key": "SK-wrong-secret", "auth_token": null}),
    );
    let err = client.list(&json!({})).unwrap_err();
    assert_eq!(
        (err.kind, err.http_status, err.code.as_deref()),
        (GesErrorKind::Api, 401, Some("APIGW.0301"))
    );
}

fn self_signed(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    std::fs::create_dir_all(dir).unwrap();
    let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).unwrap();
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert, certified.cert.pem()).unwrap();
    std::fs::write(&key, certified.signing_key.serialize_pem()).unwrap();
    (cert, key)
}

#[test]
fn https_is_trusted_through_ca_file_and_refused_without() {
    let dir = std::env::temp_dir().join(format!("ges-backups-tls-{}", std::process::id()));
    let (cert, key) = self_signed(&dir);
    let emu = emulator(EmulatorConfig {
        tls_cert: Some(cert.clone()),
        tls_key: Some(key),
        ..EmulatorConfig::default()
    });
    assert!(emu.url().starts_with("https://"));

    let trusting = emu.client(json!({"ca_file": cert.to_str().unwrap()}));
    assert_eq!(trusting.list(&json!({})).unwrap().backups.len(), 3);

    let before = emu.requests();
    let refusing = emu.client(json!({"max_retries": 3}));
    let err = refusing.list(&json!({})).unwrap_err();
    assert_eq!((err.kind, err.http_status), (GesErrorKind::Transport, 0));
    assert!(err.message.contains("certificate"), "{}", err.message);
    assert_eq!(
        emu.requests(),
        before,
        "a certificate failure is not retried"
    );
    std::fs::remove_dir_all(dir).unwrap();
}
