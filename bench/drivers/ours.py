"""Contender "ges_backups (Python)": the package in bindings/python, on the built library.

BENCH_READ=all: the listing also builds every `Backup` (`BackupList.backups`, the
tuple that holds them all), as a program that reads every backup does; without it
the driver takes `len()` of what `list_backups()` returns."""
import os
import sys
from typing import Any, Sized

import ges_backups

from _measure import report

URL, PROJECT, AK, SK = sys.argv[1:5]
READ_ALL = os.environ.get("BENCH_READ") == "all"


def make_client() -> Any:
    return ges_backups.Client(endpoint=URL, project_id=PROJECT, access_key=AK, secret_key=SK)


def list_all(client: Any) -> Sized:
    backups = client.list_backups()
    return backups.backups if READ_ALL else backups


report(make_client, list_all)
