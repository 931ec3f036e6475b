//! Cancellation and logging through the C ABI (contract 1.1), against the emulator.

use crate::common::*;
use ges_backups::ffi::*;
use serde_json::{json, Value};
use std::ffi::{c_char, c_void, CStr};
use std::ptr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

struct Cancel(*mut GesCancel);
unsafe impl Send for Cancel {}
unsafe impl Sync for Cancel {}
impl Drop for Cancel {
    fn drop(&mut self) {
        unsafe { ges_cancel_free(self.0) }
    }
}

fn list_cancellable(
    client: &CClient,
    query: &Value,
    cancel: *const GesCancel,
) -> Result<usize, CError> {
    let q = c_string(&query.to_string());
    let mut out: *mut GesBackupList = ptr::dangling_mut();
    let err = unsafe { ges_list_backups_cancellable(client.raw(), q.as_ptr(), cancel, &mut out) };
    if let Some(e) = take_error(err) {
        assert!(out.is_null(), "no partial result on error");
        return Err(e);
    }
    let len = unsafe { (*out).len };
    unsafe { ges_backup_list_free(out) };
    Ok(len)
}

/// A listing of many slow pages, cancelled while it runs: CANCELLED within
/// 100 ms of the request (asserted with slack for a loaded machine, printed
/// exactly), and no request reaches the emulator afterwards.
#[test]
fn cancelling_a_listing_stops_it_at_once_and_starts_no_request() {
    let mut config = generated(3000, 4);
    config.latency_ms = 400;
    let emu = emulator(config);
    let client = emu.client(json!({"page_size": 100, "max_concurrency": 2}));
    let cancel = Cancel(ges_cancel_new());
    let cancel_ptr = cancel.0 as usize;
    let (result, latency) = std::thread::scope(|s| {
        let canceller = s.spawn(move || {
            std::thread::sleep(Duration::from_millis(700));
            unsafe { ges_cancel_request(cancel_ptr as *const GesCancel) };
            Instant::now()
        });
        let result = list_cancellable(&client, &json!({}), cancel.0);
        let returned = Instant::now();
        let requested = canceller.join().unwrap();
        (result, returned.duration_since(requested))
    });
    let err = result.unwrap_err();
    assert_eq!(err.kind as i32, 7, "{err:?}");
    assert_eq!(err.http_status, 0);
    println!("C cancellation latency: {} ms", latency.as_millis());
    assert!(latency < Duration::from_millis(500), "{latency:?}");

    std::thread::sleep(Duration::from_millis(300));
    let after_cancel = emu.requests();
    assert!(
        after_cancel < 31,
        "the listing ran to its end: {after_cancel} requests"
    );
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        emu.requests(),
        after_cancel,
        "a request started after the cancel"
    );

    // The client is still good for the next call, and the flag stays requested.
    assert_eq!(backups_listed(&emu.config()), 3000);
    let again = list_cancellable(&client, &json!({}), cancel.0).unwrap_err();
    assert_eq!(again.kind as i32, 7);
}

#[test]
fn a_cancel_requested_before_the_call_sends_nothing_and_null_never_cancels() {
    let emu = emulator(Default::default());
    let client = emu.client(json!({}));
    let cancel = Cancel(ges_cancel_new());
    unsafe {
        ges_cancel_request(cancel.0);
        ges_cancel_request(cancel.0);
        ges_cancel_request(ptr::null());
    }
    let err = list_cancellable(&client, &json!({}), cancel.0).unwrap_err();
    assert_eq!(err.kind as i32, 7);
    assert_eq!(emu.requests(), 0);
    assert_eq!(
        list_cancellable(&client, &json!({}), ptr::null()).unwrap(),
        3
    );

    // The JSON form too.
    let q = c_string("{}");
    let mut out: *mut c_char = ptr::dangling_mut();
    let err =
        unsafe { ges_list_backups_json_cancellable(client.raw(), q.as_ptr(), cancel.0, &mut out) };
    assert_eq!(take_error(err).unwrap().kind as i32, 7);
    assert!(out.is_null());
    unsafe { ges_cancel_free(ptr::null_mut()) };
}

/// A cancel during a long backoff wait (Retry-After: 30) ends the wait.
#[test]
fn cancelling_during_a_retry_wait_ends_the_wait() {
    let emu = emulator(Default::default());
    emu.fault(
        json!({"times": 1, "action": {"type": "status", "status": 503, "retry_after": "30"}}),
    );
    let client = emu.client(json!({}));
    let cancel = Cancel(ges_cancel_new());
    let cancel_ptr = cancel.0 as usize;
    let started = Instant::now();
    let err = std::thread::scope(|s| {
        s.spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            unsafe { ges_cancel_request(cancel_ptr as *const GesCancel) };
        });
        list_cancellable(&client, &json!({}), cancel.0).unwrap_err()
    });
    assert_eq!(err.kind as i32, 7, "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(emu.requests(), 1);
}

/// A request stuck on a slow answer is abandoned when the call is cancelled,
/// and freeing the client right after does not wait for it.
#[test]
fn a_request_in_flight_is_abandoned_and_free_does_not_wait() {
    let emu = emulator(Default::default());
    emu.fault(json!({"times": 1, "action": {"type": "delay", "ms": 20000}}));
    let client = emu.client(json!({}));
    let cancel = Cancel(ges_cancel_new());
    let cancel_ptr = cancel.0 as usize;
    let err = std::thread::scope(|s| {
        s.spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            unsafe { ges_cancel_request(cancel_ptr as *const GesCancel) };
        });
        list_cancellable(&client, &json!({}), cancel.0).unwrap_err()
    });
    assert_eq!(err.kind as i32, 7);
    let freeing = Instant::now();
    drop(client);
    assert!(
        freeing.elapsed() < Duration::from_millis(200),
        "{:?}",
        freeing.elapsed()
    );
}

// ---- logging ----

type Lines = Mutex<Vec<(u32, String)>>;

unsafe extern "C" fn collect(user_data: *mut c_void, level: GesLogLevel, message: *const c_char) {
    let lines = &*(user_data as *const Lines);
    let text = CStr::from_ptr(message).to_str().expect("UTF-8").to_string();
    lines.lock().unwrap().push((level, text));
}

fn set_logger(client: &CClient, lines: &Lines, max_level: GesLogLevel) -> Option<CError> {
    take_error(unsafe {
        ges_client_set_logger(
            client.raw() as *mut GesClient,
            Some(collect),
            lines as *const Lines as *mut c_void,
            max_level,
        )
    })
}

fn levels(lines: &Lines) -> Vec<u32> {
    let mut l: Vec<u32> = lines.lock().unwrap().iter().map(|(l, _)| *l).collect();
    l.sort();
    l.dedup();
    l
}

/// One listing with a retried 503, then a failing one: each level shows what
/// the contract says, and a lower maximum shows none of the levels below it.
#[test]
fn each_level_tells_its_events_and_no_more() {
    let emu = emulator(Default::default());
    for (max, expected) in [
        (GES_LOG_LEVEL_DEBUG, vec![1, 2, 3, 4]),
        (GES_LOG_LEVEL_INFO, vec![1, 2, 3]),
        (GES_LOG_LEVEL_WARN, vec![1, 2]),
        (GES_LOG_LEVEL_ERROR, vec![1]),
    ] {
        let lines = Lines::default();
        let client = emu.client(json!({}));
        assert!(set_logger(&client, &lines, max).is_none());
        emu.fault(
            json!({"times": 1, "action": {"type": "status", "status": 503, "retry_after": "0"}}),
        );
        assert_eq!(client.list(&json!({})).unwrap().backups.len(), 3);
        let wrong = emu.client(json!({"project_id": "other-project", "max_retries": 0}));
        assert!(set_logger(&wrong, &lines, max).is_none());
        assert!(wrong.list(&json!({})).is_err());
        assert_eq!(
            levels(&lines),
            expected,
            "max {max}: {:?}",
            lines.lock().unwrap()
        );

        let text = |level: u32| -> Vec<String> {
            lines
                .lock()
                .unwrap()
                .iter()
                .filter(|(l, _)| *l == level)
                .map(|(_, t)| t.clone())
                .collect()
        };
        let errors = text(1);
        assert!(errors.iter().any(|t| t.contains("HTTP 404")), "{errors:?}");
        if max >= GES_LOG_LEVEL_WARN {
            let warns = text(2);
            assert!(
                warns
                    .iter()
                    .any(|t| t.contains("retry 1 of 3") && t.contains("HTTP 503")),
                "{warns:?}"
            );
        }
        if max >= GES_LOG_LEVEL_INFO {
            let infos = text(3);
            assert!(
                infos
                    .iter()
                    .any(|t| t.starts_with("listed 3 backups in 1 pages, 0 restarts")),
                "{infos:?}"
            );
        }
        if max >= GES_LOG_LEVEL_DEBUG {
            let debugs = text(4);
            assert!(
                debugs.iter().any(|t| t.starts_with(
                    "GET /v1.0/demo-project/graphs/backups?offset=0&limit=100 -> 503 (attempt 1,"
                )),
                "{debugs:?}"
            );
            assert!(
                debugs.iter().any(|t| t.contains("-> 200 (attempt 2,")),
                "{debugs:?}"
            );
        }
        emu.control("DELETE", "faults", None);
    }
}

/// A DEBUG line gives the status the answer had, not a fixed "200".
#[test]
fn debug_lines_give_each_answers_own_status() {
    let emu = emulator(Default::default());
    let lines = Lines::default();
    let client = emu.client(json!({}));
    assert!(set_logger(&client, &lines, GES_LOG_LEVEL_DEBUG).is_none());
    emu.fault(
        json!({"times": 1, "action": {"type": "status", "status": 203,
        "body": {"backupCount": 0, "backupList": []}}}),
    );
    assert_eq!(client.list(&json!({})).unwrap().backups.len(), 0);
    let debugs: Vec<String> = lines
        .lock()
        .unwrap()
        .iter()
        .map(|(_, t)| t.clone())
        .collect();
    assert!(
        debugs.iter().any(|t| t.starts_with(
            "GET /v1.0/demo-project/graphs/backups?offset=0&limit=100 -> 203 (attempt 1,"
        )),
        "{debugs:?}"
    );
    emu.control("DELETE", "faults", None);
}

#[test]
fn set_logger_checks_its_arguments_and_null_turns_it_off() {
    let emu = emulator(Default::default());
    let client = emu.client(json!({}));
    let lines = Lines::default();
    let err = set_logger(&client, &lines, 0).unwrap();
    assert_eq!(err.kind, GesErrorKind::InvalidArgument);
    assert!(err.message.contains("max_level"), "{}", err.message);
    assert_eq!(
        set_logger(&client, &lines, 5).unwrap().kind,
        GesErrorKind::InvalidArgument
    );
    let err = take_error(unsafe {
        ges_client_set_logger(ptr::null_mut(), Some(collect), ptr::null_mut(), 4)
    });
    assert_eq!(err.unwrap().kind, GesErrorKind::InvalidArgument);

    assert!(set_logger(&client, &lines, GES_LOG_LEVEL_DEBUG).is_none());
    client.list(&json!({})).unwrap();
    let told = lines.lock().unwrap().len();
    assert!(told >= 2);
    assert!(take_error(unsafe {
        ges_client_set_logger(client.raw() as *mut GesClient, None, ptr::null_mut(), 4)
    })
    .is_none());
    client.list(&json!({})).unwrap();
    assert_eq!(lines.lock().unwrap().len(), told);
}

/// Signed requests, a security token, a clock correction, retries, a restart
/// and a failure: no line at any level holds a secret, a signature or a token.
#[test]
fn no_secret_reaches_any_log_line() {
    let secret_key = "SK-very-secret-0123456789";
    let token = "SECURITY-TOKEN-abcdefghijkl";
    let emu = emulator(ges_emulator::EmulatorConfig {
        access_key: Some("AK-visible".into()),
        secret_key: Some(secret_key.into()),
        clock_offset_s: 3600,
        ..generated(250, 2)
    });
    let lines = Lines::default();
    let config = json!({"endpoint": emu.url(), "project_id": "demo-project", "access_key": "AK-visible",
        "secret_key": secret_key, "security_token": token, "page_size": 100});
    let client = CClient::new(&config).unwrap();
    assert!(set_logger(&client, &lines, GES_LOG_LEVEL_DEBUG).is_none());
    emu.fault(json!({"match": {"offset": 99}, "action": {"type": "status", "status": 502}}));
    emu.fault(json!({"match": {"offset": 198}, "action": {"type": "count_delta", "delta": 1}}));
    assert_eq!(client.list(&json!({})).unwrap().backups.len(), 250);
    let bad = CClient::new(
        &json!({"endpoint": emu.url(), "project_id": "demo-project", "access_key": "AK-visible",
        "secret_key": "wrong-secret-key-987654", "security_token": token, "max_retries": 0}),
    )
    .unwrap();
    assert!(set_logger(&bad, &lines, GES_LOG_LEVEL_DEBUG).is_none());
    assert!(bad.list(&json!({})).is_err());

    let lines = lines.into_inner().unwrap();
    let all = lines
        .iter()
        .map(|(l, t)| format!("{l} {t}"))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(all.contains("adopting its clock"), "{all}");
    assert!(all.contains("reading it again"), "{all}");
    for needle in [
        secret_key,
        token,
        "wrong-secret-key-987654",
        "Signature=",
        "SDK-HMAC-SHA256",
        "X-Security-Token",
        "Authorization",
    ] {
        assert!(!all.contains(needle), "{needle} in\n{all}");
    }
}
