"""`Client`: one native `GesClient`, shared safely by many threads."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Any, Dict, Optional, Type

from . import _native
from ._errors import InvalidArgumentError
from ._models import BackupList
from ._options import CONFIG_KEYS, QUERY_KEYS, SECRET_CONFIG_KEYS, Config, Query, encode
from ._typing import Self, Unpack


class Client:
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
    record ever holds a secret. Use it as a context manager, or call
    `close()`, to free the native client; a call after `close()` raises
    `InvalidArgumentError`.
    """

    def __init__(self, **config: Unpack[Config]) -> None:
        self._shown: Dict[str, Any] = {}
        self._lock = threading.Lock()
        self._handle: Optional[_native.ClientPointer] = None
        self._in_flight = 0
        self._closed = False
        given: Dict[str, Any] = dict(config)
        document = encode("config", given, CONFIG_KEYS)
        # Keep only what repr shows: never a secret, not even in memory.
        shown = {
            key: ("<hidden>" if key in SECRET_CONFIG_KEYS else value)
            for key, value in given.items()
            if value is not None
        }
        self._handle = _native.client_new(document)
        self._shown = shown

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
        document = encode("query", dict(query), QUERY_KEYS)
        handle = self._acquire()
        try:
            return _native.list_backups_interruptible(handle, document)
        finally:
            self._release()

    def close(self) -> None:
        """Free the native client. Calls already running finish first (the last one
        frees it); later calls raise `InvalidArgumentError`. Closing twice is harmless."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if self._in_flight:
                return  # the last running call frees it, in _release
            handle, self._handle = self._handle, None
        if handle is not None:
            _native.client_free(handle)

    @property
    def closed(self) -> bool:
        """Whether `close()` was called."""
        return self._closed

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.close()

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
        return f"<ges_backups.Client {state} {shown}>" if shown else f"<ges_backups.Client {state}>"

    def _acquire(self) -> _native.ClientPointer:
        with self._lock:
            if self._closed or self._handle is None:
                raise InvalidArgumentError("this ges_backups.Client is closed; create a new one")
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
