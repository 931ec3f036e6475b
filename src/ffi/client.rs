//! `GesClient`: creation, freeing, and the library's static facts.

use super::{fill_out, json_arg, GesError, GES_ABI_VERSION};
use crate::client::Client;
use crate::schema::schema_json;
use std::ffi::c_char;
use std::sync::LazyLock;

/// A configured client, opaque to C. Thread-safe: one client may serve many
/// threads at once.
pub struct GesClient {
    pub(crate) inner: Client,
}

const VERSION_NUL: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

/// The schema of this ABI, NUL-terminated for C.
static SCHEMA_JSON_NUL: LazyLock<String> =
    LazyLock::new(|| format!("{}\0", schema_json(GES_ABI_VERSION)));

/// The library's version, e.g. "0.2.0": the same as `GES_VERSION_STRING` of the
/// header it was built with. Compare the two to detect a header/library
/// mismatch at run time.
///
/// Returns: a static, NUL-terminated string; never NULL, never freed.
/// Thread safety: any thread.
#[no_mangle]
pub extern "C" fn ges_version() -> *const c_char {
    VERSION_NUL.as_ptr().cast()
}

/// The C ABI version of the library: a program compiled with
/// `GES_ABI_VERSION` N runs with any library whose `ges_abi_version()` is N.
///
/// Thread safety: any thread.
#[no_mangle]
pub extern "C" fn ges_abi_version() -> u32 {
    GES_ABI_VERSION
}

/// A JSON document describing every config key, query argument and result
/// attribute: name, type, description, environment variable. Bindings and
/// tools generate or check their own declarations from it.
///
/// Returns: a static, NUL-terminated UTF-8 string; never NULL, never freed.
/// Thread safety: any thread.
#[no_mangle]
pub extern "C" fn ges_backups_schema_json() -> *const c_char {
    SCHEMA_JSON_NUL.as_ptr().cast()
}

/// Creates a client. The config is read and checked here, and the credential
/// chain picks its source; no request is sent to GES or IAM until a list call
/// (the project is looked up, and temporary credentials from IAM, STS or pod
/// identity are fetched, at the first call). Only the ECS metadata service,
/// the chain's last source, is asked here.
///
/// Parameters:
/// - `config_json`: a NUL-terminated UTF-8 JSON object of config keys
///   (docs/configuration.md), or NULL for `{}`. Absent keys fall back to their
///   environment variables, then to defaults. Read during the call only.
/// - `out`: where the new client is written. Must not be NULL.
///
/// Returns: NULL on success, with the client in `*out`. Otherwise an
/// INVALID_ARGUMENT error (bad input, naming the key; a credentials file that
/// is missing or no regular file, naming it; no credentials, naming every
/// source tried; plain http to a remote host without `insecure`) or, for a
/// bug, INTERNAL; and NULL in `*out`. Errors of the network (TRANSPORT, API)
/// come from the first list call.
///
/// Ownership: the caller owns the client and frees it with `ges_client_free`;
/// the caller owns a returned error and frees it with `ges_error_free`.
/// Thread safety: any thread.
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

/// Frees a client and closes its connections. NULL is ignored.
///
/// Parameters:
/// - `client`: NULL, or a client from `ges_client_new` not yet freed. No call
///   on it may be running, or start later. Work abandoned by a cancelled call
///   does not hold this up: it ends on its own, and its log callback is not
///   called once this returns (a callback running at that moment is waited
///   for), so the logger's `user_data` may be freed right after.
///
/// Lists, JSON strings and errors obtained from the client stay valid: they
/// outlive it.
#[no_mangle]
pub unsafe extern "C" fn ges_client_free(client: *mut GesClient) {
    if !client.is_null() {
        super::no_panic((), || drop(Box::from_raw(client)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The C ABI promises one client serves many threads; the compiler checks it.
    #[test]
    fn a_client_is_send_and_sync() {
        fn shareable<T: Send + Sync>() {}
        shareable::<GesClient>();
    }

    /// `docs/schema.json` is exactly what `ges_backups_schema_json` returns.
    #[test]
    fn committed_schema_is_what_c_gets() {
        const COMMITTED: &str = "docs/schema.json";
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(COMMITTED);
        let returned = SCHEMA_JSON_NUL.trim_end_matches('\0');
        if std::env::var_os("GES_BLESS_SCHEMA").is_some() {
            std::fs::write(&path, returned).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == returned,
            "{COMMITTED} differs from the schema the tables give: \
             run `GES_BLESS_SCHEMA=1 cargo test --lib schema` and commit it"
        );
    }
}
