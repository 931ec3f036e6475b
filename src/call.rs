//! One call's context, shared by every request it makes: its time budget
//! (`deadline_ms`), its cancellation and its logger.

use crate::cancel::CancelToken;
use crate::error::Error;
use crate::log::{Held, LogLevel, Logger};
use std::time::{Duration, Instant};

pub(crate) struct Call {
    pub deadline: Deadline,
    pub cancel: Option<CancelToken>,
    pub log: Logger,
}

impl Call {
    pub fn new(budget: Option<Duration>, cancel: Option<CancelToken>, log: Logger) -> Call {
        Call {
            deadline: Deadline::new(budget),
            cancel,
            log,
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.as_ref().is_some_and(CancelToken::is_cancelled)
    }

    /// A CANCELLED error once the caller cancelled: checked before each request.
    pub fn check_cancelled(&self) -> Result<(), Error> {
        if self.is_cancelled() {
            Err(Error::cancelled())
        } else {
            Ok(())
        }
    }

    /// Waits `duration` unless the call is cancelled meanwhile.
    pub fn sleep(&self, duration: Duration) -> Result<(), Error> {
        match &self.cancel {
            Some(token) if token.sleep(duration) => Err(Error::cancelled()),
            Some(_) => Ok(()),
            None => {
                std::thread::sleep(duration);
                Ok(())
            }
        }
    }

    /// This call, with its log lines held until `Held::release`: for work done
    /// under a lock that a log callback, which may use the client, could need.
    pub fn holding_log_lines(&self) -> (Call, Held) {
        let (log, held) = self.log.holding();
        let call = Call {
            deadline: self.deadline,
            cancel: self.cancel.clone(),
            log,
        };
        (call, held)
    }

    pub fn warn(&self, message: impl FnOnce() -> String) {
        self.log.log(LogLevel::Warn, message);
    }
}

/// The time budget of one whole call (`deadline_ms`), shared by its requests.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Deadline {
    start: Instant,
    budget: Option<Duration>,
}

impl Deadline {
    pub fn new(budget: Option<Duration>) -> Self {
        Deadline {
            start: Instant::now(),
            budget,
        }
    }

    /// Time left; `None` when the call has no deadline.
    pub fn remaining(&self) -> Option<Duration> {
        self.budget.map(|b| b.saturating_sub(self.start.elapsed()))
    }

    pub fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    pub fn exceeded_error(&self, last: Option<&Error>) -> Error {
        let budget = self.budget.unwrap_or_default().as_millis();
        let mut err = Error::transport(match last {
            Some(last) => format!(
                "deadline_ms ({budget} ms) exceeded; last error: {}",
                last.message
            ),
            None => format!("deadline_ms ({budget} ms) exceeded"),
        });
        if let Some(last) = last {
            err.http_status = last.http_status;
            err.code = last.code.clone();
            err.request_id = last.request_id.clone();
        }
        err
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadline_counts_down() {
        assert_eq!(Deadline::new(None).remaining(), None);
        let d = Deadline::new(Some(Duration::from_millis(1)));
        std::thread::sleep(Duration::from_millis(3));
        assert_eq!(d.remaining(), Some(Duration::ZERO));
        assert!(d
            .exceeded_error(None)
            .message
            .contains("deadline_ms (1 ms)"));
    }

    #[test]
    fn a_cancelled_call_stops_sleeping() {
        let token = CancelToken::new();
        let call = Call::new(None, Some(token.clone()), Logger::default());
        assert!(call.check_cancelled().is_ok());
        token.cancel();
        let err = call.sleep(Duration::from_secs(30)).unwrap_err();
        assert_eq!(err.kind, crate::error::ErrorKind::Cancelled);
        assert!(call.check_cancelled().is_err());
    }
}
