"""Build hook: setuptools-rust builds the ges-backups crate as a cdylib, which the
package loads with ctypes (`Binding.NoBinding`). Metadata lives in pyproject.toml.

Where the crate comes from:
- in the repository, `../../Cargo.toml` (the workspace root is the crate);
- in an sdist, `rust/`: `sdist` stages it there from `cargo package` (the crate as it
  would be published, with its manifest made standalone), keeping only what the build
  needs (Cargo.toml, Cargo.lock, build.rs, src/, include/), and its path dependency
  `ges-signing` (not on crates.io) beside it in `rust/signing/`, patched in.

The package version is the crate's version: one version for the whole project.

Three adjustments to the defaults, each because the library is not a CPython extension:
- the wheel is tagged `py3-none-<platform>`: ctypes needs no CPython ABI;
- the library keeps its plain name, `libges_backups.so`, not an extension suffix;
- a build in the repository uses its own cargo target directory (`target/python`), so
  that it never replaces `target/release/libges_backups.so` under other users of it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any, Dict, Tuple

from setuptools import setup
from setuptools.command.bdist_wheel import bdist_wheel
from setuptools.command.build_ext import build_ext
from setuptools.command.sdist import sdist
from setuptools_rust import Binding, RustExtension, Strip

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - build requirement for older Pythons
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
STAGED_CRATE = HERE / "rust"
REPOSITORY_CRATE = HERE.parent.parent
CRATE_NAME = "ges-backups"
# The workspace's own crates the library depends on, packaged with it.
PATH_DEPENDENCIES = {"ges-signing": "signing"}
LIBRARY_MODULE = "ges_backups.libges_backups"
CRATE_FILES = ("Cargo.toml", "Cargo.lock", "build.rs")
CRATE_FOLDERS = ("src/", "include/")


def crate_directory() -> Path:
    if (STAGED_CRATE / "Cargo.toml").is_file():
        return STAGED_CRATE
    if (REPOSITORY_CRATE / "Cargo.toml").is_file():
        return REPOSITORY_CRATE
    raise SystemExit(
        "ges-backups: no Rust crate found: build from the repository "
        "(pip install ./bindings/python) or from an sdist made by `python -m build`"
    )


def crate_version(manifest: Path) -> str:
    """The crate's version, also when it inherits it from `[workspace.package]`."""
    with manifest.open("rb") as file:
        data: Dict[str, Any] = tomllib.load(file)
    version = data["package"]["version"]
    if isinstance(version, dict) and version.get("workspace"):
        version = data["workspace"]["package"]["version"]
    return str(version)


def stage_crate(destination: Path) -> None:
    """Put the crate's build inputs in `destination`, with a standalone manifest."""
    if destination.exists():
        shutil.rmtree(destination)
    if (STAGED_CRATE / "Cargo.toml").is_file():  # an sdist made from an sdist
        shutil.copytree(STAGED_CRATE, destination, ignore=shutil.ignore_patterns("target"))
        return
    cargo = os.environ.get("CARGO", "cargo")
    packages = [CRATE_NAME, *PATH_DEPENDENCIES]
    with tempfile.TemporaryDirectory() as scratch:
        # `cargo package` resolves workspace inheritance, drops path-only
        # dev-dependencies and writes the crate's own Cargo.lock; packaged
        # together, the crates may depend on each other unpublished.
        subprocess.run(
            [cargo, "package", "--quiet", "--no-verify", "--allow-dirty",
             *(f"--package={name}" for name in packages),
             "--manifest-path", str(REPOSITORY_CRATE / "Cargo.toml"), "--target-dir", scratch],
            check=True,
        )
        for name in packages:
            (crate,) = Path(scratch, "package").glob(f"{name}-[0-9]*.crate")
            into = destination / PATH_DEPENDENCIES.get(name, "")
            unpack_build_inputs(crate, into, lock=name == CRATE_NAME)
    with (destination / "Cargo.toml").open("a") as manifest:
        # Its own workspace root, even when unpacked inside another workspace,
        # with the packaged dependencies taken from beside it.
        manifest.write("\n[workspace]\n\n[patch.crates-io]\n")
        for name, folder in PATH_DEPENDENCIES.items():
            manifest.write(f'{name} = {{ path = "{folder}" }}\n')
    lock = destination / "Cargo.lock"
    lock.write_text(lock_from_path(lock.read_text(), PATH_DEPENDENCIES))


def unpack_build_inputs(crate: Path, destination: Path, lock: bool) -> None:
    """The files of a packaged crate the build reads; a dependency's Cargo.lock is not one."""
    with tarfile.open(crate) as archive:
        for member in archive.getmembers():
            _, _, relative = member.name.partition("/")
            if not member.isfile() or (relative == "Cargo.lock" and not lock):
                continue
            if relative in CRATE_FILES or relative.startswith(CRATE_FOLDERS):
                target = destination / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                source = archive.extractfile(member)
                assert source is not None
                target.write_bytes(source.read())


def lock_from_path(lock: str, names: Dict[str, str]) -> str:
    """Cargo.lock with `names` as path packages (no registry source or checksum),
    as the patch makes them, so that a `--locked` build accepts it."""
    kept, package = [], ""
    for line in lock.splitlines(keepends=True):
        if line.startswith("name = "):
            package = line.split('"')[1]
        elif line.startswith("[[package]]"):
            package = ""
        if package in names and line.startswith(("source = ", "checksum = ")):
            continue
        kept.append(line)
    return "".join(kept)


class SdistWithCrate(sdist):
    """sdist, with the crate's sources under `rust/`."""

    def make_release_tree(self, base_dir: str, files: Any) -> None:
        super().make_release_tree(base_dir, files)
        stage_crate(Path(base_dir) / "rust")


class WheelForAnyPython3(bdist_wheel):
    """The library is loaded with ctypes: no CPython ABI in the wheel's tag."""

    def get_tag(self) -> Tuple[str, str, str]:
        _, _, platform = super().get_tag()
        return "py3", "none", platform


class BuildLibraryWithPlainName(build_ext):
    """`libges_backups.so`, not `libges_backups.cpython-311-x86_64-linux-gnu.so`."""

    def get_ext_filename(self, fullname: str) -> str:
        # Called with the dotted name, or with its last part only (get_ext_fullpath).
        if fullname in (LIBRARY_MODULE, LIBRARY_MODULE.rpartition(".")[2]):
            suffix = {"darwin": ".dylib", "win32": ".dll"}.get(sys.platform, ".so")
            return os.path.join(*fullname.split(".")) + suffix
        return str(super().get_ext_filename(fullname))


crate = crate_directory()
cargo_environment = None
if crate == REPOSITORY_CRATE and "CARGO_TARGET_DIR" not in os.environ:
    cargo_environment = dict(os.environ, CARGO_TARGET_DIR=str(REPOSITORY_CRATE / "target" / "python"))

setup(
    version=crate_version(crate / "Cargo.toml"),
    rust_extensions=[
        RustExtension(
            LIBRARY_MODULE,
            path=str(crate / "Cargo.toml"),
            binding=Binding.NoBinding,
            # The release profile keeps debug info for Rust backtraces; the copy in
            # the package does without it (22 MB -> about 4 MB).
            strip=Strip.Debug,
            # Release also for editable installs: the library is a dependency here.
            debug=False,
            env=cargo_environment,
        )
    ],
    cmdclass={
        "sdist": SdistWithCrate,
        "bdist_wheel": WheelForAnyPython3,
        "build_ext": BuildLibraryWithPlainName,
    },
)
