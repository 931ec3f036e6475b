"""Build hook: compile the Rust library with cargo and bundle it inside the package.

All metadata lives in pyproject.toml. `pip install ./bindings/python` runs `build_py`,
which runs `cargo build --release` on the ges-backups crate two directories up and
copies the shared library it produces into `ges_backups/` in the wheel. The wheel is
then platform-specific (it holds native code), which `BinaryDistribution` declares.

Environment (all optional): `CARGO` names the cargo binary; `CARGO_TARGET_DIR` and the
other cargo variables work as usual.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import List, Optional

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

HERE = Path(__file__).resolve().parent
MANIFEST = HERE.parent.parent / "Cargo.toml"
CRATE = "ges-backups"
LIB_TARGET = "ges_backups"


def _library_suffix() -> str:
    if sys.platform == "darwin":
        return ".dylib"
    if sys.platform == "win32":
        return ".dll"
    return ".so"


def cargo_build() -> Path:
    """Run cargo and return the path of the cdylib it built."""
    if not MANIFEST.is_file():
        raise SystemExit(
            f"ges-backups: {MANIFEST} not found. Build this package from the ges-backups "
            "source tree (`pip install ./bindings/python`), not from a copy of its folder."
        )
    cargo = os.environ.get("CARGO", "cargo")
    if shutil.which(cargo) is None:
        raise SystemExit(f"ges-backups: `{cargo}` not found; install Rust (https://rustup.rs) first")
    command: List[str] = [
        cargo,
        "build",
        "--release",
        "--lib",
        "--package",
        CRATE,
        "--manifest-path",
        str(MANIFEST),
        "--message-format=json-render-diagnostics",
    ]
    print("ges-backups: running", " ".join(command), file=sys.stderr, flush=True)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=MANIFEST.parent)
    assert process.stdout is not None
    built: Optional[Path] = None
    for line in process.stdout:
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if message.get("reason") == "compiler-message":
            print(message.get("message", {}).get("rendered", ""), file=sys.stderr, end="")
        if message.get("reason") != "compiler-artifact":
            continue
        target = message.get("target", {})
        if target.get("name") != LIB_TARGET or "cdylib" not in target.get("kind", []):
            continue
        for filename in message.get("filenames", []):
            if filename.endswith(_library_suffix()):
                built = Path(filename)
    if process.wait() != 0:
        raise SystemExit(f"ges-backups: cargo failed with status {process.returncode}")
    if built is None:
        raise SystemExit("ges-backups: cargo built no shared library for the ges_backups crate")
    return built


class BuildPyWithCargo(build_py):
    """build_py, then the native library next to the Python modules."""

    def run(self) -> None:
        super().run()
        library = cargo_build()
        name = library.name
        if sys.platform == "win32" and not name.startswith("ges_backups"):
            name = "ges_backups.dll"
        destination = Path(self.build_lib) / "ges_backups" / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(library, destination)
        strip_debug_info(destination)


def strip_debug_info(library: Path) -> None:
    """The release profile keeps debug info for the Rust side's backtraces; the copy in
    the wheel does without it (22 MB -> a few MB). Skipped where `strip` is missing."""
    strip = shutil.which("strip")
    if sys.platform.startswith("linux") and strip is not None:
        subprocess.run([strip, "--strip-debug", str(library)], check=False)


class BinaryDistribution(Distribution):
    """The wheel holds a native library: tag it for this platform, not `none-any`."""

    def has_ext_modules(self) -> bool:
        return True


setup(cmdclass={"build_py": BuildPyWithCargo}, distclass=BinaryDistribution)
