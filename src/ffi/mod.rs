//! The C ABI (docs/abi.md): a thin layer over `Client`. Every exported function checks
//! its pointers, catches panics, writes `*out` only on success (NULL otherwise),
//! and hands out memory with exactly one matching `*_free`.
//!
//! Thread safety: a `GesClient` may be used from many threads at once by the
//! functions that take `const GesClient *`; freeing it must wait until they return.
//! Lists, strings and errors belong to the caller and are not shared by the library.

// The exported functions state their pointer rules in C's words, under
// "Parameters", because their doc comments become the C header's reference;
// a Rust `# Safety` heading would read as noise there.
#![allow(clippy::missing_safety_doc)]

// Declared in the order a program meets them, one per group so that rustfmt
// keeps that order: cbindgen writes the header's functions in this order.
// Facts, then the client's life.
mod client;

// Optional, before the client is shared.
mod logging;

// Listing, and freeing what it returns.
mod backup_list;

// Cancelling a listing.
mod cancel;

// What went wrong.
mod error;

pub use backup_list::*;
pub use cancel::*;
pub use client::*;
pub use error::*;
pub use logging::*;

use crate::error::Error;
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The version of this C ABI; bumped on any incompatible change.
pub const GES_ABI_VERSION: u32 = 1;

/// Runs `body` for an exported function that fills `*out`: NULL `out` is an
/// INVALID_ARGUMENT error, `*out` is NULL unless `body` succeeds, and a panic
/// becomes an INTERNAL error instead of crossing into C.
fn fill_out<T>(out: *mut *mut T, body: impl FnOnce() -> Result<*mut T, Error>) -> *mut GesError {
    if out.is_null() {
        return GesError::into_raw(Error::invalid("out must not be NULL"));
    }
    // SAFETY: `out` is non-null and, by the function's contract, points to writable storage.
    unsafe { out.write(std::ptr::null_mut()) };
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(value)) => {
            // SAFETY: as above.
            unsafe { out.write(value) };
            std::ptr::null_mut()
        }
        Ok(Err(error)) => GesError::into_raw(error),
        Err(panic) => GesError::into_raw(Error::internal(format!(
            "internal error (a bug): {}",
            panic_message(&panic)
        ))),
    }
}

/// Runs a function that cannot fail, with `fallback` if it panics.
fn no_panic<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_string())
}

/// A JSON argument from C: NULL means `{}`; anything else must be UTF-8.
///
/// # Safety
/// `ptr` is NULL or a NUL-terminated string that outlives the call.
unsafe fn json_arg<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, Error> {
    if ptr.is_null() {
        return Ok("{}");
    }
    CStr::from_ptr(ptr)
        .to_str()
        .map_err(|e| Error::invalid(format!("{name} is not valid UTF-8: {e}")))
}

/// A C string of `s`; a NUL inside (never expected) becomes U+FFFD.
fn c_string(s: &str) -> CString {
    CString::new(s)
        .unwrap_or_else(|_| CString::new(s.replace('\0', "\u{FFFD}")).expect("NULs replaced"))
}
