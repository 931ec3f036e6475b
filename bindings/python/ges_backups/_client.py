"""`Client`: one native `GesClient`, shared safely by many threads; and `NativeClient`,
what it shares with `AsyncClient`."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Any, Dict, Mapping, Optional, Type

from . import _native
from ._errors import InvalidArgumentError
from ._log import LogForwarder, library_log_level
from ._models import BackupList
from ._options import encode_config, encode_query, shown_config
from ._schema import Config, Query
from ._typing import Self, Unpack


class NativeClient:
    """What `Client` and `AsyncClient` share: the config's checks and encoding, the
    native client with its logger, the count of calls running on it, and its freeing,
    exactly once: by `close()`, or by the last call still running then. Its log
    lines stop at `close()`, whatever is still running.
    """

    def __init__(self, config: Mapping[str, Any]) -> None:
        self._shown: Mapping[str, Any] = {}
        self._lock = threading.Lock()
        self._handle: Optional[_native.ClientPointer] = None
        self._in_flight = 0
        self._closed = False
        self._log = LogForwarder()
        given: Dict[str, Any] = dict(config)
        document = encode_config(given)
        # Keep only what repr shows: never a secret, not even in memory.
        shown = shown_config(given)
        # The library is asked for the levels the logger enables now: a callback per
        # request costs CPU even when its record is dropped.
        self._handle = _native.client_new(document, self._log.callback, library_log_level())
        self._shown = shown

    def close(self) -> None:
        """Free the native client. Calls already running finish first (the last one
        frees it), without logging: no record of this client reaches the logger once
        `close()` has returned. Later calls raise `InvalidArgumentError`. Closing twice
        is harmless."""
        with self._lock:
            first, self._closed = not self._closed, True
            handle = None
            if first and not self._in_flight:  # else the last running call frees it, in _release
                handle, self._handle = self._handle, None
        self._log.stop()  # in every close(): none returns while a line is being forwarded
        if handle is not None:
            _native.client_free(handle)

    @property
    def closed(self) -> bool:
        """Whether `close()` was called."""
        return self._closed

    def __del__(self) -> None:
        # A client that was never closed still frees its native memory.
        if getattr(self, "_handle", None) is not None:
            try:
                self.close()
            except Exception:  # pragma: no cover - interpreter shutdown
                pass

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        shown = ", ".join(f"{key}={value!r}" for key, value in sorted(self._shown.items()))
        name = f"ges_backups.{type(self).__name__}"
        return f"<{name} {state} {shown}>" if shown else f"<{name} {state}>"

    def _acquire(self) -> _native.ClientPointer:
        with self._lock:
            if self._closed or self._handle is None:
                raise InvalidArgumentError(
                    f"this ges_backups.{type(self).__name__} is closed; create a new one"
                )
            self._in_flight += 1
            return self._handle

    def _release(self) -> None:
        handle = None
        with self._lock:
            self._in_flight -= 1
            if self._closed and self._in_flight == 0:
                handle, self._handle = self._handle, None
        if handle is not None:
            _native.client_free(handle)

    def _interruptible(self, call: _native.NativeCall[_native.Result], query: Mapping[str, Any]) -> _native.Result:
        """`call` with the query's JSON on this client, cancelled by Ctrl-C."""
        document = encode_query(query)
        handle = self._acquire()
        try:
            return _native.interruptible(call, handle, document)
        finally:
            self._release()


class Client(NativeClient):
    """A client of the GES backups API.

    Keyword arguments are the config keys (`ges_backups.Config`; see
    docs/configuration.md); an absent key falls back to its environment variable, then to its
    default. A misspelt key raises `InvalidArgumentError` at once.

    One client may serve many threads at once: the native library is thread-safe and
    ctypes releases the GIL during every call.

    The library's log lines go to ``logging.getLogger("ges_backups")``: each request
    at DEBUG, each listing's summary at INFO, retries, clock-skew corrections and
    listing restarts at WARNING, the error a call returns at ERROR. The levels that
    logger enables when the client is created are the ones the library sends. No
    record ever holds a secret, and none arrives once `close()` has returned. Use it
    as a context manager, or call `close()`, to free the native client; a call after
    `close()` raises `InvalidArgumentError`.
    """

    def __init__(self, **config: Unpack[Config]) -> None:
        super().__init__(config)

    def list_backups(self, **query: Unpack[Query]) -> BackupList:
        """List backups: the ``ges_backups`` data source (`ges_backups.Query`; see
        docs/contract.md, section Query).

        Without ``offset``/``limit`` it pages through everything and returns each backup
        once, ordered by ``start_timestamp`` descending then ``id`` ascending; with
        either, exactly that one page in the service's order. Filters (``graph_id``,
        ``graph_name``, ``backup_id``, ``name``, ``status``, ``backup_method``) and
        ``most_recent`` apply to the result; ``deadline_ms`` bounds the whole call.

        The `BackupList` keeps the native result and copies each `Backup` when it is
        read (see `BackupList`). Raises a subclass of `GesError` on failure. Ctrl-C in the main thread cancels
        the native call (no request is left running) and raises `KeyboardInterrupt`
        within half a second.
        """
        return self._interruptible(_native.list_backups, query)

    def list_backups_json(self, **query: Unpack[Query]) -> str:
        """`list_backups`' result as the library's JSON text (see docs/contract.md,
        section Result): ``{"id", "total_count", "backups": [...]}``, with ``null`` for
        a field the service left out. Same arguments, errors and Ctrl-C as
        `list_backups`."""
        return self._interruptible(_native.list_backups_json, query)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.close()
