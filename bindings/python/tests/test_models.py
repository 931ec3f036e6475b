"""`Backup` conveniences on real listings: to_dict, start_datetime, end_datetime."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta, timezone

from ges_backups import Backup, Client
from emulator import Emulator


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
