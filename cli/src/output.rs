//! Writing to stdout and stderr without ever panicking: `print!` panics when
//! the reader has gone (`ges-backups list | head -1`), and Rust ignores SIGPIPE.

use crate::escape::escape;
use crate::exit;
use std::io::{self, Write};

/// Writes the whole result to stdout; returns the exit status. A closed pipe
/// ends quietly with success: the reader took what it wanted, as with `head`.
/// Any other write error (a full disk) is reported and exits with `exit::OUTPUT`.
pub fn write_stdout(bytes: &[u8]) -> u8 {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => exit::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => exit::SUCCESS,
        Err(e) => {
            error(&format!("cannot write the output: {e}"));
            exit::OUTPUT
        }
    }
}

/// `ges-backups: MESSAGE` on stderr, control characters escaped (messages may
/// quote the service). A stderr that cannot be written is ignored.
pub fn error(message: &str) {
    let _ = writeln!(io::stderr().lock(), "ges-backups: {}", escape(message));
}
