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

/// Creates a cancellation flag, not yet requested. Free it with
/// `ges_cancel_free` once no call that was given it is running. Never NULL.
#[no_mangle]
pub extern "C" fn ges_cancel_new() -> *mut GesCancel {
    Box::into_raw(Box::new(GesCancel {
        token: CancelToken::new(),
    }))
}

/// Requests cancellation of every call running, or yet to run, with `cancel`.
/// Any thread, any number of times; NULL is ignored. A call that has already
/// returned is not affected.
///
/// # Safety
/// `cancel` is NULL or from `ges_cancel_new`, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn ges_cancel_request(cancel: *const GesCancel) {
    if let Some(cancel) = cancel.as_ref() {
        super::no_panic((), || cancel.token.cancel());
    }
}

/// Frees a cancellation flag; NULL is ignored.
///
/// # Safety
/// `cancel` is NULL or from `ges_cancel_new`, freed once, after every call
/// given it has returned.
#[no_mangle]
pub unsafe extern "C" fn ges_cancel_free(cancel: *mut GesCancel) {
    if !cancel.is_null() {
        super::no_panic((), || drop(Box::from_raw(cancel)));
    }
}
