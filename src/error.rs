//! The one error type of the library: a kind, a message and what the service said.

use crate::scrub::{scrub, Secrets};
use crate::secret::Secret;
use std::borrow::Cow;
use std::fmt;

/// What went wrong, in the categories of the C ABI (`GesErrorKind`). New kinds may
/// be added within ABI 1; treat a kind you do not know as a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    InvalidArgument = 1,
    Transport = 2,
    Api = 3,
    Decode = 4,
    Inconsistent = 5,
    Internal = 6,
    /// The caller cancelled the call (`CancelToken::cancel`).
    Cancelled = 7,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgument => "invalid_argument",
            ErrorKind::Transport => "transport",
            ErrorKind::Api => "api",
            ErrorKind::Decode => "decode",
            ErrorKind::Inconsistent => "inconsistent",
            ErrorKind::Internal => "internal",
            ErrorKind::Cancelled => "cancelled",
        }
    }
}

/// An error with everything a caller needs to act on it. Messages never hold a secret:
/// they are built from our own words and the service's answer, and scrubbed of the
/// client's secrets before they leave the client (see `Client`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    /// HTTP status of the failing answer; 0 when there was none.
    pub http_status: u16,
    /// The service's error code, e.g. `GES.7006` or `APIGW.0301`.
    pub code: Option<String>,
    /// `X-Request-Id` of the failing answer.
    pub request_id: Option<String>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            http_status: 0,
            code: None,
            request_id: None,
        }
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidArgument, message)
    }
    pub fn transport(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Transport, message)
    }
    pub fn decode(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Decode, message)
    }
    pub fn inconsistent(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Inconsistent, message)
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, message)
    }
    pub fn cancelled() -> Self {
        Self::new(ErrorKind::Cancelled, "the call was cancelled")
    }

    /// The same error without any of a client's secrets (see `scrubbed`).
    pub(crate) fn scrubbed_of(self, secrets: &Secrets) -> Self {
        let all = secrets.all();
        let exposed: Vec<&str> = all.iter().map(Secret::expose).collect();
        self.scrubbed(&exposed)
    }

    /// The same error with the secrets taken out of its message, code and
    /// request id (`scrub`): a second line of defence should the service echo one.
    pub fn scrubbed(mut self, secrets: &[&str]) -> Self {
        for field in [
            Some(&mut self.message),
            self.code.as_mut(),
            self.request_id.as_mut(),
        ]
        .into_iter()
        .flatten()
        {
            if let Cow::Owned(clean) = scrub(field, secrets) {
                *field = clean;
            }
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        if self.http_status != 0 {
            write!(f, " (HTTP {}", self.http_status)?;
            if let Some(code) = &self.code {
                write!(f, ", {code}")?;
            }
            if let Some(id) = &self.request_id {
                write!(f, ", request id {id}")?;
            }
            write!(f, ")")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubbing_covers_message_code_and_request_id() {
        let mut e = Error::transport("token Abc123xyz rejected; request timed out");
        e.code = Some("Abc123xyz".into());
        e.request_id = Some("req-Abc123xyz".into());
        let e = e.scrubbed(&["Abc123xyz"]);
        assert_eq!(e.message, "token *** rejected; request timed out");
        assert_eq!(e.code.as_deref(), Some("***"));
        assert_eq!(e.request_id.as_deref(), Some("req-***"));
    }
}
