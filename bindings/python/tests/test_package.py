"""The installed package: version, ABI, the bundled library, typing marker."""

from __future__ import annotations

import dataclasses
import importlib.metadata
import json
import os
import re
import subprocess
import sys
import tomllib
import typing
from pathlib import Path

import ges_backups
from ges_backups import _native
from ges_backups import Backup, Config, Query
from ges_backups._options import CONFIG_KEYS, QUERY_KEYS, SECRET_CONFIG_KEYS

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


CONTRACT_1_1_CONFIG_KEYS = frozenset(
    {"cloud", "iam_endpoint", "shared_config_file", "profile", "credentials_file", "metadata_endpoint", "proxy"}
)

_PYTHON_TYPE = {"string": "str", "integer": "int", "bool": "bool"}


def test_keywords_and_fields_match_the_library_schema() -> None:
    """The fixed lists of config keys, query arguments and result fields are the
    library's own (ges_backups_schema_json), with the same types and secrets."""
    schema = json.loads(_native.schema_json())
    assert schema["abi_version"] == 1
    for section, typed_dict, keys in (("config", Config, CONFIG_KEYS), ("query", Query, QUERY_KEYS)):
        entries = schema[section]
        listed = [entry["name"] for entry in entries]
        # Only the contract 1.1 config keys may be ahead of the library (they reach
        # it with a later core merge); every key it lists is declared, in its order.
        ahead = [key for key in typed_dict.__annotations__ if key not in listed]
        assert set(ahead) <= CONTRACT_1_1_CONFIG_KEYS, (section, ahead)
        assert [key for key in typed_dict.__annotations__ if key in listed] == listed, section
        assert set(listed) | set(ahead) == keys
        hints = typing.get_type_hints(typed_dict)
        for entry in entries:
            hint = hints[entry["name"]]
            if typing.get_origin(hint) is typing.Union:  # ca_file: str or a PathLike
                hint = typing.get_args(hint)[0]
            assert hint.__name__ == _PYTHON_TYPE[entry["type"]], entry["name"]
    config_listed = {entry["name"] for entry in schema["config"]}
    assert {entry["name"] for entry in schema["config"] if entry["sensitive"]} == SECRET_CONFIG_KEYS & config_listed

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


def test_no_docstring_or_message_cites_the_internal_spec() -> None:
    """Users read docs/contract.md; "SPEC n" means nothing to them."""
    package = Path(ges_backups.__file__).resolve().parent
    for source in sorted(package.glob("*.py")) + [SOURCE_TREE / "README.md"]:
        text = source.read_text(encoding="utf-8")
        assert re.search(r"\bSPEC\s*\d", text) is None, source
