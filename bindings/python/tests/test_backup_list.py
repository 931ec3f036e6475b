"""`BackupList` keeps the native list and copies backups on access: the sequence
behaves as a tuple of `Backup` would, the native list is freed exactly once, and it
may be read from many threads and after its client is closed."""

from __future__ import annotations

import copy
import ctypes
import gc
import json
import pickle
import threading
from typing import Any, Dict, List, Tuple

import pytest

from emulator import ACCESS_KEY, PROJECT_ID, SECRET_KEY, Emulator
from ges_backups import Backup, BackupList, Client, _models, _native
from json_result import backups_of


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 7 backups, so that the 250 backups span many chunk boundaries."""
    monkeypatch.setattr(_models, "_CHUNK", 7)
    monkeypatch.setattr(_native, "_CHUNK", 7)


class FreeCounts:
    """`ges_backup_list_free` calls, by the address of the list freed."""

    def __init__(self) -> None:
        self.counts: Dict[int, int] = {}

    def watch(self, result: BackupList) -> int:
        """The address of the native list `result` owns, its count set to 0 (malloc may
        have given it the address of a list freed before)."""
        rows = result._rows
        assert isinstance(rows, _native.NativeBackups)
        _, _, args, _ = rows._free.peek() or (None, None, (None,), None)
        address = ctypes.cast(args[0], ctypes.c_void_p).value
        assert address
        self.counts[address] = 0
        return address

    def __getitem__(self, address: int) -> int:
        return self.counts.get(address, 0)


@pytest.fixture
def frees(monkeypatch: pytest.MonkeyPatch) -> FreeCounts:
    """Counts `ges_backup_list_free` calls."""
    counted = FreeCounts()
    real = _native.lib.ges_backup_list_free

    def counting(native_list: Any) -> None:
        address = ctypes.cast(native_list, ctypes.c_void_p).value or 0
        counted.counts[address] = counted[address] + 1
        real(native_list)

    monkeypatch.setattr(_native.lib, "ges_backup_list_free", counting)
    return counted


def reference(client: Client, **query: Any) -> Tuple[Backup, ...]:
    """The same listing through the JSON call of the C ABI: plain Python objects."""
    handle = client._acquire()
    try:
        parsed: Any = json.loads(_native.list_backups_json(handle, json.dumps(query).encode()))
    finally:
        client._release()
    return backups_of(parsed)


def test_the_native_list_is_freed_once_when_collected(client: Client, frees: FreeCounts, small_chunks: None) -> None:
    result = client.list_backups()
    address = frees.watch(result)
    assert len(list(result)) == 250 and result[-1].id
    assert frees[address] == 0, "freed while still referenced"
    iterator = iter(result)
    next(iterator)
    del result
    gc.collect()
    assert frees[address] == 0, "an iterator keeps the native list alive"
    assert len(list(iterator)) == 249, "the iterator copies its later chunks from the native list"
    del iterator
    gc.collect()
    assert frees[address] == 1


def test_backups_copies_once_and_frees_the_native_list(client: Client, frees: FreeCounts) -> None:
    result = client.list_backups()
    address = frees.watch(result)
    iterator = iter(result)
    first = [next(iterator) for _ in range(3)]
    backups = result.backups
    assert frees[address] == 1, "the tuple replaces the native list"
    assert result.backups is backups and result._rows.freed  # type: ignore[attr-defined]
    # Everything still reads, from the tuple; the iterator started before goes on.
    assert first + list(iterator) == list(backups) == list(result)
    assert result[5] is backups[5] and result[-3:] == backups[-3:]
    del result, iterator
    gc.collect()
    assert frees[address] == 1, "never freed twice"


def test_an_empty_listing_is_freed_too(client: Client, frees: FreeCounts) -> None:
    empty = client.list_backups(offset=250, limit=10)
    address = frees.watch(empty)
    assert len(empty) == 0 and list(empty) == [] and empty[:] == () and list(reversed(empty)) == []
    with pytest.raises(IndexError):
        empty[0]
    del empty
    gc.collect()
    assert frees[address] == 1


def test_reads_after_the_client_is_closed(emulator: Emulator) -> None:
    with Client(endpoint=emulator.url, project_id=PROJECT_ID, access_key=ACCESS_KEY, secret_key=SECRET_KEY) as client:
        expected = reference(client)
        untouched = client.list_backups()
        touched = client.list_backups()
        assert touched[0] == expected[0]
    del client
    gc.collect()  # the native client is freed now
    assert tuple(untouched) == expected == tuple(touched)
    assert untouched[100] == expected[100] and untouched[::-50] == expected[::-50]


def test_sequence_semantics_match_a_tuple(client: Client, small_chunks: None) -> None:
    expected = reference(client)
    result = client.list_backups()
    assert len(result) == len(expected) == 250 and bool(result)
    assert list(result) == list(expected)
    assert list(reversed(result)) == list(reversed(expected))
    for index in (0, 1, 6, 7, 8, 100, 248, 249, -1, -7, -8, -250):
        assert result[index] == expected[index], index

    class Position:
        def __index__(self) -> int:
            return 13

    assert result[Position()] == expected[13]  # type: ignore[call-overload]
    for index in (250, -251, 10**20):
        with pytest.raises(IndexError):
            result[index]
    for wrong in ("a", 1.5, None):
        with pytest.raises(TypeError):
            result[wrong]  # type: ignore[call-overload]
    bounds = (None, 0, 1, 6, 7, 8, 100, 249, 250, 300, -1, -7, -249, -250, -400)
    for step in (None, 1, 2, 7, 8, 100, 300, -1, -3, -7, -300):
        for start in bounds:
            for stop in bounds:
                picked = slice(start, stop, step)
                assert result[picked] == expected[picked], picked
                assert type(result[picked]) is tuple
    with pytest.raises(ValueError):
        result[::0]
    # in order, one index at a time (copied a chunk ahead), and backwards
    assert [result[i] for i in range(250)] == list(expected)
    assert [result[i] for i in range(249, -1, -1)] == list(reversed(expected))
    assert [result[i] for i in range(0, 250, 3)] == list(expected[::3])
    assert expected[42] in result and result.index(expected[42]) == 42 and result.count(expected[42]) == 1
    assert result.index(expected[42], 40, 43) == 42 and result.index(expected[42], -210) == 42
    with pytest.raises(ValueError):
        result.index(expected[42], 43)
    stranger: object = "not a backup"
    assert stranger not in result and result.count(stranger) == 0


def test_equality_hash_pickle_and_copies(client: Client) -> None:
    result = client.list_backups()
    same = client.list_backups()
    stored = BackupList(reference(client), result.total_count, result.id)
    assert result == same == stored and hash(result) == hash(same) == hash(stored)
    assert result != client.list_backups(limit=249) and result != list(result)
    assert result != BackupList(reversed(list(result)), result.total_count, result.id)
    assert repr(result) == repr(stored) == f"BackupList(id={result.id!r}, total_count=250, backups=<250 Backup>)"
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        restored = pickle.loads(pickle.dumps(result, protocol))
        assert type(restored) is BackupList and restored == result
        assert restored.total_count == 250 and restored.id == result.id
    assert copy.copy(result) == result == copy.deepcopy(result)
    assert not result._rows.freed, "pickling and copying leave the native list in place"  # type: ignore[attr-defined]


def test_many_threads_read_one_list(client: Client, frees: FreeCounts, small_chunks: None) -> None:
    """Threads iterate, index and slice one list while one of them copies it into a
    tuple (which frees the native list under the others' feet, safely)."""
    expected = reference(client)
    for _ in range(3):
        result = client.list_backups()
        address = frees.watch(result)
        barrier = threading.Barrier(8)
        failures: List[BaseException] = []

        def reader(k: int, shared: BackupList = result) -> None:
            try:
                barrier.wait()
                for _ in range(5):
                    assert list(shared) == list(expected)
                    assert [shared[i] for i in range(k, 250, 8)] == list(expected[k::8])
                    assert shared[k::-3] == expected[k::-3]
                    if k == 0:
                        assert shared.backups == expected
            except BaseException as error:  # noqa: BLE001 - reported by the main thread
                failures.append(error)

        threads = [threading.Thread(target=reader, args=(k,)) for k in range(8)]
        for thread in threads:
            thread.start()
        del result  # the threads hold the last references
        for thread in threads:
            thread.join()
        assert not failures, failures
        del threads, reader
        gc.collect()
        assert frees[address] == 1


def test_listing_returns_before_copying(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    """`list_backups` copies nothing: the backups are copied when read."""
    copies: List[int] = []
    real = _native.NativeBackups._copy

    def counting(self: _native.NativeBackups, count: int, start: int, step: int) -> List[Backup]:
        copies.append(count)
        return real(self, count, start, step)

    monkeypatch.setattr(_native.NativeBackups, "_copy", counting)
    result = client.list_backups()
    assert len(result) == 250 and result.total_count == 250 and result.id
    assert copies == []
    assert sum(len(result[i : i + 50]) for i in range(0, 250, 50)) == 250
    assert copies == [50] * 5
