//! Credentials, project discovery, proxies and network errors, through the C
//! ABI against the emulator on loopback (its IAM, metadata service and test
//! proxy). Environment variables are only ever set in child processes (this
//! test binary run again), never in this one.

use crate::common::*;
use ges_backups::ffi::GesErrorKind;
use ges_emulator::{EmulatorConfig, ForwardProxy};
use serde_json::{json, Value};
use std::path::Path;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

const AK: &str = "AK-CREDS";
const SK: &str = "SK-CREDS-very-secret";

fn guarded(access_key: &str, secret_key: &str, backups: usize) -> Emu {
    emulator(EmulatorConfig {
        access_key: Some(access_key.into()),
        secret_key: Some(secret_key.into()),
        ..generated(backups, 2)
    })
}

/// Config keys that keep a test away from the developer's own files and from
/// the real metadata address.
fn isolated(scratch: &Scratch) -> Value {
    json!({
        "shared_config_file": scratch.write("empty-config.json", "{}"),
        "credentials_file": scratch.write("empty-credentials", ""),
        "metadata_endpoint": "",
        "max_retries": 0,
    })
}

fn merged(base: Value, extra: Value) -> Value {
    let mut config = base;
    for (k, v) in extra.as_object().unwrap() {
        config[k.as_str()] = v.clone();
    }
    config
}

fn cloud_stats(emu: &Emu) -> Value {
    emu.control("GET", "cloud/stats", None)
}

fn koo_cli_file(access_key: &str, secret_key: &str, extra: Value) -> String {
    let mut profile = json!({"name": "main", "mode": "AKSK", "accessKeyId": access_key,
        "secretAccessKey": secret_key});
    for (k, v) in extra.as_object().unwrap() {
        profile[k.as_str()] = v.clone();
    }
    json!({"current": "main", "profiles": [
        {"name": "other", "mode": "AKSK", "accessKeyId": "AK-OTHER", "secretAccessKey": "sk-other"},
        profile]})
    .to_string()
}

fn sdk_file(access_key: &str, secret_key: &str) -> String {
    format!("[basic]\nak = {access_key}\nsk = {secret_key}\n")
}

#[test]
fn region_iam_endpoint_and_endpoint_are_enough_one_iam_call_per_client() {
    let emu = guarded(AK, SK, 120);
    let scratch = Scratch::new("discovery");
    let config = merged(
        isolated(&scratch),
        json!({"region": "cn-north-4", "iam_endpoint": emu.url(), "endpoint": emu.url(),
               "access_key": AK, "secret_key": SK, "page_size": 50}),
    );
    let client = Arc::new(CClient::new(&config).unwrap());
    assert_eq!(cloud_stats(&emu)["iam_requests"], 0, "looked up lazily");
    // Concurrent first calls make one lookup.
    let start = Arc::new(Barrier::new(6));
    let workers: Vec<_> = (0..6)
        .map(|_| {
            let (client, start) = (client.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                client.list(&json!({})).map(|l| l.backups.len())
            })
        })
        .collect();
    for worker in workers {
        assert_eq!(worker.join().unwrap().unwrap(), 120);
    }
    for _ in 0..5 {
        assert_eq!(client.list(&json!({"limit": 3})).unwrap().backups.len(), 3);
    }
    assert_eq!(cloud_stats(&emu)["iam_requests"], 1);

    // An IAM token discovers the project too.
    let token_emu = emulator(EmulatorConfig {
        auth_token: Some("iam-token-xyz".into()),
        ..generated(30, 1)
    });
    let client = CClient::new(&merged(
        isolated(&scratch),
        json!({"region": "ap-southeast-1", "iam_endpoint": token_emu.url(),
               "endpoint": token_emu.url(), "auth_token": "iam-token-xyz"}),
    ))
    .unwrap();
    assert_eq!(client.list(&json!({})).unwrap().backups.len(), 30);
}

#[test]
fn project_lookup_errors_name_the_region_and_keep_iams_answer() {
    let emu = guarded(AK, SK, 10);
    emu.control(
        "POST",
        "cloud/iam",
        Some(json!({"projects": {"nowhere-1": [], "twice-1": ["p-one", "p-two"]}})),
    );
    let scratch = Scratch::new("lookup-errors");
    let client = |region: &str, secret: &str| {
        CClient::new(&merged(
            isolated(&scratch),
            json!({"region": region, "iam_endpoint": emu.url(), "endpoint": emu.url(),
                   "access_key": AK, "secret_key": secret}),
        ))
        .unwrap()
    };
    let err = client("nowhere-1", SK).list(&json!({})).unwrap_err();
    assert_eq!(err.kind, GesErrorKind::InvalidArgument);
    assert!(err.message.contains("\"nowhere-1\""), "{}", err.message);
    let err = client("twice-1", SK).list(&json!({})).unwrap_err();
    assert_eq!(err.kind, GesErrorKind::InvalidArgument);
    for part in ["\"twice-1\"", "p-one", "p-two"] {
        assert!(err.message.contains(part), "{}", err.message);
    }
    let err = client("cn-north-4", "wrong-secret-123")
        .list(&json!({}))
        .unwrap_err();
    assert_eq!((err.kind, err.http_status), (GesErrorKind::Api, 401));
    assert_eq!(err.code.as_deref(), Some("APIGW.0301"));
    assert_eq!(err.request_id.as_ref().map(String::len), Some(32));
    assert!(err.message.contains("IAM") && err.message.contains("cn-north-4"));
    assert!(!err.message.contains("wrong-secret-123"));
    // A failed lookup is not kept: the region's project appears, the next call finds it.
    let retried = client("nowhere-1", SK);
    assert!(retried.list(&json!({})).is_err());
    emu.control(
        "POST",
        "cloud/iam",
        Some(json!({"projects": {"nowhere-1": ["demo-project"]}})),
    );
    assert_eq!(retried.list(&json!({})).unwrap().backups.len(), 10);
}

#[test]
fn profile_and_sdk_files_named_in_the_config() {
    let emu = guarded("AK-PROFILE", "sk-profile-123", 25);
    let scratch = Scratch::new("files");
    // The profile gives the keys and the region; the project is looked up.
    let profile = scratch.write(
        "config.json",
        &koo_cli_file(
            "AK-PROFILE",
            "sk-profile-123",
            json!({"region": "cn-north-4"}),
        ),
    );
    let config = merged(
        isolated(&scratch),
        json!({"shared_config_file": profile, "endpoint": emu.url(), "iam_endpoint": emu.url()}),
    );
    assert_eq!(backups_listed(&config), 25);
    assert_eq!(cloud_stats(&emu)["iam_requests"], 1);
    // Another profile by name: its keys are not the emulator's.
    let err = CClient::new(&merged(
        config.clone(),
        json!({"profile": "other", "project_id": "demo-project"}),
    ))
    .unwrap()
    .list(&json!({}))
    .unwrap_err();
    assert_eq!(err.http_status, 401);
    // Named but missing: refused at once.
    for (key, value) in [
        ("profile", "nope"),
        ("shared_config_file", "/no/such/config.json"),
    ] {
        let err = CClient::new(&merged(config.clone(), json!({key: value})))
            .err()
            .unwrap();
        assert_eq!(err.kind, GesErrorKind::InvalidArgument);
        assert!(err.message.contains(key), "{}", err.message);
    }

    let emu = guarded("AK-FILE", "sk-file-123", 7);
    let credentials = scratch.write(
        "credentials",
        &format!(
            "{}project_id = demo-project\n",
            sdk_file("AK-FILE", "sk-file-123")
        ),
    );
    let config = merged(
        isolated(&scratch),
        json!({"credentials_file": credentials, "endpoint": emu.url()}),
    );
    assert_eq!(backups_listed(&config), 7);
}

/// Temporary credentials of the emulator's metadata service, asked for raw.
fn temporary_credentials(emu: &Emu) -> Value {
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent();
    let token = agent
        .put(&format!("{}/meta-data/latest/api/token", emu.url()))
        .header("X-Metadata-Token-Ttl-Seconds", "60")
        .send_empty()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    let text = agent
        .get(&format!("{}/openstack/latest/securitykey", emu.url()))
        .header("X-Metadata-Token", &token)
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    serde_json::from_str::<Value>(&text).unwrap()["credential"].clone()
}

#[test]
fn the_emulator_accepts_metadata_credentials_until_they_end() {
    let emu = guarded(AK, SK, 5);
    emu.control("POST", "cloud/metadata", Some(json!({"lifetime_ms": 700})));
    let scratch = Scratch::new("expiry");
    let c = temporary_credentials(&emu);
    let config = merged(
        isolated(&scratch),
        json!({"endpoint": emu.url(), "project_id": "demo-project",
               "access_key": c["access"], "secret_key": c["secret"], "security_token": c["securitytoken"]}),
    );
    let client = CClient::new(&config).unwrap();
    assert_eq!(client.list(&json!({})).unwrap().backups.len(), 5);
    // Without the token, or another one, the temporary key is refused.
    let err = CClient::new(&merged(
        config.clone(),
        json!({"security_token": "tok-not-it"}),
    ))
    .unwrap()
    .list(&json!({}))
    .unwrap_err();
    assert_eq!(err.http_status, 401);
    std::thread::sleep(Duration::from_millis(800));
    let err = client.list(&json!({})).unwrap_err();
    assert_eq!((err.kind, err.http_status), (GesErrorKind::Api, 401));
    assert!(err.message.contains("ended"), "{}", err.message);
    assert!(!err.message.contains(c["secret"].as_str().unwrap()));
}

#[test]
fn metadata_credentials_are_renewed_mid_listing_without_a_failed_call() {
    let emu = emulator(EmulatorConfig {
        access_key: Some("AK-NOT-GIVEN".into()),
        secret_key: Some("sk-not-given".into()),
        latency_ms: 10,
        ..generated(300, 3)
    });
    const LIFETIME_MS: u64 = 800;
    emu.control(
        "POST",
        "cloud/metadata",
        Some(json!({"lifetime_ms": LIFETIME_MS})),
    );
    let scratch = Scratch::new("renewal");
    let config = merged(
        isolated(&scratch),
        json!({"endpoint": emu.url(), "project_id": "demo-project", "metadata_endpoint": emu.url(),
               "page_size": 10, "max_concurrency": 2}),
    );
    let client = Arc::new(CClient::new(&config).unwrap());
    let started = Instant::now();
    let mut listings = 0;
    while started.elapsed() < Duration::from_millis(2500) {
        let list = client
            .list(&json!({}))
            .expect("no call fails across renewals");
        assert_eq!(list.backups.len(), 300);
        listings += 1;
    }
    let renewals = cloud_stats(&emu)["metadata_security_key_requests"]
        .as_u64()
        .unwrap();
    let elapsed_ms = started.elapsed().as_millis() as u64;
    println!(
        "{listings} listings of 30 pages in {elapsed_ms} ms, {renewals} security keys fetched"
    );
    assert!(renewals >= 4, "renewed before each end: {renewals}");
    assert!(renewals <= elapsed_ms / (LIFETIME_MS / 2) + 2, "{renewals}");

    // Many threads on one client: one renewal at a time, no failed call.
    let before = renewals;
    let started = Instant::now();
    let workers: Vec<_> = (0..6)
        .map(|_| {
            let client = client.clone();
            std::thread::spawn(move || {
                let mut n = 0;
                while started.elapsed() < Duration::from_millis(2500) {
                    assert_eq!(client.list(&json!({})).unwrap().backups.len(), 300);
                    n += 1;
                }
                n
            })
        })
        .collect();
    let total: u32 = workers.into_iter().map(|w| w.join().unwrap()).sum();
    let renewals = cloud_stats(&emu)["metadata_security_key_requests"]
        .as_u64()
        .unwrap()
        - before;
    let elapsed_ms = started.elapsed().as_millis() as u64;
    println!("6 threads: {total} listings in {elapsed_ms} ms, {renewals} security keys fetched");
    assert!(
        renewals >= 3 && renewals <= elapsed_ms / (LIFETIME_MS / 2) + 2,
        "{renewals}"
    );
}

#[test]
fn temporary_credentials_refused_before_their_end_are_renewed_once() {
    let emu = guarded("AK-NOT-GIVEN", "sk-not-given", 40);
    let scratch = Scratch::new("revoked");
    let client = CClient::new(&merged(
        isolated(&scratch),
        json!({"endpoint": emu.url(), "project_id": "demo-project", "metadata_endpoint": emu.url(),
               "page_size": 10}),
    ))
    .unwrap();
    let before = emu.requests();
    assert_eq!(client.list(&json!({})).unwrap().backups.len(), 40);
    let pages = emu.requests() - before;
    let fetched = cloud_stats(&emu)["metadata_security_key_requests"]
        .as_u64()
        .unwrap();
    emu.control("POST", "cloud/metadata", Some(json!({"revoke": true})));
    let before = emu.requests();
    // max_retries is 0: only the renewal makes this succeed.
    assert_eq!(client.list(&json!({})).unwrap().backups.len(), 40);
    assert_eq!(
        emu.requests() - before,
        pages + 1,
        "the pages and the one refused"
    );
    assert_eq!(
        cloud_stats(&emu)["metadata_security_key_requests"]
            .as_u64()
            .unwrap(),
        fetched + 1
    );
    // Static credentials refused stay refused, at once.
    let err = CClient::new(&merged(
        isolated(&scratch),
        json!({"endpoint": emu.url(), "project_id": "demo-project", "access_key": "AK-X", "secret_key": "sk-x-123"}),
    ))
    .unwrap()
    .list(&json!({}))
    .unwrap_err();
    assert_eq!(err.http_status, 401);
}

#[test]
fn a_metadata_service_that_does_not_answer_lists_every_source_tried() {
    let scratch = Scratch::new("no-metadata");
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let started = Instant::now();
    let err = CClient::new(&merged(
        isolated(&scratch),
        json!({"endpoint": "http://127.0.0.1:9", "project_id": "p",
               "metadata_endpoint": format!("http://127.0.0.1:{port}")}),
    ))
    .err()
    .unwrap();
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(err.kind, GesErrorKind::InvalidArgument);
    for part in [
        "credentials",
        "config JSON",
        "HW_ACCESS_KEY",
        "HUAWEICLOUD_SDK_AK",
        "shared config file",
        "SDK credentials file",
        "metadata",
        &format!("127.0.0.1:{port}"),
    ] {
        assert!(err.message.contains(part), "{part}: {}", err.message);
    }
    // A service that accepts but never answers: bounded by timeout_ms.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let started = Instant::now();
    let err = CClient::new(&merged(
        isolated(&scratch),
        json!({"endpoint": "http://127.0.0.1:9", "project_id": "p", "timeout_ms": 300,
               "metadata_endpoint": format!("http://{}", silent.local_addr().unwrap())}),
    ))
    .err()
    .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(err.message.contains("timed out"), "{}", err.message);
    // An emulator without an agency for the instance.
    let emu = emulator(generated(1, 1));
    emu.control("POST", "cloud/metadata", Some(json!({"available": false})));
    let err = CClient::new(&merged(
        isolated(&scratch),
        json!({"endpoint": emu.url(), "project_id": "p", "metadata_endpoint": emu.url()}),
    ))
    .err()
    .unwrap();
    assert!(err.message.contains("503"), "{}", err.message);
}

#[test]
fn a_proxy_carries_the_traffic_but_never_for_loopback() {
    let emu = guarded(AK, SK, 60);
    let port = emu.url().rsplit(':').next().unwrap().to_string();
    let scratch = Scratch::new("proxy");
    let base = merged(
        isolated(&scratch),
        json!({"access_key": AK, "secret_key": SK, "project_id": "demo-project", "page_size": 20}),
    );
    // `ges.test` is resolved by the proxy alone: without it the client cannot get there.
    let named = format!("http://ges.test:{port}");
    for scheme in ["http", "socks5"] {
        let proxy = ForwardProxy::start(&[("ges.test", [127, 0, 0, 1].into())], None).unwrap();
        let before = emu.requests();
        let client = CClient::new(&merged(
            base.clone(),
            json!({"endpoint": named, "proxy": format!("{scheme}://{}", proxy.addr()), "insecure": true}),
        ))
        .unwrap();
        assert_eq!(
            client.list(&json!({})).unwrap().backups.len(),
            60,
            "{scheme}"
        );
        let stats = proxy.stats();
        let (via_connect, via_socks) = (stats.tunnels, stats.socks);
        match scheme {
            "http" => assert!(via_connect >= 1 && via_socks == 0, "{stats:?}"),
            _ => assert!(via_socks >= 1 && via_connect == 0, "{stats:?}"),
        }
        assert!(
            stats
                .targets
                .iter()
                .all(|t| *t == format!("ges.test:{port}")),
            "{stats:?}"
        );
        let proxied_requests = emu.requests() - before;
        // Loopback: straight there, the proxy sees nothing.
        let direct = CClient::new(&merged(
            base.clone(),
            json!({"endpoint": emu.url(), "proxy": format!("{scheme}://{}", proxy.addr())}),
        ))
        .unwrap();
        let before = emu.requests();
        assert_eq!(direct.list(&json!({})).unwrap().backups.len(), 60);
        assert_eq!(emu.requests() - before, proxied_requests);
        assert_eq!(proxy.stats(), stats, "{scheme}");
    }
    // Discovery goes through the proxy too.
    let proxy = ForwardProxy::start(&[("ges.test", [127, 0, 0, 1].into())], None).unwrap();
    let client = CClient::new(&merged(
        base.clone(),
        json!({"endpoint": named, "iam_endpoint": named, "region": "cn-north-4",
               "project_id": null, "proxy": format!("http://{}", proxy.addr()), "insecure": true}),
    ))
    .unwrap();
    assert_eq!(client.list(&json!({})).unwrap().backups.len(), 60);
    assert_eq!(cloud_stats(&emu)["iam_requests"], 1);
}

#[test]
fn an_https_proxy_carries_the_traffic_when_its_certificate_is_trusted() {
    let scratch = Scratch::new("https-proxy");
    // One certificate for the proxy and for the service behind it (https: a
    // plain http target would need `insecure`, which verifies nothing).
    let certified =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string(), "ges.test".to_string()])
            .unwrap();
    let cert = scratch.write("proxy.pem", &certified.cert.pem());
    let key = scratch.write("proxy-key.pem", &certified.signing_key.serialize_pem());
    let emu = emulator(EmulatorConfig {
        access_key: Some(AK.into()),
        secret_key: Some(SK.into()),
        tls_cert: Some(cert.clone().into()),
        tls_key: Some(key.clone().into()),
        ..generated(30, 2)
    });
    let port = emu.url().rsplit(':').next().unwrap().to_string();
    let proxy = ForwardProxy::start_tls(
        &[("ges.test", [127, 0, 0, 1].into())],
        Some(("proxyuser", "pr0xy-tls-pa55")),
        Path::new(&cert),
        Path::new(&key),
    )
    .unwrap();
    let config = merged(
        isolated(&scratch),
        json!({"access_key": AK, "secret_key": SK, "project_id": "demo-project", "page_size": 10,
               "endpoint": format!("https://ges.test:{port}"),
               "proxy": format!("https://proxyuser:pr0xy-tls-pa55@{}", proxy.addr())}),
    );
    // The proxy's certificate is trusted through ca_file, like a service's.
    let client = CClient::new(&merged(config.clone(), json!({"ca_file": cert}))).unwrap();
    assert_eq!(client.list(&json!({})).unwrap().backups.len(), 30);
    let stats = proxy.stats();
    assert!(stats.tunnels >= 1 && stats.socks == 0, "{stats:?}");
    // Not trusted: a TRANSPORT error naming the proxy, no direct connection.
    let before = emu.requests();
    let err = CClient::new(&config).unwrap().list(&json!({})).unwrap_err();
    assert_eq!(err.kind, GesErrorKind::Transport);
    assert!(
        err.message.contains(&proxy.addr().to_string()),
        "{}",
        err.message
    );
    assert!(!err.message.contains("pr0xy-tls-pa55"), "{}", err.message);
    assert_eq!(emu.requests(), before);
}

#[test]
fn proxy_credentials_work_and_stay_secret() {
    let emu = guarded(AK, SK, 10);
    let port = emu.url().rsplit(':').next().unwrap().to_string();
    let scratch = Scratch::new("proxy-auth");
    let proxy = ForwardProxy::start(
        &[("ges.test", [127, 0, 0, 1].into())],
        Some(("proxyuser", "pr0xy-pa55word")),
    )
    .unwrap();
    let base = merged(
        isolated(&scratch),
        json!({"access_key": AK, "secret_key": SK, "project_id": "demo-project",
               "endpoint": format!("http://ges.test:{port}"), "insecure": true}),
    );
    for scheme in ["http", "socks5"] {
        let good = format!("{scheme}://proxyuser:pr0xy-pa55word@{}", proxy.addr());
        let client = CClient::new(&merged(base.clone(), json!({"proxy": good}))).unwrap();
        assert_eq!(
            client.list(&json!({})).unwrap().backups.len(),
            10,
            "{scheme}"
        );
        let bad = format!("{scheme}://proxyuser:wr0ng-pa55word@{}", proxy.addr());
        let err = CClient::new(&merged(base.clone(), json!({"proxy": bad})))
            .unwrap()
            .list(&json!({}))
            .unwrap_err();
        assert_eq!(err.kind, GesErrorKind::Transport, "{scheme}");
        assert!(
            err.message.contains(&proxy.addr().to_string()),
            "{}",
            err.message
        );
        assert!(
            err.message.contains(&format!("ges.test:{port}")),
            "{}",
            err.message
        );
        assert!(
            !err.message.contains("wr0ng-pa55word") && !err.message.contains("proxyuser"),
            "{}",
            err.message
        );
    }
    assert!(proxy.stats().refused >= 2);
    for bad in ["ftp://u:pr0xy-pa55word@p:1", "socks4://p:1", "http://p:0"] {
        let err = CClient::new(&merged(base.clone(), json!({"proxy": bad})))
            .err()
            .unwrap();
        assert_eq!(err.kind, GesErrorKind::InvalidArgument, "{bad}");
        assert!(err.message.contains("\"proxy\""), "{}", err.message);
        assert!(!err.message.contains("pr0xy-pa55word"));
    }
}

#[test]
fn network_errors_name_the_host_and_port() {
    let scratch = Scratch::new("neterr");
    let base = merged(
        isolated(&scratch),
        json!({"auth_token": "tok-123456", "project_id": "p", "connect_timeout_ms": 1000}),
    );
    let error = |extra: Value| {
        CClient::new(&merged(base.clone(), extra))
            .unwrap()
            .list(&json!({}))
            .unwrap_err()
    };
    let err = error(json!({"endpoint": "http://no-such-host.invalid:8089", "insecure": true}));
    assert_eq!(err.kind, GesErrorKind::Transport);
    assert!(
        err.message.contains("no-such-host.invalid:8089"),
        "{}",
        err.message
    );
    let err = error(json!({"endpoint": "http://127.0.0.1:9"}));
    assert!(err.message.contains("127.0.0.1:9"), "{}", err.message);
    let slow = emulator(EmulatorConfig {
        latency_ms: 2000,
        ..generated(3, 1)
    });
    let err = error(json!({"endpoint": slow.url(), "timeout_ms": 200}));
    let hostport = slow.url().trim_start_matches("http://");
    assert!(
        err.message.contains(hostport) && err.message.contains("timed out"),
        "{}",
        err.message
    );
    // TLS: a certificate nobody vouches for.
    let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).unwrap();
    let cert = scratch.write("cert.pem", &certified.cert.pem());
    let key = scratch.write("key.pem", &certified.signing_key.serialize_pem());
    let tls = emulator(EmulatorConfig {
        tls_cert: Some(cert.into()),
        tls_key: Some(key.into()),
        ..generated(3, 1)
    });
    let err = error(json!({"endpoint": tls.url()}));
    let hostport = tls.url().trim_start_matches("https://");
    assert!(
        err.message.contains("certificate") && err.message.contains(hostport),
        "{}",
        err.message
    );
    // Through a proxy that cannot reach the target, both are named.
    let proxy = ForwardProxy::start(&[], None).unwrap();
    let err = error(
        json!({"endpoint": "http://no-such-host.invalid:8089", "insecure": true,
               "proxy": format!("http://{}", proxy.addr())}),
    );
    assert!(
        err.message.contains("no-such-host.invalid:8089")
            && err.message.contains(&proxy.addr().to_string()),
        "{}",
        err.message
    );
    // Userinfo in an endpoint is refused, and never echoed.
    let err = CClient::new(&merged(
        base.clone(),
        json!({"endpoint": "http://user:pa55-in-url@127.0.0.1:9"}),
    ))
    .err()
    .unwrap();
    assert_eq!(err.kind, GesErrorKind::InvalidArgument);
    assert!(
        err.message.contains("endpoint") && !err.message.contains("pa55-in-url"),
        "{}",
        err.message
    );
}

#[test]
fn values_that_cannot_go_into_a_header_are_refused_at_client_creation() {
    let scratch = Scratch::new("header");
    let base = merged(
        isolated(&scratch),
        json!({"endpoint": "http://127.0.0.1:9", "project_id": "p", "access_key": "AK", "secret_key": "sk-123456"}),
    );
    for (key, value) in [
        ("access_key", "AK\r\nX-Injected: 1"),
        ("secret_key", "sk\n123456"),
        ("security_token", "tok\u{0}en"),
        ("project_id", "p\r\n"),
        ("user_agent", "ua\u{7f}"),
        ("auth_token", "tok\u{1b}[31m"),
    ] {
        let err = CClient::new(&merged(base.clone(), json!({key: value})))
            .err()
            .unwrap();
        assert_eq!(err.kind, GesErrorKind::InvalidArgument, "{key}");
        assert!(err.message.contains(key), "{}", err.message);
    }
}

// ---- Sources read from the environment: in child processes only (`in_child`). ----

#[test]
fn environment_sources_and_their_order_in_child_processes() {
    // The six sources, each with keys of its own.
    let home = Scratch::new("home");
    let profile = koo_cli_file("AK-PROFILE", "sk-profile-1", json!({}));
    let credentials = sdk_file("AK-FILE", "sk-file-1");
    let hw = [
        ("HW_ACCESS_KEY", "AK-HW".to_string()),
        ("HW_SECRET_KEY", "sk-hw-1".to_string()),
    ];
    let sdk = [
        ("HUAWEICLOUD_SDK_AK", "AK-SDK".to_string()),
        ("HUAWEICLOUD_SDK_SK", "sk-sdk-1".to_string()),
    ];
    let json_keys = json!({"access_key": "AK-JSON", "secret_key": "sk-json-1"});
    let keys = [
        ("AK-JSON", "sk-json-1"),
        ("AK-HW", "sk-hw-1"),
        ("AK-SDK", "sk-sdk-1"),
        ("AK-PROFILE", "sk-profile-1"),
        ("AK-FILE", "sk-file-1"),
        // Metadata: the emulator's static keys are nobody's; its temporary ones pass.
        ("AK-NOBODY", "sk-nobody-1"),
    ];
    // Sets up the sources from `first` on, with the emulator accepting `accepted`'s keys.
    let run = |first: usize, only: bool, accepted: usize| -> Result<u64, String> {
        let emu = guarded(keys[accepted].0, keys[accepted].1, 4 + accepted);
        let _ = std::fs::remove_file(home.0.join(".hcloud/config.json"));
        let _ = std::fs::remove_file(home.0.join(".huaweicloud/credentials"));
        let present = |level: usize| level == first || (!only && level > first);
        let mut config = json!({"endpoint": emu.url(), "project_id": "demo-project", "max_retries": 0,
            "metadata_endpoint": if present(5) { emu.url().to_string() } else { String::new() }});
        if present(0) {
            config = merged(config, json_keys.clone());
        }
        let mut env = Vec::new();
        if present(1) {
            env.extend(hw.iter().cloned());
        }
        if present(2) {
            env.extend(sdk.iter().cloned());
        }
        if present(3) {
            home.write(".hcloud/config.json", &profile);
        }
        if present(4) {
            home.write(".huaweicloud/credentials", &credentials);
        }
        in_child(&config, &home.0, &env)
    };
    for source in 0..keys.len() {
        assert_eq!(
            run(source, true, source),
            Ok(4 + source as u64),
            "source {source} alone"
        );
        // With every later source present too, this one still wins...
        assert_eq!(
            run(source, false, source),
            Ok(4 + source as u64),
            "source {source} first"
        );
        // ...and the next one's keys are not what is sent.
        if source + 1 < keys.len() {
            let err = run(source, false, source + 1).unwrap_err();
            assert!(err.contains("401"), "source {source}: {err}");
            // The refusal names the source the credentials came from.
            let named = [
                "credentials from the config JSON",
                "credentials from HW_ACCESS_KEY",
                "credentials from HUAWEICLOUD_SDK_AK",
                "credentials from the selected profile of the shared config file",
                "credentials from the SDK credentials file",
            ];
            assert!(err.contains(named[source]), "source {source}: {err}");
        }
    }

    // Environment proxies: HTTP_PROXY carries an http endpoint, NO_PROXY and
    // `"proxy": ""` turn it off (then `ges.test` cannot be resolved: named).
    let emu = guarded(AK, SK, 9);
    let port = emu.url().rsplit(':').next().unwrap().to_string();
    let proxy = ForwardProxy::start(&[("ges.test", [127, 0, 0, 1].into())], None).unwrap();
    let config = json!({"endpoint": format!("http://ges.test:{port}"), "project_id": "demo-project",
        "access_key": AK, "secret_key": SK, "metadata_endpoint": "", "max_retries": 0,
        "insecure": true});
    let via = |vars: &[(&str, &str)], config: &Value| {
        let env: Vec<(&str, String)> = vars.iter().map(|(k, v)| (*k, v.to_string())).collect();
        in_child(config, &home.0, &env)
    };
    let proxy_url = format!("http://{}", proxy.addr());
    assert_eq!(via(&[("HTTP_PROXY", &proxy_url)], &config), Ok(9));
    assert_eq!(via(&[("http_proxy", &proxy_url)], &config), Ok(9));
    assert_eq!(via(&[("ALL_PROXY", &proxy_url)], &config), Ok(9));
    assert_eq!(proxy.stats().tunnels, 3);
    // HTTPS_PROXY is for https endpoints only.
    let err = via(&[("HTTPS_PROXY", &proxy_url)], &config).unwrap_err();
    assert!(err.contains(&format!("ges.test:{port}")), "{err}");
    let err = via(
        &[("HTTP_PROXY", &proxy_url), ("NO_PROXY", "ges.test")],
        &config,
    )
    .unwrap_err();
    assert!(err.contains(&format!("ges.test:{port}")), "{err}");
    let err = via(
        &[("HTTP_PROXY", &proxy_url)],
        &merged(config.clone(), json!({"proxy": ""})),
    )
    .unwrap_err();
    assert!(err.contains(&format!("ges.test:{port}")), "{err}");
    assert_eq!(proxy.stats().tunnels, 3);
    let err = via(&[("HTTP_PROXY", "gopher://x:1")], &config).unwrap_err();
    assert!(
        err.contains("InvalidArgument") && err.contains("HTTP_PROXY"),
        "{err}"
    );
}
