"""Client lifetime: context manager, close() exactly once, use after close, repr, and
native memory freed on success and on error."""

from __future__ import annotations

import gc
import threading
import time
from pathlib import Path
from typing import Callable

import pytest

from emulator import ACCESS_KEY, PROJECT_ID, SECRET_KEY, Emulator
from ges_backups import ApiError, BackupList, Client, InvalidArgumentError


def make(emulator: Emulator) -> Client:
    return Client(endpoint=emulator.url, project_id=PROJECT_ID, access_key=ACCESS_KEY, secret_key=SECRET_KEY)


def test_context_manager_closes(emulator: Emulator) -> None:
    with make(emulator) as client:
        assert not client.closed
        assert len(client.list_backups(limit=2)) == 2
    assert client.closed
    with pytest.raises(InvalidArgumentError, match="closed"):
        client.list_backups()


def test_context_manager_closes_on_error(emulator: Emulator) -> None:
    with pytest.raises(ZeroDivisionError):
        with make(emulator) as client:
            1 / 0
    assert client.closed


def test_close_twice_and_use_after_close(emulator: Emulator) -> None:
    client = make(emulator)
    client.close()
    client.close()
    with client:
        pass
    with pytest.raises(InvalidArgumentError) as caught:
        client.list_backups(limit=1)
    assert "closed" in caught.value.message
    assert caught.value.http_status is None


def test_close_during_a_listing_lets_it_finish(emulator: Emulator) -> None:
    """close() never frees the native client under a running call: the call finishes,
    the last one out frees it, and later calls raise."""
    emulator.fault({"type": "delay", "ms": 500})
    client = make(emulator)
    results: list[BackupList] = []
    worker = threading.Thread(target=lambda: results.append(client.list_backups(limit=3)))
    worker.start()
    time.sleep(0.2)
    started = time.monotonic()
    client.close()
    assert time.monotonic() - started < 0.1, "close() does not wait"
    with pytest.raises(InvalidArgumentError):
        client.list_backups(limit=1)
    worker.join()
    assert len(results[0]) == 3
    assert client._handle is None and client._in_flight == 0


def test_repr_hides_secrets(emulator: Emulator, tmp_path: Path) -> None:
    token, security = "tok-Very-Secret-123", "sts-Very-Secret-456"
    with make(emulator) as client:
        text = repr(client)
        assert SECRET_KEY not in text and "<hidden>" in text and ACCESS_KEY in text
    sts = Client(
        endpoint=emulator.url, project_id=PROJECT_ID, access_key=ACCESS_KEY, secret_key=SECRET_KEY,
        security_token=security,
    )
    assert security not in repr(sts) and SECRET_KEY not in repr(sts)
    sts.close()
    with Client(endpoint=emulator.url, project_id=PROJECT_ID, auth_token=token) as client:
        assert token not in repr(client) and "closed" not in repr(client)
    assert "closed" in repr(client)
    assert SECRET_KEY not in str(vars(client)) and token not in str(vars(client))


def test_forgotten_client_is_freed_by_the_garbage_collector(emulator: Emulator) -> None:
    client = make(emulator)
    client.list_backups(limit=1)
    del client
    gc.collect()


def _rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")  # pragma: no cover


def _growth_kib(action: Callable[[], None], warm_up: int, rounds: int) -> int:
    for _ in range(warm_up):
        action()
    gc.collect()
    before = _rss_kib()
    for _ in range(rounds):
        action()
    gc.collect()
    return _rss_kib() - before


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_native_memory_is_freed_on_success_and_on_error(emulator: Emulator) -> None:
    """The resident size stays flat over many listings, errors and clients; it would
    grow by over 10 MiB in each part below if a list, an error or a client were not
    freed (each part was checked to fail with its free call removed)."""
    with make(emulator) as client:

        def listing() -> None:
            assert len(client.list_backups()) == 250
            emulator.fault({"type": "status", "status": 400})
            with pytest.raises(ApiError):
                client.list_backups(limit=5)

        grown = _growth_kib(listing, 20, 150)
        assert grown < 4 * 1024, f"resident size grew by {grown} KiB over 150 listings"

        def refused() -> None:
            try:
                client.list_backups(limit=0)
            except InvalidArgumentError:
                return
            raise AssertionError("limit=0 was accepted")

        grown = _growth_kib(refused, 2000, 80_000)
        assert grown < 2 * 1024, f"resident size grew by {grown} KiB over 80,000 errors"

    def new_client() -> None:
        make(emulator).close()

    grown = _growth_kib(new_client, 500, 8_000)
    assert grown < 2 * 1024, f"resident size grew by {grown} KiB over 8,000 clients"
