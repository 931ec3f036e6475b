"""The result types: `Backup` and `BackupList`."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from itertools import chain, repeat
from typing import (
    Any, Callable, Dict, Iterable, Iterator, List, Optional, Protocol, Sequence, Tuple, Union, overload,
)

from ._schema import BackupFields

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _utc(milliseconds: int) -> Optional[datetime]:
    # 0 is how an absent timestamp arrives; timedelta keeps every millisecond exact.
    return _EPOCH + timedelta(milliseconds=milliseconds) if milliseconds else None


@dataclass(frozen=True)
class Backup(BackupFields):
    """One GES backup, as the ``ges_backups`` data source returns it.

    Its 17 fields are the library's (`BackupFields`, generated from its schema). A
    string field the service left out is ``""`` and an integer field ``0`` (the C API
    has NULL and 0, the JSON result null); ``encrypted`` is None when the service did
    not say. ``status`` and ``backup_method`` are typed as the values the service
    documents, or ``""``.
    """

    __slots__ = ()  # the fields' slots are BackupFields'

    @property
    def start_datetime(self) -> Optional[datetime]:
        """``start_timestamp`` as a timezone-aware UTC `datetime`; None when absent."""
        return _utc(self.start_timestamp)

    @property
    def end_datetime(self) -> Optional[datetime]:
        """``end_timestamp`` as a timezone-aware UTC `datetime`; None when absent."""
        return _utc(self.end_timestamp)

    def to_dict(self) -> Dict[str, Any]:
        """The 17 fields by name, in declaration order (as `dataclasses.asdict`, faster):
        plain values, ready for `json.dumps`."""
        return dict(zip(_FIELD_NAMES, _field_values(self)))

    # Pickle and copy by field values, as dataclass(slots=True) does: the default
    # restores slots with setattr, which a frozen dataclass refuses.
    def __getstate__(self) -> Tuple[Any, ...]:
        return tuple(getattr(self, field) for field in self.__dataclass_fields__)

    def __setstate__(self, state: Tuple[Any, ...]) -> None:
        for field, value in zip(self.__dataclass_fields__, state):
            object.__setattr__(self, field, value)


_FIELD_NAMES: Tuple[str, ...] = tuple(Backup.__dataclass_fields__)
_field_values: Callable[[Backup], Tuple[Any, ...]] = operator.attrgetter(*_FIELD_NAMES)
"""A backup's field values, in declaration order."""


class BackupRows(Protocol):
    """Where a `BackupList` takes its backups from: a tuple (`StoredRows`), or the
    native list, copied on access (`ges_backups._native.NativeBackups`)."""

    def __len__(self) -> int: ...

    def one(self, index: int) -> Backup:
        """The backup at ``0 <= index < len``."""
        ...

    def many(self, start: int, stop: int, step: int) -> Sequence[Backup]:
        """The backups at ``range(start, stop, step)`` (``step > 0``), clipped to the length."""
        ...

    def all(self) -> Tuple[Backup, ...]:
        """Every backup, as a tuple kept from then on."""
        ...


class StoredRows:
    """Backups held as Python objects."""

    __slots__ = ("_backups",)

    def __init__(self, backups: Tuple[Backup, ...]) -> None:
        self._backups = backups

    def __len__(self) -> int:
        return len(self._backups)

    def one(self, index: int) -> Backup:
        return self._backups[index]

    def many(self, start: int, stop: int, step: int) -> Sequence[Backup]:
        return self._backups[start:stop:step]

    def all(self) -> Tuple[Backup, ...]:
        return self._backups


_CHUNK = 256
"""Backups copied at a time while iterating a native list: large enough that the
per-column work is shared by many backups, small enough to stay in the CPU caches."""


class BackupList(Sequence[Backup]):
    """An immutable sequence of `Backup` with the data source's ``id`` and the
    service's ``total_count`` (its ``backupCount``).

    A list from `Client.list_backups` keeps the native list and builds the `Backup`
    objects when they are read (by index, slice or iteration; reading an index twice
    may give two equal objects). The native list is freed when the `BackupList` and
    its iterators are garbage-collected, or once `backups` has copied everything. It
    may be read from many threads at once, and after its client is closed."""

    __slots__ = ("_rows", "_total_count", "_id")

    def __init__(self, backups: Iterable[Backup], total_count: int, id: str) -> None:
        self._rows: BackupRows = StoredRows(tuple(backups))
        self._total_count = total_count
        self._id = id

    @classmethod
    def _of_rows(cls, rows: BackupRows, total_count: int, id: str) -> BackupList:
        made = cls.__new__(cls)
        made._rows = rows
        made._total_count = total_count
        made._id = id
        return made

    @property
    def backups(self) -> Tuple[Backup, ...]:
        """The backups, as a tuple. The first read copies every backup into it and
        frees the native list; later reads (and every access) use that tuple."""
        return self._rows.all()

    def to_dicts(self) -> List[Dict[str, Any]]:
        """Every backup as `Backup.to_dict` gives it, in order: the rows of
        ``pandas.DataFrame(backups.to_dicts())`` or of a `csv.DictWriter`."""
        return [dict(zip(_FIELD_NAMES, values)) for values in map(_field_values, self)]

    @property
    def total_count(self) -> int:
        """``backupCount`` as the service reported it."""
        return self._total_count

    @property
    def id(self) -> str:
        """The data source id: a function of the query alone."""
        return self._id

    @overload
    def __getitem__(self, index: int) -> Backup: ...

    @overload
    def __getitem__(self, index: slice) -> Tuple[Backup, ...]: ...

    def __getitem__(self, index: Union[int, slice]) -> Union[Backup, Tuple[Backup, ...]]:
        rows = self._rows
        if isinstance(index, slice):
            picked = range(len(rows))[index]
            if not picked:
                return ()
            if picked.step > 0:
                return tuple(rows.many(picked.start, picked.stop, picked.step))
            forward = picked[::-1]
            return tuple(reversed(rows.many(forward.start, forward.stop, forward.step)))
        try:
            position = operator.index(index)
        except TypeError:
            raise TypeError(
                f"BackupList indices must be integers or slices, not {type(index).__name__}"
            ) from None
        length = len(rows)
        if position < 0:
            position += length
        if not 0 <= position < length:
            raise IndexError("BackupList index out of range")
        return rows.one(position)

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Backup]:
        rows = self._rows
        if isinstance(rows, StoredRows):
            return iter(rows.all())
        return self._chunks(range(len(rows)))

    def __reversed__(self) -> Iterator[Backup]:
        rows = self._rows
        if not len(rows):
            return iter(())
        starts = range((len(rows) - 1) // _CHUNK * _CHUNK, -1, -_CHUNK)
        chunks = map(rows.many, starts, range(starts.start + _CHUNK, 0, -_CHUNK), repeat(1))
        backwards: Callable[[Sequence[Backup]], Iterator[Backup]] = reversed
        return chain.from_iterable(map(backwards, chunks))

    def index(self, value: Any, start: int = 0, stop: Optional[int] = None) -> int:
        """The first position of `value` within ``[start:stop]``; ValueError if absent."""
        picked = range(len(self))[start:stop]
        for position, backup in zip(picked, self._chunks(picked)):
            if backup is value or backup == value:
                return position
        raise ValueError(f"{value!r} is not in the BackupList")

    def count(self, value: Any) -> int:
        """How many backups equal `value`."""
        return sum(1 for backup in self if backup is value or backup == value)

    def _chunks(self, picked: range) -> Iterator[Backup]:
        """The backups at `picked` (a step-1 range within bounds), each chunk copied
        when the iteration reaches it. The map holds the rows: a native list lives as
        long as the iterator."""
        rows = self._rows
        starts = range(picked.start, picked.stop, _CHUNK)
        stops = (min(start + _CHUNK, picked.stop) for start in starts)
        return chain.from_iterable(map(rows.many, starts, stops, repeat(1)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BackupList):
            return NotImplemented
        if self is other:
            return True
        return (
            len(self) == len(other)
            and self._total_count == other._total_count
            and self._id == other._id
            and all(map(operator.eq, self, other))
        )

    def __hash__(self) -> int:
        return hash((tuple(self), self._total_count, self._id))

    def __reduce__(self) -> Tuple[Any, ...]:
        # Pickles and copies hold the backups themselves, never the native list.
        return (BackupList, (tuple(self), self._total_count, self._id))

    def __repr__(self) -> str:
        return (
            f"BackupList(id={self._id!r}, total_count={self._total_count}, "
            f"backups=<{len(self)} Backup>)"
        )
