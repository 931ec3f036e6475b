//! What a call does, told to a caller-supplied sink: DEBUG each request, INFO
//! each listing's summary, WARN each retry, clock correction and restart, ERROR
//! the error a call returns. Messages are built from our own words, paths and
//! numbers, never from credentials, signatures or tokens.

use std::sync::Arc;

/// How much to tell; each level includes those above it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum LogLevel {
    Error = 1,
    Warn = 2,
    Info = 3,
    Debug = 4,
}

impl LogLevel {
    pub fn from_number(n: u32) -> Option<LogLevel> {
        Some(match n {
            1 => LogLevel::Error,
            2 => LogLevel::Warn,
            3 => LogLevel::Info,
            4 => LogLevel::Debug,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Error => "ERROR",
            LogLevel::Warn => "WARN",
            LogLevel::Info => "INFO",
            LogLevel::Debug => "DEBUG",
        }
    }
}

/// Receives each message; may be called from any thread, concurrently.
pub type LogSink = Arc<dyn Fn(LogLevel, &str) + Send + Sync>;

/// A client's sink and level; the default tells nothing.
#[derive(Clone, Default)]
pub(crate) struct Logger {
    sink: Option<(LogSink, LogLevel)>,
}

impl Logger {
    pub(crate) fn new(sink: Option<LogSink>, max_level: LogLevel) -> Logger {
        Logger {
            sink: sink.map(|s| (s, max_level)),
        }
    }

    pub(crate) fn enabled(&self, level: LogLevel) -> bool {
        self.sink.as_ref().is_some_and(|(_, max)| level <= *max)
    }

    /// Builds the message only when someone listens at `level`.
    pub(crate) fn log(&self, level: LogLevel, message: impl FnOnce() -> String) {
        if let Some((sink, max)) = &self.sink {
            if level <= *max {
                sink(level, &message());
            }
        }
    }
}
