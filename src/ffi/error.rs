//! `GesError`: an owned, opaque error object and its accessors.

use super::{c_string, no_panic};
use crate::error::{Error, ErrorKind};
use std::ffi::{c_char, CString};

/// What kind of failure a `GesError` reports.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GesErrorKind {
    /// The caller's input: NULL where a value is needed, bad UTF-8, bad JSON,
    /// unknown key, value out of range, missing credentials.
    InvalidArgument = 1,
    /// No HTTP answer: DNS, connect, TLS, reset, timeout, deadline.
    Transport = 2,
    /// The service answered with a non-2xx status.
    Api = 3,
    /// A 2xx answer that is not a valid response (bad JSON, wrong types, too large).
    Decode = 4,
    /// The backup list kept changing while it was paged through.
    Inconsistent = 5,
    /// A bug: a caught panic; never expected.
    Internal = 6,
    /// The caller cancelled the call with `ges_cancel_request` (contract 1.1).
    Cancelled = 7,
}

impl From<ErrorKind> for GesErrorKind {
    fn from(kind: ErrorKind) -> Self {
        match kind {
            ErrorKind::InvalidArgument => GesErrorKind::InvalidArgument,
            ErrorKind::Transport => GesErrorKind::Transport,
            ErrorKind::Api => GesErrorKind::Api,
            ErrorKind::Decode => GesErrorKind::Decode,
            ErrorKind::Inconsistent => GesErrorKind::Inconsistent,
            ErrorKind::Internal => GesErrorKind::Internal,
            ErrorKind::Cancelled => GesErrorKind::Cancelled,
        }
    }
}

/// An error returned by a failing function; the caller owns it and frees it with
/// `ges_error_free`. Strings read from it live until then.
pub struct GesError {
    kind: GesErrorKind,
    message: CString,
    http_status: u16,
    code: Option<CString>,
    request_id: Option<CString>,
}

impl GesError {
    pub(crate) fn into_raw(error: Error) -> *mut GesError {
        Box::into_raw(Box::new(GesError {
            kind: error.kind.into(),
            message: c_string(&error.message),
            http_status: error.http_status,
            code: error.code.as_deref().map(c_string),
            request_id: error.request_id.as_deref().map(c_string),
        }))
    }
}

const NULL_ERROR_MESSAGE: &std::ffi::CStr = c"(NULL GesError)";

/// # Safety
/// `err` is NULL or a live error from this library.
unsafe fn error_ref<'a>(err: *const GesError) -> Option<&'a GesError> {
    err.as_ref()
}

/// The kind of failure. A kind this header does not name may come from a
/// newer library: treat it as a failure.
///
/// Parameters:
/// - `err`: an error from this library not yet freed; NULL gives
///   GES_ERROR_KIND_INVALID_ARGUMENT.
#[no_mangle]
pub unsafe extern "C" fn ges_error_kind(err: *const GesError) -> GesErrorKind {
    no_panic(GesErrorKind::Internal, || {
        error_ref(err).map_or(GesErrorKind::InvalidArgument, |e| e.kind)
    })
}

/// A human-readable message, in English, UTF-8. It never holds a secret;
/// network errors name the host and port.
///
/// Parameters:
/// - `err`: an error from this library not yet freed, or NULL.
///
/// Returns: never NULL; the string lives until `ges_error_free(err)`.
#[no_mangle]
pub unsafe extern "C" fn ges_error_message(err: *const GesError) -> *const c_char {
    no_panic(NULL_ERROR_MESSAGE.as_ptr(), || {
        error_ref(err).map_or(NULL_ERROR_MESSAGE.as_ptr(), |e| e.message.as_ptr())
    })
}

/// The HTTP status of the failing answer; 0 when there was none (and for NULL).
///
/// Parameters:
/// - `err`: an error from this library not yet freed, or NULL.
#[no_mangle]
pub unsafe extern "C" fn ges_error_http_status(err: *const GesError) -> u16 {
    no_panic(0, || error_ref(err).map_or(0, |e| e.http_status))
}

/// The service's error code, e.g. "GES.7006" or "APIGW.0301".
///
/// Parameters:
/// - `err`: an error from this library not yet freed, or NULL.
///
/// Returns: NULL when the service gave none; else a string that lives until
/// `ges_error_free(err)`.
#[no_mangle]
pub unsafe extern "C" fn ges_error_code(err: *const GesError) -> *const c_char {
    no_panic(std::ptr::null(), || {
        error_ref(err)
            .and_then(|e| e.code.as_ref())
            .map_or(std::ptr::null(), |c| c.as_ptr())
    })
}

/// The `X-Request-Id` of the failing answer: quote it to Huawei Cloud support.
///
/// Parameters:
/// - `err`: an error from this library not yet freed, or NULL.
///
/// Returns: NULL when there was none; else a string that lives until
/// `ges_error_free(err)`.
#[no_mangle]
pub unsafe extern "C" fn ges_error_request_id(err: *const GesError) -> *const c_char {
    no_panic(std::ptr::null(), || {
        error_ref(err)
            .and_then(|e| e.request_id.as_ref())
            .map_or(std::ptr::null(), |c| c.as_ptr())
    })
}

/// Frees an error and the strings read from it. NULL is ignored.
///
/// Parameters:
/// - `err`: NULL, or an error from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn ges_error_free(err: *mut GesError) {
    if !err.is_null() {
        // `err` came from `GesError::into_raw` and is freed once, by contract.
        no_panic((), || drop(Box::from_raw(err)));
    }
}
