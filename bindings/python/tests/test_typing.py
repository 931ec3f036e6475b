"""Type hints resolve at run time (`typing.get_type_hints`) on every public callable:
pydantic's validate_call, typer, beartype and sphinx depend on it."""

from __future__ import annotations

import inspect
import os
import typing
from typing import Any, Callable, Dict, Iterator, Tuple

import pytest

import ges_backups


def _public_callables() -> Iterator[Tuple[str, Callable[..., Any]]]:
    for name in ges_backups.__all__:
        value = getattr(ges_backups, name)
        if inspect.isfunction(value):
            yield name, value
        if not inspect.isclass(value):
            continue
        yield name, value  # the class itself: its fields or TypedDict keys
        for attribute, member in vars(value).items():
            if attribute.startswith("_") and attribute not in ("__init__", "__enter__", "__exit__"):
                continue
            if isinstance(member, property) and member.fget is not None:
                yield f"{name}.{attribute}", member.fget
            elif inspect.isfunction(member):
                yield f"{name}.{attribute}", member


CALLABLES: Dict[str, Callable[..., Any]] = dict(_public_callables())


def test_the_walk_finds_the_public_api() -> None:
    for expected in (
        "abi_version", "Client.__init__", "Client.list_backups", "Client.close", "Client.__enter__",
        "Client.closed", "Backup", "Backup.to_dict", "Backup.start_datetime", "BackupList.total_count",
        "GesError.__init__", "Config", "Query",
    ):
        assert expected in CALLABLES


@pytest.mark.parametrize("name", sorted(CALLABLES))
def test_get_type_hints_resolves(name: str) -> None:
    hints = typing.get_type_hints(CALLABLES[name])
    target = CALLABLES[name]
    if inspect.isfunction(target) and target.__name__ != "__init__":
        assert "return" in hints, f"{name} has no return annotation"


def test_keyword_hints_are_the_typed_dicts() -> None:
    init = typing.get_type_hints(ges_backups.Client.__init__)
    listing = typing.get_type_hints(ges_backups.Client.list_backups)
    assert typing.get_args(init["config"]) == (ges_backups.Config,)
    assert typing.get_args(listing["query"]) == (ges_backups.Query,)
    assert listing["return"] is ges_backups.BackupList
    config = typing.get_type_hints(ges_backups.Config)
    assert config["ca_file"] == typing.Union[str, os.PathLike[str]]
    assert config["timeout_ms"] is int
