//! Exit statuses: one per kind of failure, so that scripts can tell them apart.
//! `STATUSES` describes them for `--help` and the manual page.

use ges_backups::ErrorKind;

pub const SUCCESS: u8 = 0;
pub const USAGE: u8 = 2;
pub const TRANSPORT: u8 = 3;
pub const API: u8 = 4;
pub const DECODE: u8 = 5;
pub const INCONSISTENT: u8 = 6;
/// sysexits.h's EX_SOFTWARE.
pub const INTERNAL: u8 = 70;
/// sysexits.h's EX_IOERR: stdout could not be written (not a closed pipe).
pub const OUTPUT: u8 = 74;
/// 128 + SIGINT, as shells report a process ended by Ctrl-C.
pub const INTERRUPTED: u8 = 130;

/// Every status the program exits with, and what it means.
pub const STATUSES: [(u8, &str); 9] = [
    (
        SUCCESS,
        "success; also when the reader of stdout closes it early (`ges-backups list | head -1`)",
    ),
    (
        USAGE,
        "bad usage, or an invalid argument or config (INVALID_ARGUMENT)",
    ),
    (
        TRANSPORT,
        "the service could not be reached or did not answer in time (TRANSPORT; also --deadline-ms)",
    ),
    (API, "the service answered with an error (API)"),
    (DECODE, "the service's answer could not be decoded (DECODE)"),
    (
        INCONSISTENT,
        "the backups changed while they were paged through, too often (INCONSISTENT)",
    ),
    (INTERNAL, "an internal error of ges-backups (INTERNAL)"),
    (OUTPUT, "stdout could not be written (e.g. a full disk)"),
    (INTERRUPTED, "interrupted (Ctrl-C): the listing is cancelled"),
];

/// The statuses as `--help` prints them, after the flags.
pub fn help() -> String {
    let mut text = String::from("Exit status:");
    for (status, meaning) in STATUSES {
        text += &format!("\n  {status:<4} {meaning}");
    }
    text
}

pub fn for_kind(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::InvalidArgument => USAGE,
        ErrorKind::Transport => TRANSPORT,
        ErrorKind::Api => API,
        ErrorKind::Decode => DECODE,
        ErrorKind::Inconsistent => INCONSISTENT,
        // Only Ctrl-C cancels a listing.
        ErrorKind::Cancelled => INTERRUPTED,
        // A kind added later is a failure we cannot name: internal.
        _ => INTERNAL,
    }
}
