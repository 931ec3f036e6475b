#!/usr/bin/env python3
"""Write `ges_backups/_schema.py` from the native library's schema.

The library describes itself in `ges_backups_schema_json()`: every config key (type,
environment variables, default, range, allowed values, secret or not), every query
argument and every result attribute. This script turns that into the one module of
the package that names them:

- the `Config` and `Query` TypedDicts (the keyword arguments of `Client` and
  `Client.list_backups`), with a docstring per key;
- `SECRET_CONFIG_KEYS` (``"sensitive": true``) and `CONFIG_DEFAULTS`;
- `FIELDS`, the backup's fields with their kinds, in the order of `GesBackup`
  (`_native` builds the ctypes struct from it), and `BackupFields`, the frozen
  slotted dataclass of those fields that `Backup` extends.

How schema types become Python types:

- ``"string"`` is `str`; a key named ``*_file`` also takes an `os.PathLike`; a key
  with ``"allowed"`` values is a `Literal` of them (with ``""`` when
  ``"empty_string": "off"`` makes the empty string meaningful);
- ``"integer"`` (64-bit included) is `int`, ``"bool"`` is `bool`;
- ``"list"`` with ``"attributes"`` is a TypedDict of those attributes, taken as one
  object or a sequence of them (as the library takes an object or an array);
- a backup field is typed as the query argument of the same name when that one lists
  allowed values (a filter keeps the backups whose field equals it), with ``""`` added:
  what a field the service left out holds; a ``"bool"`` field is ``Optional[bool]``.

``"minimum"``, ``"maximum"``, ``"env"``, ``"default"`` and ``"empty_string"`` go into
the docstrings. Anything else the script does not know stops it with an error, so a
new shape of the schema is never dropped silently.

Usage (standard library only):

    python bindings/python/generate.py                  # from target/release/libges_backups.so
    python bindings/python/generate.py --library PATH   # from another build
    python bindings/python/generate.py --schema FILE    # from a JSON file ("-": stdin)
    python bindings/python/generate.py --check          # exit 1 if the module differs

The test suite runs `render` on the schema of the library under test and fails when
the committed module differs.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import keyword
import sys
import textwrap
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence

HERE = Path(__file__).resolve().parent
MODULE = HERE / "ges_backups" / "_schema.py"
DEFAULT_LIBRARY = HERE.parent.parent / "target" / "release" / "libges_backups.so"
COMMAND = "python bindings/python/generate.py"

SCALARS = {"string": "str", "integer": "int", "bool": "bool"}
FIELD_KINDS = tuple(SCALARS)  # a backup field is a scalar
ENTRY_KEYS = {
    "name", "type", "description", "env", "default", "sensitive", "allowed",
    "minimum", "maximum", "empty_string", "attributes",
}
EMPTY_STRING_MEANINGS = {"off": "turns it off, environment included"}
WIDTH = 88


class SchemaError(ValueError):
    """The schema has a shape this script does not know."""


def _identifier(name: Any, where: str) -> str:
    if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
        raise SchemaError(f"{where}: {name!r} is not a Python identifier")
    return name


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _entries(value: Any, where: str) -> List[Mapping[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
        raise SchemaError(f"{where}: expected a list of objects")
    names = [entry.get("name") for entry in value]
    for entry in value:
        unknown = set(entry) - ENTRY_KEYS
        if unknown:
            raise SchemaError(f"{where}.{entry.get('name')}: unknown properties {sorted(unknown)}")
        _identifier(entry.get("name"), where)
    if len(set(names)) != len(names):
        raise SchemaError(f"{where}: a name is listed twice")
    return value


def _environment(entry: Mapping[str, Any]) -> List[str]:
    """`env` as a list of names: null, one string (names separated by commas), or a list."""
    env = entry.get("env")
    if env is None:
        return []
    if isinstance(env, str):
        return [name.strip() for name in env.split(",") if name.strip()]
    if isinstance(env, list) and all(isinstance(name, str) for name in env):
        return list(env)
    raise SchemaError(f"{entry['name']}: env must be null, a string or a list of strings")


def _allowed(entry: Mapping[str, Any]) -> Optional[List[str]]:
    allowed = entry.get("allowed")
    if allowed is None:
        return None
    if entry.get("type") != "string" or not isinstance(allowed, list) or not allowed or not all(
        isinstance(value, str) for value in allowed
    ):
        raise SchemaError(f"{entry['name']}: allowed must be a non-empty list of strings, on a string")
    return list(allowed)


def _literal(values: Sequence[str]) -> str:
    return f"Literal[{', '.join(json.dumps(value) for value in values)}]"


def _docstring(text: str, indent: str) -> str:
    """A docstring literal wrapped at WIDTH, safe for any text."""
    text = " ".join(text.split()).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if not text:
        return ""
    if text.endswith('"'):
        text += " "
    lines = textwrap.wrap(text, WIDTH - len(indent) - 3, break_long_words=False, break_on_hyphens=False)
    if len(lines) == 1 and len(indent) + len(lines[0]) + 6 <= WIDTH:
        return f'{indent}"""{lines[0]}"""\n'
    body = "".join(f"{indent}{line}\n" for line in lines)
    return f'{indent}"""{body[len(indent):]}{indent}"""\n'


def _details(entry: Mapping[str, Any]) -> str:
    """The docstring of a key: its description, then what the schema says besides."""
    parts = [str(entry.get("description", "")).strip()]
    names = _environment(entry)
    if names:
        parts.append(f"Environment: {', '.join(names)}.")
    if entry.get("default") is not None:
        parts.append(f"Default: {json.dumps(entry['default'])}.")
    low, high = entry.get("minimum"), entry.get("maximum")
    for bound in (low, high):
        if bound is not None and (not isinstance(bound, int) or isinstance(bound, bool) or entry.get("type") != "integer"):
            raise SchemaError(f"{entry['name']}: minimum and maximum must be integers, on an integer")
    if low is not None and high is not None:
        parts.append(f"From {low} to {high}.")
    elif low is not None:
        parts.append(f"At least {low}.")
    elif high is not None:
        parts.append(f"At most {high}.")
    empty = entry.get("empty_string")
    if empty is not None:
        if empty not in EMPTY_STRING_MEANINGS or entry.get("type") != "string":
            raise SchemaError(f"{entry['name']}: unknown empty_string {empty!r}")
        parts.append(f'"" {EMPTY_STRING_MEANINGS[empty]}.')
    if entry.get("sensitive"):
        parts.append("Secret: never shown.")
    return " ".join(part for part in parts if part)


class _Module:
    """The pieces of the generated module, collected while walking the schema."""

    def __init__(self) -> None:
        self.aliases: Dict[str, str] = {}  # name -> Literal[...]
        self.classes: List[str] = []  # TypedDicts of list attributes, before their users
        self.class_names: Dict[str, str] = {}

    def alias(self, name: str, values: Sequence[str]) -> str:
        alias, literal = _camel(name), _literal(values)
        if self.aliases.setdefault(alias, literal) != literal:
            raise SchemaError(f"{name}: allowed values differ from another {name!r}'s")
        return alias

    def hint(self, entry: Mapping[str, Any], where: str) -> str:
        """The Python type of a config key, query argument or list attribute."""
        kind, name = entry.get("type"), entry["name"]
        allowed = _allowed(entry)
        if allowed is not None:
            if entry.get("empty_string") == "off" and "" not in allowed:
                allowed = [*allowed, ""]
            return self.alias(name, allowed)
        if kind == "string" and name.endswith("_file"):
            return "Union[str, os.PathLike[str]]"  # Union, not |: resolvable on Python 3.9
        if kind in SCALARS:
            if entry.get("attributes"):
                raise SchemaError(f"{where}.{name}: attributes on a {kind}")
            return SCALARS[kind]
        if kind == "list":
            element = self.typed_dict(_camel(name), entry.get("attributes"), f"{where}.{name}",
                                      f"An element of ``{name}``: one object, or a sequence of them.")
            return f"Union[{element}, Sequence[{element}]]"
        raise SchemaError(f"{where}.{name}: unknown type {kind!r}")

    def typed_dict(self, class_name: str, attributes: Any, where: str, doc: str) -> str:
        entries = _entries(attributes, where)
        if not entries:
            raise SchemaError(f"{where}: a list without attributes")
        if class_name in self.class_names:
            raise SchemaError(f"{where}: {class_name} is generated twice")
        body = "".join(
            f"    {entry['name']}: {self.hint(entry, where)}\n{_docstring(_details(entry), '    ')}"
            for entry in entries
        )
        self.class_names[class_name] = where
        self.classes.append(
            f"class {class_name}(TypedDict, total=False):\n{_docstring(doc, '    ')}\n{body}"
        )
        return class_name


def _field_hint(field: Mapping[str, Any], query: Mapping[str, Mapping[str, Any]]) -> str:
    kind, name = field.get("type"), field["name"]
    if kind not in FIELD_KINDS:
        raise SchemaError(f"result.backups.{name}: unknown field type {kind!r}")
    if kind == "bool":
        return "Optional[bool]"  # the service may not say
    allowed = _allowed(field)
    if allowed is None and name in query:
        allowed = _allowed(query[name])
    if allowed is not None:
        return _literal([*allowed, ""] if "" not in allowed else allowed)
    return SCALARS[kind]


HEADER = '''\
"""The library's schema (`ges_backups_schema_json()`) as Python: the keyword arguments
of `Client` and `Client.list_backups`, the secret config keys and the fields of a backup.

Generated by bindings/python/generate.py from the schema; do not edit. After a change
of the library's schema: `cargo build --release && {command}`.

Annotations are evaluated here (no `from __future__ import annotations`), so that they
resolve wherever they are read: `Backup`'s dataclass `__init__` lives in another module.
"""

import os
from dataclasses import dataclass
from typing import Any, FrozenSet, Literal, Mapping, Optional, Sequence, Tuple, TypedDict, Union

'''


def render(schema: Mapping[str, Any]) -> str:
    """The text of `_schema.py` for `schema` (the parsed JSON)."""
    if not isinstance(schema, dict):
        raise SchemaError("the schema is not a JSON object")
    config = _entries(schema.get("config"), "config")
    query = _entries(schema.get("query"), "query")
    result = {entry["name"]: entry for entry in _entries(schema.get("result"), "result")}
    if "backups" not in result or result["backups"].get("type") != "list":
        raise SchemaError("result: no list named backups")
    fields = _entries(result["backups"].get("attributes"), "result.backups")
    module = _Module()

    def members(entries: Sequence[Mapping[str, Any]], where: str) -> str:
        return "".join(
            f"    {entry['name']}: {module.hint(entry, where)}\n{_docstring(_details(entry), '    ')}"
            for entry in entries
        )

    config_body = members(config, "config")
    query_body = members(query, "query")
    query_by_name = {entry["name"]: entry for entry in query}
    field_hints = [(field["name"], _field_hint(field, query_by_name)) for field in fields]

    out = [HEADER.format(command=COMMAND)]
    for alias, literal in module.aliases.items():
        out.append(f"{alias} = {literal}\n")
    if module.aliases:
        out.append("\n\n")
    for text in module.classes:
        out.append(text + "\n\n")
    out.append(
        "class Config(TypedDict, total=False):\n"
        + _docstring(
            "Keyword arguments of `Client`. Every key is optional; an absent key (or None) "
            "falls back to its environment variables, then to its default "
            "(see docs/configuration.md).", "    ")
        + "\n" + config_body + "\n\n"
    )
    out.append(
        "class Query(TypedDict, total=False):\n"
        + _docstring(
            "Keyword arguments of `Client.list_backups`: the arguments of the ges_backups "
            "data source (see docs/contract.md, section Query). Every one is optional.", "    ")
        + "\n" + query_body + "\n\n"
    )
    secrets = sorted(entry["name"] for entry in config if entry.get("sensitive"))
    out.append(
        f"SECRET_CONFIG_KEYS: FrozenSet[str] = frozenset({{{', '.join(json.dumps(s) for s in secrets)}}})\n"
        '"""Config keys whose values are never shown (repr, messages)."""\n\n'
    )
    defaults = "".join(
        f"    {json.dumps(entry['name'])}: {_python_literal(entry['default'])},\n"
        for entry in config
        if entry.get("default") is not None
    )
    out.append(
        f"CONFIG_DEFAULTS: Mapping[str, Any] = {{\n{defaults}}}\n"
        '"""The library\'s default of each config key that has a fixed one."""\n\n'
    )
    kinds = "".join(f"    ({json.dumps(field['name'])}, {json.dumps(field['type'])}),\n" for field in fields)
    out.append(
        f"FIELDS: Tuple[Tuple[str, str], ...] = (\n{kinds})\n"
        '"""The fields of a backup and their kinds ("string", "integer", "bool"), in the\n'
        'order of the C struct `GesBackup`."""\n\n\n'
    )
    slots = textwrap.fill(
        ", ".join(json.dumps(name) for name, _ in field_hints) + ', "__weakref__",',
        WIDTH - 8, initial_indent="        ", subsequent_indent="        ", break_on_hyphens=False,
    )
    field_body = "".join(
        f"    {name}: {hint}\n{_docstring(str(field.get('description', '')), '    ')}"
        for (name, hint), field in zip(field_hints, fields)
    )
    out.append(
        "@dataclass(frozen=True)\n"
        "class BackupFields:\n"
        + _docstring(
            "The fields of `Backup`, which adds its behaviour. A string field the service "
            'left out is "", an integer field 0.', "    ")
        + "\n"
        "    # Slots (listed here: dataclass(slots=True) needs Python 3.10) take less memory\n"
        "    # than a __dict__, and let the package fill many backups a field at a time\n"
        "    # through the slot descriptors (see _native.NativeBackups).\n"
        f"    __slots__ = (\n{slots}\n    )\n\n"
        + field_body
    )
    return "".join(out)


def _python_literal(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (bool, int)):
        return repr(value)
    raise SchemaError(f"a default of type {type(value).__name__} is not supported")


def library_schema(path: Path) -> str:
    """`ges_backups_schema_json()` of the library at `path`."""
    library = ctypes.CDLL(str(path))
    function = library.ges_backups_schema_json
    function.restype = ctypes.c_char_p
    function.argtypes = []
    raw: bytes = function()
    return raw.decode("utf-8")


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--library", type=Path, default=DEFAULT_LIBRARY,
                        help=f"the native library to ask (default {DEFAULT_LIBRARY})")
    source.add_argument("--schema", help='a schema JSON file, "-" for stdin')
    parser.add_argument("--output", type=Path, default=MODULE, help=f"default {MODULE}")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the module differs")
    args = parser.parse_args(argv)
    if args.schema == "-":
        text = sys.stdin.read()
    elif args.schema:
        text = Path(args.schema).read_text(encoding="utf-8")
    else:
        text = library_schema(args.library)
    try:
        rendered = render(json.loads(text))
    except SchemaError as error:
        print(f"generate.py: {error}", file=sys.stderr)
        return 2
    current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
    if args.check:
        if current != rendered:
            print(f"{args.output} differs from the schema; regenerate it: {COMMAND}", file=sys.stderr)
            return 1
        return 0
    if current != rendered:
        args.output.write_text(rendered, encoding="utf-8")
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
