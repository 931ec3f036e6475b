//! `GesClient`: creation, freeing, and the library's static facts.

use super::{fill_out, json_arg, GesError, GES_ABI_VERSION};
use crate::client::Client;
use crate::schema::SCHEMA_JSON_NUL;
use std::ffi::c_char;

/// A configured client, opaque to C. Thread-safe: one client may serve many
/// threads at once.
pub struct GesClient {
    pub(crate) inner: Client,
}

const VERSION_NUL: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

/// The library version, e.g. "0.1.0". Static: never free it.
#[no_mangle]
pub extern "C" fn ges_version() -> *const c_char {
    VERSION_NUL.as_ptr().cast()
}

/// The C ABI version; equals `GES_ABI_VERSION` of the header the caller was built with.
#[no_mangle]
pub extern "C" fn ges_abi_version() -> u32 {
    GES_ABI_VERSION
}

/// Static JSON describing every config key, query argument and result attribute
/// (name, type, description). Never free it.
#[no_mangle]
pub extern "C" fn ges_backups_schema_json() -> *const c_char {
    SCHEMA_JSON_NUL.as_ptr().cast()
}

/// Creates a client from the config JSON (NULL means `{}`); absent keys fall back to
/// their environment variables, then to defaults. On success writes the client to
/// `*out` and returns NULL; the caller frees it with `ges_client_free`. On failure
/// writes NULL to `*out` (when `out` is not NULL) and returns an error to free with
/// `ges_error_free`.
///
/// # Safety
/// `config_json` is NULL or a NUL-terminated string; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn ges_client_new(
    config_json: *const c_char,
    out: *mut *mut GesClient,
) -> *mut GesError {
    fill_out(out, || {
        let json = json_arg(config_json, "config_json")?;
        let inner = Client::from_json(json)?;
        Ok(Box::into_raw(Box::new(GesClient { inner })))
    })
}

/// Frees a client; NULL is ignored. No call on it may be running or follow.
///
/// # Safety
/// `client` is NULL or a client from `ges_client_new`, freed once.
#[no_mangle]
pub unsafe extern "C" fn ges_client_free(client: *mut GesClient) {
    if !client.is_null() {
        super::no_panic((), || drop(Box::from_raw(client)));
    }
}
