//! The enterprise credentials of contract 1.2 through the C ABI, against the
//! emulator's IAM, STS and pod identity: agencies (single, chained, from
//! `HW_ASSUME_ROLE_*`, by account id), OIDC federation (with a rotated token
//! file picked up at renewal), IAM passwords, pod identity, the order of the
//! chain, the errors IAM gives, and the signing algorithms on every signed
//! request.

use crate::common::*;
use ges_backups::ffi::GesErrorKind;
use ges_emulator::EmulatorConfig;
use serde_json::{json, Value};
use std::time::Duration;

const AK: &str = "AK-ROOT";
const SK: &str = "SK-root-very-secret";
const BACKUPS: usize = 25;

/// An emulator that checks AK/SK signatures, with IAM's agencies, users and
/// identity providers, and pod identity, as `cloud` says.
fn cloud(cloud: Value) -> Emu {
    emulator(EmulatorConfig {
        access_key: Some(AK.into()),
        secret_key: Some(SK.into()),
        cloud_config: Some(cloud),
        ..generated(BACKUPS, 2)
    })
}

/// A client config that reaches the emulator for GES and IAM, with no
/// credentials and no source beyond the config.
fn base(emu: &Emu, scratch: &Scratch) -> Value {
    json!({
        "endpoint": emu.url(), "iam_endpoint": emu.url(), "project_id": "demo-project",
        "shared_config_file": scratch.write("empty-config.json", "{}"),
        "credentials_file": scratch.write("empty-credentials", ""),
        "metadata_endpoint": "", "max_retries": 0,
    })
}

fn with(config: &Value, extra: Value) -> Value {
    let mut config = config.clone();
    for (k, v) in extra.as_object().unwrap() {
        config[k.as_str()] = v.clone();
    }
    config
}

fn stats(emu: &Emu) -> Value {
    emu.control("GET", "cloud/stats", None)
}

fn count(emu: &Emu, counter: &str) -> u64 {
    stats(emu)[counter].as_u64().unwrap()
}

fn list(config: &Value) -> Result<usize, CError> {
    CClient::new(config)?
        .list(&json!({}))
        .map(|l| l.backups.len())
}

fn agencies() -> Value {
    json!({"iam": {"agencies": [
        {"domain_name": "acme", "domain_id": "d-acme", "name": "ops", "assumable_by": [AK]},
        {"domain_name": "acme", "name": "audit", "assumable_by": ["agency:acme/ops"]},
        {"domain_name": "acme", "name": "federated", "assumable_by": ["idp:github"]}
    ]}})
}

#[test]
fn an_agency_is_assumed_signed_with_the_keys_found() {
    let emu = cloud(agencies());
    let scratch = Scratch::new("assume");
    let config = with(
        &base(&emu, &scratch),
        json!({"access_key": AK, "secret_key": SK}),
    );
    let one = with(
        &config,
        json!({"assume_role": {"agency_name": "ops", "domain_name": "acme", "duration": 900}}),
    );
    assert_eq!(list(&one).unwrap(), BACKUPS);
    assert_eq!(count(&emu, "assume_role_requests"), 1);
    // One client, many calls: one exchange until the credentials are due.
    let client = CClient::new(&one).unwrap();
    for _ in 0..3 {
        assert_eq!(client.list(&json!({})).unwrap().backups.len(), BACKUPS);
    }
    assert_eq!(count(&emu, "assume_role_requests"), 2);

    // A chain: "audit" trusts only "ops", so it is assumed with ops' keys.
    let chain = with(
        &config,
        json!({"assume_role": [{"agency_name": "ops", "domain_name": "acme"},
                               {"agency_name": "audit", "domain_name": "acme"}]}),
    );
    assert_eq!(list(&chain).unwrap(), BACKUPS);
    assert_eq!(count(&emu, "assume_role_requests"), 4);
    // Not in that order: the root keys may not assume "audit".
    let wrong = with(
        &config,
        json!({"assume_role": [{"agency_name": "audit", "domain_name": "acme"}]}),
    );
    let err = list(&wrong).unwrap_err();
    assert_eq!(
        (err.kind, err.http_status, err.code.as_deref()),
        (GesErrorKind::Api, 403, Some("IAM.0002"))
    );
    assert!(
        err.message
            .contains(&format!("IAM ({}", emu.url().trim_start_matches("http://")))
            && err.message.contains("\"audit\""),
        "{}",
        err.message
    );

    // By account id: STS's v5 call.
    let v5 = with(
        &config,
        json!({"assume_role": {"agency_name": "ops", "domain_id": "d-acme"}}),
    );
    assert_eq!(list(&v5).unwrap(), BACKUPS);
    assert_eq!(count(&emu, "sts_assume_requests"), 1);
}

#[test]
fn an_unknown_agency_names_iam_its_status_and_code() {
    let emu = cloud(agencies());
    let scratch = Scratch::new("unknown-agency");
    let config = with(
        &base(&emu, &scratch),
        json!({"access_key": AK, "secret_key": SK,
               "assume_role": {"agency_name": "nope", "domain_name": "acme"}}),
    );
    // Made offline; the exchange fails at the first call.
    let client = CClient::new(&config).unwrap();
    let err = client.list(&json!({})).unwrap_err();
    assert_eq!(
        (err.kind, err.http_status, err.code.as_deref()),
        (GesErrorKind::Api, 404, Some("IAM.0004"))
    );
    assert!(err.message.starts_with("IAM ("), "{}", err.message);
    assert!(!err.message.contains(SK), "{}", err.message);
    // By id, STS's answer.
    let v5 = with(
        &config,
        json!({"assume_role": {"agency_name": "nope", "domain_id": "d-acme"}}),
    );
    let err = list(&v5).unwrap_err();
    assert_eq!(
        (err.kind, err.http_status, err.code.as_deref()),
        (GesErrorKind::Api, 404, Some("STS5.1106"))
    );
    assert!(err.message.starts_with("STS ("), "{}", err.message);
    // Refused before any request: an agency without its account.
    let err = CClient::new(&with(
        &config,
        json!({"assume_role": {"agency_name": "ops"}}),
    ))
    .err()
    .unwrap();
    assert_eq!(err.kind, GesErrorKind::InvalidArgument);
    assert!(err.message.contains("domain_name"), "{}", err.message);
}

#[test]
fn oidc_from_the_config_renews_with_the_rotated_token_file() {
    let emu = cloud(json!({"iam": {
        "identity_providers": {"github": ["id-token-one", "id-token-two"]},
        "credential_lifetime_ms": 1200}}));
    let scratch = Scratch::new("oidc");
    let file = scratch.write("id-token", "id-token-one\n");
    let config = with(
        &base(&emu, &scratch),
        json!({"idp_id": "github", "id_token_file": file}),
    );
    let client = CClient::new(&config).unwrap();
    assert_eq!(client.list(&json!({})).unwrap().backups.len(), BACKUPS);
    assert_eq!(stats(&emu)["id_tokens"], json!(["id-token-one"]));
    assert_eq!(count(&emu, "token_credential_requests"), 1);
    // The CI system rotates the file; the renewal (due at half the lifetime) reads it.
    scratch.write("id-token", "id-token-two");
    std::thread::sleep(Duration::from_millis(700));
    assert_eq!(client.list(&json!({})).unwrap().backups.len(), BACKUPS);
    assert_eq!(
        stats(&emu)["id_tokens"],
        json!(["id-token-one", "id-token-two"])
    );
    assert_eq!(count(&emu, "token_credential_requests"), 2);

    // The token given in the config instead of a file; then assume an agency with it.
    let agency = cloud(with(
        &agencies(),
        json!({"iam": {"agencies": agencies()["iam"]["agencies"],
                        "identity_providers": {"github": ["id-token-one"]}}}),
    ));
    let config = with(
        &base(&agency, &scratch),
        json!({"idp_id": "github", "id_token": "id-token-one",
               "assume_role": {"agency_name": "federated", "domain_name": "acme"}}),
    );
    assert_eq!(list(&config).unwrap(), BACKUPS);
    assert_eq!(count(&agency, "assume_role_requests"), 1);
}

#[test]
fn oidc_errors_name_iam_and_never_the_token() {
    let emu = cloud(json!({"iam": {"identity_providers": {"github": ["good-id-token"]}}}));
    let scratch = Scratch::new("oidc-errors");
    let config = base(&emu, &scratch);
    let err = list(&with(
        &config,
        json!({"idp_id": "gitlab", "id_token": "good-id-token"}),
    ))
    .unwrap_err();
    assert_eq!(
        (err.kind, err.http_status, err.code.as_deref()),
        (GesErrorKind::Api, 404, Some("IAM.0004"))
    );
    assert!(err.message.contains("\"gitlab\""), "{}", err.message);
    let err = list(&with(
        &config,
        json!({"idp_id": "github", "id_token": "rejected-id-token"}),
    ))
    .unwrap_err();
    assert_eq!(
        (err.kind, err.http_status, err.code.as_deref()),
        (GesErrorKind::Api, 401, Some("IAM.0001"))
    );
    assert!(
        !err.message.contains("rejected-id-token"),
        "{}",
        err.message
    );
    // A token file that is no file: named, never a hang.
    let err = list(&with(
        &config,
        json!({"idp_id": "github", "id_token_file": scratch.0.to_str().unwrap()}),
    ))
    .unwrap_err();
    assert_eq!(err.kind, GesErrorKind::InvalidArgument);
    assert!(err.message.contains("a directory"), "{}", err.message);
}

#[test]
fn a_password_gets_a_token_renewed_before_it_ends() {
    let emu = cloud(json!({"iam": {
        "users": [{"domain_name": "acme", "name": "alice", "password": "alice-pa55word"}],
        "projects": {"r-1": ["demo-project"]},
        "token_lifetime_ms": 1000}}));
    let scratch = Scratch::new("password");
    let config = with(
        &base(&emu, &scratch),
        json!({"user_name": "alice", "password": "alice-pa55word", "domain_name": "acme"}),
    );
    let client = CClient::new(&config).unwrap();
    assert_eq!(client.list(&json!({})).unwrap().backups.len(), BACKUPS);
    assert_eq!(count(&emu, "password_token_requests"), 1);
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(client.list(&json!({})).unwrap().backups.len(), BACKUPS);
    assert_eq!(count(&emu, "password_token_requests"), 2);
    // Scoped by the region's name when no project is given: the lookup then
    // uses the token too.
    let by_region = with(&config, json!({"project_id": null, "region": "r-1"}));
    assert_eq!(list(&by_region).unwrap(), BACKUPS);

    let err = list(&with(&config, json!({"password": "wrong-pa55word"}))).unwrap_err();
    assert_eq!((err.kind, err.http_status), (GesErrorKind::Api, 401));
    assert!(err.message.starts_with("IAM ("), "{}", err.message);
    assert!(
        !err.message.contains("pa55word") && !err.message.contains("alice-pa55"),
        "{}",
        err.message
    );
    let err = CClient::new(&with(&config, json!({"domain_name": null})))
        .err()
        .unwrap();
    assert_eq!(err.kind, GesErrorKind::InvalidArgument);
    assert!(err.message.contains("domain_name"), "{}", err.message);
}

#[test]
fn the_sdk_credentials_file_federates_too() {
    let emu = cloud(json!({"iam": {"identity_providers": {"github": ["file-id-token"]}}}));
    let scratch = Scratch::new("sdk-file-oidc");
    let token = scratch.write("token", "file-id-token");
    let file = scratch.write(
        "credentials",
        &format!("[basic]\nidp_id = github\nid_token_file = {token}\n"),
    );
    let config = with(&base(&emu, &scratch), json!({"credentials_file": file}));
    assert_eq!(list(&config).unwrap(), BACKUPS);
    assert_eq!(stats(&emu)["id_tokens"], json!(["file-id-token"]));
}

/// Sources read from the environment, in child processes: `HW_ASSUME_ROLE_*`,
/// the SDK's OIDC variables, `HW_USER_*`, pod identity, and their order.
#[test]
fn environment_sources_of_contract_1_2() {
    let emu = cloud(with(
        &agencies(),
        json!({"iam": {"agencies": agencies()["iam"]["agencies"],
            "identity_providers": {"github": ["env-id-token"]},
            "users": [{"domain_name": "acme", "name": "bob", "password": "bob-pa55word"}]},
          "pod_identity": {"authorization_tokens": ["pod-token"]}}),
    ));
    let scratch = Scratch::new("env");
    let token = scratch.write("id-token", "env-id-token");
    let pod_token = scratch.write("pod-token", "pod-token");
    let config = base(&emu, &scratch);
    let var = |pairs: &[(&'static str, &str)]| -> Vec<(&'static str, String)> {
        pairs.iter().map(|(k, v)| (*k, v.to_string())).collect()
    };
    let pod = [
        (
            "HC_CONTAINER_CREDENTIALS_FULL_URI",
            format!("{}/pod-identity/credentials", emu.url()),
        ),
        ("HC_CONTAINER_AUTHORIZATION_TOKEN_FILE", pod_token.clone()),
    ];

    // HW_ASSUME_ROLE_* on top of HW_* keys.
    let env = var(&[
        ("HW_ACCESS_KEY", AK),
        ("HW_SECRET_KEY", SK),
        ("HW_ASSUME_ROLE_AGENCY_NAME", "ops"),
        ("HW_ASSUME_ROLE_DOMAIN_NAME", "acme"),
        ("HW_ASSUME_ROLE_DURATION", "3600"),
    ]);
    assert_eq!(in_child(&config, &scratch.0, &env), Ok(BACKUPS as u64));
    assert_eq!(count(&emu, "assume_role_requests"), 1);
    let bad = var(&[
        ("HW_ACCESS_KEY", AK),
        ("HW_SECRET_KEY", SK),
        ("HW_ASSUME_ROLE_AGENCY_NAME", "ops"),
        ("HW_ASSUME_ROLE_DOMAIN_NAME", "acme"),
        ("HW_ASSUME_ROLE_DURATION", "12"),
    ]);
    let err = in_child(&config, &scratch.0, &bad).unwrap_err();
    assert!(err.contains("HW_ASSUME_ROLE_DURATION"), "{err}");

    // The SDK's OIDC variables.
    let env = var(&[
        ("HUAWEICLOUD_SDK_IDP_ID", "github"),
        ("HUAWEICLOUD_SDK_ID_TOKEN_FILE", &token),
    ]);
    assert_eq!(in_child(&config, &scratch.0, &env), Ok(BACKUPS as u64));
    assert_eq!(count(&emu, "id_token_requests"), 1);

    // HW_USER_*: a password, in its account.
    let env = var(&[
        ("HW_USER_NAME", "bob"),
        ("HW_USER_PASSWORD", "bob-pa55word"),
        ("HW_DOMAIN_NAME", "acme"),
    ]);
    assert_eq!(in_child(&config, &scratch.0, &env), Ok(BACKUPS as u64));
    assert_eq!(count(&emu, "password_token_requests"), 1);

    // Pod identity, after every other source and before the metadata service.
    let pod_env: Vec<(&str, String)> = pod.iter().map(|(k, v)| (*k, v.clone())).collect();
    assert_eq!(in_child(&config, &scratch.0, &pod_env), Ok(BACKUPS as u64));
    assert_eq!(count(&emu, "pod_identity_requests"), 1);
    let metadata = with(&config, json!({"metadata_endpoint": emu.url()}));
    assert_eq!(
        in_child(&metadata, &scratch.0, &pod_env),
        Ok(BACKUPS as u64)
    );
    assert_eq!(count(&emu, "pod_identity_requests"), 2);
    assert_eq!(count(&emu, "metadata_security_key_requests"), 0);

    // The order: the config JSON, HW_*, HUAWEICLOUD_SDK_*, ..., pod identity.
    let mut all = var(&[
        ("HW_USER_NAME", "bob"),
        ("HW_USER_PASSWORD", "bob-pa55word"),
        ("HW_DOMAIN_NAME", "acme"),
        ("HUAWEICLOUD_SDK_IDP_ID", "github"),
        ("HUAWEICLOUD_SDK_ID_TOKEN_FILE", &token),
    ]);
    all.extend(pod_env.iter().cloned());
    let before = (
        count(&emu, "password_token_requests"),
        count(&emu, "id_token_requests"),
    );
    assert_eq!(in_child(&config, &scratch.0, &all), Ok(BACKUPS as u64));
    assert_eq!(count(&emu, "password_token_requests"), before.0 + 1);
    assert_eq!(count(&emu, "id_token_requests"), before.1);
    // The JSON's key pair comes before them all.
    let json_keys = with(&config, json!({"access_key": AK, "secret_key": SK}));
    assert_eq!(in_child(&json_keys, &scratch.0, &all), Ok(BACKUPS as u64));
    assert_eq!(count(&emu, "password_token_requests"), before.0 + 1);
    assert_eq!(count(&emu, "pod_identity_requests"), 2);
}

#[test]
fn pod_identity_errors_are_named() {
    let emu = cloud(json!({"pod_identity": {"authorization_tokens": ["pod-token"]}}));
    let scratch = Scratch::new("pod");
    let wrong = scratch.write("pod-token", "not-the-pod-token");
    let env = vec![
        (
            "HC_CONTAINER_CREDENTIALS_FULL_URI",
            format!("{}/pod-identity/credentials", emu.url()),
        ),
        ("HC_CONTAINER_AUTHORIZATION_TOKEN_FILE", wrong),
    ];
    let err = in_child(&base(&emu, &scratch), &scratch.0, &env).unwrap_err();
    assert!(err.starts_with("Api 401"), "{err}");
    assert!(err.contains("pod identity ("), "{err}");
    assert!(!err.contains("not-the-pod-token"), "{err}");
}

/// Each algorithm, on every signed request: the GES pages, IAM's project
/// lookup and `assume_role`, against an emulator that takes only that one.
#[test]
fn every_signed_request_uses_the_signing_algorithm() {
    use ges_signing::Algorithm;
    let scratch = Scratch::new("algorithms");
    for algorithm in Algorithm::ALL {
        let emu = emulator(EmulatorConfig {
            access_key: Some(AK.into()),
            secret_key: Some(SK.into()),
            signing_algorithm: Some(algorithm),
            cloud_config: Some(agencies()),
            ..generated(BACKUPS, 2)
        });
        let name = algorithm.config_name();
        let config = with(
            &base(&emu, &scratch),
            json!({"access_key": AK, "secret_key": SK, "signing_algorithm": name,
                   "project_id": null, "region": "r-1", "page_size": 10}),
        );
        assert_eq!(list(&config).unwrap(), BACKUPS, "{name}");
        assert_eq!(count(&emu, "iam_requests"), 1, "{name}");
        let assumed = with(
            &config,
            json!({"assume_role": {"agency_name": "ops", "domain_name": "acme"}}),
        );
        assert_eq!(list(&assumed).unwrap(), BACKUPS, "{name}");
        assert_eq!(count(&emu, "assume_role_requests"), 1, "{name}");
        // Another algorithm is refused: the one configured is the one used.
        let other = Algorithm::ALL
            .into_iter()
            .find(|a| *a != algorithm)
            .unwrap()
            .config_name();
        let err = list(&with(&config, json!({"signing_algorithm": other}))).unwrap_err();
        assert_eq!(
            (err.kind, err.http_status),
            (GesErrorKind::Api, 401),
            "{name}"
        );
    }
    // An unknown name, named with its choices.
    let err = CClient::new(&json!({"endpoint": "http://127.0.0.1:1", "project_id": "p",
        "auth_token": "t", "signing_algorithm": "HmacMD5"}))
    .err()
    .unwrap();
    assert_eq!(err.kind, GesErrorKind::InvalidArgument);
    assert!(
        err.message.contains("signing_algorithm") && err.message.contains("SM2SM3"),
        "{}",
        err.message
    );
}
