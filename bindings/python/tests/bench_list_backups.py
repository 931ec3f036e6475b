"""CPU of `list_backups` against the bare C ABI call, in one process (issue 13).

    python tests/bench_list_backups.py [BACKUPS] [ROUNDS]

Starts the emulator (`$GES_EMULATOR` or target/release/ges-emulator) with BACKUPS
backups (default 10,000), then runs ROUNDS rounds (default 30), each measuring, in
turn: `ges_list_backups` + `ges_backup_list_free` through ctypes (the C ABI's own
cost), `client.list_backups()` alone, the same plus reading one field of every
backup, and the same plus keeping every backup in a list. Prints the median CPU
time of each and its ratio to the C ABI's. A benchmark, not a test: pytest does not
collect it."""

from __future__ import annotations

import ctypes
import gc
import os
import statistics
import sys
import time
from collections import deque
from pathlib import Path
from typing import Callable, Dict, List

import ges_backups
from emulator import ACCESS_KEY, PROJECT_ID, SECRET_KEY, Emulator
from ges_backups import _native

REPO = Path(__file__).resolve().parents[3]


def main() -> None:
    backups = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    binary = Path(os.environ.get("GES_EMULATOR") or REPO / "target" / "release" / "ges-emulator")
    args = ("--backups", str(backups), "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY)
    with Emulator.start(binary, *args) as emulator, ges_backups.Client(
        endpoint=emulator.url, project_id=PROJECT_ID, access_key=ACCESS_KEY, secret_key=SECRET_KEY
    ) as client:
        handle = client._acquire()

        def c_abi() -> int:
            out = _native._ListP()
            err = _native.lib.ges_list_backups(handle, b"{}", ctypes.byref(out))
            assert not err
            count: int = out.contents.len
            _native.lib.ges_backup_list_free(out)
            return count

        def call_only() -> int:
            return len(client.list_backups())

        def read_each() -> int:
            result = client.list_backups()
            deque((backup.size for backup in result), maxlen=0)
            return len(result)

        def keep_all() -> int:
            return len(list(client.list_backups()))

        cases: Dict[str, Callable[[], int]] = {
            "C ABI (ctypes call + free)": c_abi,
            "list_backups()": call_only,
            "list_backups(), one field of each": read_each,
            "list(list_backups())": keep_all,
        }
        samples: Dict[str, List[float]] = {name: [] for name in cases}
        for case in cases.values():
            case()  # warm-up: imports, code paths, connections
        gc.collect()
        for _ in range(rounds):
            for name, case in cases.items():
                started = time.process_time()
                count = case()
                samples[name].append(time.process_time() - started)
                assert count == backups, (name, count)
        client._release()
    base = statistics.median(samples["C ABI (ctypes call + free)"])
    print(f"{backups:,} backups, median CPU of {rounds} rounds (Python {sys.version.split()[0]}):")
    for name, times in samples.items():
        median = statistics.median(times)
        print(f"  {name:36s} {median * 1000:8.2f} ms  {median / base:5.2f}x the C ABI")


if __name__ == "__main__":
    main()
