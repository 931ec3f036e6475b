"""Checks that requests signed by the official Huawei Cloud Python SDK
(huaweicloudsdkges) pass the emulator's AK/SK check, for all four endpoints.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install huaweicloudsdkges
    ges-emulator --listen 127.0.0.1:0 --access-key AK --secret-key SK --project-id proj
    /tmp/venv/bin/python emulator/scripts/official_sdk_check.py URL AK SK proj

Exits non-zero on the first failure; a wrong secret key must be refused.
"""

import sys

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkges.v1 import GesClient as GesClientV1
from huaweicloudsdkges.v1 import ListBackupsRequest, ListGraphBackupsRequest
from huaweicloudsdkges.v2 import GesClient as GesClientV2
from huaweicloudsdkges.v2 import ListBackups2Request, ListGraphBackups2Request


def client(cls, url, ak, sk, project):
    config = HttpConfig.get_default_config()
    config.ignore_ssl_verification = True
    return (
        cls.new_builder()
        .with_http_config(config)
        .with_credentials(BasicCredentials(ak, sk, project))
        .with_endpoints([url])
        .build()
    )


def main(url, ak, sk, project):
    v1 = client(GesClientV1, url, ak, sk, project)
    v2 = client(GesClientV2, url, ak, sk, project)

    everything = v1.list_backups(ListBackupsRequest(offset=0, limit=100))
    assert everything.backup_count >= 1, everything
    graph = everything.backup_list[0].graph_id
    page = v1.list_backups(ListBackupsRequest(offset=1, limit=1))
    assert len(page.backup_list) == min(1, everything.backup_count - 1), page
    one_graph = v1.list_graph_backups(ListGraphBackupsRequest(graph_id=graph, offset=0, limit=100))
    assert all(b.graph_id == graph for b in one_graph.backup_list), one_graph

    snake = v2.list_backups2(ListBackups2Request(offset=0, limit=100))
    assert snake.backup_count == everything.backup_count, snake
    assert snake.backup_list[0].start_timestamp == everything.backup_list[0].start_timestamp
    v2.list_graph_backups2(ListGraphBackups2Request(graph_id=graph, offset=0, limit=10))

    wrong = client(GesClientV1, url, ak, sk + "x", project)
    try:
        wrong.list_backups(ListBackupsRequest(offset=0, limit=10))
    except ClientRequestException as e:
        assert e.status_code == 401, e
    else:
        raise AssertionError("a wrong secret key was accepted")
    print(f"official SDK: 4 endpoints signed and accepted, {everything.backup_count} backups; wrong key refused")


if __name__ == "__main__":
    main(*sys.argv[1:5])
