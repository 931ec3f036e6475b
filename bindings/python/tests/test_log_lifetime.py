"""No record of a client reaches the logger once it is closed, though a cancelled call
of it is still winding down: an `AsyncClient` closed right after its task was
cancelled, and a `Client` closed by a Ctrl-C handler that interrupts its listing. Each
listing waits on an answer 2 s late; the test waits past it, so the abandoned request
ends after the close too. The same runs without the close show that the winding-down
call does log: the error it returns, at ERROR."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from types import FrameType
from typing import Any, Dict, List, Optional

import pytest

from emulator import ACCESS_KEY, PROJECT_ID, SECRET_KEY, Emulator
from ges_backups import AsyncClient, Client
from log_records import Collector

PAST_THE_LATENCY = 2.5
"""Seconds: the latency emulator answers every list request 2 s late."""


def _arguments(emulator: Emulator) -> Dict[str, Any]:
    # One page at a time: a listing of 50 backups would take 12 s.
    return dict(endpoint=emulator.url, project_id=PROJECT_ID, access_key=ACCESS_KEY, secret_key=SECRET_KEY,
                page_size=10, max_concurrency=1)


def _wait_for_a_request(emulator: Emulator) -> None:
    """Until the listing waits on the emulator's answer."""
    deadline = time.monotonic() + 10
    while emulator.stats()["requests"] == 0:
        assert time.monotonic() < deadline, "the listing never reached the emulator"
        time.sleep(0.05)
    time.sleep(0.3)


def _check(after: List[str], closed: bool) -> None:
    if closed:
        assert after == [], after
    else:
        assert any(line.startswith("ERROR") and "cancelled" in line for line in after), after


@pytest.mark.parametrize("closed", [True, False], ids=["closed", "left open"])
def test_an_async_client_closed_while_its_cancelled_call_winds_down(
    latency_emulator: Emulator, log_records: Collector, closed: bool
) -> None:
    latency_emulator.reset()

    async def main() -> float:
        client = AsyncClient(**_arguments(latency_emulator))
        task = asyncio.ensure_future(client.list_backups())
        await asyncio.to_thread(_wait_for_a_request, latency_emulator)
        since = time.monotonic()
        task.cancel()
        await asyncio.sleep(0)  # the task asks the native call to stop, and waits for it
        if closed:
            await client.aclose()
            since = time.monotonic()
        with pytest.raises(asyncio.CancelledError):
            await task
        if closed:
            await asyncio.sleep(PAST_THE_LATENCY)
        await client.aclose()
        return since

    since = asyncio.run(main())
    _check(log_records.since(since), closed)


@pytest.mark.parametrize("closed", [True, False], ids=["closed", "left open"])
def test_a_client_closed_by_a_ctrl_c_handler_while_its_listing_winds_down(
    latency_emulator: Emulator, log_records: Collector, closed: bool
) -> None:
    """An application's SIGINT handler that closes the client and raises
    KeyboardInterrupt, which cancels the listing: the listing winds down (the native
    call returns, the library drops its request) with its client closed."""
    latency_emulator.reset()
    client = Client(**_arguments(latency_emulator))
    handled: List[float] = []

    def on_ctrl_c(signum: int, frame: Optional[FrameType]) -> None:
        if closed:
            client.close()
        handled.append(time.monotonic())
        raise KeyboardInterrupt

    def press_ctrl_c() -> None:
        _wait_for_a_request(latency_emulator)
        os.kill(os.getpid(), signal.SIGINT)

    previous = signal.signal(signal.SIGINT, on_ctrl_c)
    try:
        presser = threading.Thread(target=press_ctrl_c)
        presser.start()
        with pytest.raises(KeyboardInterrupt):
            client.list_backups()
        presser.join()
    finally:
        signal.signal(signal.SIGINT, previous)
    if closed:
        time.sleep(PAST_THE_LATENCY)
    client.close()
    _check(log_records.since(handled[0]), closed)
