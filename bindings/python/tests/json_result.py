"""The result JSON of the C ABI (`ges_list_backups_json`) as `Backup` objects: an
independent path to the same data, to check the struct path against."""

from __future__ import annotations

from typing import Any, Dict, Tuple

from ges_backups import Backup
from ges_backups._schema import FIELDS

# JSON has null where the C list has NULL, 0 or -1, which Backup shows as "", 0 or None.
_ABSENT = {"string": "", "integer": 0, "bool": None}
ABSENT: Dict[str, Any] = {name: _ABSENT[kind] for name, kind in FIELDS}


def backups_of(parsed: Any) -> Tuple[Backup, ...]:
    """The backups of a parsed result JSON."""
    return tuple(
        Backup(**{name: ABSENT[name] if value is None else value for name, value in backup.items()})
        for backup in parsed["backups"]
    )
