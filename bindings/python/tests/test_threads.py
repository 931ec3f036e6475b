"""One client, many Python threads: ctypes releases the GIL, so listings run in parallel."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Iterator

import pytest

from emulator import ACCESS_KEY, PROJECT_ID, SECRET_KEY, Emulator
from ges_backups import BackupList, Client

THREADS = 8


@pytest.fixture
def slow_client(slow_emulator: Emulator) -> Iterator[Client]:
    """Every answer of this emulator takes 300 ms."""
    with Client(
        endpoint=slow_emulator.url, project_id=PROJECT_ID, access_key=ACCESS_KEY, secret_key=SECRET_KEY
    ) as client:
        yield client


def test_listings_from_several_threads_run_in_parallel(slow_client: Client) -> None:
    expected = slow_client.list_backups()  # also warms up the connection
    started = time.monotonic()
    slow_client.list_backups()
    one = time.monotonic() - started
    assert one >= 0.3

    barrier = threading.Barrier(THREADS)

    def listing(_: int) -> BackupList:
        barrier.wait()
        return slow_client.list_backups()

    started = time.monotonic()
    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(listing, range(THREADS)))
    elapsed = time.monotonic() - started
    assert all(result == expected for result in results)
    # In series the eight would take 8 x 300 ms; in parallel little more than one.
    assert elapsed < THREADS * one / 2.5, f"{THREADS} listings took {elapsed:.2f}s; one takes {one:.2f}s"


def _loop_rate() -> float:
    """Iterations per second of the counting loop below, on an idle interpreter."""
    flag = threading.Event()
    counted = 0
    deadline = time.monotonic() + 0.1
    while not flag.is_set():
        counted += 1
        if counted % 1000 == 0 and time.monotonic() > deadline:
            break
    return counted / 0.1


def test_python_runs_while_a_listing_waits(slow_client: Client) -> None:
    """The GIL is released during the native call: while a listing waits 300 ms for
    the emulator, the main thread keeps counting for most of that time. (Were the GIL
    held, it would count only in the few 5 ms switch intervals before the call.)"""
    rate = _loop_rate()
    done = threading.Event()
    result: list[BackupList] = []

    def listing() -> None:
        result.append(slow_client.list_backups())
        done.set()

    worker = threading.Thread(target=listing)
    counted = 0
    worker.start()
    while not done.is_set():
        counted += 1
    worker.join()
    assert len(result[0]) == 3
    assert counted > rate * 0.15, f"counted {counted} during a 300 ms listing; {rate:.0f} a second when idle"


def test_errors_and_successes_from_many_threads(emulator: Emulator) -> None:
    with Client(
        endpoint=emulator.url, project_id=PROJECT_ID, access_key=ACCESS_KEY, secret_key=SECRET_KEY, max_retries=0
    ) as client:
        expected = client.list_backups()

        def listing(i: int) -> object:
            try:
                if i % 2:
                    return client.list_backups(limit=0)
                return client.list_backups()
            except Exception as error:  # noqa: BLE001 - the error is the result here
                return error

        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(listing, range(24)))
    for i, result in enumerate(results):
        if i % 2:
            assert type(result).__name__ == "InvalidArgumentError"
        else:
            assert result == expected
