//! Every bad input of the C ABI (docs/abi.md) is an INVALID_ARGUMENT error, never a crash, and
//! nothing is written to `*out` but NULL.

use crate::common::*;
use ges_backups::ffi::*;
use serde_json::json;
use std::ffi::{c_char, CStr};
use std::ptr;

const GOOD: &str = r#"{"endpoint":"http://127.0.0.1:9","project_id":"p","auth_token":"t"}"#;

fn invalid(err: Option<CError>, mentions: &str) {
    let err = err.expect("an error");
    assert_eq!(err.kind, GesErrorKind::InvalidArgument, "{}", err.message);
    assert!(
        err.message.contains(mentions),
        "{:?} should mention {mentions:?}",
        err.message
    );
    assert_eq!(err.http_status, 0);
}

#[test]
fn null_out_and_null_client() {
    let config = c_string(GOOD);
    invalid(
        take_error(unsafe { ges_client_new(config.as_ptr(), ptr::null_mut()) }),
        "out",
    );
    invalid(list_raw(ptr::null(), c"{}").err(), "client");
    let client = CClient::new(&serde_json::from_str(GOOD).unwrap()).unwrap();
    invalid(
        take_error(unsafe { ges_list_backups(client.raw(), ptr::null(), ptr::null_mut()) }),
        "out",
    );
    invalid(
        take_error(unsafe { ges_list_backups_json(client.raw(), ptr::null(), ptr::null_mut()) }),
        "out",
    );
    let mut out: *mut c_char = ptr::dangling_mut();
    invalid(
        take_error(unsafe { ges_list_backups_json(ptr::null(), ptr::null(), &mut out) }),
        "client",
    );
    assert!(out.is_null());
}

#[test]
fn null_config_means_empty_object() {
    let mut out: *mut GesClient = ptr::dangling_mut();
    // `{}` alone lacks endpoint/region in this test's environment (none of GES_ENDPOINT etc. is set).
    let err = take_error(unsafe { ges_client_new(ptr::null(), &mut out) });
    assert!(out.is_null());
    if std::env::var("GES_ENDPOINT").is_err() && std::env::var("HW_REGION_NAME").is_err() {
        invalid(err, "endpoint");
    }
}

#[test]
fn bad_utf8_and_bad_json() {
    let mut out: *mut GesClient = ptr::dangling_mut();
    let bad_utf8 = c"{\"project_id\":\"\xff\xfe\"}";
    invalid(
        take_error(unsafe { ges_client_new(bad_utf8.as_ptr(), &mut out) }),
        "UTF-8",
    );
    assert!(out.is_null());
    invalid(CClient::new_raw("{\"endpoint\": ").err(), "JSON");
    invalid(CClient::new_raw("[]").err(), "object");
    let client = CClient::new(&serde_json::from_str(GOOD).unwrap()).unwrap();
    invalid(list_raw(client.raw(), bad_utf8).err(), "UTF-8");
    invalid(list_raw(client.raw(), c"{\"limit\": 5").err(), "JSON");
    invalid(list_raw(client.raw(), c"\"limit\"").err(), "object");
}

#[test]
fn unknown_keys_and_out_of_range_values_are_named() {
    let good: serde_json::Value = serde_json::from_str(GOOD).unwrap();
    let config_cases = [
        (json!({"endpont": "http://x"}), "endpont"),
        (json!({"page_size": 0}), "page_size"),
        (json!({"max_concurrency": 65}), "max_concurrency"),
        (json!({"timeout_ms": "30"}), "timeout_ms"),
        (json!({"endpoint": "ftp://127.0.0.1"}), "endpoint"),
        (json!({"endpoint": "127.0.0.1:8089"}), "endpoint"),
        (json!({"api_version": "v3"}), "api_version"),
        (json!({"ca_file": "/no/such/file.pem"}), "ca_file"),
    ];
    for (extra, key) in config_cases {
        let mut config = good.clone();
        for (k, v) in extra.as_object().unwrap() {
            config[k] = v.clone();
        }
        invalid(CClient::new(&config).err(), key);
    }
    let client = CClient::new(&good).unwrap();
    for (query, key) in [
        (json!({"limit": 0}), "limit"),
        (json!({"limit": -3}), "limit"),
        (json!({"limit": 1001}), "limit"),
        (json!({"offset": -1}), "offset"),
        (json!({"grpah_id": "g"}), "grpah_id"),
        (json!({"most_recent": 1}), "most_recent"),
        (json!({"deadline_ms": 0}), "deadline_ms"),
    ] {
        invalid(client.list(&query).err(), key);
    }
}

#[test]
fn missing_credentials_and_project() {
    invalid(
        // Nothing found anywhere; the metadata service is off, never the real one in a test.
        CClient::new(
            &json!({"endpoint": "http://127.0.0.1:9", "project_id": "p", "metadata_endpoint": ""}),
        )
        .err(),
        "credentials",
    );
    invalid(
        CClient::new(&json!({"endpoint": "http://127.0.0.1:9", "auth_token": "t"})).err(),
        "project_id",
    );
    invalid(
        CClient::new(&json!({"endpoint": "http://x", "project_id": "p", "access_key": "a"})).err(),
        "secret_key",
    );
}

#[test]
fn null_tolerant_accessors_and_frees() {
    unsafe {
        assert_eq!(ges_error_kind(ptr::null()), GesErrorKind::InvalidArgument);
        assert!(!ges_error_message(ptr::null()).is_null());
        assert_eq!(ges_error_http_status(ptr::null()), 0);
        assert!(ges_error_code(ptr::null()).is_null());
        assert!(ges_error_request_id(ptr::null()).is_null());
        ges_error_free(ptr::null_mut());
        ges_client_free(ptr::null_mut());
        ges_backup_list_free(ptr::null_mut());
        ges_string_free(ptr::null_mut());
    }
}

#[test]
fn static_facts() {
    let version = unsafe { CStr::from_ptr(ges_version()) }.to_str().unwrap();
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
    assert_eq!(ges_abi_version(), GES_ABI_VERSION);
    let schema: serde_json::Value = serde_json::from_str(
        unsafe { CStr::from_ptr(ges_backups_schema_json()) }
            .to_str()
            .unwrap(),
    )
    .unwrap();
    // Every key the config reader accepts is described, in its order.
    let described: Vec<&str> = schema["config"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["name"].as_str().unwrap())
        .collect();
    let accepted: Vec<&str> = ges_backups::config::key_names().collect();
    assert_eq!(described, accepted);
}

#[test]
fn an_unreachable_endpoint_is_a_transport_error() {
    let client = CClient::new(
        &json!({"endpoint": "http://127.0.0.1:9", "project_id": "p", "auth_token": "t",
        "max_retries": 0, "connect_timeout_ms": 500}),
    )
    .unwrap();
    let err = client.list(&json!({})).unwrap_err();
    assert_eq!((err.kind, err.http_status), (GesErrorKind::Transport, 0));
}
