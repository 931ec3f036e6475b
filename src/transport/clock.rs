//! The client's idea of the time: local time corrected by the offset learnt
//! from a gateway that refused a signature as expired.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime};

#[derive(Default)]
pub(crate) struct Clock {
    /// Server time minus local time, in milliseconds.
    offset_ms: AtomicI64,
}

impl Clock {
    pub fn now(&self) -> SystemTime {
        let offset = self.offset_ms.load(Ordering::Relaxed);
        let magnitude = Duration::from_millis(offset.unsigned_abs());
        if offset >= 0 {
            SystemTime::now() + magnitude
        } else {
            SystemTime::now() - magnitude
        }
    }

    /// From now on, the server's clock: `offset_ms` ahead of ours (behind when negative).
    pub fn adopt(&self, offset_ms: i64) {
        self.offset_ms.store(offset_ms, Ordering::Relaxed);
    }
}

/// `server` minus the local time now, in milliseconds.
pub(crate) fn offset_from_now(server: SystemTime) -> i64 {
    match server.duration_since(SystemTime::now()) {
        Ok(ahead) => ahead.as_millis() as i64,
        Err(behind) => -(behind.duration().as_millis() as i64),
    }
}
