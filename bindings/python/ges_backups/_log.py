"""The library's log lines as records of `logging.getLogger("ges_backups")`, each
client's through a `LogForwarder` of its own that falls silent when the client is
closed."""

from __future__ import annotations

import logging
import threading
from typing import Any, Optional

from ._native import GesLogCallback

LOGGER = logging.getLogger("ges_backups")
"""Where the library's log lines go."""
# A library's logger prints nothing until the application configures logging.
LOGGER.addHandler(logging.NullHandler())

_LOG_LEVELS = {1: logging.ERROR, 2: logging.WARNING, 3: logging.INFO, 4: logging.DEBUG}
"""`GesLogLevel` -> `logging` level; a level a newer library adds logs at DEBUG."""


def library_log_level() -> int:
    """The most verbose `GesLogLevel` that the logger lets through now (0: none)."""
    enabled = [level for level, python_level in _LOG_LEVELS.items() if LOGGER.isEnabledFor(python_level)]
    return max(enabled, default=0)


class LogForwarder:
    """Hands one native client's log lines to `LOGGER` until `stop()`.

    The library stops calling a client's logger when the client is freed, but a
    client closed while calls still run (or wind down after a cancel) is freed only
    when the last of them returns, and those calls log meanwhile: their lines stop
    here instead, as soon as the client is closed.
    """

    def __init__(self) -> None:
        self._state = threading.Condition()
        self._open = True
        self._forwarding = 0  # lines being handed to the logger now, over all threads
        self._depth = threading.local()  # of those, this thread's (a handler may close the client)
        self.callback: Any = GesLogCallback(self._forward)
        """The C callback; the library may call it until the native client is freed."""

    def _forward(self, user_data: Any, level: int, message: Optional[bytes]) -> None:
        # Runs on the library's threads, with the GIL taken by ctypes; must never raise.
        try:
            with self._state:
                if not self._open:
                    return
                self._forwarding += 1
            depth: int = getattr(self._depth, "value", 0)
            self._depth.value = depth + 1
            try:
                python_level = _LOG_LEVELS.get(level, logging.DEBUG)
                if message is not None and LOGGER.isEnabledFor(python_level):
                    LOGGER.log(python_level, message.decode("utf-8", errors="replace"))
            finally:
                self._depth.value = depth
                with self._state:
                    self._forwarding -= 1
                    self._state.notify_all()
        except Exception:  # pragma: no cover - a failing handler must not reach the library
            pass

    def stop(self) -> None:
        """Forward no more lines; return once those being forwarded on other threads have
        reached the logger, so that none arrives afterwards. Stopping twice is harmless."""
        with self._state:
            self._open = False
            own: int = getattr(self._depth, "value", 0)  # never wait for this thread itself
            self._state.wait_for(lambda: self._forwarding <= own)
