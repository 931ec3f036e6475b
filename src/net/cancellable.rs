//! Connections whose reads give up when their call is cancelled.
//!
//! ureq reads on the calling thread, blocking up to the request's timeout. This
//! connector wraps every connection (TLS included) so that a read waits in
//! slices of `cancel::POLL` and, between slices, looks at the cancel token of
//! the thread's current request (`cancel::CurrentCancel`). A cancelled read
//! fails at once; ureq then drops the connection instead of pooling it. Only a
//! TCP connect in progress is not interrupted: it ends within
//! `connect_timeout_ms`, on the call's own thread, after the caller has
//! already had its CANCELLED answer (see `Client`).

use crate::cancel::{self, current_is_cancelled};
use std::io;
use ureq::unversioned::transport::time::Duration as UreqDuration;
use ureq::unversioned::transport::{Buffers, ConnectionDetails, Connector, NextTimeout, Transport};

#[derive(Debug)]
pub(super) struct CancellableConnector;

impl Connector<Box<dyn Transport>> for CancellableConnector {
    type Out = CancellableTransport;

    fn connect(
        &self,
        _details: &ConnectionDetails,
        chained: Option<Box<dyn Transport>>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        Ok(chained.map(|inner| CancellableTransport { inner }))
    }
}

#[derive(Debug)]
pub(super) struct CancellableTransport {
    inner: Box<dyn Transport>,
}

fn cancelled() -> ureq::Error {
    ureq::Error::Io(io::Error::new(
        io::ErrorKind::Interrupted,
        "the call was cancelled",
    ))
}

fn is_timeout(error: &ureq::Error) -> bool {
    match error {
        ureq::Error::Timeout(_) => true,
        ureq::Error::Io(e) => matches!(
            e.kind(),
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
        ),
        _ => false,
    }
}

impl Transport for CancellableTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        if current_is_cancelled() {
            return Err(cancelled());
        }
        self.inner.transmit_output(amount, timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        let total = timeout.after;
        let started = std::time::Instant::now();
        loop {
            if current_is_cancelled() {
                return Err(cancelled());
            }
            let left = if total.is_not_happening() {
                None
            } else {
                Some(total.saturating_sub(started.elapsed()))
            };
            let slice = match left {
                Some(left) if left <= cancel::POLL => {
                    return self.inner.await_input(timeout_of(timeout, left))
                }
                _ => cancel::POLL,
            };
            match self.inner.await_input(timeout_of(timeout, slice)) {
                Err(e) if is_timeout(&e) => continue,
                other => return other,
            }
        }
    }

    fn is_open(&mut self) -> bool {
        self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}

/// `timeout` with only `after` changed: the same reason and per-read limits.
fn timeout_of(timeout: NextTimeout, after: std::time::Duration) -> NextTimeout {
    NextTimeout {
        after: UreqDuration::from(after),
        ..timeout
    }
}
