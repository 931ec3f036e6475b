"""The library's log lines reach `logging.getLogger("ges_backups")`, a level each,
scripted on the real emulator; no record at any level holds a secret."""

from __future__ import annotations

import logging
from typing import Iterator, List

import pytest

from ges_backups import ApiError, Client, _log
from emulator import ACCESS_KEY, PROJECT_ID, SECRET_KEY, SECURITY_TOKEN, Emulator


@pytest.fixture
def log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Captures every ges_backups record, DEBUG and up (set before any client is made)."""
    caplog.set_level(logging.DEBUG, logger="ges_backups")
    yield caplog


def _make(emulator: Emulator, page_size: int = 100, max_retries: int = 3) -> Client:
    return Client(endpoint=emulator.url, project_id=PROJECT_ID, access_key=ACCESS_KEY, secret_key=SECRET_KEY,
                  page_size=page_size, max_retries=max_retries)


def _at(records: List[logging.LogRecord], level: int) -> List[str]:
    return [r.getMessage() for r in records if r.name == "ges_backups" and r.levelno == level]


def test_debug_a_line_per_request(emulator: Emulator, log: pytest.LogCaptureFixture) -> None:
    with _make(emulator, page_size=50) as client:
        client.list_backups()
    requests = emulator.stats()["requests"]
    lines = _at(log.records, logging.DEBUG)
    assert len([line for line in lines if "/graphs/backups" in line]) == requests >= 5, lines


def test_info_a_summary_per_listing(emulator: Emulator, log: pytest.LogCaptureFixture) -> None:
    with _make(emulator) as client:
        client.list_backups()
        client.list_backups(graph_id="g-0")
    lines = _at(log.records, logging.INFO)
    assert len(lines) == 2, lines
    assert "250" in lines[0], lines


def test_warning_for_a_retry(emulator: Emulator, log: pytest.LogCaptureFixture) -> None:
    emulator.fault({"type": "status", "status": 503, "retry_after": 0}, times=1)
    with _make(emulator) as client:
        assert len(client.list_backups()) == 250
    lines = _at(log.records, logging.WARNING)
    assert len(lines) == 1 and "503" in lines[0], lines


def test_error_for_the_error_a_call_returns(emulator: Emulator, log: pytest.LogCaptureFixture) -> None:
    emulator.fault({"type": "status", "status": 500}, times=0)
    with _make(emulator, max_retries=0) as client, pytest.raises(ApiError):
        client.list_backups()
    lines = _at(log.records, logging.ERROR)
    assert len(lines) == 1 and "500" in lines[0], lines


def test_levels_the_logger_disables_are_not_asked_for(emulator: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="ges_backups")
    assert _log.library_log_level() == 2
    emulator.fault({"type": "status", "status": 503, "retry_after": 0}, times=1)
    with _make(emulator) as client:
        client.list_backups()
    levels = [r.levelno for r in caplog.records if r.name == "ges_backups"]
    assert levels == [logging.WARNING]
    caplog.set_level(logging.CRITICAL, logger="ges_backups")
    assert _log.library_log_level() == 0


def test_no_secret_in_any_record(emulator: Emulator, log: pytest.LogCaptureFixture) -> None:
    """Every level, with AK/SK and a security token: requests, a retry, a clock-skew
    correction, an error."""
    emulator.fault({"type": "status", "status": 503, "retry_after": 0}, times=1)
    emulator.control("POST", "clock", {"offset_s": 3600})
    with Client(endpoint=emulator.url, project_id=PROJECT_ID, access_key=ACCESS_KEY, secret_key=SECRET_KEY,
                security_token=SECURITY_TOKEN, max_retries=1) as client:
        client.list_backups()
        emulator.fault({"type": "status", "status": 500}, times=0)
        with pytest.raises(ApiError):
            client.list_backups()
    records = log.records
    seen = {r.levelno for r in records if r.name == "ges_backups"}
    assert seen == {logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR}
    for record in records:
        text = record.getMessage()
        for secret in (SECRET_KEY, SECURITY_TOKEN, "Signature=", "SDK-HMAC-SHA256 "):
            assert secret not in text, (record.levelname, text)
