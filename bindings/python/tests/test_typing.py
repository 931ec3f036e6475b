"""Type hints resolve at run time (`typing.get_type_hints`) on every public callable:
pydantic's validate_call, typer, beartype and sphinx depend on it."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any, Callable, Dict, List, Literal, Optional

import pytest

import ges_backups
from smoke_installed import public_callables

CALLABLES: Dict[str, Callable[..., Any]] = dict(public_callables())


def test_the_walk_finds_the_public_api() -> None:
    for expected in (
        "abi_version", "Client.__init__", "Client.list_backups", "Client.close", "Client.__enter__",
        "Client.closed", "Backup", "Backup.to_dict", "Backup.start_datetime", "BackupList.total_count",
        "GesError.__init__", "Config", "Query", "Client.list_backups_json", "BackupList.to_dicts",
        "AsyncClient.__init__", "AsyncClient.list_backups", "AsyncClient.list_backups_json",
        "AsyncClient.aclose", "AsyncClient.close", "AsyncClient.closed", "AsyncClient.__aenter__",
    ):
        assert expected in CALLABLES


@pytest.mark.parametrize("name", sorted(CALLABLES))
def test_get_type_hints_resolves(name: str) -> None:
    hints = typing.get_type_hints(CALLABLES[name])
    target = CALLABLES[name]
    if inspect.isfunction(target) and target.__name__ != "__init__":
        assert "return" in hints, f"{name} has no return annotation"


def test_keyword_hints_are_the_typed_dicts() -> None:
    for client in (ges_backups.Client, ges_backups.AsyncClient):
        init = typing.get_type_hints(client.__init__)
        listing = typing.get_type_hints(client.list_backups)
        assert typing.get_args(init["config"]) == (ges_backups.Config,)
        assert typing.get_args(listing["query"]) == (ges_backups.Query,)
        assert listing["return"] is ges_backups.BackupList
        assert typing.get_type_hints(client.list_backups_json)["return"] is str
    assert inspect.iscoroutinefunction(ges_backups.AsyncClient.list_backups)
    assert typing.get_type_hints(ges_backups.BackupList.to_dicts)["return"] == List[Dict[str, Any]]
    config = typing.get_type_hints(ges_backups.Config)
    assert config["ca_file"] == config["id_token_file"] == typing.Union[str, os.PathLike[str]]
    assert config["timeout_ms"] is int and config["max_listing_bytes"] is int and config["insecure"] is bool
    assert config["signing_algorithm"] == Literal["HmacSHA256", "HmacSM3", "EcdsaP256SHA256", "SM2SM3"]
    assert config["assume_role"] == typing.Union[ges_backups.AssumeRole, typing.Sequence[ges_backups.AssumeRole]]
    hints = typing.get_type_hints(ges_backups.AssumeRole)
    assert hints == {"agency_name": str, "domain_name": str, "domain_id": str, "duration": int}


def test_status_and_backup_method_are_literals() -> None:
    query = typing.get_type_hints(ges_backups.Query)
    assert query["status"] == Literal["backing_up", "success", "failed"]
    assert query["backup_method"] == Literal["auto", "manual"]
    fields = typing.get_type_hints(ges_backups.Backup)
    # "": what a field the service left out holds
    assert fields["status"] == Literal["backing_up", "success", "failed", ""]
    assert fields["backup_method"] == Literal["auto", "manual", ""]
    assert fields["encrypted"] == Optional[bool]


GOOD = """\
import ges_backups

def listing(client: ges_backups.Client) -> int:
    backups = client.list_backups(status="success", backup_method="manual", most_recent=True)
    text: str = client.list_backups_json(status="failed")
    return len(backups) + len(text) + sum(1 for b in backups if b.status == "failed")

async def async_listing(client: ges_backups.AsyncClient) -> int:
    backups = await client.list_backups(status="backing_up", backup_method="auto")
    rows = backups.to_dicts()
    return len(rows) + len(await client.list_backups_json())

with ges_backups.Client(api_version="v2", ca_file=__file__) as client:
    listing(client)

# The keys of contract 1.2: an agency or a chain of them, OIDC with a path, typed values.
chain: list[ges_backups.AssumeRole] = [{"agency_name": "ops", "domain_name": "acme"}, {"agency_name": "audit"}]
enterprise = [
    ges_backups.Client(signing_algorithm="SM2SM3", assume_role={"agency_name": "ops", "duration": 900}),
    ges_backups.Client(assume_role=chain, insecure=True, max_listing_bytes=2**40),
    ges_backups.AsyncClient(idp_id="github", id_token_file=__file__, user_name="alice", password="p", domain_name="d"),
]
"""

# Each line that mypy must refuse; the line before each is fine.
BAD = [
    'client.list_backups(status="sucess")',
    'client.list_backups(backup_method="automatic")',
    'client.list_backups_json(status="SUCCESS")',
    'ges_backups.Client(api_version="v3")',
    'ges_backups.Client(regoin="cn-north-4")',
    'backups[0].status == "sucess"',
    'ges_backups.Client(signing_algorithm="HmacSHA1")',
    'ges_backups.Client(assume_role={"agency": "ops"})',
    'ges_backups.Client(assume_role=[{"agency_name": "ops", "duration": "15m"}])',
    'ges_backups.Client(insecure="yes")',
    'ges_backups.Client(max_listing_bytes="1GiB")',
]


def test_mypy_rejects_a_misspelt_status(tmp_path: Path) -> None:
    """mypy --strict, on snippets using the installed package: the correct spellings
    pass, each misspelt value is an error naming its Literal type."""
    good = tmp_path / "good.py"
    good.write_text(GOOD)
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import ges_backups\n\n"
        "def use(client: ges_backups.Client) -> object:\n"
        "    backups = client.list_backups()\n"
        + "".join(f"    {line}\n" for line in BAD)
        + "    return backups\n\n"
        "async def use_async(client: ges_backups.AsyncClient) -> None:\n"
        '    await client.list_backups(status="sucess")\n'
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--cache-dir", str(tmp_path / "cache"),
         "good.py", "bad.py"],
        capture_output=True, text=True, cwd=tmp_path,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert result.returncode == 1, result.stdout + result.stderr
    assert not [line for line in errors if line.startswith("good.py")], errors
    flagged = {int(line.split(":")[1]) for line in errors if line.startswith("bad.py")}
    first = 5  # the line of BAD[0]
    assert flagged == {*range(first, first + len(BAD)), first + len(BAD) + 3}, errors
    by_line = {int(line.split(":")[1]): line for line in errors}
    assert "Literal['backing_up', 'success', 'failed']" in by_line[first], by_line[first]
    assert "Literal['auto', 'manual']" in by_line[first + 1], by_line[first + 1]
    signing = by_line[first + BAD.index('ges_backups.Client(signing_algorithm="HmacSHA1")')]
    assert "Literal['HmacSHA256', 'HmacSM3', 'EcdsaP256SHA256', 'SM2SM3']" in signing, signing
