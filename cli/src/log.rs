//! The library's log, as the CLI uses it: printed on stderr with `--verbose`,
//! counted for the progress line.

use crate::escape::escape;
use crate::progress::Counters;
use ges_backups::{LogLevel, LogSink};
use std::io::Write;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// A sink that prints each message when `verbose` and counts requests (DEBUG)
/// and warnings (WARN: retries, clock corrections, restarts) into `counters`.
pub fn sink(verbose: bool, counters: Option<Arc<Counters>>) -> LogSink {
    Arc::new(move |level: LogLevel, message: &str| {
        if let Some(counters) = &counters {
            match level {
                LogLevel::Debug => counters.requests.fetch_add(1, Ordering::Relaxed),
                LogLevel::Warn => counters.warnings.fetch_add(1, Ordering::Relaxed),
                _ => 0,
            };
        }
        if verbose {
            // Escaped: an ERROR line may quote the service.
            let line = format!("ges-backups: {} {}\n", level.as_str(), escape(message));
            let _ = std::io::stderr().lock().write_all(line.as_bytes());
        }
    })
}
