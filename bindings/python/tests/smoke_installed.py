"""Smoke test of an installed ges_backups, run by run_tests.sh in a fresh virtual
environment of each supported Python (standard library and the package only).

    python smoke_installed.py EMULATOR_BINARY EXPECTED_VERSION [--editable SOURCE_DIR]
                              [--no-toolchain] [--ctrl-c]

Starts the real emulator on loopback with 25 generated backups, lists them through
the installed package (`Client` and `AsyncClient`), checks where the package and its
library were loaded from, and that `typing.get_type_hints` resolves on every public
callable on this Python. With --ctrl-c, also interrupts a slow listing in a child
process with SIGINT, and cancels the task of an `AsyncClient` listing: each must end
within half a second on this Python, with no request after it.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import typing
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, Tuple

import ges_backups
from ges_backups import _native


@contextmanager
def emulator(binary: str, *arguments: str) -> Iterator[str]:
    process = subprocess.Popen(
        [binary, "--listen", "127.0.0.1:0", "--auth-token", "smoke", *arguments], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip()
    finally:
        process.terminate()
        process.wait(10)


CHILD = """
import json, signal, sys, time
signal.signal(signal.SIGINT, signal.default_int_handler)  # even if the parent ignored it
import ges_backups
client = ges_backups.Client(endpoint=sys.argv[1], project_id="demo-project", auth_token="smoke",
                            page_size=10, max_concurrency=1)
print("listing", flush=True)
try:
    client.list_backups()
except KeyboardInterrupt:
    print(json.dumps(time.monotonic()), flush=True)
"""


def public_callables() -> Iterator[Tuple[str, Callable[..., Any]]]:
    """Every public function, class, method and property getter of `ges_backups`
    (inherited ones included), by name."""
    for name in ges_backups.__all__:
        value = getattr(ges_backups, name)
        if inspect.isfunction(value):
            yield name, value
        if not inspect.isclass(value):
            continue
        yield name, value  # the class itself: its fields or TypedDict keys
        members: Dict[str, Any] = {}
        for cls in reversed(value.__mro__[:-1]):  # inherited ones too, not object's
            members.update(vars(cls))
        for attribute, member in members.items():
            if attribute.startswith("_") and attribute not in (
                "__init__", "__enter__", "__exit__", "__aenter__", "__aexit__",
            ):
                continue
            if isinstance(member, property) and member.fget is not None:
                yield f"{name}.{attribute}", member.fget
            elif inspect.isfunction(member):
                yield f"{name}.{attribute}", member


def requests(url: str) -> int:
    """The emulator's count of list requests."""
    count: int = json.load(urllib.request.urlopen(f"{url}/__emulator/stats", timeout=5))["requests"]
    return count


def wait_for_a_request(url: str) -> None:
    """Until a listing reaches the emulator, and a little more (it waits on the answer)."""
    deadline = time.monotonic() + 10
    while requests(url) == 0:
        assert time.monotonic() < deadline, "the listing never reached the emulator"
        time.sleep(0.05)
    time.sleep(0.3)


def assert_no_request_after(url: str) -> None:
    """Past the delayed answer and a next page's request, the count has not moved."""
    after = requests(url)
    time.sleep(2.5)
    assert requests(url) == after, "a request started after the cancel"


def ctrl_c_latency(url: str) -> float:
    """Seconds from SIGINT to KeyboardInterrupt in a child listing 2-second pages."""
    child = subprocess.Popen([sys.executable, "-c", CHILD, url], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "listing"
        wait_for_a_request(url)
        sent_at = time.monotonic()
        child.send_signal(signal.SIGINT)
        interrupted_at = float(json.loads(child.stdout.readline()))
        assert child.wait(10) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert_no_request_after(url)
    return interrupted_at - sent_at


def task_cancel_latency(url: str) -> float:
    """Seconds from task.cancel() to the end of a task listing 2-second pages."""

    async def main() -> float:
        async with ges_backups.AsyncClient(
            endpoint=url, project_id="demo-project", auth_token="smoke", page_size=10, max_concurrency=1
        ) as client:
            task = asyncio.ensure_future(client.list_backups())
            await asyncio.get_running_loop().run_in_executor(None, wait_for_a_request, url)
            cancelled_at = time.monotonic()
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                return time.monotonic() - cancelled_at
            raise AssertionError("the cancelled task finished its listing")

    latency = asyncio.run(main())
    assert_no_request_after(url)
    return latency


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("emulator")
    parser.add_argument("version")
    parser.add_argument("--editable", metavar="SOURCE_DIR", help="the package must come from this folder")
    parser.add_argument("--no-toolchain", action="store_true", help="fail when cargo or rustc is on PATH")
    parser.add_argument("--ctrl-c", action="store_true", help="check that Ctrl-C cancels a listing")
    args = parser.parse_args()

    if args.no_toolchain:
        found = [tool for tool in ("cargo", "rustc") if shutil.which(tool)]
        assert not found, f"{found} on PATH"
    package = Path(ges_backups.__file__).resolve().parent
    if args.editable:
        assert package == Path(args.editable).resolve() / "ges_backups", package
    else:
        assert Path(sys.prefix).resolve() in package.parents, f"{package} is not in {sys.prefix}"
    assert _native.library_path().parent == package, _native.library_path()
    assert (package / "py.typed").is_file()
    assert ges_backups.__version__ == args.version, (ges_backups.__version__, args.version)
    assert ges_backups.abi_version() == 1
    # Hints resolve at run time on this Python too (Unpack, Self, Literal, PathLike).
    resolved = {name: typing.get_type_hints(target) for name, target in public_callables()}
    assert "AsyncClient.list_backups" in resolved and "Client.list_backups_json" in resolved
    assert typing.get_args(resolved["Query"]["status"]) == ("backing_up", "success", "failed")

    os.environ["NO_PROXY"] = "127.0.0.1"
    with emulator(args.emulator, "--backups", "25", "--graphs", "3") as url:
        with ges_backups.Client(endpoint=url, project_id="demo-project", auth_token="smoke") as client:
            backups = client.list_backups()
            newest = client.list_backups(most_recent=True)

        async def gathered() -> Tuple[ges_backups.BackupList, ...]:
            async with ges_backups.AsyncClient(endpoint=url, project_id="demo-project", auth_token="smoke") as client:
                return tuple(await asyncio.gather(client.list_backups(), client.list_backups(most_recent=True)))

        assert asyncio.run(gathered()) == (backups, newest)
    assert len(backups) == 25 == backups.total_count, (len(backups), backups.total_count)
    assert len({backup.id for backup in backups}) == 25
    starts = [backup.start_timestamp for backup in backups]
    assert starts == sorted(starts, reverse=True)
    assert list(newest) == [backups[0]]
    assert backups[0].start_datetime is not None and backups[0].start_datetime.tzinfo is not None
    assert backups[0].to_dict()["id"] == backups[0].id
    interrupted = ""
    if args.ctrl_c:
        with emulator(args.emulator, "--latency-ms", "2000", "--backups", "50") as url:
            latency = ctrl_c_latency(url)
            assert 0 <= latency < 0.5, f"Ctrl-C took {latency:.3f} s"
            reset = urllib.request.Request(
                f"{url}/__emulator/reset", data=b"{}", method="POST", headers={"Content-Type": "application/json"}
            )
            urllib.request.urlopen(reset, timeout=5)
            cancel = task_cancel_latency(url)
            assert 0 <= cancel < 0.5, f"task.cancel() took {cancel:.3f} s"
        interrupted = (
            f"; Ctrl-C cancelled a listing in {latency * 1000:.0f} ms, task.cancel() an async one "
            f"in {cancel * 1000:.0f} ms"
        )
    print(
        f"python {sys.version.split()[0]}: ges_backups {ges_backups.__version__} from {package} "
        f"listed {len(backups)} backups from the emulator{interrupted}"
    )


if __name__ == "__main__":
    main()
