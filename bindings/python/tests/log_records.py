"""A `logging.Handler` that keeps every record of the `ges_backups` logger, with the
moment it arrived."""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from typing import Iterator, List, Tuple


class Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.arrivals: List[Tuple[float, logging.LogRecord]] = []
        """(time.monotonic() when it arrived, the record), in order."""

    def emit(self, record: logging.LogRecord) -> None:
        self.arrivals.append((time.monotonic(), record))

    def messages(self, level: int = logging.NOTSET) -> List[str]:
        """The messages of the records at `level` (all of them by default)."""
        return [r.getMessage() for _, r in self.arrivals if level in (logging.NOTSET, r.levelno)]

    def since(self, moment: float) -> List[str]:
        """The messages of the records that arrived after `moment` (time.monotonic())."""
        return [f"{r.levelname} {r.getMessage()}" for at, r in self.arrivals if at > moment]


@contextmanager
def collecting() -> Iterator[Collector]:
    """The `ges_backups` logger at DEBUG, its records collected. Enter it before making
    a client: the library is asked for the levels the logger enables then."""
    logger = logging.getLogger("ges_backups")
    collector = Collector()
    level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(collector)
    try:
        yield collector
    finally:
        logger.removeHandler(collector)
        logger.setLevel(level)
