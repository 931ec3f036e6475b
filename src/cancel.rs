//! Cancelling a call from another thread.
//!
//! A `CancelToken` is a flag with a condition variable: the call checks it
//! before every request and wakes from every wait when it is set. A request in
//! flight sees it too: the thread that sends it marks the token as current
//! (`CurrentCancel`), and the connection's reads (`transport::cancellable`) give
//! up within `POLL` of the flag being set.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How often a blocked read looks at the flag.
pub(crate) const POLL: Duration = Duration::from_millis(20);

/// A cancellation flag shared by a call and whoever may cancel it. Cloning
/// shares the flag. Cancelling is final.
#[derive(Clone, Default)]
pub struct CancelToken(Arc<Flag>);

#[derive(Default)]
struct Flag {
    cancelled: AtomicBool,
    lock: Mutex<()>,
    changed: Condvar,
}

impl std::fmt::Debug for CancelToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CancelToken")
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

impl CancelToken {
    pub fn new() -> Self {
        Self::default()
    }

    /// Cancels every call running with this token, from any thread, any number of times.
    pub fn cancel(&self) {
        self.0.cancelled.store(true, Ordering::SeqCst);
        let _guard = self.0.lock.lock().unwrap_or_else(|e| e.into_inner());
        self.0.changed.notify_all();
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.cancelled.load(Ordering::SeqCst)
    }

    /// Waits `duration`, or less when cancelled meanwhile. True when cancelled.
    pub(crate) fn sleep(&self, duration: Duration) -> bool {
        let until = Instant::now() + duration;
        let mut guard = self.0.lock.lock().unwrap_or_else(|e| e.into_inner());
        while !self.is_cancelled() {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            guard = self
                .0
                .changed
                .wait_timeout(guard, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        self.is_cancelled()
    }
}

thread_local! {
    static CURRENT: RefCell<Option<CancelToken>> = const { RefCell::new(None) };
}

/// Marks `token` as the one that cancels this thread's requests, until dropped.
pub(crate) struct CurrentCancel(Option<CancelToken>);

impl CurrentCancel {
    pub(crate) fn set(token: Option<&CancelToken>) -> CurrentCancel {
        CurrentCancel(CURRENT.with(|c| c.replace(token.cloned())))
    }
}

impl Drop for CurrentCancel {
    fn drop(&mut self) {
        let previous = self.0.take();
        CURRENT.with(|c| *c.borrow_mut() = previous);
    }
}

/// Whether the request this thread is sending belongs to a cancelled call.
pub(crate) fn current_is_cancelled() -> bool {
    CURRENT.with(|c| c.borrow().as_ref().is_some_and(CancelToken::is_cancelled))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sleep_wakes_on_cancel() {
        let token = CancelToken::new();
        let other = token.clone();
        let started = Instant::now();
        let waker = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(30));
            other.cancel();
        });
        assert!(token.sleep(Duration::from_secs(10)));
        assert!(started.elapsed() < Duration::from_secs(5));
        waker.join().unwrap();
        assert!(!CancelToken::new().sleep(Duration::from_millis(1)));
    }

    #[test]
    fn current_token_is_per_thread_and_restored() {
        let token = CancelToken::new();
        token.cancel();
        assert!(!current_is_cancelled());
        {
            let _current = CurrentCancel::set(Some(&token));
            assert!(current_is_cancelled());
            assert!(!std::thread::spawn(current_is_cancelled).join().unwrap());
        }
        assert!(!current_is_cancelled());
    }
}
