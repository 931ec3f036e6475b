"""The installed package: version, ABI, the bundled library, typing marker."""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import ges_backups
from ges_backups import _native

SOURCE_TREE = Path(__file__).resolve().parents[1]
REPOSITORY = Path(__file__).resolve().parents[3]


def test_version_and_abi() -> None:
    """One version: the workspace's, in Cargo.toml, is the library's and the package's."""
    with (REPOSITORY / "Cargo.toml").open("rb") as manifest:
        cargo_version = tomllib.load(manifest)["workspace"]["package"]["version"]
    assert ges_backups.__version__ == importlib.metadata.version("ges-backups") == cargo_version
    assert ges_backups.abi_version() == 1 == _native.ABI_VERSION


def test_tests_use_the_installed_package_with_its_bundled_library() -> None:
    package = Path(ges_backups.__file__).resolve().parent
    assert SOURCE_TREE not in package.parents, "the tests must import the installed package"
    assert _native.LIBRARY_ENV not in os.environ
    assert _native.library_path().parent == package
    assert (package / "py.typed").is_file()


def test_import_works_from_any_directory_without_environment(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("GES_", "HW_", "LD_"))}
    environment.pop("PYTHONPATH", None)
    script = "import ges_backups, json; print(json.dumps([ges_backups.__version__, ges_backups.abi_version()]))"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=environment, capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == [ges_backups.__version__, 1]


def test_public_names() -> None:
    for name in ges_backups.__all__:
        assert hasattr(ges_backups, name), name
    for cls in (
        ges_backups.InvalidArgumentError,
        ges_backups.TransportError,
        ges_backups.ApiError,
        ges_backups.DecodeError,
        ges_backups.InconsistentError,
        ges_backups.InternalError,
    ):
        assert issubclass(cls, ges_backups.GesError)
    assert issubclass(ges_backups.GesError, Exception)


def test_no_docstring_or_message_cites_the_internal_spec() -> None:
    """Users read docs/contract.md; "SPEC n" means nothing to them."""
    package = Path(ges_backups.__file__).resolve().parent
    for source in sorted(package.glob("*.py")) + [SOURCE_TREE / "README.md"]:
        text = source.read_text(encoding="utf-8")
        assert re.search(r"\bSPEC\s*\d", text) is None, source
