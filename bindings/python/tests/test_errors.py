"""Every exception class, each from a real scripted fault or bad input."""

from __future__ import annotations

import pickle
import socket
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from emulator import ACCESS_KEY, PROJECT_ID, SECRET_KEY, Emulator
from ges_backups import (
    ApiError,
    Client,
    DecodeError,
    ErrorKind,
    GesError,
    InconsistentError,
    InternalError,
    InvalidArgumentError,
    TransportError,
)


@pytest.fixture
def fragile(emulator: Emulator) -> Iterator[Client]:
    """A client that does not retry, so that one scripted fault is one error."""
    with Client(
        endpoint=emulator.url, project_id=PROJECT_ID, access_key=ACCESS_KEY, secret_key=SECRET_KEY,
        max_retries=0, timeout_ms=3000,
    ) as client:
        yield client


def assert_no_secret(error: GesError) -> None:
    for text in (str(error), repr(error), error.message):
        assert SECRET_KEY not in text


# --- InvalidArgumentError -------------------------------------------------------------


def test_unknown_config_key_raises_at_once() -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        Client(endpoint="http://127.0.0.1:9", project_id="p", regoin="cn-north-4")  # type: ignore[call-arg]
    assert caught.value.kind is ErrorKind.INVALID_ARGUMENT
    assert "regoin" in caught.value.message and "'region'" in caught.value.message
    assert caught.value.http_status is None and caught.value.error_code is None


def test_unknown_query_argument_raises_at_once(fragile: Client, emulator: Emulator) -> None:
    before = emulator.stats()["requests"]
    with pytest.raises(InvalidArgumentError) as caught:
        fragile.list_backups(most_recnt=True)  # type: ignore[call-arg]
    assert "most_recnt" in caught.value.message and "'most_recent'" in caught.value.message
    # Only list requests: the control calls themselves open connections.
    assert emulator.stats()["requests"] == before, "nothing was sent"


@pytest.mark.parametrize(
    ("config", "key"),
    [
        ({"page_size": 0}, "page_size"),
        ({"page_size": 1001}, "page_size"),
        ({"max_concurrency": 65}, "max_concurrency"),
        ({"timeout_ms": "fast"}, "timeout_ms"),
        ({"api_version": "v3"}, "api_version"),
        ({"endpoint": "ftp://example"}, "endpoint"),
    ],
)
def test_bad_config_values_name_the_key(emulator: Emulator, config: dict[str, Any], key: str) -> None:
    base: dict[str, Any] = dict(endpoint=emulator.url, project_id=PROJECT_ID, access_key=ACCESS_KEY, secret_key=SECRET_KEY)
    base.update(config)
    with pytest.raises(InvalidArgumentError) as caught:
        Client(**base)
    assert key in caught.value.message
    assert_no_secret(caught.value)


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 1001}, "limit"),
        ({"offset": -1}, "offset"),
        ({"most_recent": "yes"}, "most_recent"),
        ({"status": 3}, "status"),
    ],
)
def test_bad_query_values_name_the_argument(fragile: Client, query: dict[str, Any], key: str) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        fragile.list_backups(**query)
    assert key in caught.value.message


def test_missing_credentials(emulator: Emulator) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        # The metadata service, the chain's last source, is turned off: a test
        # never contacts the real one.
        Client(endpoint=emulator.url, project_id=PROJECT_ID, metadata_endpoint="")
    assert "auth_token" in caught.value.message or "access_key" in caught.value.message


def test_value_that_is_not_json() -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        Client(endpoint="http://127.0.0.1:9", project_id="p", auth_token=object())  # type: ignore[arg-type]
    assert "auth_token" in caught.value.message


def test_path_like_ca_file_is_accepted_and_checked(emulator: Emulator, tmp_path: Path) -> None:
    missing = tmp_path / "missing.pem"
    with pytest.raises(InvalidArgumentError) as caught:
        Client(endpoint=emulator.url, project_id=PROJECT_ID, auth_token="t", ca_file=missing)
    assert "ca_file" in caught.value.message


# --- TransportError -------------------------------------------------------------------


def test_connection_refused() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with Client(endpoint=f"http://127.0.0.1:{port}", project_id=PROJECT_ID, auth_token="t", max_retries=0) as client:
        with pytest.raises(TransportError) as caught:
            client.list_backups()
    assert caught.value.kind is ErrorKind.TRANSPORT
    assert caught.value.http_status is None


def test_dropped_connection(emulator: Emulator, fragile: Client) -> None:
    emulator.fault({"type": "drop"})
    with pytest.raises(TransportError):
        fragile.list_backups(limit=5)


def test_truncated_body(emulator: Emulator, fragile: Client) -> None:
    emulator.fault({"type": "truncate"})
    with pytest.raises(TransportError):
        fragile.list_backups(limit=5)


def test_request_timeout(emulator: Emulator, fragile: Client) -> None:
    emulator.fault({"type": "slow_body", "ms": 5000})
    started = time.monotonic()
    with pytest.raises(TransportError) as caught:
        fragile.list_backups(limit=5)
    assert time.monotonic() - started < 4.5
    assert "timed out" in caught.value.message or "timeout" in caught.value.message


def test_deadline(emulator: Emulator, client: Client) -> None:
    emulator.fault({"type": "delay", "ms": 3000}, times=0)
    started = time.monotonic()
    with pytest.raises(TransportError) as caught:
        client.list_backups(deadline_ms=300)
    assert time.monotonic() - started < 2.5
    assert "deadline" in caught.value.message.lower()


def test_retries_hide_one_transient_fault(emulator: Emulator, client: Client) -> None:
    emulator.fault({"type": "status", "status": 503, "retry_after": "0"}, times=1)
    assert len(client.list_backups(limit=5)) == 5


# --- ApiError -------------------------------------------------------------------------


def test_scripted_service_error(emulator: Emulator, fragile: Client) -> None:
    emulator.fault({"type": "status", "status": 503})
    with pytest.raises(ApiError) as caught:
        fragile.list_backups(limit=5)
    error = caught.value
    assert error.kind is ErrorKind.API
    assert error.http_status == 503
    assert error.error_code == "GES.7006"
    assert error.request_id
    assert error.message


def test_wrong_secret_key_is_a_gateway_error_without_the_secret(emulator: Emulator) -> None:
    wrong = "Wrong-" + SECRET_KEY
    with Client(endpoint=emulator.url, project_id=PROJECT_ID, access_key=ACCESS_KEY, secret_key=wrong) as client:
        with pytest.raises(ApiError) as caught:
            client.list_backups()
    assert caught.value.http_status == 401
    assert caught.value.error_code == "APIGW.0301"
    assert caught.value.request_id
    for text in (str(caught.value), repr(caught.value)):
        assert wrong not in text and SECRET_KEY not in text


def test_unknown_project_is_404(emulator: Emulator) -> None:
    with Client(endpoint=emulator.url, project_id="other-project", access_key=ACCESS_KEY, secret_key=SECRET_KEY) as client:
        with pytest.raises(ApiError) as caught:
            client.list_backups()
    assert caught.value.http_status == 404
    assert caught.value.error_code


def test_errors_survive_pickle(emulator: Emulator, fragile: Client) -> None:
    emulator.fault({"type": "status", "status": 500})
    with pytest.raises(ApiError) as caught:
        fragile.list_backups(limit=5)
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is ApiError
    assert repr(copy) == repr(caught.value)


# --- DecodeError ----------------------------------------------------------------------


def test_malformed_body(emulator: Emulator, fragile: Client) -> None:
    emulator.fault({"type": "malformed"})
    with pytest.raises(DecodeError) as caught:
        fragile.list_backups(limit=5)
    assert caught.value.kind is ErrorKind.DECODE
    # A 2xx answer that does not decode keeps its status and request id.
    assert caught.value.http_status == 200
    assert caught.value.request_id


def test_oversize_body(emulator: Emulator, fragile: Client) -> None:
    emulator.fault({"type": "oversize"})
    with pytest.raises(DecodeError) as caught:
        fragile.list_backups(limit=5)
    assert "32" in caught.value.message or "large" in caught.value.message.lower()


# --- InconsistentError ----------------------------------------------------------------


def test_list_that_keeps_changing(emulator: Emulator, client: Client) -> None:
    emulator.fault({"type": "mutate", "add": 1, "delete": 0}, times=0, after=1)
    with pytest.raises(InconsistentError) as caught:
        client.list_backups()
    assert caught.value.kind is ErrorKind.INCONSISTENT


def test_one_change_is_absorbed_by_a_restart(emulator: Emulator, client: Client) -> None:
    # the second page request adds two backups and deletes one: the listing starts again
    emulator.fault({"type": "mutate", "add": 2, "delete": 1}, times=1, after=1)
    result = client.list_backups()
    assert len(result) == 251 == result.total_count
    assert len({b.id for b in result}) == 251


def test_pages_that_come_back_empty(emulator: Emulator, client: Client) -> None:
    emulator.fault({"type": "empty_page"}, times=0)
    with pytest.raises(InconsistentError):
        client.list_backups()


def test_count_delta(emulator: Emulator, client: Client) -> None:
    emulator.fault({"type": "count_delta", "delta": 1}, times=0, after=1)
    with pytest.raises(InconsistentError):
        client.list_backups()


# --- InternalError --------------------------------------------------------------------


def test_internal_error_class() -> None:
    """A caught panic is 'never expected': no real input produces one, so only the
    class and its mapping from the C kind are checked here."""
    error = InternalError("boom")
    assert error.kind is ErrorKind.INTERNAL and isinstance(error, GesError)
    from ges_backups._errors import error_class

    assert error_class(6) is InternalError
    assert error_class(99) is InternalError
    assert [error_class(k.value).kind for k in ErrorKind] == list(ErrorKind)
