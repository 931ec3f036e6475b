//! The C entry points fed arbitrary bytes: the input is split at NUL bytes into
//! a config and a query, as C would pass them (any bytes but NUL, not always
//! UTF-8), and the first byte picks which pointers are NULL. Every call must
//! return NULL or an error of a documented kind, write `*out` only on success,
//! and every accessor must work on every error. Listing uses a client whose
//! endpoint refuses connections at once, so no input reaches the network.
#![no_main]

use ges_backups::ffi::*;
use libfuzzer_sys::fuzz_target;
use std::ffi::{c_char, CStr, CString};
use std::ptr;
use std::sync::OnceLock;

struct Shared(*mut GesClient);
// A GesClient may be shared across threads (the C ABI's promise).
unsafe impl Send for Shared {}
unsafe impl Sync for Shared {}

fn refused_client() -> *const GesClient {
    static CLIENT: OnceLock<Shared> = OnceLock::new();
    CLIENT
        .get_or_init(|| {
            // Port 1 on loopback: nothing listens, the connect fails at once.
            let config = c"{\"endpoint\": \"http://127.0.0.1:1\", \"project_id\": \"p\", \"auth_token\": \"t\", \"max_retries\": 0}";
            let mut client = ptr::null_mut();
            let err = unsafe { ges_client_new(config.as_ptr(), &mut client) };
            assert!(err.is_null());
            Shared(client)
        })
        .0
}

/// Reads every accessor of an error, checks what the ABI promises, frees it.
fn check_error(err: *mut GesError) {
    unsafe {
        let kind = ges_error_kind(err) as u32;
        assert!((1..=5).contains(&kind), "kind {kind}: INTERNAL means a bug");
        let message = ges_error_message(err);
        assert!(!message.is_null());
        let message = CStr::from_ptr(message).to_bytes();
        assert!(!message.is_empty() && std::str::from_utf8(message).is_ok());
        for s in [ges_error_code(err), ges_error_request_id(err)] {
            if !s.is_null() {
                assert!(std::str::from_utf8(CStr::from_ptr(s).to_bytes()).is_ok());
            }
        }
        let _ = ges_error_http_status(err);
        ges_error_free(err);
    }
}

/// Runs one call that fills `*out`: success XOR error, and `*out` NULL on error.
fn call<T>(null_out: bool, f: impl FnOnce(*mut *mut T) -> *mut GesError) -> *mut T {
    // A dangling non-NULL start value: the library must overwrite it.
    let mut out: *mut T = ptr::dangling_mut();
    let err = f(if null_out { ptr::null_mut() } else { &mut out });
    if err.is_null() {
        assert!(!null_out && !out.is_null());
        out
    } else {
        if !null_out {
            assert!(out.is_null(), "no partial result on error");
        }
        check_error(err);
        ptr::null_mut()
    }
}

fn as_ptr(arg: &Option<CString>) -> *const c_char {
    arg.as_ref().map_or(ptr::null(), |s| s.as_ptr())
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let mut parts = rest.split(|&b| b == 0);
    let mut next = |null: bool| {
        let part = parts.next().unwrap_or_default();
        (!null).then(|| CString::new(part).expect("split at NUL"))
    };
    let config = next(flags & 1 != 0);
    let query = next(flags & 2 != 0);
    let null_out = flags & 4 != 0;

    let client = call(null_out, |out| unsafe {
        ges_client_new(as_ptr(&config), out)
    });
    unsafe { ges_client_free(client) };

    // A NULL client must be an error, never a crash.
    let target = if flags & 8 != 0 {
        ptr::null()
    } else {
        refused_client()
    };
    let list = call(null_out, |out| unsafe {
        ges_list_backups(target, as_ptr(&query), out)
    });
    unsafe { ges_backup_list_free(list) };
    let json = call(null_out, |out| unsafe {
        ges_list_backups_json(target, as_ptr(&query), out)
    });
    unsafe { ges_string_free(json) };
});
