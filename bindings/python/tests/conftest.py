"""Fixtures: the project's emulator on loopback, and clients of it.

The emulator binary is not built here: it is `$GES_EMULATOR`, or
`target/release/ges-emulator` of the source tree (`cargo build --release`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict, Iterator, Set, Tuple

import pytest

import ges_backups
from ges_backups import _native
from emulator import ACCESS_KEY, AUTH_TOKEN, CLOUD, PROJECT_ID, SECRET_KEY, Emulator
from log_records import Collector, collecting

REPO = Path(__file__).resolve().parents[3]


def _schema_environment() -> Tuple[str, ...]:
    """Every environment variable the library's schema names for a config key (the
    proxy variables in either case)."""
    names: Set[str] = set()
    for entry in json.loads(_native.schema_json())["config"]:
        env = entry.get("env") or []
        listed = [name.strip() for name in env.split(",")] if isinstance(env, str) else env
        names.update(name for name in listed if name)
    return tuple(sorted(names | {name.lower() for name in names if name.endswith("_PROXY")}))


# Variables that the native library reads as config fallbacks: the tests set what they
# need explicitly, so none may leak in from the caller's shell. The schema's, and
# those it does not name (not a key's own variable).
CONFIG_ENVIRONMENT = _schema_environment() + ("HW_MAX_RETRIES",)


def emulator_binary() -> Path:
    given = os.environ.get("GES_EMULATOR")
    path = Path(given) if given else REPO / "target" / "release" / "ges-emulator"
    if not path.is_file():
        pytest.fail(f"the emulator binary {path} is missing: run `cargo build --release` first")
    return path


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in CONFIG_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    # The emulator is on loopback: never through a proxy, for the SDK or the library.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture(scope="session")
def _signed_emulator() -> Iterator[Emulator]:
    with Emulator.start(
        emulator_binary(),
        "--backups", "250", "--graphs", "4", "--seed", "7",
        "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY,
    ) as emulator:
        yield emulator


@pytest.fixture
def emulator(_signed_emulator: Emulator) -> Iterator[Emulator]:
    """An AK/SK emulator with 250 generated backups over 4 graphs; its faults and data
    are reset after each test."""
    _signed_emulator.reset()
    yield _signed_emulator
    _signed_emulator.reset()


@pytest.fixture(scope="session")
def slow_emulator() -> Iterator[Emulator]:
    """An emulator with the sample data that delays every answer by 300 ms."""
    with Emulator.start(
        emulator_binary(),
        "--latency-ms", "300",
        "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY,
    ) as emulator:
        yield emulator


@pytest.fixture(scope="session")
def latency_emulator() -> Iterator[Emulator]:
    """An AK/SK emulator with 50 backups that delays every list answer by 2 s."""
    with Emulator.start(
        emulator_binary(),
        "--latency-ms", "2000", "--backups", "50",
        "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY,
    ) as emulator:
        yield emulator


@pytest.fixture(scope="session")
def sample_signed_emulator() -> Iterator[Emulator]:
    """An emulator with the API page's three sample backups, AK/SK auth."""
    with Emulator.start(emulator_binary(), "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY) as emulator:
        yield emulator


@pytest.fixture(scope="session")
def sample_emulator() -> Iterator[Emulator]:
    """An emulator with the API page's three sample backups, IAM-token auth."""
    with Emulator.start(emulator_binary(), "--auth-token", "test-token") as emulator:
        yield emulator


@pytest.fixture(scope="session")
def sm2_emulator() -> Iterator[Emulator]:
    """An AK/SK emulator with 25 generated backups that takes only SDK-SM2-SM3
    signatures (`--signing-algorithm`); reset it after changing that."""
    with Emulator.start(
        emulator_binary(),
        "--signing-algorithm", "SM2SM3", "--backups", "25",
        "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY,
    ) as emulator:
        yield emulator


@pytest.fixture(scope="session")
def _cloud_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    cloud = tmp_path_factory.mktemp("cloud") / "cloud.json"
    cloud.write_text(json.dumps(CLOUD))
    with Emulator.start(
        emulator_binary(),
        "--backups", "25", "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY,
        "--auth-token", AUTH_TOKEN, "--cloud-config", str(cloud),
    ) as emulator:
        yield emulator


@pytest.fixture
def cloud_emulator(_cloud_emulator: Emulator) -> Iterator[Emulator]:
    """An emulator with 25 generated backups that takes the AK/SK signatures of
    ACCESS_KEY (any algorithm) or AUTH_TOKEN, and serves IAM and STS with the agencies,
    user and identity provider of `emulator.CLOUD`; its faults and data are reset after
    each test (IAM's counters are not: compare them before and after)."""
    _cloud_emulator.reset()
    yield _cloud_emulator
    _cloud_emulator.reset()


@pytest.fixture
def cloud_config(cloud_emulator: Emulator, tmp_path: Path) -> Dict[str, Any]:
    """Config keys that reach the cloud emulator for GES and IAM, with no credentials
    and no source of them but what a test adds: empty profile and credentials files,
    no metadata service."""
    profiles = tmp_path / "empty-config.json"
    profiles.write_text("{}")
    credentials = tmp_path / "empty-credentials"
    credentials.write_text("")
    return {
        "endpoint": cloud_emulator.url, "iam_endpoint": cloud_emulator.url, "project_id": PROJECT_ID,
        "shared_config_file": profiles, "credentials_file": credentials, "metadata_endpoint": "",
        "max_retries": 0,
    }


@pytest.fixture
def log_records() -> Iterator[Collector]:
    """Every record of the `ges_backups` logger, which is at DEBUG (set before the test
    makes its clients)."""
    with collecting() as collector:
        yield collector


@pytest.fixture
def client(emulator: Emulator) -> Iterator[ges_backups.Client]:
    with ges_backups.Client(
        endpoint=emulator.url,
        project_id=PROJECT_ID,
        access_key=ACCESS_KEY,
        secret_key=SECRET_KEY,
    ) as client:
        yield client
