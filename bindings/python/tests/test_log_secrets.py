"""No log record holds a secret, even when the gateway quotes every header of the
request back (the emulator's `echo` fault, answering 503): the retries' WARNING lines
and the failure's ERROR line quote that answer, and hold no secret key, security
token, auth token, password or ID token, nor a signature; for each kind of credentials,
through `Client` and `AsyncClient`, with the logger at DEBUG."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any, Dict, Tuple

import pytest

from emulator import (
    ACCESS_KEY, AUTH_TOKEN, DOMAIN, ID_TOKEN, IDP_ID, PASSWORD, SECRET_KEY, SECURITY_TOKEN, USER_NAME,
    Emulator,
)
from ges_backups import ApiError, AsyncClient, BackupList, Client
from log_records import Collector

SECRETS = (SECRET_KEY, SECURITY_TOKEN, AUTH_TOKEN, PASSWORD, ID_TOKEN)
"""Every secret the tests give: none may appear in any record, whichever is in use."""

SIGNATURE = re.compile(r"signature=[0-9a-f]", re.IGNORECASE)
"""A signature's value (hex), as the echoed Authorization header would carry it."""

ECHO = "gateway echo of GET"
ECHO_FAULT = {"type": "echo", "status": 503, "retry_after": 0}

# Each kind of credentials: its config keys, and the echoed headers that carry its
# secrets (or a signature) on the list requests. A password and OIDC get their IAM token
# and temporary keys from the emulator's IAM: secrets the client holds, whose values the
# test does not know; their headers must read "***".
CREDENTIALS: Dict[str, Tuple[Dict[str, Any], Tuple[str, ...]]] = {
    "access keys and a security token": (
        {"access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "security_token": SECURITY_TOKEN},
        ("x-security-token", "authorization")),
    "an auth token": ({"auth_token": AUTH_TOKEN}, ("x-auth-token",)),
    "a password": ({"user_name": USER_NAME, "password": PASSWORD, "domain_name": DOMAIN}, ("x-auth-token",)),
    "an agency": (
        {"access_key": ACCESS_KEY, "secret_key": SECRET_KEY,
         "assume_role": {"agency_name": "ops", "domain_name": DOMAIN}},
        ("x-security-token", "authorization")),
    "OIDC": ({"idp_id": IDP_ID, "id_token": ID_TOKEN}, ("x-security-token", "authorization")),
}


def _list(flavour: str, config: Dict[str, Any]) -> BackupList:
    if flavour == "Client":
        with Client(**config) as client:
            return client.list_backups()

    async def listing() -> BackupList:
        async with AsyncClient(**config) as client:
            return await client.list_backups()

    return asyncio.run(listing())


def _check(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, text
    assert not SIGNATURE.search(text), text
    # Any secret header quoted back reads "***", whatever its value was.
    assert not re.search(r"(x-auth-token|x-security-token): (?!\*\*\*;)", text, re.IGNORECASE), text


@pytest.mark.parametrize("flavour", ["Client", "AsyncClient"])
@pytest.mark.parametrize("credentials", sorted(CREDENTIALS))
def test_no_record_holds_a_secret_the_gateway_echoed(
    cloud_emulator: Emulator, cloud_config: Dict[str, Any], log_records: Collector, flavour: str, credentials: str
) -> None:
    given, echoed_headers = CREDENTIALS[credentials]
    config = dict(cloud_config, max_retries=2, **given)
    # Twice, then the answer: two retries, each logging the answer at WARNING.
    cloud_emulator.fault(ECHO_FAULT, times=2)
    assert len(_list(flavour, config)) == 25
    # For good: two retries more, and the error at ERROR.
    cloud_emulator.fault(ECHO_FAULT, times=0)
    with pytest.raises(ApiError) as caught:
        _list(flavour, config)
    assert caught.value.http_status == 503

    # The records did quote the answer, with the headers that carry the secrets.
    warnings = [text for text in log_records.messages(logging.WARNING) if ECHO in text]
    errors = [text for text in log_records.messages(logging.ERROR) if ECHO in text]
    assert len(warnings) == 4 and len(errors) == 1, log_records.messages()
    for text in warnings + errors:
        assert all(f"{header}: " in text for header in echoed_headers), text
    assert log_records.messages(logging.DEBUG)
    for text in log_records.messages() + [str(caught.value), repr(caught.value)]:
        _check(text)
