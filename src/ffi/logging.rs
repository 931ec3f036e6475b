//! `ges_client_set_logger`: the library's log lines handed to a C callback.

use super::{c_string, GesClient, GesError};
use crate::error::Error;
use crate::log::{LogLevel, LogSink};
use std::ffi::{c_char, c_void};
use std::sync::Arc;

/// A log level: GES_LOG_LEVEL_ERROR (1), GES_LOG_LEVEL_WARN (2),
/// GES_LOG_LEVEL_INFO (3), GES_LOG_LEVEL_DEBUG (4); each includes those before
/// it. An integer type rather than an enum, so that a value from a newer header
/// can never be an invalid enum value here; new levels may be added in ABI 1.
pub type GesLogLevel = u32;
/// The error a call returns.
pub const GES_LOG_LEVEL_ERROR: GesLogLevel = 1;
/// Each retry (why, how long it waits), clock-skew correction, listing restart.
pub const GES_LOG_LEVEL_WARN: GesLogLevel = 2;
/// Each listing's summary: backups, pages, restarts, milliseconds.
pub const GES_LOG_LEVEL_INFO: GesLogLevel = 3;
/// Each request: method, path and query, status, attempt, milliseconds.
pub const GES_LOG_LEVEL_DEBUG: GesLogLevel = 4;

/// Receives one log line. `message` is UTF-8 and lives for the duration of the
/// callback only: copy it to keep it. Called from any thread, concurrently.
pub type GesLogCallback = Option<
    unsafe extern "C" fn(user_data: *mut c_void, level: GesLogLevel, message: *const c_char),
>;

/// The caller's callback and pointer. The caller promises, by passing them to
/// `ges_client_set_logger`, that both may be used from any thread.
struct CCallback {
    callback: unsafe extern "C" fn(*mut c_void, GesLogLevel, *const c_char),
    user_data: *mut c_void,
}

// SAFETY: the documented contract of ges_client_set_logger: the callback and
// user_data are usable from any thread, concurrently.
unsafe impl Send for CCallback {}
// SAFETY: as above.
unsafe impl Sync for CCallback {}

impl CCallback {
    fn call(&self, level: LogLevel, message: &str) {
        let message = c_string(message);
        // SAFETY: the caller's callback with its own user_data and a string that
        // lives for the call.
        unsafe { (self.callback)(self.user_data, level as GesLogLevel, message.as_ptr()) }
    }
}

/// Sends the client's log lines, up to `max_level`, to `callback`.
///
/// DEBUG: each request (method, path and query, status, attempt, milliseconds).
/// INFO: each listing's summary. WARN: each retry (why, how long it waits),
/// clock-skew correction and listing restart, and, once when set, what the
/// config warns of (`insecure`, a credentials file others can read). ERROR:
/// the error a call returns. No message ever holds a secret, a signature or
/// a token, of any source: every line is scrubbed of them, the words of a
/// service that echoes a request included.
///
/// Parameters:
/// - `client`: a client from `ges_client_new`. Must not be NULL.
/// - `callback`: called with `user_data`, the level and a NUL-terminated UTF-8
///   message that lives for the callback only. It may be called from any
///   thread, concurrently, until this function replaces it or
///   `ges_client_free` returns, even while a cancelled call's work winds
///   down; both wait for a callback running at that moment, so it must not
///   itself replace the logger or free the client. It may call the library,
///   this client's list functions included: no lock of the client is held
///   while it runs. NULL turns logging off.
/// - `user_data`: passed to `callback` unchanged; the library never reads it.
/// - `max_level`: GES_LOG_LEVEL_ERROR to GES_LOG_LEVEL_DEBUG.
///
/// Returns: NULL on success; an INVALID_ARGUMENT error for a NULL client or an
/// unknown level, and then the previous logger stays.
/// Thread safety: not with other calls on the same client: set the logger
/// before the client is shared with other threads.
#[no_mangle]
pub unsafe extern "C" fn ges_client_set_logger(
    client: *mut GesClient,
    callback: GesLogCallback,
    user_data: *mut c_void,
    max_level: GesLogLevel,
) -> *mut GesError {
    let result = super::no_panic(Err(Error::internal("internal error (a bug)")), || {
        let client = client
            .as_mut()
            .ok_or_else(|| Error::invalid("client must not be NULL"))?;
        let level = LogLevel::from_number(max_level).ok_or_else(|| {
            Error::invalid("max_level must be a GesLogLevel from 1 (ERROR) to 4 (DEBUG)")
        })?;
        let sink = callback.map(|callback| {
            let c = CCallback {
                callback,
                user_data,
            };
            Arc::new(move |level: LogLevel, message: &str| c.call(level, message)) as LogSink
        });
        client.inner.set_logger(sink, level);
        Ok(())
    });
    match result {
        Ok(()) => std::ptr::null_mut(),
        Err(e) => GesError::into_raw(e),
    }
}
