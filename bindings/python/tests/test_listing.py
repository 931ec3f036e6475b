"""Listing against the emulator: everything, filters, one page, most_recent."""

from __future__ import annotations

import copy
import dataclasses
import json
import pickle
import weakref
from typing import Any, Dict, List

import pytest

from emulator import ACCESS_KEY, PROJECT_ID, SECRET_KEY, Emulator
from ges_backups import ApiError, Backup, BackupList, Client, InvalidArgumentError, _native

FIELDS = [
    "id", "name", "backup_method", "graph_id", "graph_name", "graph_status",
    "graph_size_type_index", "data_store_version", "arch", "status", "start_timestamp",
    "start_time", "end_timestamp", "end_time", "size", "duration", "encrypted",
]


def ordered(backups: List[Backup]) -> List[Backup]:
    return sorted(backups, key=lambda b: (-b.start_timestamp, b.id))


def test_backup_is_a_frozen_dataclass_of_the_17_fields() -> None:
    assert [field.name for field in dataclasses.fields(Backup)] == FIELDS
    # list_backups copies the C struct field by field, by name
    assert [declared[0] for declared in _native.GesBackup._fields_] == FIELDS
    backup = Backup(**{name: 0 for name in FIELDS})  # type: ignore[arg-type]
    with pytest.raises(dataclasses.FrozenInstanceError):
        backup.id = "x"  # type: ignore[misc]


def test_backup_copies_pickles_and_takes_weak_references(client: Client) -> None:
    """`Backup` has slots (and a frozen __setattr__): copies and pickles still work."""
    backup = client.list_backups(limit=1)[0]
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        restored = pickle.loads(pickle.dumps(backup, protocol))
        assert type(restored) is Backup and restored == backup and repr(restored) == repr(backup)
    assert copy.copy(backup) == backup == copy.deepcopy(backup)
    assert hash(copy.copy(backup)) == hash(backup)
    assert dataclasses.replace(backup, size=7).size == 7
    assert weakref.ref(backup)() is backup


def test_fields_left_out_amid_present_ones(emulator: Emulator, client: Client) -> None:
    """The list is decoded a field at a time: strings the service left out are "" next
    to present ones, in repeated fields (graph_status) and distinct ones (end_time)."""
    full = {
        "backupMethod": "manual", "graphId": "g-mixed", "graphName": "mixed", "graphStatus": "200",
        "graphSizeTypeIndex": "1", "dataStoreVersion": "2.2.21", "arch": "x86_64", "status": "success",
        "endTimestamp": 4102444801000, "endTime": "2100-01-01T00:00:01", "size": 3, "duration": 1,
        "encrypted": True,
    }
    sparse_keys = ("backupMethod", "graphId", "graphName", "status")
    added = []
    for i in range(6):
        backup = full if i % 2 else {key: full[key] for key in sparse_keys}
        added.append({
            **backup, "id": f"zz-mixed-{i}", "name": f"sauvegarde-é-{i}",
            "startTimestamp": 4102444800000 - i, "startTime": f"2100-01-01T00:00:0{i}",
        })
    emulator.add_backups(added)
    result = client.list_backups(graph_id="g-mixed")
    assert [b.id for b in result] == [f"zz-mixed-{i}" for i in range(6)]
    for i, b in enumerate(result):
        assert b.name == f"sauvegarde-é-{i}" and b.start_time == f"2100-01-01T00:00:0{i}"
        assert (b.graph_id, b.graph_name, b.backup_method, b.status) == ("g-mixed", "mixed", "manual", "success")
        left_out = (b.graph_status, b.arch, b.end_time, b.size, b.encrypted)
        assert left_out == (("200", "x86_64", "2100-01-01T00:00:01", 3, True) if i % 2 else ("", "", "", 0, None))


def test_list_everything(client: Client) -> None:
    result = client.list_backups()
    assert isinstance(result, BackupList)
    assert len(result) == 250 == result.total_count
    assert len({b.id for b in result}) == 250, "each backup exactly once"
    assert list(result) == ordered(list(result)), "start_timestamp descending, then id ascending"
    assert result.id and isinstance(result.id, str)
    for backup in result:
        assert isinstance(backup, Backup)
        for name in FIELDS[:10] + ["start_time", "end_time"]:
            assert isinstance(getattr(backup, name), str) and getattr(backup, name), name
        for name in ("start_timestamp", "end_timestamp", "size", "duration"):
            assert type(getattr(backup, name)) is int, name
        assert backup.encrypted is None or type(backup.encrypted) is bool
        assert backup.backup_method in ("auto", "manual")
        assert backup.status in ("backing_up", "success", "failed")
    # a Sequence: indexing, slicing, iteration agree
    assert result[0] == result.backups[0] and result[-1] == list(result)[-1]
    assert result[1:3] == result.backups[1:3]


def test_small_pages_and_concurrency_give_the_same_list(emulator: Emulator, client: Client) -> None:
    expected = client.list_backups()
    with Client(
        endpoint=emulator.url, project_id=PROJECT_ID, access_key=ACCESS_KEY, secret_key=SECRET_KEY,
        page_size=7, max_concurrency=3,
    ) as small:
        assert list(small.list_backups()) == list(expected)


def test_v2_api_gives_the_same_backups(emulator: Emulator, client: Client) -> None:
    with Client(
        endpoint=emulator.url, project_id=PROJECT_ID, access_key=ACCESS_KEY, secret_key=SECRET_KEY,
        api_version="v2",
    ) as v2:
        assert list(v2.list_backups()) == list(client.list_backups())


@pytest.mark.parametrize(
    "argument",
    ["graph_id", "graph_name", "backup_id", "name", "status", "backup_method"],
)
def test_each_filter(client: Client, argument: str) -> None:
    field = "id" if argument == "backup_id" else argument
    everything = list(client.list_backups())
    values = sorted({getattr(b, field) for b in everything})
    assert values, argument
    for value in values[:3]:
        query: Dict[str, Any] = {argument: value}
        result = client.list_backups(**query)
        expected = [b for b in everything if getattr(b, field) == value]
        assert list(result) == expected, f"{argument}={value!r}"
    nothing: Dict[str, Any] = {argument: "no-such-value"}
    if argument in ("status", "backup_method"):  # a closed set of values: a typo is refused
        with pytest.raises(InvalidArgumentError) as refused:
            client.list_backups(**nothing)
        assert argument in refused.value.message
    else:
        assert list(client.list_backups(**nothing)) == []


@pytest.mark.parametrize(
    ("argument", "typo"),
    [("status", "SUCCESS"), ("status", "sucess"), ("backup_method", "weird"), ("backup_method", "Manual")],
)
def test_typos_in_closed_values_are_refused(client: Client, argument: str, typo: str) -> None:
    query: Dict[str, Any] = {argument: typo}
    with pytest.raises(InvalidArgumentError) as refused:
        client.list_backups(**query)
    assert argument in refused.value.message


def test_filters_combine(client: Client) -> None:
    everything = list(client.list_backups())
    graph = everything[0].graph_id
    result = client.list_backups(graph_id=graph, status="success", backup_method="manual")
    expected = [b for b in everything if b.graph_id == graph and b.status == "success" and b.backup_method == "manual"]
    assert list(result) == expected


def test_per_graph_listing_is_server_side(emulator: Emulator, client: Client) -> None:
    graph = client.list_backups()[0].graph_id
    result = client.list_backups(graph_id=graph)
    assert result and all(b.graph_id == graph for b in result)
    assert result.total_count == len(result) < 250, "backupCount of the graph's own endpoint"
    # The graph's own endpoint is the one asked: a fault on that path alone hits it.
    emulator.fault({"type": "status", "status": 404}, path=f"/graphs/{graph}/backups")
    with Client(
        endpoint=emulator.url, project_id=PROJECT_ID, access_key=ACCESS_KEY, secret_key=SECRET_KEY, max_retries=0,
    ) as fragile:
        with pytest.raises(ApiError) as caught:
            fragile.list_backups(graph_id=graph)
    assert caught.value.http_status == 404


def test_one_page(client: Client) -> None:
    everything = client.list_backups()
    ids = {b.id for b in everything}
    first = client.list_backups(limit=10)
    assert len(first) == 10 and first.total_count == 250
    second = client.list_backups(offset=10, limit=10)
    assert len(second) == 10
    assert {b.id for b in first}.isdisjoint({b.id for b in second})
    assert {b.id for b in first} | {b.id for b in second} <= ids
    assert len(client.list_backups(offset=5)) == 10, "limit defaults to 10"
    assert len(client.list_backups(offset=245, limit=100)) == 5
    assert len(client.list_backups(offset=250, limit=10)) == 0
    pages = [client.list_backups(offset=o, limit=50) for o in range(0, 250, 50)]
    assert sorted(b.id for p in pages for b in p) == sorted(ids)


def test_most_recent(client: Client) -> None:
    everything = list(client.list_backups())
    (newest,) = client.list_backups(most_recent=True)
    assert newest == everything[0]
    failed = [b for b in everything if b.status == "failed"]
    assert list(client.list_backups(status="failed", most_recent=True)) == failed[:1]
    assert list(client.list_backups(name="no-such-name", most_recent=True)) == []


def test_most_recent_breaks_ties_by_smallest_id(emulator: Emulator, client: Client) -> None:
    top = client.list_backups()[0]
    twins = []
    for suffix in ("b", "a", "c"):
        twins.append({
            "id": f"zz-tie-{suffix}", "name": "tie", "backupMethod": "manual",
            "graphId": top.graph_id, "graphName": top.graph_name, "graphStatus": "200",
            "graphSizeTypeIndex": "1", "dataStoreVersion": "2.2.21", "arch": "x86_64",
            "status": "success", "startTimestamp": top.start_timestamp + 1000,
            "startTime": "2030-01-01T00:00:00", "endTimestamp": top.start_timestamp + 2000,
            "endTime": "2030-01-01T00:00:01", "size": 1, "duration": 1,
        })
    emulator.add_backups(twins)
    (newest,) = client.list_backups(most_recent=True)
    assert newest.id == "zz-tie-a"
    assert [b.id for b in client.list_backups(name="tie")] == ["zz-tie-a", "zz-tie-b", "zz-tie-c"]


def test_sample_data_and_auth_token(sample_emulator: Emulator) -> None:
    with Client(endpoint=sample_emulator.url, project_id=PROJECT_ID, auth_token="test-token") as client:
        result = client.list_backups()
    assert len(result) == 3 == result.total_count
    assert all(b.backup_method in ("auto", "manual") for b in result)


def test_data_source_id(client: Client) -> None:
    a = client.list_backups(status="success")
    b = client.list_backups(status="success")
    c = client.list_backups(status="failed")
    assert a.id == b.id != c.id
    assert client.list_backups().id not in (a.id, c.id)


def test_json_and_struct_results_agree(client: Client) -> None:
    """The two result paths of the C ABI (struct and JSON) give the same data."""
    handle = client._acquire()
    try:
        for query in ({}, {"status": "success"}, {"offset": 3, "limit": 4}):
            document = json.dumps(query).encode()
            structured = _native.list_backups(handle, document)
            parsed: Any = json.loads(_native.list_backups_json(handle, document))
            assert parsed["id"] == structured.id
            assert parsed["total_count"] == structured.total_count
            assert [dataclasses.asdict(b) for b in structured] == parsed["backups"]
    finally:
        client._release()


def test_environment_fallbacks(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GES_ENDPOINT", emulator.url)
    monkeypatch.setenv("HW_PROJECT_ID", PROJECT_ID)
    monkeypatch.setenv("HW_ACCESS_KEY", ACCESS_KEY)
    monkeypatch.setenv("HW_SECRET_KEY", SECRET_KEY)
    with Client() as client:
        assert len(client.list_backups(limit=3)) == 3


def test_none_means_not_given(client: Client) -> None:
    assert list(client.list_backups(status=None, limit=None)) == list(client.list_backups())  # type: ignore[arg-type]

