//! The client's bound on requests in flight (`max_connections`): every thread
//! that shares a client takes a slot before it sends a request and gives it
//! back once the answer is read, so sockets and answer buffers stay bounded
//! however many threads call one client.

use crate::call::Call;
use crate::cancel::POLL;
use crate::error::Error;
use std::sync::{Condvar, Mutex};

pub(crate) struct RequestSlots {
    free: Mutex<u32>,
    released: Condvar,
}

/// A slot held for one request; dropping it frees the slot.
pub(crate) struct Slot<'a>(&'a RequestSlots);

impl RequestSlots {
    pub fn new(slots: u32) -> RequestSlots {
        RequestSlots {
            free: Mutex::new(slots),
            released: Condvar::new(),
        }
    }

    /// Waits for a free slot, as long as the call is neither cancelled nor past
    /// its deadline.
    pub fn acquire(&self, call: &Call) -> Result<Slot<'_>, Error> {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if *free > 0 {
                *free -= 1;
                return Ok(Slot(self));
            }
            call.check_cancelled()?;
            let wait = match call.deadline.remaining() {
                Some(left) if left.is_zero() => return Err(call.deadline.exceeded_error(None)),
                Some(left) => left.min(POLL),
                None => POLL,
            };
            free = self
                .released
                .wait_timeout(free, wait)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        *self.0.free.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.0.released.notify_one();
    }
}
