//! The library's integration tests in one binary: the C ABI, called as C calls
//! it, against the emulator on loopback (`common` holds the safe wrappers and
//! the emulator handle), plus the official SDK's signing vectors and the
//! fuzzers' findings.

#[path = "../common/mod.rs"]
mod common;

mod auth;
mod bounds;
mod cancel_log;
mod credentials;
mod enterprise;
mod fault_matrix;
mod faults;
mod fuzz_findings;
mod inputs;
mod listing;
mod secrets;
mod signing_vectors;
mod tls_clock;
mod trust;

/// Does nothing but in a child process of `common::in_child`.
#[test]
fn child_process() {
    common::child_main();
}
