"""ctypes declarations of the C ABI (`include/ges_backups.h`, ABI version 1), the
loading of the native library bundled in this package, and thin typed calls that copy
results into Python objects and free the native memory exactly once, on success and on
error (a listing's native list lives in its `BackupList` until that is collected).

`FUNCTIONS` and the `Structure` classes mirror the header one to one; a test parses the
header and fails when the two drift apart.

ctypes releases the GIL for the whole of every call into a `CDLL`, so calls from several
Python threads run in parallel in the library.

A listing started from the main thread runs on a worker thread while the main thread
waits, interruptibly: on Ctrl-C (or any exception raised there by a signal handler) it
requests cancellation through a `GesCancel`, waits for the native call to return (the
library returns within 100 ms of the request) and re-raises.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
import weakref
from collections import deque
from ctypes import (
    CFUNCTYPE,
    POINTER,
    Structure,
    c_char_p,
    c_int,
    c_int8,
    c_int64,
    c_size_t,
    c_uint16,
    c_uint32,
    c_void_p,
)
from functools import partial
from itertools import repeat
from operator import attrgetter
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple, TypeVar

from ._errors import GesError, error_class
from ._models import _CHUNK, Backup, BackupList
from ._schema import FIELDS

ABI_VERSION = 1
"""The `GES_ABI_VERSION` this module is written for."""

LIBRARY_ENV = "GES_BACKUPS_LIBRARY"
"""Optional: path of another build of the native library to load (development only)."""


class GesClient(Structure):
    """Opaque `GesClient`."""


class GesError_(Structure):  # noqa: N801 - `GesError` is the Python exception
    """Opaque `GesError`."""


class GesCancel(Structure):
    """Opaque `GesCancel`: a cancellation flag."""


_CTYPES: Dict[str, Any] = {"string": c_char_p, "integer": c_int64, "bool": c_int8}
"""The C type of each kind of backup field (`GesBackup`: `const char *`, `int64_t`, `int8_t`)."""


class GesBackup(Structure):
    _fields_ = [(name, _CTYPES[kind]) for name, kind in FIELDS]


class GesBackupList(Structure):
    _fields_ = [
        ("items", POINTER(GesBackup)),
        ("len", c_size_t),
        ("total_count", c_int64),
        ("id", c_char_p),
    ]


GesErrorKind = c_int
"""`GesErrorKind`: a C enum, passed as an int."""

GesLogLevel = c_uint32
"""`GesLogLevel`: `GES_LOG_LEVEL_ERROR` (1) .. `GES_LOG_LEVEL_DEBUG` (4)."""

GesLogCallback = CFUNCTYPE(None, c_void_p, GesLogLevel, c_char_p)
"""`void (*GesLogCallback)(void *user_data, GesLogLevel level, const char *message)`."""

ClientPointer = Any
"""A `POINTER(GesClient)` (ctypes pointer types are not generic to the type checker)."""

_ErrorP = POINTER(GesError_)
_ClientP = POINTER(GesClient)
_ListP = POINTER(GesBackupList)
_CancelP = POINTER(GesCancel)

FUNCTIONS: Dict[str, Tuple[Any, List[Any]]] = {
    # name: (restype, argtypes), in the order of the header
    "ges_version": (c_char_p, []),
    "ges_abi_version": (c_uint32, []),
    "ges_client_new": (_ErrorP, [c_char_p, POINTER(_ClientP)]),
    "ges_client_free": (None, [_ClientP]),
    "ges_list_backups": (_ErrorP, [_ClientP, c_char_p, POINTER(_ListP)]),
    "ges_list_backups_cancellable": (_ErrorP, [_ClientP, c_char_p, _CancelP, POINTER(_ListP)]),
    "ges_backup_list_free": (None, [_ListP]),
    "ges_list_backups_json": (_ErrorP, [_ClientP, c_char_p, POINTER(c_char_p)]),
    "ges_list_backups_json_cancellable": (_ErrorP, [_ClientP, c_char_p, _CancelP, POINTER(c_char_p)]),
    "ges_string_free": (None, [c_char_p]),
    "ges_cancel_new": (_CancelP, []),
    "ges_cancel_request": (None, [_CancelP]),
    "ges_cancel_free": (None, [_CancelP]),
    "ges_error_kind": (GesErrorKind, [_ErrorP]),
    "ges_error_message": (c_char_p, [_ErrorP]),
    "ges_error_http_status": (c_uint16, [_ErrorP]),
    "ges_error_code": (c_char_p, [_ErrorP]),
    "ges_error_request_id": (c_char_p, [_ErrorP]),
    "ges_error_free": (None, [_ErrorP]),
    "ges_backups_schema_json": (c_char_p, []),
    "ges_client_set_logger": (_ErrorP, [_ClientP, GesLogCallback, c_void_p, GesLogLevel]),
}
"""Every function of the C ABI: name -> (restype, argtypes)."""

STRUCTS: Dict[str, Any] = {
    "GesClient": GesClient,
    "GesError": GesError_,
    "GesBackup": GesBackup,
    "GesBackupList": GesBackupList,
    "GesCancel": GesCancel,
}
"""Every struct of the C ABI, by its C name."""

CALLBACKS: Dict[str, Any] = {"GesLogCallback": GesLogCallback}
"""Every function pointer type of the C ABI, by its C name."""


def _library_names() -> Tuple[str, ...]:
    if sys.platform == "darwin":
        return ("libges_backups.dylib",)
    if sys.platform == "win32":
        return ("ges_backups.dll",)
    return ("libges_backups.so",)


def library_path() -> Path:
    """Where the native library is: `GES_BACKUPS_LIBRARY` when set, else inside this package."""
    override = os.environ.get(LIBRARY_ENV)
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent
    for name in _library_names():
        candidate = here / name
        if candidate.is_file():
            return candidate
    raise ImportError(
        f"the native library {_library_names()[0]} is missing from {here}; "
        "install the package with `pip install ./bindings/python` from the ges-backups "
        "source tree, which builds it with cargo"
    )


def _load() -> ctypes.CDLL:
    path = library_path()
    try:
        lib = ctypes.CDLL(str(path))
    except OSError as e:
        raise ImportError(f"cannot load the native library {path}: {e}") from e
    for name, (restype, argtypes) in FUNCTIONS.items():
        try:
            function = getattr(lib, name)
        except AttributeError:
            raise ImportError(f"{path} lacks {name}: not a ges_backups library of ABI {ABI_VERSION}") from None
        function.restype = restype
        function.argtypes = argtypes
    found = lib.ges_abi_version()
    if found != ABI_VERSION:
        raise ImportError(f"{path} has ABI version {found}; this package needs {ABI_VERSION}")
    return lib


lib = _load()


def version() -> str:
    """`ges_version()`: the native library's version."""
    raw: bytes = lib.ges_version()
    return raw.decode("utf-8")


def abi_version() -> int:
    """`ges_abi_version()`."""
    found: int = lib.ges_abi_version()
    return found


def schema_json() -> str:
    """`ges_backups_schema_json()`: every config key, query argument and result attribute."""
    raw: bytes = lib.ges_backups_schema_json()
    return raw.decode("utf-8")


def _text(raw: Optional[bytes]) -> Optional[str]:
    return None if raw is None else raw.decode("utf-8", errors="replace")


def take_error(err: Any) -> GesError:
    """Copy a non-NULL `GesError *` into the matching exception and free it."""
    try:
        kind: int = lib.ges_error_kind(err)
        message = _text(lib.ges_error_message(err)) or ""
        status: int = lib.ges_error_http_status(err)
        code = _text(lib.ges_error_code(err))
        request_id = _text(lib.ges_error_request_id(err))
    finally:
        lib.ges_error_free(err)
    return error_class(kind)(message, status or None, code, request_id)


def client_new(config_json: bytes, log_callback: Any, log_level: int) -> ClientPointer:
    """`ges_client_new`, then `ges_client_set_logger` with `log_callback` up to
    `log_level` (0: no logger). Free it with `client_free`."""
    out = _ClientP()
    err = lib.ges_client_new(config_json, ctypes.byref(out))
    if err:
        raise take_error(err)
    if log_level:
        err = lib.ges_client_set_logger(out, log_callback, None, log_level)
        if err:
            lib.ges_client_free(out)
            raise take_error(err)
    return out


def client_free(client: ClientPointer) -> None:
    """`ges_client_free`."""
    lib.ges_client_free(client)


def _string(raw: Optional[bytes]) -> str:
    return "" if raw is None else raw.decode("utf-8")


_ENCRYPTED = {1: True, 0: False}


def _distinct_strings(raw: List[Optional[bytes]]) -> List[str]:
    """Decodes a column of C strings in one go: one join, one decode, one split (a C
    string holds no NUL); NULL (the service left the field out) is ``""``."""
    try:
        joined = b"\0".join(raw)  # type: ignore[arg-type]  # TypeError on a NULL
    except TypeError:
        joined = b"\0".join([value or b"" for value in raw])
    return joined.decode("utf-8").split("\0")


class _Decoded(Dict[Optional[bytes], str]):
    """A column's decoded values, by their bytes: a value repeated across a list is
    decoded once, and its backups share one str."""

    LIMIT = 4096
    """Distinct values kept at most: a column that does not repeat stays bounded."""

    def __init__(self) -> None:
        super().__init__({None: ""})

    def __missing__(self, raw: bytes) -> str:
        if len(self) > self.LIMIT:
            self.clear()
            self[None] = ""
        text = self[raw] = raw.decode("utf-8")
        return text


class _StringColumn:
    """Decodes one list's column of C strings, a chunk at a time. A column whose values
    repeat (a graph's name, a status) goes through a `_Decoded` cache, so that its
    backups share one str per value; any other (ids, times) through
    `_distinct_strings`. The first chunk of `SAMPLE` values or more decides, for the
    rest of the list."""

    SAMPLE = 64
    """Values looked at; the column repeats when they hold at most a quarter as many
    distinct ones."""

    __slots__ = ("_cache", "_decided")

    def __init__(self) -> None:
        self._cache: Optional[_Decoded] = None
        self._decided = False

    def __call__(self, raw: List[Optional[bytes]]) -> Iterable[str]:
        if not self._decided and len(raw) >= self.SAMPLE:
            sample: Set[Optional[bytes]] = set(raw[: self.SAMPLE])
            self._cache = _Decoded() if len(sample) * 4 <= self.SAMPLE else None
            self._decided = True
        cache = self._cache
        return _distinct_strings(raw) if cache is None else map(cache.__getitem__, raw)


_FIELD_NAMES = tuple(name for name, _ in FIELDS)
_ALL_FIELDS = attrgetter(*_FIELD_NAMES)
_KINDS = tuple(kind for _, kind in FIELDS)


_Convert = Optional[Callable[[List[Any]], Iterable[Any]]]
"""How a column of C values becomes Python values (None: as they are)."""


def _converter(kind: str) -> _Convert:
    """How a column of C values of a field of `kind` becomes Python values, for one list."""
    if kind == "string":
        return _StringColumn()
    return partial(map, _ENCRYPTED.get) if kind == "bool" else None


def _free_list(native_list: Any) -> None:
    # Looked up at each call, so that a test can count the calls.
    lib.ges_backup_list_free(native_list)


class NativeBackups:
    """The backups of one native `GesBackupList`, which it owns: copied into `Backup`
    objects on each access, and freed exactly once, when this object is collected or
    when `all()` has copied every backup (after which the copies serve every access).

    Thread-safe: a lock keeps the list from being freed under a copy. Reading a list
    after its client is freed is fine (the C ABI lets lists outlive their client)."""

    __slots__ = (
        "_length", "_items", "_columns", "_lock", "_copied", "_free", "_last", "_ahead", "__weakref__",
    )

    def __init__(self, native_list: Any) -> None:
        # First, so that nothing below can leak the list.
        self._free = weakref.finalize(self, _free_list, native_list)
        # Not at exit: a daemon thread may still be reading it then (the OS reclaims it).
        self._free.atexit = False
        self._copied: Optional[Tuple[Backup, ...]] = None
        self._lock = threading.Lock()
        self._last = -2  # the index `one` read last
        self._ahead: Tuple[int, List[Backup]] = (0, [])  # a chunk copied ahead, from its index
        contents = native_list.contents
        self._length: int = contents.len
        self._items: Any = contents.items
        # Per field: the slot's store, the items as an array of the field's C type, the
        # field's index in the first item, items' length in that type, the conversion.
        self._columns: List[Tuple[Any, Any, int, int, _Convert]] = []
        if self._length:  # items may be NULL when empty
            struct_size = ctypes.sizeof(GesBackup)
            for declared, kind in zip(GesBackup._fields_, _KINDS):
                field, ctype = declared[0], declared[1]
                size = ctypes.sizeof(ctype)
                array = ctypes.cast(self._items, POINTER(ctype))
                offset = getattr(GesBackup, field).offset // size
                store = getattr(Backup, field).__set__
                self._columns.append((store, array, offset, struct_size // size, _converter(kind)))

    def __len__(self) -> int:
        return self._length

    @property
    def freed(self) -> bool:
        """Whether the native list has been freed."""
        return not self._free.alive

    def one(self, index: int) -> Backup:
        with self._lock:
            if self._copied is not None:
                return self._copied[index]
            # Reading in order (`for i in range(len(backups))`) copies a chunk ahead, as
            # iterating does; other reads copy just the one backup.
            sequential, self._last = index == self._last + 1, index
            start, ahead = self._ahead
            if start <= index < start + len(ahead):
                return ahead[index - start]
            if sequential:
                ahead = self._copy(min(_CHUNK, self._length - index), index, 1)
                self._ahead = (index, ahead)
                return ahead[0]
            values = list(_ALL_FIELDS(self._items[index]))
        for position, kind in enumerate(_KINDS):
            value = values[position]
            if kind == "string":
                values[position] = "" if value is None else value.decode("utf-8")
            elif kind == "bool":
                values[position] = _ENCRYPTED.get(value)
        return Backup(*values)

    def many(self, start: int, stop: int, step: int) -> Sequence[Backup]:
        with self._lock:
            if self._copied is not None:
                return self._copied[start:stop:step]
            return self._copy(len(range(start, min(stop, self._length), step)), start, step)

    def all(self) -> Tuple[Backup, ...]:
        with self._lock:
            if self._copied is None:
                self._copied = tuple(self._copy(self._length, 0, 1))
                self._free()
            return self._copied

    def _copy(self, count: int, start: int, step: int) -> List[Backup]:
        """`count` backups from `start` on, every `step`: a column at a time, each
        column one ctypes slice (a loop in C) and one store per backup through the
        slot's descriptor (Backup is frozen: its __init__ pays a Python-level
        object.__setattr__ per field). Called under the lock."""
        if count <= 0:
            return []
        backups: List[Backup] = list(map(object.__new__, repeat(Backup, count)))
        for store, array, offset, stride, convert in self._columns:
            first = start * stride + offset  # field of backup i: array[i * stride + offset]
            raw: List[Any] = array[first : first + count * step * stride : step * stride]
            # deque consumes the map without keeping its Nones.
            deque(map(store, backups, convert(raw) if convert else raw), maxlen=0)
        return backups


def list_backups(client: ClientPointer, query_json: bytes, cancel: Any = None) -> BackupList:
    """`ges_list_backups_cancellable` (`cancel` None: never cancelled), as a
    `BackupList` that owns the native list (`NativeBackups`)."""
    out = _ListP()
    err = lib.ges_list_backups_cancellable(client, query_json, cancel, ctypes.byref(out))
    if err:
        raise take_error(err)
    rows = NativeBackups(out)
    native = out.contents
    return BackupList._of_rows(rows, native.total_count, _string(native.id))


def list_backups_json(client: ClientPointer, query_json: bytes, cancel: Any = None) -> str:
    """`ges_list_backups_json_cancellable` (`cancel` None: never cancelled): the result
    as JSON text (see docs/contract.md, section Result); always freed."""
    out = c_char_p()
    err = lib.ges_list_backups_json_cancellable(client, query_json, cancel, ctypes.byref(out))
    if err:
        raise take_error(err)
    try:
        raw = out.value
        return "" if raw is None else raw.decode("utf-8")
    finally:
        lib.ges_string_free(out)


Result = TypeVar("Result")
NativeCall = Callable[[ClientPointer, bytes, Any], Result]
"""`list_backups` or `list_backups_json`: (client, query JSON, GesCancel or None)."""


class Cancellation:
    """A `GesCancel` flag for one call: requested from any thread, freed exactly once,
    after the call has returned. A request after the free does nothing (the call it was
    for has ended), so that a canceller never races the free."""

    __slots__ = ("_lock", "flag")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.flag: Any = lib.ges_cancel_new()
        """The `GesCancel *` to pass to the call; None once freed."""

    def request(self) -> None:
        with self._lock:
            if self.flag is not None:
                lib.ges_cancel_request(self.flag)

    def free(self) -> None:
        with self._lock:
            flag, self.flag = self.flag, None
        if flag is not None:
            lib.ges_cancel_free(flag)


def interruptible(call: NativeCall[Result], client: ClientPointer, query_json: bytes) -> Result:
    """`call`, cancelled when the main thread is interrupted while it waits.

    Python runs signal handlers (Ctrl-C's KeyboardInterrupt) in the main thread, and
    only between bytecodes: a native call there would hold Ctrl-C until it returned.
    So the call runs on a worker thread while the main thread waits. Other threads
    call the library directly: signals never interrupt them.
    """
    if threading.current_thread() is not threading.main_thread():
        return call(client, query_json, None)
    cancellation = Cancellation()
    outcome: List[Any] = []
    # Completion is our own Event, not Thread.join: on Python 3.9 to 3.11, a join
    # interrupted by Ctrl-C can mark a running thread as stopped (bpo-45274).
    done = threading.Event()

    def work() -> None:
        try:
            outcome.append(call(client, query_json, cancellation.flag))
        except BaseException as error:  # handed to the main thread
            outcome.append(error)
        finally:
            done.set()

    worker = threading.Thread(target=work, name="ges_backups.list_backups", daemon=True)
    try:
        worker.start()
    except BaseException:
        cancellation.free()
        raise
    try:
        while not done.wait(0.1):  # a timeout: interruptible on every Python version
            pass
    except BaseException:
        cancellation.request()
        _wait_through_interrupts(done)
        raise
    finally:
        if done.is_set():  # never free the flag under a running call (a leak instead)
            cancellation.free()
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    finished: Result = result
    return finished


def _wait_through_interrupts(done: threading.Event) -> None:
    """Wait for a cancelled call (the library returns within 100 ms), even through
    a second Ctrl-C: the call must end before its client can be freed."""
    while not done.is_set():
        try:
            done.wait()
        except BaseException:
            pass
