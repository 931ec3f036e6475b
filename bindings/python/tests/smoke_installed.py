"""Smoke test of an installed ges_backups, run by run_tests.sh in a fresh virtual
environment of each supported Python (standard library and the package only).

    python smoke_installed.py EMULATOR_BINARY EXPECTED_VERSION [--editable SOURCE_DIR]
                              [--no-toolchain] [--ctrl-c]

Starts the real emulator on loopback with 25 generated backups, lists them through
the installed package, and checks where the package and its library were loaded from.
With --ctrl-c, also interrupts a slow listing in a child process with SIGINT: it must
raise KeyboardInterrupt within half a second on this Python.
"""

from __future__ import annotations

import argparse
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
from typing import Iterator

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


def ctrl_c_latency(binary: str) -> float:
    """Seconds from SIGINT to KeyboardInterrupt in a child listing 2-second pages."""
    with emulator(binary, "--latency-ms", "2000", "--backups", "50") as url:
        child = subprocess.Popen([sys.executable, "-c", CHILD, url], stdout=subprocess.PIPE, text=True)
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "listing"
            deadline = time.monotonic() + 10
            while json.load(urllib.request.urlopen(f"{url}/__emulator/stats", timeout=5))["requests"] == 0:
                assert time.monotonic() < deadline, "the listing never reached the emulator"
                time.sleep(0.05)
            time.sleep(0.3)
            sent_at = time.monotonic()
            child.send_signal(signal.SIGINT)
            interrupted_at = float(json.loads(child.stdout.readline()))
            assert child.wait(10) == 0
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
    return interrupted_at - sent_at


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
    # Hints resolve at run time on this Python too (Unpack, Self, Union of PathLike).
    for function in (ges_backups.Client.__init__, ges_backups.Client.list_backups, ges_backups.Client.__enter__):
        typing.get_type_hints(function)
    typing.get_type_hints(ges_backups.Config)

    os.environ["NO_PROXY"] = "127.0.0.1"
    with emulator(args.emulator, "--backups", "25", "--graphs", "3") as url:
        with ges_backups.Client(endpoint=url, project_id="demo-project", auth_token="smoke") as client:
            backups = client.list_backups()
            newest = client.list_backups(most_recent=True)
    assert len(backups) == 25 == backups.total_count, (len(backups), backups.total_count)
    assert len({backup.id for backup in backups}) == 25
    starts = [backup.start_timestamp for backup in backups]
    assert starts == sorted(starts, reverse=True)
    assert list(newest) == [backups[0]]
    assert backups[0].start_datetime is not None and backups[0].start_datetime.tzinfo is not None
    assert backups[0].to_dict()["id"] == backups[0].id
    interrupted = ""
    if args.ctrl_c:
        latency = ctrl_c_latency(args.emulator)
        assert 0 <= latency < 0.5, f"Ctrl-C took {latency:.3f} s"
        interrupted = f"; Ctrl-C cancelled a listing in {latency * 1000:.0f} ms"
    print(
        f"python {sys.version.split()[0]}: ges_backups {ges_backups.__version__} from {package} "
        f"listed {len(backups)} backups from the emulator{interrupted}"
    )


if __name__ == "__main__":
    main()
