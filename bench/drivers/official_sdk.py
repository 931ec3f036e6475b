"""Contender "official Python SDK": huaweicloudsdkges v1, a plain offset loop as its docs show."""
import sys
from typing import Any, List

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkges import v1

from _measure import report

URL, PROJECT, AK, SK = sys.argv[1:5]


def make_client() -> Any:
    return (
        v1.GesClient.new_builder()
        .with_http_config(HttpConfig.get_default_config())
        .with_credentials(BasicCredentials(AK, SK, PROJECT))
        .with_endpoints([URL])
        .build()
    )


def list_all(sdk: Any) -> List[Any]:
    backups: List[Any] = []
    offset, limit = 0, 100
    while True:
        answer = sdk.list_backups(v1.ListBackupsRequest(offset=offset, limit=limit))
        backups.extend(answer.backup_list or [])
        offset += limit
        if offset >= answer.backup_count:
            return backups


report(make_client, list_all)
