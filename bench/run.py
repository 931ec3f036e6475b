#!/usr/bin/env python3
"""The performance harness of issue 5 (bench/README.md): starts emulators, runs every
contender on the same data in the same run, and prints the table with the targets.

Expects what bench/run.sh builds. Standard library only."""
import argparse
import json
import math
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[1]
BUILT = ROOT / "target" / "bench"
EMULATOR = ROOT / "target" / "release" / "ges-emulator"
GES_BENCH = ROOT / "target" / "release" / "ges-bench"
VENV_PYTHON = ROOT / "target" / "venvs" / "bench" / "bin" / "python"
DRIVERS = ROOT / "bench" / "drivers"
PROJECT, AK, SK = "demo-project", "AKBENCH", "SKbench-secret"
PAGE_SIZE, MAX_CONCURRENCY = 100, 4
TICKS = os.sysconf("SC_CLK_TCK")

# name, command; every driver takes URL PROJECT AK SK [warmup] and prints one JSON object.
OURS_C = "ges-backups C ABI, from C"
WIDE = 8
OURS_C_WIDE = f"ges-backups C ABI, from C, max_concurrency {WIDE} (W2 only)"
OFFICIAL_PY = "official Python SDK (huaweicloudsdkges 3.1.219)"
OFFICIAL_GO = "official Go SDK (huaweicloud-sdk-go-v3 v0.1.207)"
OURS_PY = "ges_backups (Python package)"
# The Python package builds its Backup objects when they are read: this contender
# reads them all (BackupList.backups), as the official SDKs build theirs (W1 in one
# process and W4 only).
OURS_PY_ALL = "ges_backups (Python package), every backup read"
READ_ALL_ENV = {"BENCH_READ": "all"}
CONTENDERS: List[Tuple[str, List[str]]] = [
    (OFFICIAL_PY, [str(VENV_PYTHON), str(DRIVERS / "official_sdk.py")]),
    (OFFICIAL_GO, [str(BUILT / "official_go")]),
    (OURS_C, [str(BUILT / "c_abi")]),
    (OURS_PY, [str(VENV_PYTHON), str(DRIVERS / "ours.py")]),
    ("gesbackups (Go package)", [str(BUILT / "ours_go")]),
]
DRIVER_ENV = dict(
    os.environ,
    PYTHONPATH=str(ROOT / "bindings" / "python"),
    GES_BACKUPS_LIBRARY=str(ROOT / "target" / "release" / "libges_backups.so"),
)


def machine_busy_ticks() -> int:
    """CPU ticks the whole machine spent busy so far (every core, /proc/stat)."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields[:8]) - idle


def process_ticks(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime, every thread


class Emulator:
    """One ges-emulator process on a free loopback port, signing required."""

    def __init__(self, backups: int, latency_ms: int = 0) -> None:
        args = [str(EMULATOR), "--listen", "127.0.0.1:0", "--backups", str(backups),
                "--access-key", AK, "--secret-key", SK]
        if latency_ms:
            args += ["--latency-ms", str(latency_ms)]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http://"):
            raise SystemExit(f"the emulator did not start: {self.url!r}")

    def cpu_s(self) -> float:
        return process_ticks(self.proc.pid) / TICKS

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


class Disturbance:
    """How much of the machine other processes took while a workload ran: the
    machine's busy time less the harness's own (it, its children, the emulator)."""

    def __init__(self) -> None:
        self.busy0, self.own0, self.wall0 = machine_busy_ticks(), self.own(), time.monotonic()

    @staticmethod
    def own() -> float:
        t = os.times()
        return t.user + t.system + t.children_user + t.children_system

    def share(self) -> float:
        """Other processes' share of all cores; call after the emulator was waited for."""
        wall = time.monotonic() - self.wall0
        busy = (machine_busy_ticks() - self.busy0) / TICKS
        others = max(0.0, busy - (self.own() - self.own0))
        return others / (wall * (os.cpu_count() or 1))


def run_json(cmd: List[str], env: Optional[Dict[str, str]] = None, timeout: float = 900) -> Dict[str, Any]:
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({out.returncode}): {out.stderr.strip()}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def contender(cmd: List[str], url: str, expected: int, warmup: bool,
              env: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
    result = run_json(cmd + [url, PROJECT, AK, SK] + (["warmup"] if warmup else []), env=dict(DRIVER_ENV, **(env or {})))
    if result["count"] != expected:
        raise SystemExit(f"{cmd[-1]} listed {result['count']} backups, {expected} expected")
    result["peak_rss_kib"] = max(result["peak_rss_kib"], result["rss_before_kib"])
    return result


def raw_fetch(url: str, total: int, concurrency: int, repeat: int = 1) -> Dict[str, Any]:
    return run_json([str(GES_BENCH), "raw-fetch", "--url", url, "--total", str(total),
                     "--page-size", str(PAGE_SIZE), "--concurrency", str(concurrency),
                     "--repeat", str(repeat), "--project", PROJECT, "--ak", AK, "--sk", SK])


Samples = Dict[str, List[float]]


def rounds(runs: int, names: List[str], one: Callable[[str], None]) -> None:
    """`runs` rounds over every name, the order rotated each round so that no
    contender always runs first or right after the same neighbour."""
    for r in range(runs):
        for k in range(len(names)):
            one(names[(k + r) % len(names)])


def w1(backups: int, runs: int) -> Tuple[Samples, Samples, Dict[str, Any], float]:
    """Wall and CPU of a full listing, no added latency; floors; emulator throughput."""
    wall: Samples = {}
    cpu: Samples = {}
    emulator = Emulator(backups)
    disturbance = Disturbance()
    floors = {"raw fetch, 4 connections": MAX_CONCURRENCY, "raw fetch, 1 connection": 1}
    commands = dict(CONTENDERS)

    def one(name: str) -> None:
        if name in floors:
            r = raw_fetch(emulator.url, backups, floors[name])
        else:
            r = contender(commands[name], emulator.url, backups, warmup=True)
        wall.setdefault(name, []).append(r["wall_s"])
        cpu.setdefault(name, []).append(r["cpu_s"])

    rounds(runs, list(commands) + list(floors), one)
    # The emulator's own throughput, measured with the raw client.
    throughput = {}
    listings = 10
    for c in (1, 2, MAX_CONCURRENCY, 8):
        cpu0 = emulator.cpu_s()
        r = raw_fetch(emulator.url, backups, c, repeat=listings)
        throughput[c] = {
            "pages_per_s": r["pages"] / r["wall_s"],
            "backups_per_s": backups * listings / r["wall_s"],
            "emulator_cpu_ms_per_listing": (emulator.cpu_s() - cpu0) * 1000 / listings,
            "client_cpu_ms_per_listing": r["cpu_s"] * 1000 / listings,
            "wall_ms_per_listing": r["wall_s"] * 1000 / listings,
        }
    emulator.stop()
    return wall, cpu, throughput, disturbance.share()


def w2(backups: int, runs: int, latency_ms: int) -> Tuple[Samples, float]:
    wall: Samples = {}
    emulator = Emulator(backups, latency_ms)
    disturbance = Disturbance()
    commands = dict(CONTENDERS)
    floor = "raw fetch, 4 connections"

    def one(name: str) -> None:
        if name == floor:
            r = raw_fetch(emulator.url, backups, MAX_CONCURRENCY)
        elif name == OURS_C_WIDE:
            r = contender(commands[OURS_C], emulator.url, backups, warmup=True,
                          env={"BENCH_MAX_CONCURRENCY": str(WIDE)})
        else:
            r = contender(commands[name], emulator.url, backups, warmup=True)
        wall.setdefault(name, []).append(r["wall_s"])

    rounds(runs, list(commands) + [OURS_C_WIDE, floor], one)
    emulator.stop()
    return wall, disturbance.share()


def w3(backups: int, answer_backups: int, runs: int, budget_ms: int) -> Dict[str, Any]:
    emulator = Emulator(backups)
    answer = BUILT / f"answer-{answer_backups}.json"
    subprocess.run([str(GES_BENCH), "fetch-body", "--url", emulator.url, "--limit", str(answer_backups),
                    "--out", str(answer), "--project", PROJECT, "--ak", AK, "--sk", SK], check=True)
    emulator.stop()
    disturbance = Disturbance()
    r = run_json([str(GES_BENCH), "decode", "--file", str(answer), "--rounds", str(runs),
                  "--budget-ms", str(budget_ms)])
    r["ratios"] = [a / b for a, b in zip(r["ours"], r["serde_owned"])]
    r["disturbance"] = disturbance.share()
    return r


def w4(backups: int, runs: int) -> Tuple[Samples, int, float]:
    rss: Samples = {}
    emulator = Emulator(backups)
    disturbance = Disturbance()
    json_bytes = raw_fetch(emulator.url, backups, 1)["bytes"]
    commands = dict(CONTENDERS)

    def one(name: str) -> None:
        if name == OURS_PY_ALL:
            r = contender(commands[OURS_PY], emulator.url, backups, warmup=False, env=READ_ALL_ENV)
        else:
            r = contender(commands[name], emulator.url, backups, warmup=False)
        rss.setdefault(name, []).append(r["peak_rss_kib"] * 1024)

    rounds(runs, list(commands) + [OURS_PY_ALL], one)
    emulator.stop()
    return rss, json_bytes, disturbance.share()


W5_THREADS, W5_LISTINGS = 16, 10
# A shared client whose bound lets every thread's pages through at once.
W5_ROOMY = f"shared-{W5_THREADS * MAX_CONCURRENCY}"


def w5(backups: int, runs: int, latency_ms: int) -> Tuple[Samples, Samples, float]:
    """16 threads x 10 listings, on one shared client against 16 separate clients,
    every client with the library's defaults (max_concurrency, max_connections)."""
    wall: Samples = {}
    rss: Samples = {}
    emulator = Emulator(backups, latency_ms)
    disturbance = Disturbance()

    def one(mode: str) -> None:
        r = run_json([str(BUILT / "c_shared"), emulator.url, PROJECT, AK, SK,
                      str(W5_THREADS), str(W5_LISTINGS), mode])
        if r["count"] != backups * W5_THREADS * W5_LISTINGS:
            raise SystemExit(f"W5 {mode}: listed {r['count']} backups")
        wall.setdefault(mode, []).append(r["wall_s"])
        rss.setdefault(mode, []).append(r["peak_rss_kib"] * 1024)

    rounds(runs, ["shared", "separate", W5_ROOMY], one)
    emulator.stop()
    return wall, rss, disturbance.share()


def w1_one_process(backups: int, repeat: int) -> Tuple[Samples, Samples, Dict[str, Any], float]:
    """W1 in one process: every contender's driver in "serve" mode keeps one client;
    after a warm-up listing on it, it lists everything `repeat` times. The drivers
    wait for the harness between listings, so contenders alternate listing by
    listing (rotating order) and each measures its own. A listing's CPU is the
    process's CPU clock from its start to the next listing's start (the last: to
    the end), so work a runtime defers past a listing's return is charged to it."""
    wall: Samples = {}
    cpu: Samples = {}
    emulator = Emulator(backups)
    disturbance = Disturbance()
    commands = CONTENDERS + [(OURS_PY_ALL, dict(CONTENDERS)[OURS_PY])]
    procs = {name: subprocess.Popen(cmd + [emulator.url, PROJECT, AK, SK, "serve"], stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, text=True, bufsize=1,
                                    env=dict(DRIVER_ENV, **(READ_ALL_ENV if name == OURS_PY_ALL else {})))
             for name, cmd in commands}
    starts: Dict[str, List[float]] = {name: [] for name in procs}

    def ask(name: str, line: str) -> Dict[str, Any]:
        proc = procs[name]
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(line + "\n")
        proc.stdin.flush()
        answer = proc.stdout.readline()
        if not answer:
            raise SystemExit(f"W1 in one process: {name} stopped ({proc.wait()})")
        return json.loads(answer)

    def one(name: str, measured: bool = True) -> None:
        r = ask(name, "list")
        if r["count"] != backups:
            raise SystemExit(f"W1 in one process: {name} listed {r['count']} backups, {backups} expected")
        if measured:
            wall.setdefault(name, []).append(r["wall_s"])
            starts[name].append(r["cpu_start_s"])

    for name in procs:  # the warm-up listing, not measured
        one(name, measured=False)
    rounds(repeat, list(procs), one)
    peak: Dict[str, int] = {}
    for name, proc in procs.items():
        end = ask(name, "end")
        proc.wait(timeout=60)
        marks = starts[name] + [end["cpu_s"]]
        cpu[name] = [b - a for a, b in zip(marks, marks[1:])]
        peak[name] = end["peak_rss_kib"]
    # The raw-fetch floor, the same number of listings in one process (mean per listing).
    floor = raw_fetch(emulator.url, backups, MAX_CONCURRENCY, repeat=repeat)
    emulator.stop()
    return wall, cpu, {"raw_wall_s": floor["wall_s"] / repeat, "raw_cpu_s": floor["cpu_s"] / repeat,
                       "peak_rss_kib": peak}, disturbance.share()


PLAN_SCRIPT = ROOT / "bindings" / "terraform" / "bench_plan.sh"


def plan(sizes: List[int], runs: int) -> Dict[int, Dict[str, List[float]]]:
    """`terraform plan` of one ges_backups data source (bindings/terraform/bench_plan.sh
    --json), `runs` plans per size, on the prefix run.sh installed."""
    out = subprocess.run([str(PLAN_SCRIPT), "--json", "--runs", str(runs)] + [str(n) for n in sizes],
                         capture_output=True, text=True, timeout=1800,
                         env=dict(os.environ, GES_PREFIX=str(BUILT / "prefix")))
    if out.returncode != 0:
        raise SystemExit(f"{PLAN_SCRIPT} failed ({out.returncode}; --no-plan skips it): {out.stderr.strip()}")
    rows: Dict[int, Dict[str, List[float]]] = {}
    for line in out.stdout.splitlines():
        if line.startswith("{"):
            r = json.loads(line)
            row = rows.setdefault(r.pop("backups"), {})
            for k, v in r.items():
                row.setdefault(k, []).append(v)
    return rows


def library_default(key: str) -> str:
    """A config key's default as the library's source states it (src/config.rs), so
    that a row names what it ran with."""
    m = re.search(rf'int\("{key}",[^)]*,\s*(\d+)\)', (ROOT / "src" / "config.rs").read_text())
    return m.group(1) if m else "the library's default"


def med(xs: List[float]) -> float:
    return statistics.median(xs)


def cell(xs: Optional[List[float]], scale: float, digits: int = 0) -> str:
    if not xs:
        return "–"
    f = lambda x: f"{x * scale:,.{digits}f}"  # noqa: E731
    if len(xs) == 1:
        return f(xs[0])
    return f"{f(med(xs))} ({f(min(xs))}–{f(max(xs))})"


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**missed**"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--backups", type=int, default=10_000, help="W1/W2 list size")
    p.add_argument("--large", type=int, default=100_000, help="W4 list size")
    p.add_argument("--runs", type=int, default=5, help="runs per contender (W1, W2, W3 rounds)")
    p.add_argument("--w4-runs", type=int, default=3)
    p.add_argument("--latency-ms", type=int, default=20)
    p.add_argument("--answer", type=int, default=1000, help="W3: backups in the one answer")
    p.add_argument("--decode-budget-ms", type=int, default=300, help="W3: CPU time per round and contender")
    p.add_argument("--repeat", type=int, default=20, help="W1 in one process: listings after the warm-up")
    p.add_argument("--plan-sizes", default="1,5000,20000", help="terraform plan: backups, comma-separated")
    p.add_argument("--plan-runs", type=int, default=3, help="terraform plan: plans per size")
    p.add_argument("--no-plan", action="store_true", help="skip the terraform plan rows")
    p.add_argument("--tiny", action="store_true", help="CI: tiny sizes, one run; checks that everything runs")
    p.add_argument("--json", type=Path, help="also write every sample here")
    a = p.parse_args()
    if a.tiny:
        a.backups, a.large, a.runs, a.w4_runs = 250, 1_000, 1, 1
        a.latency_ms, a.answer, a.decode_budget_ms = 5, 100, 20
        a.repeat, a.plan_sizes, a.plan_runs = 2, "1,200", 1

    started = time.time()
    w1_wall, w1_cpu, throughput, w1_dist = w1(a.backups, a.runs)
    op_wall, op_cpu, op_extra, op_dist = w1_one_process(a.backups, a.repeat)
    w2_wall, w2_dist = w2(a.backups, a.runs, a.latency_ms)
    decode = w3(a.backups, a.answer, a.runs, a.decode_budget_ms)
    w4_rss, json_bytes, w4_dist = w4(a.large, a.w4_runs)
    w5_wall, w5_rss, w5_dist = w5(a.backups, a.w4_runs, a.latency_ms)
    plan_sizes = [int(x) for x in a.plan_sizes.split(",") if x]
    plan_dist = Disturbance()
    plans = {} if a.no_plan else plan(plan_sizes, a.plan_runs)
    plan_dist_share = plan_dist.share()
    took = time.time() - started

    pages = math.ceil(a.backups / PAGE_SIZE)
    latency_floor = (1 + math.ceil((pages - 1) / MAX_CONCURRENCY)) * a.latency_ms / 1000
    wide_floor = (1 + math.ceil((pages - 1) / WIDE)) * a.latency_ms / 1000
    names = [n for n, _ in CONTENDERS]
    floors = ["raw fetch, 4 connections", "raw fetch, 1 connection"]
    mib = 1 / 2**20

    out: List[str] = []
    w = out.append
    w(f"Backups: W1/W2 {a.backups:,} in pages of {PAGE_SIZE}, W4 {a.large:,}; W2 latency {a.latency_ms} ms per "
      f"request; median of {a.runs} runs (W4: {a.w4_runs}), min–max in brackets. "
      f"Machine: {os.cpu_count()} cores; {took:.0f} s in all.")
    w("")
    w("| contender | W1 wall ms | W1 client CPU ms | W2 wall ms | W4 peak RSS MiB |")
    w("|---|---|---|---|---|")
    for n in names:
        w(f"| {n} | {cell(w1_wall.get(n), 1e3, 1)} | {cell(w1_cpu.get(n), 1e3, 1)} | "
          f"{cell(w2_wall.get(n), 1e3)} | {cell(w4_rss.get(n), mib, 1)} |")
    w(f"| {OURS_PY_ALL} (W4 only) | | | | {cell(w4_rss.get(OURS_PY_ALL), mib, 1)} |")
    w(f"| {OURS_C_WIDE} | | | {cell(w2_wall.get(OURS_C_WIDE), 1e3)} | |")
    w(f"| floor: raw fetch, keep-alive, no decoding, {MAX_CONCURRENCY} connections | "
      f"{cell(w1_wall[floors[0]], 1e3, 1)} | {cell(w1_cpu[floors[0]], 1e3, 1)} | {cell(w2_wall[floors[0]], 1e3)} | |")
    w(f"| floor: the same, 1 connection | {cell(w1_wall[floors[1]], 1e3, 1)} | "
      f"{cell(w1_cpu[floors[1]], 1e3, 1)} | | |")
    w(f"| floor: (1 + ⌈({pages} − 1) / {MAX_CONCURRENCY}⌉) × {a.latency_ms} ms | | | {latency_floor * 1e3:.0f} | |")
    w(f"| floor: (1 + ⌈({pages} − 1) / {WIDE}⌉) × {a.latency_ms} ms | | | {wide_floor * 1e3:.0f} | |")
    w(f"| the answers' JSON ({a.large:,} backups, {math.ceil(a.large / PAGE_SIZE)} pages) | | | | "
      f"{json_bytes * mib:.1f} |")
    w("")
    w(f"W1 in one process: each contender's one client lists the {a.backups:,} backups {a.repeat} times after a "
      f"warm-up listing on it, contenders alternating listing by listing; per listing, median (min–max) of "
      f"{a.repeat}; CPU of the whole process (every thread) from one listing's start to the next's:")
    w("")
    w("| contender | wall ms per listing | client CPU ms per listing | peak RSS MiB |")
    w("|---|---|---|---|")
    for n in names + [OURS_PY_ALL]:
        w(f"| {n} | {cell(op_wall[n], 1e3, 1)} | {cell(op_cpu[n], 1e3, 1)} | "
          f"{op_extra['peak_rss_kib'][n] / 1024:.1f} |")
    w(f"| floor: raw fetch, keep-alive, no decoding, {MAX_CONCURRENCY} connections, mean of {a.repeat} listings "
      f"in one process | {op_extra['raw_wall_s'] * 1e3:.1f} | {op_extra['raw_cpu_s'] * 1e3:.1f} | |")
    w("")
    w(f"W5, {W5_THREADS} threads × {W5_LISTINGS} listings of {a.backups:,} backups, {a.latency_ms} ms per request, "
      f"every client with the library's defaults: max_concurrency {library_default('max_concurrency')}, "
      f"max_connections {library_default('max_connections')} (src/config.rs), unless the row says otherwise:")
    w("")
    w("| clients | wall s | peak RSS MiB |")
    w("|---|---|---|")
    w(f"| one shared client | {cell(w5_wall['shared'], 1, 2)} | {cell(w5_rss['shared'], mib, 1)} |")
    w(f"| {W5_THREADS} separate clients | {cell(w5_wall['separate'], 1, 2)} | {cell(w5_rss['separate'], mib, 1)} |")
    w(f"| one shared client, max_connections {W5_THREADS * MAX_CONCURRENCY} | {cell(w5_wall[W5_ROOMY], 1, 2)} | "
      f"{cell(w5_rss[W5_ROOMY], mib, 1)} |")
    w("")
    if plans:
        w(f"`terraform plan` of one ges_backups data source (bindings/terraform/bench_plan.sh), {a.plan_runs} "
          f"plan{'s' if a.plan_runs > 1 else ''} per size; the provider's own time is ReadDataSource from request "
          f"to encoded state and the library's the gesbackups.ListBackups call inside it, both from the "
          f"provider's log lines (ms):")
        w("")
        w("| backups | plan wall ms | the provider's ms | its share of the plan | the library's ms | "
          "provider peak RSS MiB | answers' JSON MiB | RSS / JSON |")
        w("|---|---|---|---|---|---|---|---|")
        for n, r in sorted(plans.items()):
            share = med(r["provider_ms"]) / med(r["plan_ms"])
            w(f"| {n:,} | {cell(r['plan_ms'], 1)} | {cell(r['provider_ms'], 1)} | {share:.1%} | "
              f"{cell(r['library_ms'], 1)} | {cell(r['provider_rss_kib'], 1 / 1024, 1)} | "
              f"{med(r['answers_bytes']) * mib:.2f} | "
              f"{med(r['provider_rss_kib']) * 1024 / med(r['answers_bytes']):.1f} |")
        w("")
    w(f"W3, one answer of {decode['backups']:,} backups ({decode['answer_bytes']:,} bytes) in memory, "
      f"thread CPU time, {decode['rounds']} rounds alternating:")
    w("")
    w("| decoder | backups/s per core |")
    w("|---|---|")
    w(f"| ges-backups: decode + convert to GesBackupList (+ free) | {cell(decode['ours'], 1)} |")
    w(f"| plain serde_json into owned Rust structs (String fields) | {cell(decode['serde_owned'], 1)} |")
    w(f"| ratio, per round | {cell(decode['ratios'], 1, 2)} |")
    w("")
    tp = throughput[MAX_CONCURRENCY]
    w(f"The emulator alone (the raw client listing all {a.backups:,} backups 10 times): "
      f"{tp['pages_per_s']:,.0f} pages/s, {tp['backups_per_s']:,.0f} backups/s on {MAX_CONCURRENCY} connections; "
      "per listing " + "; ".join(
          f"{t['wall_ms_per_listing']:.1f} ms wall and {t['emulator_cpu_ms_per_listing']:.0f} ms of emulator CPU "
          f"on {c} connection{'s' if c > 1 else ''}" for c, t in throughput.items()) + ".")
    w(f"Other processes' share of the machine while each workload ran: W1 {w1_dist:.0%}, "
      f"W1 in one process {op_dist:.0%}, W2 {w2_dist:.0%}, W3 {decode['disturbance']:.0%}, W4 {w4_dist:.0%}, "
      f"W5 {w5_dist:.0%}" + (f", terraform plan {plan_dist_share:.0%}." if plans else "."))
    w("")

    # Targets, from the medians of this run.
    if a.tiny:
        w("Tiny run (CI): the sizes are far too small for the targets; the verdicts below mean nothing.")
        w("")
    ours_cpu, ours_wall = med(w1_cpu[OURS_C]), med(w1_wall[OURS_C])
    floor_wall = min(med(w1_wall[f]) for f in floors)
    py_ratio = med(w1_cpu[OFFICIAL_PY]) / ours_cpu
    go_ratio = med(w1_cpu[OFFICIAL_GO]) / ours_cpu
    w(f"- W1 CPU, one listing per process: the official Python SDK uses {py_ratio:.1f}× the C ABI's client CPU "
      f"(target ≥ 20×): {verdict(py_ratio >= 20)}; the official Go SDK {go_ratio:.1f}× (target ≥ 3×): "
      f"{verdict(go_ratio >= 3)}.")
    op_c = med(op_cpu[OURS_C])
    ours_py, ours_go = OURS_PY, "gesbackups (Go package)"
    op = {n: med(op_cpu[n]) / op_c for n in (OFFICIAL_PY, OFFICIAL_GO, ours_py, ours_go, OURS_PY_ALL)}
    w(f"- W1 CPU in one process (medians of {a.repeat} listings after a warm-up): the official Python SDK uses "
      f"{op[OFFICIAL_PY]:.1f}× the C ABI's client CPU (target ≥ 30×): {verdict(op[OFFICIAL_PY] >= 30)}.")
    w(f"- W1 CPU in one process: the official Go SDK uses {op[OFFICIAL_GO]:.1f}× the C ABI's (target ≥ 5×): "
      f"{verdict(op[OFFICIAL_GO] >= 5)}.")
    w(f"- W1 CPU in one process: the Python package uses {op[ours_py]:.2f}× the C ABI's (target ≤ 1.5×): "
      f"{verdict(op[ours_py] <= 1.5)}; {op[OURS_PY_ALL]:.2f}× when every backup is read "
      f"({verdict(op[OURS_PY_ALL] <= 1.5)}).")
    w(f"- W1 CPU in one process: the Go package uses {op[ours_go]:.2f}× the C ABI's (target ≤ 1.3×): "
      f"{verdict(op[ours_go] <= 1.3)}.")
    w(f"- W1 CPU of the packages, one listing per process: the official Python SDK uses "
      f"{med(w1_cpu[OFFICIAL_PY]) / med(w1_cpu[ours_py]):.1f}× "
      f"the Python package's, the official Go SDK {med(w1_cpu[OFFICIAL_GO]) / med(w1_cpu[ours_go]):.1f}× "
      f"the Go package's (the targets are read on the C ABI, the core the packages share).")
    w(f"- W1 wall: the C ABI takes {ours_wall / floor_wall:.2f}× the raw-fetch floor "
      f"(the faster of its two rows; target ≤ 1.5×): {verdict(ours_wall / floor_wall <= 1.5)}.")
    ours_w2 = med(w2_wall[OURS_C])
    seq = min(med(w2_wall[OFFICIAL_PY]), med(w2_wall[OFFICIAL_GO]))
    wide = med(w2_wall[OURS_C_WIDE])
    w(f"- W2: the C ABI takes {ours_w2 / latency_floor:.2f}× the latency floor (target ≤ 1.3×): "
      f"{verdict(ours_w2 / latency_floor <= 1.3)}; the faster official SDK takes {seq / ours_w2:.1f}× as long "
      f"(target ≥ 5×): {verdict(seq / ours_w2 >= 5)}. With {MAX_CONCURRENCY} in flight no client can pass "
      f"{pages}/{round(latency_floor * 1000 / a.latency_ms)} = {pages / (latency_floor * 1000 / a.latency_ms):.2f}× "
      f"a sequential loop's {pages} round trips; with max_concurrency {WIDE} the C ABI is "
      f"{seq / wide:.1f}× faster than the faster official SDK ({wide / wide_floor:.2f}× its floor).")
    rate = med(decode["ours"])
    w(f"- W3: {rate:,.0f} backups/s per core (target ≥ 1,000,000): {verdict(rate >= 1e6)}; "
      f"{med(decode['ratios']):.2f}× a plain serde_json decode into owned structs.")
    rss_ratio = med(w4_rss[OURS_C]) / json_bytes
    w(f"- W4: the C ABI's peak RSS is {rss_ratio:.2f}× the answers' JSON (target ≤ 3×): {verdict(rss_ratio <= 3)}.")
    py_rss = med(w4_rss[ours_py]) / json_bytes
    py_all_rss = med(w4_rss[OURS_PY_ALL]) / json_bytes
    w(f"- W4: the Python package's peak RSS is {py_rss:.2f}× the answers' JSON (target ≤ 2×): "
      f"{verdict(py_rss <= 2)}; {py_all_rss:.2f}× when every backup is read ({verdict(py_all_rss <= 2)}).")
    if plans:
        mid = 5000 if 5000 in plans else max(plans)
        big = 20000 if 20000 in plans else max(plans)
        p_ms, l_ms = med(plans[mid]["provider_ms"]), med(plans[mid]["library_ms"])
        p_ratio = p_ms / l_ms if l_ms else math.inf
        w(f"- Provider time: ReadDataSource of {mid:,} backups took {p_ms:.0f} ms, {p_ratio:.1f}× the library's "
          f"listing inside it ({l_ms:.0f} ms; target ≤ 5×): {verdict(p_ratio <= 5)}; it is "
          f"{p_ms / med(plans[mid]['plan_ms']):.1%} of the {med(plans[mid]['plan_ms']):,.0f} ms plan.")
        r_ratio = med(plans[big]["provider_rss_kib"]) * 1024 / med(plans[big]["answers_bytes"])
        w(f"- Provider RSS: {med(plans[big]['provider_rss_kib']) / 1024:.1f} MiB at {big:,} backups, {r_ratio:.1f}× "
          f"the answers' JSON (target ≤ 3×): {verdict(r_ratio <= 3)}.")
    print("\n".join(out))

    if a.json:
        a.json.write_text(json.dumps({
            "args": vars(a) | {"json": str(a.json)}, "w1_wall_s": w1_wall, "w1_cpu_s": w1_cpu,
            "w2_wall_s": w2_wall, "w3": decode, "w4_peak_rss_bytes": w4_rss, "w4_json_bytes": json_bytes,
            "w5_wall_s": w5_wall, "w5_peak_rss_bytes": w5_rss,
            "w1_one_process": {"wall_s": op_wall, "cpu_s": op_cpu, **op_extra},
            "terraform_plan": {str(n): r for n, r in plans.items()},
            "emulator_throughput": throughput, "latency_floor_s": latency_floor,
            "disturbance": {"w1": w1_dist, "w1_one_process": op_dist, "w2": w2_dist, "w4": w4_dist,
                            "w5": w5_dist, "terraform_plan": plan_dist_share},
        }, indent=1))


if __name__ == "__main__":
    main()
