"""`AsyncClient` against the emulator: concurrent listings on one client, the JSON
result, the shared argument checks, and cancellation of the awaiting task, which
cancels the native call (no request after it) within half a second."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any, Dict, List

import pytest

import ges_backups
from emulator import ACCESS_KEY, PROJECT_ID, SECRET_KEY, Emulator
from ges_backups import AsyncClient, BackupList, Client, InvalidArgumentError, Query
from json_result import backups_of

QUERIES: List[Query] = [
    {},
    {"status": "success"},
    {"backup_method": "manual", "most_recent": True},
    {"offset": 3, "limit": 4},
    {"graph_name": "ges_kg_03"},
    {"status": "failed", "backup_method": "auto"},
]


def _arguments(emulator: Emulator, **extra: Any) -> Dict[str, Any]:
    return dict(endpoint=emulator.url, project_id=PROJECT_ID, access_key=ACCESS_KEY, secret_key=SECRET_KEY, **extra)


def _requests(emulator: Emulator) -> int:
    count: int = emulator.stats()["requests"]
    return count


def test_concurrent_listings_on_one_client_match_client(emulator: Emulator) -> None:
    with Client(**_arguments(emulator)) as client:
        expected = [client.list_backups(**query) for query in QUERIES]
    assert all(len(result) for result in expected), "every query must find backups to compare"

    async def main() -> List[BackupList]:
        async with AsyncClient(**_arguments(emulator)) as client:
            # Twice each query, all at once on the one client.
            return await asyncio.gather(*(client.list_backups(**query) for query in QUERIES * 2))

    results = asyncio.run(main())
    assert results == expected * 2
    assert all(isinstance(result, BackupList) for result in results)


def test_the_event_loop_runs_while_listings_wait(slow_emulator: Emulator) -> None:
    """Every answer takes 300 ms: the loop keeps ticking, and four listings at once
    take about as long as one."""

    async def main() -> None:
        async with AsyncClient(**_arguments(slow_emulator)) as client:
            await client.list_backups()  # connects
            ticks = 0
            stop = asyncio.Event()

            async def tick() -> None:
                nonlocal ticks
                while not stop.is_set():
                    ticks += 1
                    await asyncio.sleep(0.01)

            ticker = asyncio.ensure_future(tick())
            started = time.monotonic()
            results = await asyncio.gather(*(client.list_backups() for _ in range(4)))
            elapsed = time.monotonic() - started
            stop.set()
            await ticker
        assert [len(result) for result in results] == [3] * 4
        assert elapsed < 4 * 0.3 * 0.75, f"4 listings of 300 ms took {elapsed:.2f} s"
        assert ticks >= elapsed / 0.01 / 3, f"{ticks} ticks of 10 ms in {elapsed:.2f} s"

    asyncio.run(main())


def test_list_backups_json_is_the_listing(emulator: Emulator) -> None:
    async def main() -> None:
        async with AsyncClient(**_arguments(emulator)) as client:
            for query in QUERIES:
                text, listed = await asyncio.gather(client.list_backups_json(**query), client.list_backups(**query))
                parsed = json.loads(text)
                assert parsed["id"] == listed.id and parsed["total_count"] == listed.total_count
                assert backups_of(parsed) == tuple(listed)

    asyncio.run(main())


def test_cancelling_the_task_cancels_the_native_call(latency_emulator: Emulator) -> None:
    """50 backups, 10 a page, one page at a time, each answer 2 s late: the listing
    would take 12 s. Cancelled while it waits for its first answer, the task ends within
    half a second, and the emulator sees no request after the cancel."""
    latency_emulator.reset()

    async def main() -> None:
        async with AsyncClient(**_arguments(latency_emulator, page_size=10, max_concurrency=1)) as client:
            task = asyncio.ensure_future(client.list_backups())
            deadline = time.monotonic() + 10
            while await asyncio.to_thread(_requests, latency_emulator) == 0:
                assert time.monotonic() < deadline, "the listing never reached the emulator"
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.3)
            cancelled_at = time.monotonic()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            latency = time.monotonic() - cancelled_at
            print(f"task.cancel() to CancelledError: {latency * 1000:.0f} ms")
            assert task.cancelled()
            assert latency < 0.5
            after = await asyncio.to_thread(_requests, latency_emulator)
            await asyncio.sleep(2.5)  # past the delayed answer and a next page's request
            assert await asyncio.to_thread(_requests, latency_emulator) == after
            assert after < 6  # of the 6 pages a full listing reads
            # The client goes on serving.
            assert len(await client.list_backups(limit=2)) == 2

    asyncio.run(main())


def test_wait_for_timeout_cancels_the_native_call(latency_emulator: Emulator) -> None:
    latency_emulator.reset()

    async def main() -> None:
        async with AsyncClient(**_arguments(latency_emulator)) as client:
            started = time.monotonic()
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(client.list_backups(), timeout=0.5)
            assert time.monotonic() - started < 1.0
            after = await asyncio.to_thread(_requests, latency_emulator)
            await asyncio.sleep(2.5)
            assert await asyncio.to_thread(_requests, latency_emulator) == after == 1

    asyncio.run(main())


def test_a_call_waiting_for_a_thread_is_cancelled_before_it_starts(latency_emulator: Emulator) -> None:
    """With max_connections 1 the client has one thread: the second listing waits for
    it, and cancelled there, never sends a request."""
    latency_emulator.reset()

    async def main() -> None:
        async with AsyncClient(**_arguments(latency_emulator, max_connections=1)) as client:
            first = asyncio.ensure_future(client.list_backups(limit=1))
            second = asyncio.ensure_future(client.list_backups(limit=2))
            await asyncio.sleep(0.3)
            cancelled_at = time.monotonic()
            second.cancel()
            with pytest.raises(asyncio.CancelledError):
                await second
            assert time.monotonic() - cancelled_at < 0.1
            assert len(await first) == 1
            await asyncio.sleep(0.3)
            assert await asyncio.to_thread(_requests, latency_emulator) == 1

    asyncio.run(main())


def test_arguments_errors_and_repr_are_clients(emulator: Emulator) -> None:
    """The same checks as Client: a misspelt keyword, the library's own refusals, the
    error classes, the hidden secrets."""
    with pytest.raises(InvalidArgumentError, match="did you mean 'region'"):
        AsyncClient(regoin="cn-north-4")  # type: ignore[call-arg]
    with pytest.raises(InvalidArgumentError, match="page_size"):
        AsyncClient(**_arguments(emulator, page_size=0))

    async def main() -> None:
        client = AsyncClient(**_arguments(emulator))
        assert SECRET_KEY not in repr(client) and "secret_key='<hidden>'" in repr(client)
        assert repr(client).startswith("<ges_backups.AsyncClient open ")
        with pytest.raises(InvalidArgumentError, match="did you mean 'status'"):
            await client.list_backups(statuss="success")  # type: ignore[call-arg]
        with pytest.raises(InvalidArgumentError, match="limit"):
            await client.list_backups(limit=5000)
        with pytest.raises(InvalidArgumentError, match="status"):
            await client.list_backups(status="SUCCESS")  # type: ignore[arg-type]
        emulator.fault({"type": "status", "status": 404}, times=0)
        with pytest.raises(ges_backups.ApiError) as caught:
            await client.list_backups_json()
        assert caught.value.http_status == 404
        emulator.clear_faults()
        await client.aclose()
        assert client.closed and repr(client).startswith("<ges_backups.AsyncClient closed ")
        with pytest.raises(InvalidArgumentError, match="closed"):
            await client.list_backups()

    asyncio.run(main())


def test_aclose_lets_running_calls_finish(emulator: Emulator) -> None:
    emulator.fault({"type": "delay", "ms": 500})

    async def main() -> None:
        client = AsyncClient(**_arguments(emulator))
        running = asyncio.ensure_future(client.list_backups(limit=3))
        await asyncio.sleep(0.2)
        await client.aclose()
        assert client._handle is not None, "freed under a running call"
        assert len(await running) == 3
        assert client._handle is None, "the last call out frees the native client"

    asyncio.run(main())


def test_calls_run_on_the_clients_threads_not_the_default_executor(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loop's default executor (DNS lookups, asyncio.to_thread) stays free."""
    seen: List[str] = []
    original = ges_backups._native.list_backups

    def spy(*arguments: Any) -> BackupList:
        seen.append(threading.current_thread().name)
        return original(*arguments)

    async def main() -> None:
        async with AsyncClient(**_arguments(emulator)) as client:
            await asyncio.gather(*(client.list_backups(limit=1) for _ in range(3)))

    monkeypatch.setattr(ges_backups._native, "list_backups", spy)
    asyncio.run(main())
    assert len(seen) == 3 and all(name.startswith("ges_backups.AsyncClient") for name in seen), seen
