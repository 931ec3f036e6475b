"""The config keys of contract 1.2 through `Client`, against the emulator's IAM and STS:
an IAM password, agencies (`assume_role`: one, a chain, by account id), OIDC with an
ID token file, the signing algorithms (an emulator that takes only one), `insecure` and
`max_listing_bytes`; no secret in a repr or a message."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict

import pytest

from emulator import (
    ACCESS_KEY, DOMAIN, ID_TOKEN, IDP_ID, PASSWORD, PROJECT_ID, SECRET_KEY, USER_NAME, Emulator,
)
from ges_backups import ApiError, Client, DecodeError, InvalidArgumentError

BACKUPS = 25  # the cloud emulator's


def _count(emulator: Emulator, counter: str) -> int:
    count: int = emulator.cloud_stats()[counter]
    return count


def _keys(endpoint: str, **extra: Any) -> Dict[str, Any]:
    """A config signing with the emulators' keys, and `extra`."""
    return dict(endpoint=endpoint, project_id=PROJECT_ID, access_key=ACCESS_KEY, secret_key=SECRET_KEY, **extra)


def _listed(config: Dict[str, Any]) -> int:
    with Client(**config) as client:
        return len(client.list_backups())


def _refused(config: Dict[str, Any]) -> ApiError:
    with Client(**config) as client, pytest.raises(ApiError) as caught:
        client.list_backups()
    return caught.value


def test_a_password(cloud_emulator: Emulator, cloud_config: Dict[str, Any]) -> None:
    """user_name, password and domain_name: an IAM token, sent instead of signing."""
    before = _count(cloud_emulator, "password_token_requests")
    config = dict(cloud_config, user_name=USER_NAME, password=PASSWORD, domain_name=DOMAIN)
    with Client(**config) as client:
        assert PASSWORD not in repr(client) and "password='<hidden>'" in repr(client)
        assert PASSWORD not in str(vars(client))
        assert len(client.list_backups()) == BACKUPS
    assert _count(cloud_emulator, "password_token_requests") == before + 1

    wrong = "Wrong-Pa55word-Very-Secret"
    error = _refused(dict(config, password=wrong))
    assert error.http_status == 401 and error.message.startswith("IAM ("), error.message
    assert wrong not in str(error) + repr(error)


def test_an_agency_one_a_chain_and_by_account_id(cloud_emulator: Emulator, cloud_config: Dict[str, Any]) -> None:
    """assume_role takes one agency (a mapping) or a chain (any sequence of them)."""
    keys = dict(cloud_config, access_key=ACCESS_KEY, secret_key=SECRET_KEY)
    before = _count(cloud_emulator, "assume_role_requests")
    assert _listed(dict(keys, assume_role={"agency_name": "ops", "domain_name": DOMAIN, "duration": 900})) == BACKUPS
    assert _count(cloud_emulator, "assume_role_requests") == before + 1
    # "audit" trusts only "ops": assumed with ops' temporary keys.
    chain = ({"agency_name": "ops", "domain_name": DOMAIN}, {"agency_name": "audit", "domain_name": DOMAIN})
    assert _listed(dict(keys, assume_role=chain)) == BACKUPS
    assert _count(cloud_emulator, "assume_role_requests") == before + 3
    error = _refused(dict(keys, assume_role=[{"agency_name": "audit", "domain_name": DOMAIN}]))
    assert (error.http_status, error.error_code) == (403, "IAM.0002"), error
    # With the account's id: STS's v5 call.
    before_sts = _count(cloud_emulator, "sts_assume_requests")
    assert _listed(dict(keys, assume_role={"agency_name": "ops", "domain_id": f"d-{DOMAIN}"})) == BACKUPS
    assert _count(cloud_emulator, "sts_assume_requests") == before_sts + 1
    # Checked by the library when the client is made: an agency needs its account.
    with pytest.raises(InvalidArgumentError, match="domain_name"):
        Client(**keys, assume_role={"agency_name": "ops"})


def test_oidc_with_an_id_token_file(cloud_emulator: Emulator, cloud_config: Dict[str, Any], tmp_path: Path) -> None:
    """idp_id with id_token_file (a path object) or id_token (a secret)."""
    token_file = tmp_path / "id-token"
    token_file.write_text(ID_TOKEN + "\n")
    before = _count(cloud_emulator, "token_credential_requests")
    assert _listed(dict(cloud_config, idp_id=IDP_ID, id_token_file=token_file)) == BACKUPS
    stats = cloud_emulator.cloud_stats()
    assert stats["id_tokens"][-1] == ID_TOKEN and stats["token_credential_requests"] == before + 1

    with Client(**cloud_config, idp_id=IDP_ID, id_token=ID_TOKEN) as client:
        assert ID_TOKEN not in repr(client) and "id_token='<hidden>'" in repr(client)
        assert len(client.list_backups()) == BACKUPS
    unknown = "oidc-Unknown-Token-Very-Secret"
    error = _refused(dict(cloud_config, idp_id=IDP_ID, id_token=unknown))
    assert (error.http_status, error.error_code) == (401, "IAM.0001"), error
    assert unknown not in str(error) + repr(error)


def test_a_signing_algorithm_the_gateway_requires(sm2_emulator: Emulator) -> None:
    keys = _keys(sm2_emulator.url, max_retries=0)
    assert _listed(dict(keys, signing_algorithm="SM2SM3")) == BACKUPS
    error = _refused(keys)  # the default, HmacSHA256
    assert error.http_status == 401 and "SM2" in error.message, error.message
    with pytest.raises(InvalidArgumentError, match="signing_algorithm"):
        Client(**keys, signing_algorithm="HmacSHA1")  # type: ignore[arg-type]


@pytest.mark.parametrize("algorithm", ["HmacSHA256", "HmacSM3", "EcdsaP256SHA256"])
def test_each_other_signing_algorithm(sm2_emulator: Emulator, algorithm: str) -> None:
    """The same emulator told to take only `algorithm` (its control API)."""
    keys = _keys(sm2_emulator.url, max_retries=0)
    sm2_emulator.control("POST", "signing", {"algorithm": algorithm})
    try:
        assert _listed(dict(keys, signing_algorithm=algorithm)) == BACKUPS
        assert _refused(dict(keys, signing_algorithm="SM2SM3")).http_status == 401
    finally:
        sm2_emulator.reset()


def test_insecure_allows_plain_http_beyond_loopback(caplog: pytest.LogCaptureFixture) -> None:
    keys = _keys("http://ges.example.invalid")
    with pytest.raises(InvalidArgumentError, match="insecure"):
        Client(**keys)
    caplog.set_level(logging.WARNING, logger="ges_backups")
    Client(**keys, insecure=True).close()  # made offline
    warnings = [r.getMessage() for r in caplog.records if r.name == "ges_backups"]
    assert len(warnings) == 1 and "insecure" in warnings[0], warnings


def test_max_listing_bytes(emulator: Emulator) -> None:
    keys = _keys(emulator.url)
    with Client(**keys, max_listing_bytes=1024) as client, pytest.raises(DecodeError, match="max_listing_bytes"):
        client.list_backups()
    with pytest.raises(InvalidArgumentError, match="max_listing_bytes"):
        Client(**keys, max_listing_bytes=1023)
    with Client(**keys, max_listing_bytes=2**40) as client:  # the range's top: beyond 32 bits
        assert len(client.list_backups()) == 250
