"""The official huaweicloudsdkges SDK pages through the emulator with AK/SK signing
(v1.0 and v2, all graphs and one graph) and is refused with a wrong key."""
from typing import Any, Callable, List

import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkges import v1, v2

from conftest import AK, SK

PROJECT = "demo-project"


def client(module: Any, url: str, sk: str = SK) -> Any:
    config = HttpConfig.get_default_config()
    config.retry_times = 0
    return (
        module.GesClient.new_builder()
        .with_http_config(config)
        .with_credentials(BasicCredentials(AK, sk, PROJECT))
        .with_endpoints([url])
        .build()
    )


def page_all(fetch: Callable[[int, int], Any], count_attr: str, list_attr: str) -> List[Any]:
    """A plain offset loop, as the SDK's documentation shows."""
    backups: List[Any] = []
    offset, limit = 0, 100
    while True:
        answer = fetch(offset, limit)
        page = getattr(answer, list_attr) or []
        backups.extend(page)
        offset += limit
        if offset >= getattr(answer, count_attr):
            return backups


def test_v1_pages_through_everything(signed_emulator: str) -> None:
    sdk = client(v1, signed_emulator)
    backups = page_all(
        lambda o, l: sdk.list_backups(v1.ListBackupsRequest(offset=o, limit=l)), "backup_count", "backup_list"
    )
    assert len(backups) == 1234
    assert len({b.id for b in backups}) == 1234
    first = backups[0]
    assert first.backup_method in ("auto", "manual")
    assert isinstance(first.start_timestamp, int) and first.start_timestamp > 1_600_000_000_000


def test_v2_pages_through_everything(signed_emulator: str) -> None:
    sdk = client(v2, signed_emulator)
    backups = page_all(
        lambda o, l: sdk.list_backups2(v2.ListBackups2Request(offset=o, limit=l)), "backup_count", "backup_list"
    )
    assert len({b.id for b in backups}) == 1234


def test_per_graph_endpoints(signed_emulator: str) -> None:
    sdk1, sdk2 = client(v1, signed_emulator), client(v2, signed_emulator)
    graph = sdk1.list_backups(v1.ListBackupsRequest(offset=0, limit=1)).backup_list[0].graph_id
    one = page_all(
        lambda o, l: sdk1.list_graph_backups(v1.ListGraphBackupsRequest(graph_id=graph, offset=o, limit=l)),
        "backup_count",
        "backup_list",
    )
    two = page_all(
        lambda o, l: sdk2.list_graph_backups2(v2.ListGraphBackups2Request(graph_id=graph, offset=o, limit=l)),
        "backup_count",
        "backup_list",
    )
    assert one and all(b.graph_id == graph for b in one)
    assert {b.id for b in one} == {b.id for b in two}


@pytest.mark.parametrize("module", [v1, v2])
def test_wrong_key_is_refused(signed_emulator: str, module: Any) -> None:
    sdk = client(module, signed_emulator, sk="not-the-secret")
    request = v1.ListBackupsRequest(offset=0, limit=1) if module is v1 else v2.ListBackups2Request(offset=0, limit=1)
    call = sdk.list_backups if module is v1 else sdk.list_backups2
    with pytest.raises(ClientRequestException) as refused:
        call(request)
    assert refused.value.status_code == 401
    assert refused.value.error_code == "APIGW.0301"
