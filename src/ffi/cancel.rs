//! `GesCancel`: a flag that cancels the calls it is given to.

use crate::cancel::CancelToken;

/// A cancellation flag, opaque to C. Thread-safe: `ges_cancel_request` may be
/// called from any thread while calls use the flag. Once requested, it stays
/// requested: use a new flag for each call you may want to cancel.
pub struct GesCancel {
    token: CancelToken,
}

impl GesCancel {
    pub(crate) fn token(&self) -> &CancelToken {
        &self.token
    }
}

/// Creates a cancellation flag, not yet requested.
///
/// Returns: the flag; never NULL.
/// Ownership: the caller frees it with `ges_cancel_free`, once no call that was
/// given it is running.
/// Thread safety: any thread.
#[no_mangle]
pub extern "C" fn ges_cancel_new() -> *mut GesCancel {
    Box::into_raw(Box::new(GesCancel {
        token: CancelToken::new(),
    }))
}

/// Requests cancellation of every call running, or yet to run, with `cancel`:
/// each returns a GES_ERROR_KIND_CANCELLED error within 100 ms. A call that
/// has already returned is not affected. The request cannot be undone.
///
/// Parameters:
/// - `cancel`: NULL (ignored), or a flag from `ges_cancel_new` not yet freed.
///
/// Thread safety: any thread, at any time, any number of times; this is the
/// function to call from a signal-handling thread or a timer.
#[no_mangle]
pub unsafe extern "C" fn ges_cancel_request(cancel: *const GesCancel) {
    if let Some(cancel) = cancel.as_ref() {
        super::no_panic((), || cancel.token.cancel());
    }
}

/// Frees a cancellation flag. NULL is ignored.
///
/// Parameters:
/// - `cancel`: NULL, or a flag from `ges_cancel_new` not yet freed, that no
///   running call was given.
#[no_mangle]
pub unsafe extern "C" fn ges_cancel_free(cancel: *mut GesCancel) {
    if !cancel.is_null() {
        super::no_panic((), || drop(Box::from_raw(cancel)));
    }
}
