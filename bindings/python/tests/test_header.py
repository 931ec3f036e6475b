"""The ctypes declarations mirror the committed C header, include/ges_backups.h.

The header is parsed here (it is cbindgen's plain C: typedefs, function pointer
typedefs, structs, an enum, defines and prototypes); every function, struct field,
callback type, enum value, log level and the ABI version must match
`ges_backups._native` exactly, in both directions.
"""

from __future__ import annotations

import ctypes
import logging
import re
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

import ges_backups
from ges_backups import _log, _native
from ges_backups._errors import ErrorKind

HEADER = Path(__file__).resolve().parents[3] / "include" / "ges_backups.h"

_SCALARS: Dict[str, Any] = {
    "void": None,
    "char": ctypes.c_char,
    "int8_t": ctypes.c_int8,
    "uint8_t": ctypes.c_uint8,
    "int16_t": ctypes.c_int16,
    "uint16_t": ctypes.c_uint16,
    "int32_t": ctypes.c_int32,
    "uint32_t": ctypes.c_uint32,
    "int64_t": ctypes.c_int64,
    "uint64_t": ctypes.c_uint64,
    "size_t": ctypes.c_size_t,
    "bool": ctypes.c_bool,
    "int": ctypes.c_int,
}


class Header:
    def __init__(self, text: str) -> None:
        text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
        text = re.sub(r"//[^\n]*", " ", text)
        self.defines = dict(re.findall(r"^\s*#\s*define\s+(\w+)\s+(\S+)", text, flags=re.M))
        text = re.sub(r"^\s*#[^\n]*", " ", text, flags=re.M)
        text = text.replace('extern "C" {', " ")
        self.enums: Dict[str, Dict[str, int]] = {}
        self.structs: Dict[str, List[Tuple[str, str]]] = {}
        self.opaque: set[str] = set()
        self.typedefs: Dict[str, str] = {}
        self.functions: Dict[str, Tuple[str, List[str]]] = {}
        self.callbacks: Dict[str, Tuple[str, List[str]]] = {}

        for match in re.finditer(r"\benum\s+(\w+)\s*\{(.*?)\}", text, flags=re.S):
            values: Dict[str, int] = {}
            for item in match.group(2).split(","):
                if item.strip():
                    name, _, value = item.partition("=")
                    values[name.strip()] = int(value.strip(), 0)
            self.enums[match.group(1)] = values
        for match in re.finditer(r"\bstruct\s+(\w+)\s*\{(.*?)\}", text, flags=re.S):
            fields = []
            for declaration in match.group(2).split(";"):
                if declaration.strip():
                    kind, name = self._split_declarator(declaration)
                    fields.append((name, kind))
            self.structs[match.group(1)] = fields
        # Blank out the bodies, then read the remaining statements one by one.
        flat = re.sub(r"\{[^{}]*\}", " ", text)
        for statement in flat.split(";"):
            statement = " ".join(statement.split())
            if not statement or statement == "}":
                continue
            pointer = re.fullmatch(r"typedef (.+?)\(\s*\*\s*(\w+)\s*\)\s*\((.*)\)", statement)
            if pointer:
                restype, name, parameters = pointer.groups()
                self.callbacks[name] = (restype.strip(), self._parameters(parameters))
                continue
            if statement.startswith("typedef"):
                body = statement[len("typedef"):].strip()
                kind, name = self._split_declarator(body)
                opaque = re.fullmatch(r"struct (\w+)", kind)
                if opaque and opaque.group(1) not in self.structs:
                    self.opaque.add(opaque.group(1))
                self.typedefs[name] = kind
                continue
            call = re.fullmatch(r"(.+?)\b(\w+)\s*\((.*)\)", statement)
            if call is None:
                opaque = re.fullmatch(r"struct (\w+)", statement)
                if opaque and opaque.group(1) not in self.structs:
                    self.opaque.add(opaque.group(1))
                continue
            restype, name, parameters = call.groups()
            self.functions[name] = (restype.strip(), self._parameters(parameters))

    @classmethod
    def _parameters(cls, parameters: str) -> List[str]:
        """`const char *a, int b` -> ["const char *", "int"]."""
        if parameters.strip() in ("", "void"):
            return []
        return [cls._split_declarator(p)[0] for p in parameters.split(",")]

    @staticmethod
    def _split_declarator(declaration: str) -> Tuple[str, str]:
        """`const char *id` -> ("const char *", "id")."""
        declaration = " ".join(declaration.split())
        match = re.fullmatch(r"(.*?[\s*])(\w+)", declaration)
        assert match, declaration
        return match.group(1).strip(), match.group(2)

    def ctype(self, c_type: str) -> Any:
        """The ctypes type that a C type must be declared as."""
        words = c_type.replace("*", " * ").split()
        stars = words.count("*")
        base = [w for w in words if w not in ("*", "const", "struct", "enum")]
        assert len(base) == 1, c_type
        name = base[0]
        # Resolve typedefs of scalars and enums (`typedef enum X X`, `typedef uint32_t X`).
        while name in self.typedefs and name not in self.structs and name not in self.opaque:
            resolved = self.typedefs[name].replace("enum", "").replace("struct", "").strip()
            if resolved == name:
                break
            name = resolved
        if name in self.callbacks:
            assert stars == 0, c_type
            return _native.CALLBACKS[name]
        if name in self.enums:
            scalar: Any = ctypes.c_int
        elif name in self.structs or name in self.opaque:
            scalar = _native.STRUCTS[name]
        else:
            scalar = _SCALARS[name]
        if name == "char" and stars >= 1:
            scalar, stars = ctypes.c_char_p, stars - 1
        if name == "void" and stars >= 1:
            scalar, stars = ctypes.c_void_p, stars - 1
        for _ in range(stars):
            scalar = ctypes.POINTER(scalar)
        return scalar


@pytest.fixture(scope="module")
def header() -> Header:
    if not HEADER.is_file():
        pytest.fail(f"{HEADER} is missing")
    return Header(HEADER.read_text())


def test_abi_version(header: Header) -> None:
    assert int(header.defines["GES_ABI_VERSION"]) == _native.ABI_VERSION


def test_every_function_is_declared_and_nothing_else(header: Header) -> None:
    assert set(header.functions) == set(_native.FUNCTIONS)
    assert len(header.functions) == 21


@pytest.mark.parametrize("name", sorted(_native.FUNCTIONS))
def test_function_signature(header: Header, name: str) -> None:
    restype, arguments = header.functions[name]
    declared_restype, declared_arguments = _native.FUNCTIONS[name]
    assert declared_restype is header.ctype(restype), f"{name} returns {restype}"
    assert len(declared_arguments) == len(arguments), f"{name}({', '.join(arguments)})"
    for position, (declared, c_type) in enumerate(zip(declared_arguments, arguments)):
        assert declared is header.ctype(c_type), f"{name} argument {position}: {c_type}"
    # and the loaded library really uses those declarations
    function = getattr(_native.lib, name)
    assert function.restype is declared_restype
    assert list(function.argtypes) == declared_arguments


def test_structs(header: Header) -> None:
    assert set(header.structs) | header.opaque == set(_native.STRUCTS)
    for name, fields in header.structs.items():
        declared = _native.STRUCTS[name]._fields_
        assert [field for field, _ in declared] == [field for field, _ in fields], name
        for (field, declared_type), (_, c_type) in zip(declared, fields):
            assert declared_type is header.ctype(c_type), f"{name}.{field}: {c_type}"
    for name in header.opaque:
        assert not hasattr(_native.STRUCTS[name], "_fields_"), f"{name} is opaque in C"


def test_callback_types(header: Header) -> None:
    assert set(header.callbacks) == set(_native.CALLBACKS) == {"GesLogCallback"}
    for name, (restype, arguments) in header.callbacks.items():
        declared = _native.CALLBACKS[name]
        assert declared._restype_ is header.ctype(restype), name
        assert list(declared._argtypes_) == [header.ctype(argument) for argument in arguments], name


def test_log_levels(header: Header) -> None:
    """GES_LOG_LEVEL_* map one to one onto `logging` levels."""
    defined = {name: int(value) for name, value in header.defines.items() if name.startswith("GES_LOG_LEVEL_")}
    expected = {"ERROR": logging.ERROR, "WARN": logging.WARNING, "INFO": logging.INFO, "DEBUG": logging.DEBUG}
    assert {name[len("GES_LOG_LEVEL_"):] for name in defined} == set(expected)
    for name, value in defined.items():
        assert _log._LOG_LEVELS[value] == expected[name[len("GES_LOG_LEVEL_"):]], name
    assert len(_log._LOG_LEVELS) == len(defined)
    assert header.ctype("GesLogLevel") is _native.GesLogLevel


def test_version_macros(header: Header) -> None:
    """The header's version is the library's and the package's."""
    version = ".".join(header.defines[f"GES_VERSION_{part}"] for part in ("MAJOR", "MINOR", "PATCH"))
    assert header.defines["GES_VERSION_STRING"] == f'"{version}"'
    assert version == ges_backups.__version__ == _native.version()


def test_error_kinds(header: Header) -> None:
    assert len(header.enums) == 1
    (values,) = header.enums.values()
    prefix = "GES_ERROR_KIND_"
    assert {name[len(prefix):]: value for name, value in values.items()} == {
        kind.name: kind.value for kind in ErrorKind
    }


def test_the_parser_reads_the_spec_shapes() -> None:
    """The parser itself, on the two ways cbindgen can spell the same declarations."""
    text = """
    #define GES_ABI_VERSION 1
    typedef struct GesClient GesClient;
    typedef enum GesErrorKind { GES_ERROR_KIND_A = 1, GES_ERROR_KIND_B = 2, } GesErrorKind;
    typedef struct GesBackupList { const struct GesBackup *items; size_t len; } GesBackupList;
    struct GesError *ges_client_new(const char *config_json, struct GesClient **out);
    void ges_string_free(char *s);
    uint32_t ges_abi_version(void);
    enum GesErrorKind ges_error_kind(const GesError *err);
    typedef uint32_t GesLogLevel;
    typedef void (*GesLogCallback)(void *user_data, GesLogLevel level, const char *message);
    struct GesError *ges_client_set_logger(struct GesClient *client, GesLogCallback callback, void *user_data,
                                           GesLogLevel max_level);
    """
    parsed = Header(text)
    assert parsed.defines["GES_ABI_VERSION"] == "1"
    assert parsed.opaque == {"GesClient"}
    assert parsed.enums == {"GesErrorKind": {"GES_ERROR_KIND_A": 1, "GES_ERROR_KIND_B": 2}}
    assert parsed.structs["GesBackupList"] == [("items", "const struct GesBackup *"), ("len", "size_t")]
    assert parsed.functions["ges_client_new"] == ("struct GesError *", ["const char *", "struct GesClient **"])
    assert parsed.functions["ges_abi_version"] == ("uint32_t", [])
    assert parsed.ctype("struct GesClient **") is ctypes.POINTER(ctypes.POINTER(_native.GesClient))
    assert parsed.ctype("char **") is ctypes.POINTER(ctypes.c_char_p)
    assert parsed.ctype("GesErrorKind") is ctypes.c_int
    assert parsed.ctype("enum GesErrorKind") is ctypes.c_int
    assert parsed.callbacks["GesLogCallback"] == ("void", ["void *", "GesLogLevel", "const char *"])
    assert parsed.functions["ges_client_set_logger"][1] == ["struct GesClient *", "GesLogCallback", "void *", "GesLogLevel"]
    assert parsed.ctype("void *") is ctypes.c_void_p
    assert parsed.ctype("GesLogLevel") is ctypes.c_uint32
    assert parsed.ctype("GesLogCallback") is _native.GesLogCallback
