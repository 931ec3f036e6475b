"""`AsyncClient`: the native client for asyncio, its calls run on threads of its own."""

from __future__ import annotations

import asyncio
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import Any, Mapping, Optional, Type

from . import _native
from ._client import NativeClient
from ._errors import InvalidArgumentError
from ._models import BackupList
from ._options import encode_query
from ._schema import CONFIG_DEFAULTS, Config, Query
from ._typing import Self, Unpack


class AsyncClient(NativeClient):
    """A client of the GES backups API for asyncio.

    The same keyword arguments, checks, errors and logging as `Client`; one client
    may serve many tasks at once::

        async with ges_backups.AsyncClient(region="cn-north-4") as client:
            backups = await client.list_backups(status="success")

    Each call runs the native call on a thread, so the event loop never waits for
    the network. The threads are the client's own, as many as its ``max_connections``
    (the requests it has in flight at most; each running call has at least one): not
    the loop's default executor, where long listings would hold up the application's
    `asyncio.to_thread` calls and the loop's DNS lookups (`getaddrinfo`), which share
    it. Calls beyond that wait for a thread.

    Cancelling the awaiting task (``task.cancel()``, `asyncio.wait_for`,
    `asyncio.timeout`) cancels the native call: it starts no request afterwards, and
    the task ends with `asyncio.CancelledError` once the call has returned, within
    half a second. Use ``async with``, or call `aclose()` (or `close()`), to free the
    native client; calls running then (cancelled ones winding down included) finish
    first, without logging: no record of the client arrives once it is closed.
    """

    def __init__(self, **config: Unpack[Config]) -> None:
        super().__init__(config)
        workers: int = config.get("max_connections") or CONFIG_DEFAULTS["max_connections"]
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="ges_backups.AsyncClient")

    async def list_backups(self, **query: Unpack[Query]) -> BackupList:
        """`Client.list_backups`, run off the event loop; cancelling the task cancels it."""
        return await self._call(_native.list_backups, query)

    async def list_backups_json(self, **query: Unpack[Query]) -> str:
        """`Client.list_backups_json`, run off the event loop; cancelling the task cancels it."""
        return await self._call(_native.list_backups_json, query)

    def close(self) -> None:
        """Free the native client and the client's threads once the calls running then
        have finished (their log lines stop at once); later calls raise
        `InvalidArgumentError`. Closing twice is harmless."""
        super().close()
        executor = getattr(self, "_executor", None)  # None when __init__ failed
        if executor is not None:
            executor.shutdown(wait=False)

    async def aclose(self) -> None:
        """`close()`, awaitable (as `contextlib.aclosing` and ``async with`` expect)."""
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        await self.aclose()

    async def _call(self, call: _native.NativeCall[_native.Result], query: Mapping[str, Any]) -> _native.Result:
        """`call` with the query's JSON, on one of the client's threads, with a
        `GesCancel` that the task's cancellation requests."""
        document = encode_query(query)
        handle = self._acquire()
        cancellation = _native.Cancellation()

        def finished(_: object) -> None:  # run once, when the call ends or never starts
            cancellation.free()
            self._release()

        try:
            work: Future[_native.Result] = self._executor.submit(call, handle, document, cancellation.flag)
        except RuntimeError:  # closed between _acquire and submit: the executor is shut down
            finished(None)
            raise InvalidArgumentError("this ges_backups.AsyncClient is closed; create a new one") from None
        except BaseException:
            finished(None)
            raise
        work.add_done_callback(finished)
        outcome = asyncio.wrap_future(work)
        try:
            # Shielded: a cancelled task cancels only its wait, and then the call.
            return await asyncio.shield(outcome)
        except asyncio.CancelledError:
            if not work.cancel():  # it has started: the library stops it within 100 ms
                cancellation.request()
            await _ended(outcome)
            raise


async def _ended(outcome: asyncio.Future[Any]) -> None:
    """Wait until a cancelled call has returned, through further cancellations (the
    library returns within 100 ms of the request): when the cancelled task ends,
    nothing of its call is left running. Its result or error is dropped."""
    while not outcome.done():
        try:
            await asyncio.wait([outcome])
        except asyncio.CancelledError:
            pass
    if not outcome.cancelled():
        outcome.exception()  # retrieved: asyncio logs no "never retrieved" error
