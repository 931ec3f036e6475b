//! https with a PEM certificate and key.

use crate::common::*;
use ges_emulator::{Emulator, EmulatorConfig};
use std::path::PathBuf;
use std::sync::Arc;
use ureq::tls::{Certificate, RootCerts, TlsConfig};

/// A self-signed certificate for 127.0.0.1, written as PEM files.
pub fn self_signed(dir_name: &str) -> (PathBuf, PathBuf, Vec<u8>) {
    let dir = std::env::temp_dir().join(format!("{dir_name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).unwrap();
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert, certified.cert.pem()).unwrap();
    std::fs::write(&key, certified.signing_key.serialize_pem()).unwrap();
    (cert, key, certified.cert.der().to_vec())
}

#[test]
fn serves_https_with_the_given_certificate() {
    let (cert, key, der) = self_signed("ges-emulator-tls");
    let emulator = start(EmulatorConfig {
        tls_cert: Some(cert.clone()),
        tls_key: Some(key.clone()),
        ..EmulatorConfig::default()
    });
    assert!(emulator.base_url().starts_with("https://127.0.0.1:"));
    let trusting = ureq::Agent::config_builder()
        .tls_config(
            TlsConfig::builder()
                .root_certs(RootCerts::Specific(Arc::new(vec![Certificate::from_der(
                    &der,
                )
                .to_owned()])))
                .build(),
        )
        .build()
        .new_agent();
    let mut response = trusting.get(&list_url(&emulator, "")).call().unwrap();
    let answer: serde_json::Value =
        serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(answer["backupCount"], 3);

    // A client that does not trust the certificate fails the handshake.
    assert!(agent().get(&list_url(&emulator, "")).call().is_err());
    std::fs::remove_dir_all(cert.parent().unwrap()).unwrap();
}

#[test]
fn bad_pem_files_are_refused() {
    let dir = std::env::temp_dir().join(format!("ges-emulator-badpem-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let junk = dir.join("junk.pem");
    std::fs::write(&junk, "not a pem").unwrap();
    let err = Emulator::start(EmulatorConfig {
        tls_cert: Some(junk.clone()),
        tls_key: Some(junk.clone()),
        ..EmulatorConfig::default()
    })
    .err()
    .unwrap();
    assert!(err.to_string().contains("junk.pem"), "{err}");
    let half = Emulator::start(EmulatorConfig {
        tls_cert: Some(junk),
        ..EmulatorConfig::default()
    });
    assert!(half.is_err());
    std::fs::remove_dir_all(&dir).unwrap();
}
