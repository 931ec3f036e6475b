"""What every Python contender reports, measured the same way as the C and Go drivers."""
import json
import resource
import sys
import time
from typing import Any, Callable, Sized


def rss_kib() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4


def report(make_client: Callable[[], Any], list_all: Callable[[Any], Sized]) -> None:
    """argv: URL PROJECT AK SK [warmup]. With "warmup", one listing on another client
    runs first (imports and code paths warm, connections not)."""
    if len(sys.argv) > 5 and sys.argv[5] == "warmup":
        list_all(make_client())
    client = make_client()
    rss_before = rss_kib()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    backups = list_all(client)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    print(json.dumps({
        "count": len(backups),
        "wall_s": wall,
        "cpu_s": cpu,
        "rss_before_kib": rss_before,
        "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }))
