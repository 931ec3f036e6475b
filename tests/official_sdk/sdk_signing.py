"""The official Python SDK's signers (huaweicloudsdkcore.signer) as the oracle of
ges-signing: the requests of the signing vectors, signing them with the SDK, and
checking a signed request with the SDK's own canonicalisation and verifiers.

Run as a script, it writes tests/fixtures/signing_vectors_algorithms.json:
  target/venvs/official-sdk/bin/python tests/official_sdk/sdk_signing.py
ECDSA and SM2 signatures are randomized: each run writes other ones.
"""
import copy
import hmac
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import quote

from huaweicloudsdkcore.auth.credentials import BasicCredentials, Credentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.algorithm import SigningAlgorithm
from huaweicloudsdkcore.signer.signer import P256SHA256Signer, Signer

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "signing_vectors_algorithms.json"

# The configuration names (terraform-provider-huaweicloud's, the Go SDK's) to the Python SDK's.
ALGORITHMS: Dict[str, SigningAlgorithm] = {
    "HmacSHA256": SigningAlgorithm.HMAC_SHA256,
    "HmacSM3": SigningAlgorithm.HMAC_SM3,
    "EcdsaP256SHA256": SigningAlgorithm.ECDSA_P256_SHA256,
    "SM2SM3": SigningAlgorithm.SM2_SM3,
}

DATE = "20210608T135513Z"

# The requests: what the SDK is given before it signs. Paths, query pairs and
# header values are as decoded; `host` becomes the Host header.
REQUESTS: List[Dict[str, Any]] = [
    {
        "name": "get_listing_with_query",
        "ak": "AKEXAMPLE",
        "sk": "SKEXAMPLE",
        "method": "GET",
        "host": "ges.cn-north-4.myhuaweicloud.com",
        "path": "/v1.0/0549f13b4b8f4a0fbd1d4b2a7f0e1234/graphs/backups",
        "query": [["offset", "0"], ["limit", "10"]],
        "headers": {
            "Content-Type": "application/json",
            "X-Project-Id": "0549f13b4b8f4a0fbd1d4b2a7f0e1234",
            "X-Sdk-Date": DATE,
            "User-Agent": "ges-backups/0.2.0",
        },
        "body": "",
    },
    {
        "name": "post_assume_role_json_body",
        "ak": "AKIAMCALLER",
        "sk": "SKiam-caller-secret",
        "method": "POST",
        "host": "iam.cn-north-4.myhuaweicloud.com",
        "path": "/v3.0/OS-CREDENTIAL/securitytokens",
        "query": [],
        "headers": {"Content-Type": "application/json;charset=UTF-8", "X-Sdk-Date": DATE},
        "body": json.dumps(
            {
                "auth": {
                    "identity": {
                        "methods": ["assume_role"],
                        "assume_role": {
                            "agency_name": "ges-reader",
                            "domain_name": "other-account",
                            "duration_seconds": 3600,
                        },
                    }
                }
            },
            separators=(",", ":"),
        ),
    },
    {
        "name": "odd_characters_in_path_and_query",
        "ak": "AK odd/key+=",
        "sk": "SK with spaces & symbols: é",
        "method": "GET",
        "host": "127.0.0.1:8089",
        "path": "/v1.0/p q/graphs/a+b~c*d(é)/backups",
        # Sorted decoded, `{` and `é` come after `z`; encoded, before it.
        "query": [["name", "a b/c~d*e+f=&"], ["z", "1"], ["{", "2"], ["é", "3"], ["limit", "5"], ["z", "0"]],
        "headers": {"X-Sdk-Date": DATE, "X_Not_Signed": "underscore names are not signed"},
        "body": "",
    },
    {
        "name": "security_token_signed",
        "ak": "AKTEMP",
        "sk": "SKTEMP",
        "method": "GET",
        "host": "ges.cn-north-4.myhuaweicloud.com",
        "path": "/v2/proj/graphs/4c5f882d-a813-4d78-a8e3-6d3212ddd121/backups",
        "query": [["limit", "100"], ["offset", "200"]],
        "headers": {"X-Project-Id": "proj", "X-Sdk-Date": DATE, "X-Security-Token": "tok-abc.def/ghi+jkl="},
        "body": "",
    },
    {
        "name": "post_octet_stream_unsigned_payload",
        "ak": "AKUPLOAD",
        "sk": "SKUPLOAD",
        "method": "POST",
        "host": "ges.cn-north-4.myhuaweicloud.com",
        "path": "/v1.0/proj/graphs/import",
        "query": [],
        "headers": {"Content-Type": "application/octet-stream", "X-Sdk-Date": DATE},
        "body": "raw,bytes\n1,2\n",
    },
]


def sdk_request(vector: Dict[str, Any], headers: Optional[Dict[str, str]] = None) -> SdkRequest:
    """The vector as the SDK's request; `headers` replaces the vector's own."""
    return SdkRequest(
        method=vector["method"],
        schema="https",
        host=vector["host"],
        # The SDK unquotes the resource path before it encodes each segment.
        resource_path=quote(vector["path"], safe="/"),
        query_params=[tuple(pair) for pair in vector["query"]],
        header_params=dict(vector["headers"] if headers is None else headers),
        body=vector["body"].encode("utf-8"),
        signing_algorithm=ALGORITHMS[vector["algorithm"]],
    )


def signer_for(vector: Dict[str, Any]) -> Signer:
    """The SDK's signer for the vector's algorithm, chosen as the SDK chooses it."""
    credentials = BasicCredentials(vector["ak"], vector["sk"])
    return Credentials._SIGNER_CASE[ALGORITHMS[vector["algorithm"]]](credentials)


def sdk_sign(vector: Dict[str, Any]) -> Tuple[Dict[str, str], str]:
    """Signs with the SDK's public path (Credentials.sign_request): the headers it
    added besides Host and Authorization, and the Authorization."""
    request = BasicCredentials(vector["ak"], vector["sk"]).sign_request(sdk_request(vector))
    headers = request.header_params
    added = {k: v for k, v in headers.items() if k not in vector["headers"] and k not in ("Host", "Authorization")}
    return added, headers["Authorization"]


def parse_authorization(value: str) -> Tuple[str, str, List[str], str]:
    name, rest = value.split(" ", 1)
    fields = dict(part.strip().split("=", 1) for part in rest.split(","))
    return name, fields["Access"], fields["SignedHeaders"].split(";"), fields["Signature"]


def sdk_verifies(vector: Dict[str, Any], headers: Dict[str, str]) -> bool:
    """Whether the SDK accepts the request `vector` with these headers (Authorization
    among them) as signed: its canonical request and string to sign from the signed
    headers, then its HMAC, or its P256SigningKey/SM2SigningKey.verify."""
    signer = signer_for(vector)
    name, access_key, signed_names, signature = parse_authorization(headers["Authorization"])
    if name != signer._ALGORITHM or access_key != vector["ak"]:
        return False
    by_name = {k.lower(): v for k, v in headers.items()}
    if any(n not in by_name for n in signed_names):
        return False
    request = sdk_request(vector, {n: by_name[n] for n in signed_names})
    canonical = signer._process_canonical_request(request, signed_names)
    to_sign = signer._process_string_to_sign(canonical, datetime.strptime(by_name["x-sdk-date"], "%Y%m%dT%H%M%SZ"))
    if isinstance(signer, P256SHA256Signer):  # SM2SM3Signer is one too
        try:
            return bool(signer.get_signing_key().verify(bytes.fromhex(signature), to_sign.encode("utf-8")))
        except Exception:  # pyasn1 refuses what is not DER
            return False
    return hmac.compare_digest(signer._sign_string_to_sign(to_sign, vector["sk"]), signature)


def sm2_identity_hash_differs(vector: Dict[str, Any]) -> bool:
    """True when the SDK's SM2 Z (public key coordinates without leading zero
    bytes) differs from the standard's (32 bytes each): a coordinate starts with 0."""
    if vector["algorithm"] != "SM2SM3":
        return False
    x, y = signer_for(vector).get_signing_key()._public_key
    return x < 1 << 248 or y < 1 << 248


def quirk_request() -> Dict[str, Any]:
    """The first request of a key whose SM2 public key has a coordinate starting
    with a zero byte (about one in 128), to show how the Python SDK signs with it."""
    base = copy.deepcopy(REQUESTS[0])
    for i in range(2000):
        candidate = dict(base, name="sm2_key_with_leading_zero_coordinate", ak="AKZA%d" % i, algorithm="SM2SM3")
        if sm2_identity_hash_differs(candidate):
            del candidate["algorithm"]
            return candidate
    raise AssertionError("no such key among 2000")


def vectors() -> List[Dict[str, Any]]:
    """Every request signed with every algorithm by the SDK, and the SM2 key it hashes differently."""
    out = []
    plan = [(r, a) for r in REQUESTS for a in ALGORITHMS] + [(quirk_request(), "SM2SM3")]
    for request, algorithm in plan:
        vector = dict(copy.deepcopy(request), algorithm=algorithm)
        vector["name"] = "%s/%s" % (request["name"], algorithm)
        added, authorization = sdk_sign(vector)
        vector["sdk_added_headers"] = added
        vector["authorization"] = authorization
        vector["deterministic"] = algorithm in ("HmacSHA256", "HmacSM3")
        vector["sdk_sm2_identity_hash_differs"] = sm2_identity_hash_differs(vector)
        assert sdk_verifies(vector, signed_headers(vector)), vector["name"]
        out.append(vector)
    return out


def signed_headers(vector: Dict[str, Any]) -> Dict[str, str]:
    """The headers the signed request carries: the vector's, Host, what the SDK added, Authorization."""
    return dict(vector["headers"], Host=vector["host"], **vector["sdk_added_headers"], Authorization=vector["authorization"])


def main() -> None:
    generated = vectors()
    FIXTURE.write_text(json.dumps(generated, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print("%s: %d vectors" % (FIXTURE.relative_to(ROOT), len(generated)), file=sys.stderr)


if __name__ == "__main__":
    main()
