//! Trust (issue 18), through the C ABI against the emulator: no secret in any
//! log line even when a gateway echoes the request; no plain http to a remote
//! host unless `insecure`; ids that cannot change the path; a bound on what a
//! listing holds; no log callback after the client is freed; credential files
//! that are no files refused, never a hang.

use crate::common::*;
use ges_backups::ffi::*;
use ges_emulator::EmulatorConfig;
use serde_json::json;
use std::ffi::{c_char, c_void, CStr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

type Lines = Mutex<Vec<String>>;

unsafe extern "C" fn collect(user_data: *mut c_void, _: GesLogLevel, message: *const c_char) {
    let lines = &*(user_data as *const Lines);
    let text = CStr::from_ptr(message).to_str().expect("UTF-8").to_string();
    lines.lock().unwrap().push(text);
}

fn log_into(client: &CClient, lines: &Lines) {
    let err = unsafe {
        ges_client_set_logger(
            client.raw() as *mut GesClient,
            Some(collect),
            lines as *const Lines as *mut c_void,
            GES_LOG_LEVEL_DEBUG,
        )
    };
    assert!(take_error(err).is_none());
}

/// Whether every `Signature=` of `text` is followed by the mask, not a value.
fn signatures_masked(text: &str) -> bool {
    text.match_indices("Signature=")
        .all(|(at, key)| text[at + key.len()..].starts_with("***"))
}

/// A gateway that answers 503 quoting the whole request, twice, then lets the
/// listing through: the retries' WARN lines quote its words.
fn echoing(emu: &Emu) {
    emu.fault(json!({"times": 2, "action": {"type": "echo", "status": 503}}));
}

#[test]
fn an_echoing_gateway_puts_no_secret_in_any_log_line() {
    const AK: &str = "AK-echo-visible";
    const SK: &str = "SK-echo-0123456789-secret";
    const TOKEN: &str = "STS-echo-abcdefghij-token";
    let emu = emulator(EmulatorConfig {
        access_key: Some(AK.into()),
        secret_key: Some(SK.into()),
        ..generated(30, 2)
    });
    let lines = Lines::default();
    let signed = emu.client(
        json!({"access_key": AK, "secret_key": SK, "security_token": TOKEN,
        "auth_token": null, "max_retries": 3}),
    );
    log_into(&signed, &lines);
    echoing(&emu);
    assert_eq!(signed.list(&json!({})).unwrap().backups.len(), 30);
    // A short token too, where it stands as a word of its own.
    let open = emulator(generated(30, 2));
    let token_client = open.client(json!({"auth_token": "tk9", "max_retries": 3}));
    log_into(&token_client, &lines);
    echoing(&open);
    assert_eq!(token_client.list(&json!({})).unwrap().backups.len(), 30);
    // An echo that never stops: the returned error is as clean as the lines.
    open.fault(json!({"times": 0, "action": {"type": "echo", "status": 503}}));
    let err = token_client.list(&json!({})).unwrap_err();
    assert_eq!(err.http_status, 503);
    drop((signed, token_client));

    let lines = lines.into_inner().unwrap();
    let all = lines.join("\n");
    // The echo was logged: the retries quote the gateway's words.
    assert!(
        all.contains("x-sdk-date") && all.contains("Signature="),
        "{all}"
    );
    for secret in [SK, TOKEN, "tk9"] {
        assert!(!all.contains(secret), "{secret} in\n{all}");
        assert!(!err.message.contains(secret), "{}", err.message);
    }
    assert!(signatures_masked(&all), "a signature in\n{all}");
    assert!(all.contains(AK), "the access key is no secret: {all}");
}

/// Whether `text` holds `prefix` followed by `len` hex digits: the shape of
/// the emulator's temporary security tokens (`tok-`, 64) and IAM tokens (`MIIemu`, 96).
fn holds_issued(text: &str, prefix: &str, len: usize) -> bool {
    text.match_indices(prefix).any(|(at, p)| {
        let rest = &text[at + p.len()..];
        rest.len() >= len && rest[..len].bytes().all(|b| b.is_ascii_hexdigit())
    })
}

#[test]
fn temporary_credentials_and_iam_tokens_are_scrubbed_too() {
    let emu = emulator(EmulatorConfig {
        access_key: Some("AK-root".into()),
        secret_key: Some("SK-root-secret-123".into()),
        cloud_config: Some(json!({"iam": {"users": [
            {"domain_name": "acme", "name": "carol", "password": "carol-pa55word"}]}})),
        ..generated(12, 2)
    });
    let lines = Lines::default();
    let isolated = json!({"auth_token": null, "shared_config_file": "", "credentials_file": "",
        "max_retries": 2, "iam_endpoint": emu.url()});
    // The metadata service's temporary credentials: `X-Security-Token` echoed.
    let mut metadata = isolated.clone();
    metadata["metadata_endpoint"] = json!(emu.url());
    let client = emu.client(metadata);
    log_into(&client, &lines);
    echoing(&emu);
    assert_eq!(client.list(&json!({})).unwrap().backups.len(), 12);
    // A password's IAM token: `X-Auth-Token` echoed.
    let mut password = isolated.clone();
    password["metadata_endpoint"] = json!("");
    for (k, v) in [
        ("user_name", "carol"),
        ("password", "carol-pa55word"),
        ("domain_name", "acme"),
    ] {
        password[k] = json!(v);
    }
    let client = emu.client(password);
    log_into(&client, &lines);
    echoing(&emu);
    assert_eq!(client.list(&json!({})).unwrap().backups.len(), 12);

    let all = lines.lock().unwrap().join("\n");
    assert!(
        all.contains("x-security-token") && all.contains("x-auth-token"),
        "{all}"
    );
    assert!(
        !holds_issued(&all, "tok-", 64),
        "a security token in\n{all}"
    );
    assert!(!holds_issued(&all, "MIIemu", 96), "an IAM token in\n{all}");
    assert!(!all.contains("carol-pa55word"), "{all}");
    assert!(signatures_masked(&all), "{all}");
}

#[test]
fn plain_http_to_a_remote_host_needs_insecure_which_warns() {
    let config = json!({"endpoint": "http://ges.example.com", "project_id": "p",
        "auth_token": "t", "metadata_endpoint": ""});
    let err = CClient::new(&config).err().unwrap();
    assert_eq!(err.kind, GesErrorKind::InvalidArgument);
    assert!(err.message.contains("plain http://"), "{}", err.message);
    let err = CClient::new(
        &json!({"endpoint": "https://ges.example.com", "project_id": "p",
        "auth_token": "t", "metadata_endpoint": "", "iam_endpoint": "http://iam.example.com"}),
    )
    .err()
    .unwrap();
    assert!(err.message.contains("iam_endpoint"), "{}", err.message);
    let mut insecure = config.clone();
    insecure["insecure"] = json!(true);
    let client = CClient::new(&insecure).unwrap();
    let lines = Lines::default();
    log_into(&client, &lines);
    let warned = lines.lock().unwrap().join("\n");
    assert!(
        warned.contains("insecure is true") && warned.contains("not verified"),
        "{warned}"
    );
}

#[test]
fn ids_that_would_change_the_path_never_reach_the_service() {
    let emu = emulator(Default::default());
    let client = emu.client(json!({}));
    let before = emu.requests();
    for graph_id in ["..", ".", "g-1/../../x", "g 1", "g%2F1", "g?x=1", "g#1"] {
        let err = client.list(&json!({"graph_id": graph_id})).unwrap_err();
        assert_eq!(err.kind, GesErrorKind::InvalidArgument, "{graph_id}");
        assert!(err.message.contains("graph_id"), "{}", err.message);
    }
    assert_eq!(emu.requests(), before);
    for project_id in ["..", "a/b", "p q"] {
        let err = CClient::new(&emu.config_with(json!({"project_id": project_id})))
            .err()
            .unwrap();
        assert_eq!(err.kind, GesErrorKind::InvalidArgument, "{project_id}");
        assert!(err.message.contains("project_id"), "{}", err.message);
    }
    // Ids with dots inside are ids.
    let err = client.list(&json!({"graph_id": "g.1"})).err();
    assert!(err.is_none_or(|e| e.kind != GesErrorKind::InvalidArgument));
}

#[test]
fn a_listing_beyond_max_listing_bytes_stops_with_a_decode_error() {
    let emu = emulator(generated(3000, 4));
    let bounded = |bytes: u64| emu.client(json!({"max_listing_bytes": bytes, "page_size": 100}));
    let before = emu.requests();
    let err = bounded(200_000).list(&json!({})).unwrap_err();
    assert_eq!(err.kind, GesErrorKind::Decode, "{}", err.message);
    assert!(
        err.message.contains("max_listing_bytes (200000"),
        "{}",
        err.message
    );
    // It stopped early: far fewer than the 31 pages a whole listing takes.
    assert!(emu.requests() - before < 20, "{}", emu.requests() - before);
    // A count that could not fit is refused after the first page.
    let before = emu.requests();
    let err = bounded(10_000).list(&json!({})).unwrap_err();
    assert!(err.message.contains("max_listing_bytes"), "{}", err.message);
    assert_eq!(emu.requests() - before, 1);
    // One page is bounded too; the default holds everything.
    let err = bounded(2048).list(&json!({"limit": 100})).unwrap_err();
    assert_eq!(err.kind, GesErrorKind::Decode, "{}", err.message);
    assert_eq!(
        emu.client(json!({}))
            .list(&json!({}))
            .unwrap()
            .backups
            .len(),
        3000
    );
    let err = CClient::new(&emu.config_with(json!({"max_listing_bytes": 10})))
        .err()
        .unwrap();
    assert!(err.message.contains("max_listing_bytes"), "{}", err.message);
}

#[test]
fn a_fifo_or_a_directory_as_a_credentials_file_is_refused_not_waited_on() {
    let dir = std::env::temp_dir().join(format!("ges-trust-fifo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("credentials");
    let path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o600) }, 0);
    let fifo = fifo.to_str().unwrap().to_string();
    let dir_path = dir.to_str().unwrap().to_string();
    for (key, path, what) in [
        ("credentials_file", &fifo, "a FIFO"),
        ("shared_config_file", &fifo, "a FIFO"),
        ("credentials_file", &dir_path, "a directory"),
    ] {
        let config = json!({"region": "r-1", "metadata_endpoint": "", key: path});
        let (done, waited) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = done.send(CClient::new(&config).err());
        });
        let started = Instant::now();
        let err = waited
            .recv_timeout(Duration::from_secs(10))
            .unwrap_or_else(|_| panic!("ges_client_new hangs on {what}"))
            .expect("an error");
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(err.kind, GesErrorKind::InvalidArgument);
        assert!(
            err.message.contains(path.as_str()) && err.message.contains(what),
            "{key}: {}",
            err.message
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}

/// After `ges_client_free` returns, no line reaches the logger, though a
/// cancelled call's work is still winding down (it ends after the free).
#[test]
fn no_log_line_after_the_client_is_freed() {
    let mut config = generated(400, 2);
    config.latency_ms = 150;
    let emu = emulator(config);
    let client = emu.client(json!({"page_size": 10, "max_concurrency": 2}));
    let lines = Lines::default();
    log_into(&client, &lines);
    let cancel = ges_cancel_new();
    let raw = client.raw() as usize;
    let cancel_at = cancel as usize;
    let call = std::thread::spawn(move || {
        let mut out = std::ptr::null_mut();
        let query = c_string("{}");
        let err = unsafe {
            ges_list_backups_cancellable(
                raw as *const GesClient,
                query.as_ptr(),
                cancel_at as *const GesCancel,
                &mut out,
            )
        };
        take_error(err).map(|e| e.kind)
    });
    std::thread::sleep(Duration::from_millis(400));
    unsafe { ges_cancel_request(cancel) };
    assert_eq!(call.join().unwrap(), Some(GesErrorKind::Cancelled));
    // The abandoned pages are still in flight: free now, count, and wait.
    drop(client);
    let told = lines.lock().unwrap().len();
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(lines.lock().unwrap().len(), told, "a line after the free");
    unsafe { ges_cancel_free(cancel) };
}

/// What the re-entrant callback below needs: its client, and what its own
/// listing gave.
struct Reentrant {
    client: *const GesClient,
    nested: Mutex<Vec<usize>>,
}

unsafe extern "C" fn list_again(user_data: *mut c_void, _: GesLogLevel, message: *const c_char) {
    let state = &*(user_data as *const Reentrant);
    let line = CStr::from_ptr(message).to_string_lossy();
    // Once, on the IAM lookup's own line.
    if line.contains("/v3/projects") && state.nested.lock().unwrap().is_empty() {
        state.nested.lock().unwrap().push(0);
        let query = c_string("{}");
        let listed = list_raw(state.client, &query).map(|l| l.backups.len());
        state
            .nested
            .lock()
            .unwrap()
            .push(listed.unwrap_or(usize::MAX));
    }
}

/// A log callback may use its own client: no line is told while the client
/// holds a lock such a call would need (the first call's project lookup
/// holds one, and logs its IAM request at DEBUG).
#[test]
fn a_callback_may_list_with_its_own_client_during_the_project_lookup() {
    let emu = emulator(EmulatorConfig {
        cloud_config: Some(json!({"iam": {"projects": {"r-1": ["demo-project"]}}})),
        ..Default::default()
    });
    let client = CClient::new(&json!({"endpoint": emu.url(), "iam_endpoint": emu.url(),
        "region": "r-1", "auth_token": "t", "metadata_endpoint": "", "max_retries": 0}))
    .unwrap();
    let state = Box::new(Reentrant {
        client: client.raw(),
        nested: Mutex::new(Vec::new()),
    });
    let err = unsafe {
        ges_client_set_logger(
            client.raw() as *mut GesClient,
            Some(list_again),
            &*state as *const Reentrant as *mut c_void,
            GES_LOG_LEVEL_DEBUG,
        )
    };
    assert!(take_error(err).is_none());
    let raw = client.raw() as usize;
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let query = c_string("{}");
        let listed = list_raw(raw as *const GesClient, &query).map(|l| l.backups.len());
        let _ = done.send(listed.ok());
    });
    let listed = finished
        .recv_timeout(Duration::from_secs(20))
        .expect("the call and its callback's call end: no deadlock");
    assert_eq!(listed, Some(3));
    assert_eq!(*state.nested.lock().unwrap(), [0, 3]);
    drop(client);
}
