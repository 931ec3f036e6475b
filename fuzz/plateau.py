#!/usr/bin/env python3
"""Coverage of a libFuzzer run over its course: reads the log fuzz/run.sh keeps
(fuzz/artifacts/<target>/last-run.log) and prints edges covered (cov) and
features (ft) at 25, 50, 75, 90 and 100% of the executions, and when the last
new edge was found, to tell whether the run had plateaued.
    fuzz/plateau.py fuzz/artifacts/c_answer/last-run.log"""
import re
import sys

points = []
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"#(\d+)\s.*cov: (\d+) ft: (\d+)", line)
    if m:
        points.append(tuple(int(g) for g in m.groups()))
if not points:
    sys.exit("no libFuzzer progress lines in " + sys.argv[1])
total = points[-1][0]
row = []
for share in (0.25, 0.5, 0.75, 0.9, 1.0):
    seen = [p for p in points if p[0] <= total * share] or points[:1]
    row.append(f"{int(share * 100)}%: cov {seen[-1][1]} ft {seen[-1][2]}")
last_edge = next(p[0] for p in points if p[1] == points[-1][1])
print(f"{total} executions; " + ", ".join(row)
      + f"; last new edge at {100 * last_edge / total:.0f}% of the run")
