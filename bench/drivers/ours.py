"""Contender "ges_backups (Python)": the package in bindings/python, on the built library."""
import sys
from typing import Any

import ges_backups

from _measure import report

URL, PROJECT, AK, SK = sys.argv[1:5]


def make_client() -> Any:
    return ges_backups.Client(endpoint=URL, project_id=PROJECT, access_key=AK, secret_key=SK)


report(make_client, lambda client: client.list_backups())
