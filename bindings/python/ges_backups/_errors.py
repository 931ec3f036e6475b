"""The exception hierarchy: one class per `GesErrorKind` of the C ABI."""

from __future__ import annotations

import enum
from typing import Dict, Optional, Tuple, Type


class ErrorKind(enum.IntEnum):
    """What went wrong, as `GesErrorKind` in `ges_backups.h`."""

    INVALID_ARGUMENT = 1
    """The caller's input: bad or unknown argument, missing credentials, closed client."""
    TRANSPORT = 2
    """No HTTP answer: DNS, connect, TLS, reset, timeout, deadline."""
    API = 3
    """The service answered with a non-2xx status."""
    DECODE = 4
    """A 2xx answer that is not a valid response (bad JSON, wrong types, too large)."""
    INCONSISTENT = 5
    """The backup list kept changing while it was paged through."""
    INTERNAL = 6
    """A bug in the library (a caught panic); never expected."""
    CANCELLED = 7
    """The call was cancelled (Ctrl-C during `Client.list_backups`)."""


class GesError(Exception):
    """Base class of every error raised by `ges_backups`.

    Attributes:
        kind: what went wrong (`ErrorKind`).
        message: the human-readable message; it never holds a secret.
        http_status: the HTTP status of the failing answer, or None when there was none.
        error_code: the service's error code (``"GES.7006"``, ``"APIGW.0301"``...) or None.
        request_id: the ``X-Request-Id`` of the failing answer, or None.
    """

    kind: ErrorKind = ErrorKind.INTERNAL

    def __init__(
        self,
        message: str,
        http_status: Optional[int] = None,
        error_code: Optional[str] = None,
        request_id: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.http_status = http_status
        self.error_code = error_code
        self.request_id = request_id

    def __str__(self) -> str:
        details = []
        if self.http_status is not None:
            details.append(f"HTTP {self.http_status}")
        if self.error_code is not None:
            details.append(f"code {self.error_code}")
        if self.request_id is not None:
            details.append(f"request id {self.request_id}")
        if not details:
            return self.message
        return f"{self.message} ({', '.join(details)})"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(kind={self.kind.name}, message={self.message!r}, "
            f"http_status={self.http_status!r}, error_code={self.error_code!r}, "
            f"request_id={self.request_id!r})"
        )

    def __reduce__(self) -> Tuple[Type[GesError], Tuple[str, Optional[int], Optional[str], Optional[str]]]:
        # Keep every attribute through pickle (multiprocessing, concurrent.futures).
        return (type(self), (self.message, self.http_status, self.error_code, self.request_id))


class InvalidArgumentError(GesError):
    """The caller's input was refused: an unknown or ill-typed argument, a value out of
    range, missing credentials, or a call on a closed client."""

    kind = ErrorKind.INVALID_ARGUMENT


class TransportError(GesError):
    """No HTTP answer: DNS, connect, TLS, connection reset, timeout or deadline."""

    kind = ErrorKind.TRANSPORT


class ApiError(GesError):
    """The service answered with a non-2xx status; see `http_status` and `error_code`."""

    kind = ErrorKind.API


class DecodeError(GesError):
    """A 2xx answer that is not a valid response (bad JSON, wrong types, too large)."""

    kind = ErrorKind.DECODE


class InconsistentError(GesError):
    """The backup list kept changing while it was paged through, even after restarts."""

    kind = ErrorKind.INCONSISTENT


class InternalError(GesError):
    """A bug in the native library (a caught panic). Please report it."""

    kind = ErrorKind.INTERNAL


class CancelledError(GesError):
    """The call was cancelled before it finished. `Client.list_backups` cancels its
    native call on Ctrl-C and raises `KeyboardInterrupt`; this class is for a
    cancellation seen as an error (a library kind 7)."""

    kind = ErrorKind.CANCELLED


_CLASS_OF_KIND: Dict[int, Type[GesError]] = {
    cls.kind: cls
    for cls in (
        InvalidArgumentError,
        TransportError,
        ApiError,
        DecodeError,
        InconsistentError,
        InternalError,
        CancelledError,
    )
}


def error_class(kind: int) -> Type[GesError]:
    """The exception class for a `GesErrorKind` value; InternalError for one this
    package does not know (a newer library's kind is still a failure)."""
    return _CLASS_OF_KIND.get(kind, InternalError)
