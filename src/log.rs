//! What a call does, told to a caller-supplied sink: DEBUG each request, INFO
//! each listing's summary, WARN each retry, clock correction and restart, ERROR
//! the error a call returns. Messages are built from our own words, paths and
//! numbers, and every line is scrubbed of the client's secrets before the sink
//! sees it (`scrub`), as the service's words it quotes may echo one.
//!
//! A sink is called only while its logger is in place: replacing the logger or
//! freeing the client (`revoke`) waits for the lines being told and stops the
//! rest, even those of a cancelled call's work still winding down.

use crate::scrub::Secrets;
use std::cell::Cell;
use std::sync::{Arc, Condvar, Mutex};

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

/// A client's sink and level; the default tells nothing. Clones share the sink
/// (every call of the client holds one).
#[derive(Clone, Default)]
pub(crate) struct Logger {
    to: Option<Arc<Sink>>,
    /// Lines held back, to be told later (`Logger::holding`).
    held: Option<HeldLines>,
}

type HeldLines = Arc<Mutex<Vec<(LogLevel, String)>>>;

struct Sink {
    max: LogLevel,
    secrets: Secrets,
    state: Mutex<SinkState>,
    idle: Condvar,
}

struct SinkState {
    /// `None` once revoked.
    sink: Option<LogSink>,
    /// Lines being told right now.
    telling: usize,
}

thread_local! {
    /// Depth of sink calls on this thread: a sink that revokes its own logger
    /// must not wait for itself.
    static IN_SINK: Cell<usize> = const { Cell::new(0) };
}

impl Logger {
    pub(crate) fn new(sink: Option<LogSink>, max: LogLevel, secrets: Secrets) -> Logger {
        Logger {
            to: sink.map(|sink| {
                Arc::new(Sink {
                    max,
                    secrets,
                    state: Mutex::new(SinkState {
                        sink: Some(sink),
                        telling: 0,
                    }),
                    idle: Condvar::new(),
                })
            }),
            held: None,
        }
    }

    /// Builds the message only when someone listens at `level`.
    pub(crate) fn log(&self, level: LogLevel, message: impl FnOnce() -> String) {
        let Some(to) = &self.to else { return };
        if level > to.max {
            return;
        }
        let line = to.secrets.scrub(&message()).into_owned();
        if let Some(held) = &self.held {
            held.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((level, line));
            return;
        }
        to.tell(level, &line);
    }

    /// A logger that holds its lines until `Held::release`: for work done
    /// under a lock that a sink, which may use the client, could wait for.
    pub(crate) fn holding(&self) -> (Logger, Held) {
        let held = Arc::new(Mutex::new(Vec::new()));
        let logger = Logger {
            to: self.to.clone(),
            held: Some(held.clone()),
        };
        (logger, Held(held))
    }

    /// No line reaches the sink after this returns; lines being told are
    /// waited for (unless the sink itself revokes, on this thread).
    pub(crate) fn revoke(&self) {
        let Some(to) = &self.to else { return };
        let mut state = to.state.lock().unwrap_or_else(|e| e.into_inner());
        state.sink = None;
        if IN_SINK.with(Cell::get) > 0 {
            return;
        }
        while state.telling > 0 {
            state = to.idle.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }
}

impl Sink {
    fn tell(&self, level: LogLevel, line: &str) {
        let sink = {
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            let Some(sink) = state.sink.clone() else {
                return;
            };
            state.telling += 1;
            sink
        };
        /// Counts the line as told even if the sink panics.
        struct Told<'a>(&'a Sink);
        impl Drop for Told<'_> {
            fn drop(&mut self) {
                IN_SINK.with(|depth| depth.set(depth.get() - 1));
                let mut state = self.0.state.lock().unwrap_or_else(|e| e.into_inner());
                state.telling -= 1;
                if state.telling == 0 {
                    self.0.idle.notify_all();
                }
            }
        }
        IN_SINK.with(|depth| depth.set(depth.get() + 1));
        let _told = Told(self);
        sink(level, line);
    }
}

/// Lines held back by a `Logger::holding`.
pub(crate) struct Held(HeldLines);

impl Held {
    /// Tells the held lines through `logger`, in order.
    pub(crate) fn release(self, logger: &Logger) {
        let lines = std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()));
        if let Some(to) = &logger.to {
            for (level, line) in lines {
                to.tell(level, &line);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;
    use std::time::Duration;

    fn recording(max: LogLevel) -> (Logger, Arc<Mutex<Vec<String>>>) {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let into = lines.clone();
        let sink: LogSink = Arc::new(move |_, line: &str| into.lock().unwrap().push(line.into()));
        let secrets = Secrets::new(vec![Secret::new("s3cr3t-key")], None);
        (Logger::new(Some(sink), max, secrets), lines)
    }

    #[test]
    fn lines_are_scrubbed_and_held_lines_wait() {
        let (logger, lines) = recording(LogLevel::Info);
        logger.log(LogLevel::Warn, || "echoed s3cr3t-key".into());
        logger.log(LogLevel::Debug, || {
            unreachable!("not built above the level")
        });
        let (holding, held) = logger.holding();
        holding.log(LogLevel::Info, || "later".into());
        assert_eq!(*lines.lock().unwrap(), ["echoed ***"]);
        held.release(&logger);
        assert_eq!(*lines.lock().unwrap(), ["echoed ***", "later"]);
    }

    #[test]
    fn revoking_waits_for_lines_being_told_and_stops_the_rest() {
        let (started_tx, started_rx) = std::sync::mpsc::channel();
        let telling = Arc::new(Mutex::new(false));
        let flag = telling.clone();
        let sink: LogSink = Arc::new(move |_, _: &str| {
            started_tx.send(()).unwrap();
            std::thread::sleep(Duration::from_millis(100));
            *flag.lock().unwrap() = false;
        });
        let logger = Logger::new(Some(sink), LogLevel::Debug, Secrets::default());
        *telling.lock().unwrap() = true;
        let other = logger.clone();
        let thread = std::thread::spawn(move || other.log(LogLevel::Warn, || "x".into()));
        started_rx.recv().unwrap();
        logger.revoke();
        assert!(
            !*telling.lock().unwrap(),
            "revoke returned while the sink ran"
        );
        logger.log(LogLevel::Warn, || "after".into());
        thread.join().unwrap();
        assert!(started_rx.try_recv().is_err(), "a line after revoke");
    }
}
