"""`ges_backups/_schema.py` is generated from the library's schema by `generate.py`:
the committed module is what the library under test gives (drift), and the generator
handles every shape a schema entry may take."""

from __future__ import annotations

import collections.abc
import copy
import importlib.util
import json
import os
import subprocess
import sys
import typing
from pathlib import Path
from types import ModuleType
from typing import Any, Dict, Literal, Optional, Sequence, Union

import pytest

import ges_backups
from ges_backups import _native, _schema

SOURCE_TREE = Path(__file__).resolve().parents[1]
GENERATOR = SOURCE_TREE / "generate.py"
COMMITTED = SOURCE_TREE / "ges_backups" / "_schema.py"


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses looks its module up
    spec.loader.exec_module(module)
    return module


generate = _load(GENERATOR, "ges_backups_generate")


def test_the_committed_module_is_the_library_schema() -> None:
    """Fails when the library's schema changed without regenerating (or the module was
    edited by hand)."""
    rendered = generate.render(json.loads(_native.schema_json()))
    committed = COMMITTED.read_text(encoding="utf-8")
    assert rendered == committed, (
        f"{COMMITTED} is not what the library's schema gives: regenerate it with "
        f"`cargo build --release && {generate.COMMAND}`"
    )
    installed = Path(_schema.__file__).read_text(encoding="utf-8")
    assert installed == committed, "the installed package is older than the source tree: reinstall it"


def test_the_check_command_fails_on_drift(tmp_path: Path) -> None:
    schema = tmp_path / "schema.json"
    schema.write_text(_native.schema_json())
    module = tmp_path / "_schema.py"
    command = [sys.executable, str(GENERATOR), "--schema", str(schema), "--output", str(module)]
    assert subprocess.run([*command, "--check"], capture_output=True).returncode == 1  # missing
    subprocess.run(command, check=True, capture_output=True)
    assert module.read_text() == COMMITTED.read_text()
    assert subprocess.run([*command, "--check"]).returncode == 0
    module.write_text(module.read_text().replace("max_connections", "max_connexions"))
    checked = subprocess.run([*command, "--check"], capture_output=True, text=True)
    assert checked.returncode == 1 and "generate.py" in checked.stderr


def test_no_key_or_field_is_written_by_hand() -> None:
    """The package's modules name config keys and fields only through `_schema`."""
    schema = json.loads(_native.schema_json())
    fields = [entry["name"] for entry in schema["result"][2]["attributes"]]
    names = [entry["name"] for entry in schema["config"]] + fields
    package = Path(ges_backups.__file__).resolve().parent
    for source in package.glob("*.py"):
        if source.name == "_schema.py":
            continue
        text = source.read_text(encoding="utf-8")
        # A list written by hand would quote several of them.
        quoted = [name for name in names if f'"{name}"' in text or f"'{name}'" in text]
        assert len(quoted) <= 1, (source.name, quoted)


# A schema with every shape an entry may take: the reshaped schema of contract 1.2
# (ranges, allowed values, "" meaning off, a bool, a 64-bit integer, a list of objects
# that may also be one object, env as a list), beside the shapes of today.
SHAPES: Dict[str, Any] = {
    "abi_version": 1,
    "config": [
        {"name": "endpoint", "type": "string", "env": "GES_ENDPOINT", "default": None, "sensitive": False,
         "description": "Base URL."},
        {"name": "project_id", "type": "string", "env": ["HW_PROJECT_ID", "HUAWEICLOUD_SDK_PROJECT_ID"],
         "default": None, "sensitive": False, "description": "Project."},
        {"name": "api_version", "type": "string", "env": None, "default": "v1.0", "sensitive": False,
         "allowed": ["v1.0", "v2"], "description": "API version."},
        {"name": "signing_algorithm", "type": "string", "env": ["HW_SIGNING_ALGORITHM"], "default": "HmacSHA256",
         "sensitive": False, "allowed": ["HmacSHA256", "HmacSM3", "EcdsaP256SHA256", "SM2SM3"],
         "description": "How requests are signed."},
        {"name": "timeout_ms", "type": "integer", "env": None, "default": 30000, "sensitive": False,
         "minimum": 1, "maximum": 3600000, "description": "Time limit of one request."},
        {"name": "max_retries", "type": "integer", "env": ["HW_MAX_RETRIES"], "default": 3, "sensitive": False,
         "minimum": 0, "description": "Retries."},
        {"name": "max_listing_bytes", "type": "integer", "env": None, "default": 1073741824, "sensitive": False,
         "minimum": 1, "maximum": 9223372036854775807, "description": "Bytes one listing may hold."},
        {"name": "insecure", "type": "bool", "env": ["HW_INSECURE"], "default": False, "sensitive": False,
         "description": "Skip TLS verification."},
        {"name": "proxy", "type": "string", "env": ["HTTPS_PROXY", "HTTP_PROXY"], "default": None,
         "sensitive": True, "empty_string": "off", "description": 'Proxy URL, with "user:password@".'},
        {"name": "metadata_endpoint", "type": "string", "env": None, "default": "http://169.254.169.254",
         "sensitive": False, "empty_string": "off", "description": "ECS metadata service."},
        {"name": "id_token_file", "type": "string", "env": ["HUAWEICLOUD_SDK_ID_TOKEN_FILE"], "default": None,
         "sensitive": False, "description": "OIDC token file."},
        {"name": "assume_role", "type": "list", "env": [
            "HW_ASSUME_ROLE_AGENCY_NAME", "HW_ASSUME_ROLE_DOMAIN_NAME", "HW_ASSUME_ROLE_DOMAIN_ID",
            "HW_ASSUME_ROLE_DURATION"], "default": None, "sensitive": False,
         "description": "Agencies to assume, in order: one object or an array of them.",
         "attributes": [
             {"name": "agency_name", "type": "string", "description": "Agency."},
             {"name": "domain_name", "type": "string", "description": "Domain."},
             {"name": "domain_id", "type": "string", "description": "Domain id."},
             {"name": "duration", "type": "integer", "minimum": 900, "maximum": 43200,
              "description": "Seconds."},
         ]},
    ],
    "query": [
        {"name": "graph_id", "type": "string", "description": "Only this graph."},
        {"name": "status", "type": "string", "allowed": ["backing_up", "success", "failed"],
         "description": "Keep backups in this status."},
        {"name": "most_recent", "type": "bool", "description": "Only the newest."},
        {"name": "limit", "type": "integer", "minimum": 1, "maximum": 1000, "description": "Page size."},
    ],
    "result": [
        {"name": "id", "type": "string", "description": "Id."},
        {"name": "total_count", "type": "integer", "description": "Count."},
        {"name": "backups", "type": "list", "description": "The backups.", "attributes": [
            {"name": "id", "type": "string", "description": "Backup ID."},
            {"name": "status", "type": "string", "description": "Status."},
            {"name": "size", "type": "integer", "description": "MB."},
            {"name": "encrypted", "type": "bool", "description": "Encrypted; null when unknown."},
        ]},
    ],
}


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """The module generated from SHAPES, imported."""
    folder = tmp_path_factory.mktemp("shapes")
    path = folder / "shapes_schema.py"
    path.write_text(generate.render(SHAPES), encoding="utf-8")
    return _load(path, "shapes_schema")


def test_each_shape_becomes_its_python_type(shapes: ModuleType) -> None:
    config = typing.get_type_hints(shapes.Config)
    assert config["endpoint"] is str
    assert config["api_version"] == Literal["v1.0", "v2"]
    assert config["signing_algorithm"] == Literal["HmacSHA256", "HmacSM3", "EcdsaP256SHA256", "SM2SM3"]
    assert config["timeout_ms"] is int and config["max_listing_bytes"] is int
    assert config["insecure"] is bool
    assert config["proxy"] is str
    assert config["id_token_file"] == Union[str, os.PathLike[str]]
    one, many = typing.get_args(config["assume_role"])
    assert one is shapes.AssumeRole
    assert typing.get_origin(many) is collections.abc.Sequence and typing.get_args(many) == (one,)
    role = typing.get_type_hints(shapes.AssumeRole)
    assert role == {"agency_name": str, "domain_name": str, "domain_id": str, "duration": int}
    assert shapes.AssumeRole.__optional_keys__ == frozenset(role)
    assert list(config) == [entry["name"] for entry in SHAPES["config"]]
    assert shapes.Config.__optional_keys__ == frozenset(config)

    query = typing.get_type_hints(shapes.Query)
    assert query == {
        "graph_id": str, "status": Literal["backing_up", "success", "failed"], "most_recent": bool, "limit": int,
    }
    assert shapes.SECRET_CONFIG_KEYS == frozenset({"proxy"})
    assert shapes.CONFIG_DEFAULTS == {
        "api_version": "v1.0", "signing_algorithm": "HmacSHA256", "timeout_ms": 30000, "max_retries": 3,
        "max_listing_bytes": 1073741824, "insecure": False, "metadata_endpoint": "http://169.254.169.254",
    }


def test_fields_take_the_query_values_and_absence(shapes: ModuleType) -> None:
    assert shapes.FIELDS == (("id", "string"), ("status", "string"), ("size", "integer"), ("encrypted", "bool"))
    hints = typing.get_type_hints(shapes.BackupFields)
    assert hints == {
        "id": str,
        "status": Literal["backing_up", "success", "failed", ""],  # "": left out by the service
        "size": int,
        "encrypted": Optional[bool],
    }
    assert shapes.BackupFields.__slots__ == ("id", "status", "size", "encrypted", "__weakref__")
    backup = shapes.BackupFields("b-1", "success", 3, None)
    with pytest.raises(AttributeError):
        backup.size = 4
    assert not hasattr(backup, "__dict__")


def test_docstrings_say_what_typing_cannot(shapes: ModuleType) -> None:
    text = Path(str(shapes.__file__)).read_text()
    for expected in (
        "From 1 to 3600000.", "At least 0.", "From 1 to 9223372036854775807.", "From 900 to 43200.",
        'Proxy URL, with "user:password@". Environment: HTTPS_PROXY, HTTP_PROXY. "" turns it off, '
        "environment included. Secret: never shown.",
        "Environment: HW_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID.",
        "Environment: HW_ASSUME_ROLE_AGENCY_NAME, HW_ASSUME_ROLE_DOMAIN_NAME,",
        'Default: "v1.0".', "Default: false.", "Default: 1073741824.",
    ):
        assert expected in " ".join(text.split()), expected


def test_env_as_a_string_or_a_list_is_one_thing() -> None:
    as_string = copy.deepcopy(SHAPES)
    as_string["config"][1]["env"] = "HW_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID"
    assert generate.render(as_string) == generate.render(SHAPES)


def test_empty_string_off_on_an_enumerated_key_allows_it() -> None:
    schema = copy.deepcopy(SHAPES)
    schema["config"][2]["empty_string"] = "off"  # api_version
    assert 'ApiVersion = Literal["v1.0", "v2", ""]' in generate.render(schema)


@pytest.mark.parametrize(
    "section, index, change, message",
    [
        ("config", 0, {"type": "float"}, "unknown type 'float'"),
        ("config", 0, {"pattern": "^https://"}, "unknown properties ['pattern']"),
        ("config", 4, {"allowed": ["1", "2"]}, "allowed must be"),
        ("config", 0, {"minimum": 1}, "minimum and maximum must be integers"),
        ("config", 8, {"empty_string": "default"}, "unknown empty_string"),
        ("config", 0, {"name": "class"}, "not a Python identifier"),
        ("config", 11, {"attributes": []}, "a list without attributes"),
        ("query", 0, {"name": "status"}, "listed twice"),
    ],
)
def test_an_unknown_shape_stops_the_generator(section: str, index: int, change: Dict[str, Any], message: str) -> None:
    schema = copy.deepcopy(SHAPES)
    schema[section][index].update(change)
    with pytest.raises(generate.SchemaError, match=message.replace("[", r"\[").replace("]", r"\]")):
        generate.render(schema)


def test_a_field_of_an_unknown_type_stops_the_generator() -> None:
    schema = copy.deepcopy(SHAPES)
    schema["result"][2]["attributes"][2]["type"] = "list"
    with pytest.raises(generate.SchemaError, match="unknown field type 'list'"):
        generate.render(schema)


def test_the_generated_shapes_pass_mypy_strict(shapes: ModuleType, tmp_path: Path) -> None:
    """The generated code type-checks, and its types catch what they should."""
    folder = Path(str(shapes.__file__)).parent
    good = tmp_path / "good.py"
    good.write_text(
        "from shapes_schema import AssumeRole, BackupFields, Config, Query\n"
        "one: Config = {'assume_role': {'agency_name': 'a', 'duration': 900}, 'insecure': True}\n"
        "many: Config = {'assume_role': [{'agency_name': 'a'}, {'agency_name': 'b', 'domain_id': 'd'}]}\n"
        "paths: Config = {'id_token_file': __file__, 'signing_algorithm': 'SM2SM3', 'max_listing_bytes': 2**40}\n"
        "query: Query = {'status': 'success', 'limit': 10}\n"
        "def failed(backup: BackupFields) -> bool:\n"
        "    return backup.status == 'failed' or backup.encrypted is None\n"
    )
    bad = tmp_path / "bad.py"
    bad_lines = [
        "from shapes_schema import BackupFields, Config, Query",
        "a: Config = {'signing_algorithm': 'HmacSHA1'}",
        "b: Config = {'assume_role': {'agency': 'a'}}",
        "c: Config = {'insecure': 'yes'}",
        "d: Query = {'status': 'sucess'}",
        "def e(backup: BackupFields) -> bool:",
        "    return backup.status == 'sucess'",
    ]
    bad.write_text("\n".join(bad_lines) + "\n")
    errors = _mypy(tmp_path, folder, good, bad)
    assert not [line for line in errors if line.startswith(str(good))], errors
    flagged = {int(line.split(":")[1]) for line in errors if line.startswith(str(bad))}
    assert flagged == {2, 3, 4, 5, 7}, errors


def _mypy(cache: Path, path: Path, *files: Path) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--show-absolute-path",
         "--cache-dir", str(cache / "mypy-cache"), *map(str, files)],
        capture_output=True, text=True, env=dict(os.environ, MYPYPATH=str(path)),
    )
    assert result.returncode in (0, 1), result.stdout + result.stderr
    return [line for line in result.stdout.splitlines() if ": error:" in line]
