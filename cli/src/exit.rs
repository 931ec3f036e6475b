//! Exit statuses: one per kind of failure, so that scripts can tell them apart
//! (listed for users in `args::EXIT_STATUSES`).

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
