"""`Backup` and `BackupList` conveniences on real listings: to_dict, to_dicts,
start_datetime, end_datetime; and `Client.list_backups_json`."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import datetime, timedelta, timezone

from typing import List

from ges_backups import Backup, BackupList, Client, Query
from emulator import Emulator
from json_result import backups_of


def test_to_dict_holds_every_field_in_order(client: Client) -> None:
    backups = client.list_backups()
    assert len(backups) == 250
    for backup in backups:
        as_dict = backup.to_dict()
        assert as_dict == dataclasses.asdict(backup)
        assert list(as_dict) == [field.name for field in dataclasses.fields(Backup)]
        assert Backup(**as_dict) == backup
    # plain values: the list goes to JSON as it is
    assert json.loads(json.dumps([b.to_dict() for b in backups]))[0]["id"] == backups[0].id


def test_datetimes_are_utc_and_exact_to_the_millisecond(emulator: Emulator, client: Client) -> None:
    emulator.add_backups([{
        "id": "zz-when", "name": "when", "backupMethod": "manual", "graphId": "g-when",
        "graphName": "when", "status": "success",
        "startTimestamp": 1623160513123, "startTime": "2021-06-08T13:55:13",
        "endTimestamp": 1623160568999, "endTime": "2021-06-08T13:56:08",
    }])
    (backup,) = client.list_backups(graph_id="g-when")
    start, end = backup.start_datetime, backup.end_datetime
    assert start == datetime(2021, 6, 8, 13, 55, 13, 123000, tzinfo=timezone.utc)
    assert end == datetime(2021, 6, 8, 13, 56, 8, 999000, tzinfo=timezone.utc)
    assert start is not None and start.utcoffset() == timedelta(0)
    assert start.strftime("%Y-%m-%dT%H:%M:%S") == backup.start_time
    assert end is not None and int(end.timestamp() * 1000) == backup.end_timestamp


def test_datetimes_are_none_when_the_service_left_them_out(emulator: Emulator, client: Client) -> None:
    emulator.add_backups([{
        "id": "zz-running", "name": "running", "backupMethod": "auto", "graphId": "g-running",
        "graphName": "running", "status": "backing_up",
        "startTimestamp": 4102444800000, "startTime": "2100-01-01T00:00:00",
    }])
    (backup,) = client.list_backups(graph_id="g-running")
    assert backup.end_timestamp == 0 and backup.end_datetime is None
    assert backup.start_datetime == datetime(2100, 1, 1, tzinfo=timezone.utc)
    assert backup.to_dict()["end_timestamp"] == 0


def test_list_backups_json_is_the_listing(client: Client) -> None:
    """The result JSON of the contract, with the listing's data."""
    queries: List[Query] = [{}, {"status": "failed"}, {"offset": 5, "limit": 7}, {"most_recent": True}]
    for query in queries:
        text = client.list_backups_json(**query)
        listed = client.list_backups(**query)
        parsed = json.loads(text)
        assert list(parsed) == ["id", "total_count", "backups"]
        assert parsed["id"] == listed.id and parsed["total_count"] == listed.total_count
        assert [list(backup) for backup in parsed["backups"]] == [list(b.to_dict()) for b in listed]
        assert backups_of(parsed) == tuple(listed)


def test_list_backups_json_has_null_where_backup_has_none(emulator: Emulator, client: Client) -> None:
    """The emulator always sends strings and integers; ``encrypted`` it may leave out."""
    emulator.add_backups([{
        "id": "zz-unsaid", "name": "unsaid", "graphId": "g-unsaid", "graphName": "unsaid",
        "startTimestamp": 1623160513000, "startTime": "2021-06-08T13:55:13",
    }])
    (backup,) = json.loads(client.list_backups_json(graph_id="g-unsaid"))["backups"]
    (listed,) = client.list_backups(graph_id="g-unsaid")
    assert backup["id"] == listed.id == "zz-unsaid"
    assert backup["encrypted"] is None and listed.encrypted is None
    assert backups_of({"backups": [backup]}) == (listed,)


def test_to_dicts_round_trips(client: Client) -> None:
    listed = client.list_backups()
    rows = listed.to_dicts()
    assert len(rows) == 250 and rows == [backup.to_dict() for backup in listed]
    assert tuple(Backup(**row) for row in rows) == tuple(listed)
    assert json.loads(json.dumps(rows)) == rows
    # the rows of a table: csv.DictWriter (or pandas.DataFrame) takes them as they are
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[field.name for field in dataclasses.fields(Backup)])
    writer.writeheader()
    writer.writerows(rows)
    read = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [row["id"] for row in read] == [backup.id for backup in listed]
    assert [int(row["size"]) for row in read] == [backup.size for backup in listed]
    assert BackupList([], 0, "x").to_dicts() == []
