"""The installed package: version, ABI, the bundled library, typing marker."""

from __future__ import annotations

import dataclasses
import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path

import ges_backups
from ges_backups import _native
from ges_backups import Backup, Config, Query
from ges_backups._options import CONFIG_KEYS, QUERY_KEYS, SECRET_CONFIG_KEYS

SOURCE_TREE = Path(__file__).resolve().parents[1]


def test_version_and_abi() -> None:
    assert ges_backups.__version__ == importlib.metadata.version("ges-backups")
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


_PYTHON_TYPE = {"string": "str", "integer": "int", "bool": "bool"}


def test_keywords_and_fields_match_the_library_schema() -> None:
    """The fixed lists of config keys, query arguments and result fields are the
    library's own (ges_backups_schema_json), with the same types and secrets."""
    schema = json.loads(_native.schema_json())
    assert schema["abi_version"] == 1
    for section, typed_dict, keys in (("config", Config, CONFIG_KEYS), ("query", Query, QUERY_KEYS)):
        entries = schema[section]
        assert [entry["name"] for entry in entries] == list(typed_dict.__annotations__), section
        assert {entry["name"] for entry in entries} == keys
        for entry in entries:
            hint = typed_dict.__annotations__[entry["name"]]
            annotation = str(getattr(hint, "__forward_arg__", hint))
            assert annotation.split(" |")[0] == _PYTHON_TYPE[entry["type"]], entry["name"]
    assert {entry["name"] for entry in schema["config"] if entry["sensitive"]} == SECRET_CONFIG_KEYS

    result = {entry["name"]: entry for entry in schema["result"]}
    assert set(result) == {"id", "total_count", "backups"}
    attributes = result["backups"]["attributes"]
    fields = dataclasses.fields(Backup)
    assert [a["name"] for a in attributes] == [f.name for f in fields]
    for attribute, field in zip(attributes, fields):
        expected = _PYTHON_TYPE[attribute["type"]]
        if attribute["name"] == "encrypted":
            expected = "Optional[bool]"
        assert str(field.type) == expected, field.name
