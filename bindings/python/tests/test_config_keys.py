"""The config keys of contract 1.1 (cloud, iam_endpoint, shared_config_file, profile,
credentials_file, metadata_endpoint, proxy) are `Client` keyword arguments, passed to
the library as they are, and a proxy's password is never shown."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict

import pytest

from ges_backups import Client, GesError, _native
from emulator import ACCESS_KEY, PROJECT_ID, SECRET_KEY, Emulator

PROXY_PASSWORD = "Proxy-Pass-Very-Secret-789"


def _library_keys() -> set[str]:
    return {entry["name"] for entry in json.loads(_native.schema_json())["config"]}


def _values(tmp_path: Path) -> Dict[str, Any]:
    profiles = tmp_path / "hcloud.json"
    profiles.write_text(json.dumps({"current": "p", "profiles": [{"name": "p", "mode": "AKSK"}]}))
    credentials = tmp_path / "credentials"
    credentials.write_text("[basic]\n")
    return {
        "cloud": "myhuaweicloud.com",
        "iam_endpoint": "http://127.0.0.1:9",  # unused: project_id is given
        "shared_config_file": profiles,  # a PathLike, as for ca_file
        "profile": "p",
        "credentials_file": str(credentials),
        "metadata_endpoint": "",  # off
        "proxy": "",  # the environment's proxy variables off
    }


@pytest.mark.parametrize("key", ["cloud", "iam_endpoint", "shared_config_file", "profile",
                                 "credentials_file", "metadata_endpoint", "proxy"])
def test_key_reaches_the_library(key: str, emulator: Emulator, tmp_path: Path) -> None:
    arguments: Dict[str, Any] = {key: _values(tmp_path)[key]}
    if key == "profile":
        arguments["shared_config_file"] = _values(tmp_path)["shared_config_file"]

    def make() -> Client:
        return Client(
            endpoint=emulator.url, project_id=PROJECT_ID, access_key=ACCESS_KEY, secret_key=SECRET_KEY, **arguments
        )

    assert set(arguments) <= _library_keys()
    with make() as client:
        assert len(client.list_backups()) == 250


def test_proxy_password_is_never_shown(emulator: Emulator) -> None:
    proxy = f"http://user:{PROXY_PASSWORD}@127.0.0.1:9"
    client = Client(
        endpoint="https://ges.cn-north-4.myhuaweicloud.com", project_id=PROJECT_ID,
        access_key=ACCESS_KEY, secret_key=SECRET_KEY, proxy=proxy, max_retries=0, timeout_ms=2000,
    )
    with client:
        assert PROXY_PASSWORD not in repr(client) and "proxy='<hidden>'" in repr(client)
        assert PROXY_PASSWORD not in str(vars(client))
        with pytest.raises(GesError) as failed:  # nothing listens on the proxy's port
            client.list_backups()
        assert PROXY_PASSWORD not in str(failed.value) + repr(failed.value)
