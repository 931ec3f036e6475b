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
    """argv: URL PROJECT AK SK [warmup|serve]. With "warmup", one listing on another
    client runs first (imports and code paths warm, connections not). With "serve",
    see serve()."""
    mode = sys.argv[5] if len(sys.argv) > 5 else ""
    if mode == "serve":
        serve(make_client(), list_all)
        return
    if mode == "warmup":
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


def serve(client: Any, list_all: Callable[[Any], Sized]) -> None:
    """W1 in one process (bench/README.md): one client; each "list" line on stdin
    lists everything once on it and prints the listing's count, wall time and the
    process's CPU clock (every thread) at its start and end; the listing's result is
    dropped inside the timed span. "end" or EOF prints the CPU clock and the peak RSS."""
    for line in sys.stdin:
        if line.strip() != "list":
            break
        cpu0, wall0 = time.process_time(), time.perf_counter()
        count = len(list_all(client))
        wall, cpu1 = time.perf_counter() - wall0, time.process_time()
        print(json.dumps({"count": count, "wall_s": wall, "cpu_start_s": cpu0, "cpu_end_s": cpu1}), flush=True)
    print(json.dumps({"cpu_s": time.process_time(),
                      "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}), flush=True)
