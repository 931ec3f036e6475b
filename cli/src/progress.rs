//! Progress on stderr while a listing runs, for a person at a terminal: after
//! a second, one line redrawn in place (requests answered, time spent), erased
//! when the listing ends so that it never mixes with what follows.

use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Shown only for listings longer than this.
const QUIET_FOR: Duration = Duration::from_secs(1);
const REDRAW_EVERY: Duration = Duration::from_millis(200);

/// What the listing has done so far; fed by the library's log.
#[derive(Default)]
pub struct Counters {
    pub requests: AtomicU64,
    pub warnings: AtomicU64,
}

pub struct Progress {
    counters: Arc<Counters>,
    done: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts the display when `wanted` and stderr is a terminal; otherwise
    /// only counts.
    pub fn start(wanted: bool) -> Progress {
        let counters = Arc::new(Counters::default());
        let done = Arc::new((Mutex::new(false), Condvar::new()));
        let thread = (wanted && io::stderr().is_terminal()).then(|| {
            let (counters, done) = (counters.clone(), done.clone());
            std::thread::Builder::new()
                .name("ges-backups-progress".into())
                .spawn(move || draw_until_done(&counters, &done))
                .ok()
        });
        Progress {
            counters,
            done,
            thread: thread.flatten(),
        }
    }

    /// The counters to feed, when the line is shown.
    pub fn counters(&self) -> Option<Arc<Counters>> {
        self.thread.is_some().then(|| self.counters.clone())
    }

    /// Stops the display and erases its line.
    pub fn finish(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let (lock, wake) = &*self.done;
        *lock.lock().unwrap_or_else(|p| p.into_inner()) = true;
        wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop();
    }
}

fn draw_until_done(counters: &Counters, done: &(Mutex<bool>, Condvar)) {
    let started = Instant::now();
    let (lock, wake) = done;
    let mut finished = lock.lock().unwrap_or_else(|p| p.into_inner());
    let mut drawn = false;
    let mut wait = QUIET_FOR;
    while !*finished {
        finished = wake
            .wait_timeout(finished, wait)
            .unwrap_or_else(|p| p.into_inner())
            .0;
        if *finished {
            break;
        }
        wait = REDRAW_EVERY;
        drawn = true;
        let line = status_line(counters, started.elapsed());
        // "\r" back to the line's start, "\x1b[K" erases what a longer line left.
        let _ = write!(io::stderr().lock(), "\r{line}\x1b[K");
    }
    if drawn {
        let _ = write!(io::stderr().lock(), "\r\x1b[K");
    }
}

fn status_line(counters: &Counters, elapsed: Duration) -> String {
    let requests = counters.requests.load(Ordering::Relaxed);
    let warnings = counters.warnings.load(Ordering::Relaxed);
    let mut line = format!("ges-backups: listing... {:.1} s", elapsed.as_secs_f64());
    if requests > 0 {
        line += &format!(", {requests} request(s)");
    }
    if warnings > 0 {
        line += &format!(", {warnings} retry/warning(s) (see --verbose)");
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_says_what_was_done() {
        let counters = Counters::default();
        assert_eq!(
            status_line(&counters, Duration::from_millis(1500)),
            "ges-backups: listing... 1.5 s"
        );
        counters.requests.store(12, Ordering::Relaxed);
        counters.warnings.store(2, Ordering::Relaxed);
        assert_eq!(
            status_line(&counters, Duration::from_secs(3)),
            "ges-backups: listing... 3.0 s, 12 request(s), 2 retry/warning(s) (see --verbose)"
        );
    }
}
