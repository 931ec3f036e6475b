"""The result types: `Backup` and `BackupList`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, Iterable, Iterator, Optional, Sequence, Tuple, Union, overload

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _utc(milliseconds: int) -> Optional[datetime]:
    # 0 is how an absent timestamp arrives; timedelta keeps every millisecond exact.
    return _EPOCH + timedelta(milliseconds=milliseconds) if milliseconds else None


@dataclass(frozen=True)
class Backup:
    """One GES backup, as the ``ges_backups`` data source returns it.

    A string field the service left out is ``""`` and an integer field ``0``, as in the
    C and Go APIs; ``encrypted`` is None when the service did not say.
    """

    # Slots (listed by hand: dataclass(slots=True) needs Python 3.10) take less memory
    # than a __dict__, and let the package fill a list of backups a field at a time
    # through the slot descriptors (see _native.list_backups).
    __slots__ = (
        "id", "name", "backup_method", "graph_id", "graph_name", "graph_status",
        "graph_size_type_index", "data_store_version", "arch", "status", "start_timestamp",
        "start_time", "end_timestamp", "end_time", "size", "duration", "encrypted",
        "__weakref__",
    )

    id: str
    name: str
    backup_method: str
    """``"auto"`` or ``"manual"``."""
    graph_id: str
    graph_name: str
    graph_status: str
    graph_size_type_index: str
    data_store_version: str
    arch: str
    status: str
    """``"backing_up"``, ``"success"`` or ``"failed"``."""
    start_timestamp: int
    """Milliseconds since the epoch."""
    start_time: str
    end_timestamp: int
    """Milliseconds since the epoch."""
    end_time: str
    size: int
    """Megabytes."""
    duration: int
    """Seconds."""
    encrypted: Optional[bool]

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
        return {field: getattr(self, field) for field in self.__dataclass_fields__}

    # Pickle and copy by field values, as dataclass(slots=True) does: the default
    # restores slots with setattr, which a frozen dataclass refuses.
    def __getstate__(self) -> Tuple[Any, ...]:
        return tuple(getattr(self, field) for field in self.__dataclass_fields__)

    def __setstate__(self, state: Tuple[Any, ...]) -> None:
        for field, value in zip(self.__dataclass_fields__, state):
            object.__setattr__(self, field, value)


class BackupList(Sequence[Backup]):
    """An immutable sequence of `Backup` with the data source's ``id`` and the
    service's ``total_count`` (its ``backupCount``)."""

    __slots__ = ("_backups", "_total_count", "_id")

    def __init__(self, backups: Iterable[Backup], total_count: int, id: str) -> None:
        self._backups: Tuple[Backup, ...] = tuple(backups)
        self._total_count = total_count
        self._id = id

    @property
    def backups(self) -> Tuple[Backup, ...]:
        """The backups, as a tuple."""
        return self._backups

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
        return self._backups[index]

    def __len__(self) -> int:
        return len(self._backups)

    def __iter__(self) -> Iterator[Backup]:
        return iter(self._backups)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BackupList):
            return NotImplemented
        return (self._backups, self._total_count, self._id) == (
            other._backups,
            other._total_count,
            other._id,
        )

    def __hash__(self) -> int:
        return hash((self._backups, self._total_count, self._id))

    def __repr__(self) -> str:
        return (
            f"BackupList(id={self._id!r}, total_count={self._total_count}, "
            f"backups=<{len(self._backups)} Backup>)"
        )
