#!/usr/bin/env python3
"""Every relative link in the repository's Markdown points at a file that exists,
and every #anchor at a heading of that file. External links are not fetched
(no network in CI); they are only listed with --list-external."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^(```|~~~)")


def anchors(path: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes."""
    found: set[str] = set()
    in_code = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line):
            in_code = not in_code
            continue
        if not in_code:
            found.update(re.findall(r'<a (?:id|name)="([^"]+)"', line))
        if not in_code and line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            slug = re.sub(r"[^\w\- ]", "", title).replace(" ", "-")
            found.add(slug)
    return found


def links(path: Path) -> list[str]:
    out: list[str] = []
    in_code = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line):
            in_code = not in_code
            continue
        if not in_code:
            out.extend(m.group(1) for m in LINK.finditer(line))
    return out


def main() -> int:
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.md"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.split()
    broken: list[str] = []
    checked = 0
    for name in files:
        source = ROOT / name
        if not source.exists():
            continue
        for target in links(source):
            if re.match(r"^[a-z]+:", target):
                continue
            checked += 1
            file_part, _, anchor = target.partition("#")
            dest = (source.parent / file_part).resolve() if file_part else source
            if not dest.exists():
                broken.append(f"{name}: {target} (no such file)")
            elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
                broken.append(f"{name}: {target} (no such heading)")
            elif ROOT not in dest.parents and dest != ROOT:
                broken.append(f"{name}: {target} (outside the repository)")
    for b in broken:
        print(b, file=sys.stderr)
    sys.stderr.flush()
    print(f"docs links: {checked} checked in {len(files)} files, {len(broken)} broken")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
