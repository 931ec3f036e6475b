"""Interop with the official Huawei Cloud SDK (`huaweicloudsdkges` from PyPI).

For the same emulator data, every field of every backup that `ges_backups` returns equals
what the official SDK returns, on the v1.0 API (`ListBackupsRequest`,
`ListGraphBackupsRequest`) and on v2 (`ListBackups2Request`, `ListGraphBackups2Request`),
page by page in the service's order and as a whole.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ServerResponseException
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkges import v1, v2

from emulator import ACCESS_KEY, PROJECT_ID, SECRET_KEY, Emulator
from ges_backups import ApiError, Backup, Client
from ges_backups._schema import ApiVersion

API_VERSIONS: Tuple[ApiVersion, ...] = typing.get_args(ApiVersion)  # the library's


class OfficialSdk:
    """The official SDK's four list calls behind one small interface."""

    def __init__(self, url: str, api_version: ApiVersion) -> None:
        config = HttpConfig.get_default_config()
        config.retry_times = 0
        module: Any = v1 if api_version == "v1.0" else v2
        self.api_version = api_version
        self.client = (
            module.GesClient.new_builder()
            .with_http_config(config)
            .with_credentials(BasicCredentials(ACCESS_KEY, SECRET_KEY, PROJECT_ID))
            .with_endpoints([url])
            .build()
        )

    def page(self, offset: int, limit: int, graph_id: Optional[str] = None) -> Any:
        if self.api_version == "v1.0":
            if graph_id is None:
                return self.client.list_backups(v1.ListBackupsRequest(offset=offset, limit=limit))
            return self.client.list_graph_backups(
                v1.ListGraphBackupsRequest(graph_id=graph_id, offset=offset, limit=limit)
            )
        if graph_id is None:
            return self.client.list_backups2(v2.ListBackups2Request(offset=offset, limit=limit))
        return self.client.list_graph_backups2(
            v2.ListGraphBackups2Request(graph_id=graph_id, offset=offset, limit=limit)
        )

    def everything(self, graph_id: Optional[str] = None) -> List[Dict[str, Any]]:
        backups: List[Dict[str, Any]] = []
        while True:
            answer = self.page(len(backups), 100, graph_id)
            page = [item.to_dict() for item in answer.backup_list or []]
            backups.extend(page)
            if not page or len(backups) >= answer.backup_count:
                return backups


def as_dicts(backups: Any) -> List[Dict[str, Any]]:
    return [dataclasses.asdict(b) for b in backups]


@pytest.fixture(params=API_VERSIONS)
def api_version(request: pytest.FixtureRequest) -> ApiVersion:
    value: ApiVersion = request.param
    return value


@pytest.fixture
def pair(emulator: Emulator, api_version: ApiVersion) -> Iterator[tuple[Client, OfficialSdk]]:
    with Client(
        endpoint=emulator.url, project_id=PROJECT_ID, access_key=ACCESS_KEY, secret_key=SECRET_KEY,
        api_version=api_version,
    ) as client:
        yield client, OfficialSdk(emulator.url, api_version)


def test_the_sdk_models_have_our_17_fields() -> None:
    names = [field.name for field in dataclasses.fields(Backup)]
    assert list(v1.Backup.openapi_types) == names
    assert list(v2.ListBackupsRespBackupList.openapi_types) == names


def test_every_page_equals_the_sdk_page(pair: tuple[Client, OfficialSdk]) -> None:
    client, sdk = pair
    for offset, limit in [(0, 10), (0, 100), (100, 100), (200, 100), (37, 13), (249, 5)]:
        ours = client.list_backups(offset=offset, limit=limit)
        theirs = sdk.page(offset, limit)
        assert ours.total_count == theirs.backup_count
        assert as_dicts(ours) == [item.to_dict() for item in theirs.backup_list], (offset, limit)


def test_everything_equals_the_sdk_paged_through(pair: tuple[Client, OfficialSdk]) -> None:
    client, sdk = pair
    theirs = sdk.everything()
    ours = client.list_backups()
    assert len(theirs) == 250 == ours.total_count
    assert as_dicts(ours) == sorted(theirs, key=lambda b: (-b["start_timestamp"], b["id"]))


def test_each_graph_equals_the_sdk_graph_listing(pair: tuple[Client, OfficialSdk]) -> None:
    client, sdk = pair
    graphs = sorted({b.graph_id for b in client.list_backups()})
    assert len(graphs) == 4
    for graph in graphs:
        theirs = sdk.everything(graph)
        ours = client.list_backups(graph_id=graph)
        assert as_dicts(ours) == sorted(theirs, key=lambda b: (-b["start_timestamp"], b["id"]))
        first = sdk.page(0, 10, graph)
        assert as_dicts(client.list_backups(graph_id=graph, limit=10)) == [
            item.to_dict() for item in first.backup_list
        ]


def test_sample_data_equals_the_sdk(sample_signed_emulator: Emulator) -> None:
    """The API page's own three sample backups."""
    for api_version in API_VERSIONS:
        with Client(
            endpoint=sample_signed_emulator.url, project_id=PROJECT_ID, access_key=ACCESS_KEY,
            secret_key=SECRET_KEY, api_version=api_version,
        ) as client:
            ours = client.list_backups(offset=0, limit=10)
        theirs = OfficialSdk(sample_signed_emulator.url, api_version).page(0, 10)
        assert len(ours) == 3 == theirs.backup_count
        assert as_dicts(ours) == [item.to_dict() for item in theirs.backup_list]


def test_same_status_and_richer_error_than_the_sdk(emulator: Emulator, pair: tuple[Client, OfficialSdk]) -> None:
    client, sdk = pair
    emulator.fault({"type": "status", "status": 503}, times=2)
    with pytest.raises(ServerResponseException) as theirs:
        sdk.page(0, 10)
    with Client(
        endpoint=emulator.url, project_id=PROJECT_ID, access_key=ACCESS_KEY, secret_key=SECRET_KEY,
        api_version=sdk.api_version, max_retries=0,
    ) as fragile:
        with pytest.raises(ApiError) as ours:
            fragile.list_backups(offset=0, limit=10)
    assert ours.value.http_status == theirs.value.status_code == 503
    assert ours.value.request_id and theirs.value.request_id
    assert ours.value.error_code == "GES.7006"  # which the SDK does not read (NOTES.md)


def test_fields_the_service_leaves_out(emulator: Emulator, pair: tuple[Client, OfficialSdk]) -> None:
    """Where the answer lacks a field the SDK gives None; `Backup` gives "" for a string,
    0 for an integer and None for `encrypted` (README), and agrees on everything else."""
    client, sdk = pair
    emulator.add_backups([{
        "id": "zz-sparse", "name": "sparse", "backupMethod": "manual", "graphId": "g-sparse",
        "graphName": "sparse-graph", "status": "success", "startTimestamp": 4102444800000,
        "startTime": "2100-01-01T00:00:00",
    }])
    (ours,) = client.list_backups(graph_id="g-sparse")
    theirs = sdk.page(0, 10, "g-sparse").backup_list
    assert len(theirs) == 1
    expected = {}
    for name, value in theirs[0].to_dict().items():
        kind = v1.Backup.openapi_types[name]
        if value is None and kind == "str":
            value = ""
        elif value is None and kind == "int":
            value = 0
        expected[name] = value
    assert dataclasses.asdict(ours) == expected
    assert ours.size == 0 and ours.graph_status == "" and ours.encrypted is None
