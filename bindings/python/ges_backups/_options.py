"""The keyword arguments of `Client` and `Client.list_backups` (see
docs/configuration.md, and docs/contract.md, section Query): their names and types, and their encoding as the JSON that
the C ABI takes."""

from __future__ import annotations

import difflib
import json
import os
from typing import Any, FrozenSet, Mapping, TypedDict, Union

from ._errors import InvalidArgumentError


class Config(TypedDict, total=False):
    """Keyword arguments of `Client`. Every key is optional; an absent key falls back
    to its environment variable, then to its default (see docs/configuration.md)."""

    endpoint: str
    region: str
    project_id: str
    access_key: str
    secret_key: str
    security_token: str
    auth_token: str
    api_version: str
    timeout_ms: int
    connect_timeout_ms: int
    max_retries: int
    page_size: int
    max_concurrency: int
    max_connections: int
    ca_file: Union[str, os.PathLike[str]]  # Union, not |: resolvable on Python 3.9
    user_agent: str
    # contract 1.1: where credentials, project and endpoints come from, and the proxy
    cloud: str
    iam_endpoint: str
    shared_config_file: Union[str, os.PathLike[str]]
    profile: str
    credentials_file: Union[str, os.PathLike[str]]
    metadata_endpoint: str
    proxy: str
    """May hold a password (``http://user:password@host:port``): never shown."""


class Query(TypedDict, total=False):
    """Keyword arguments of `Client.list_backups` (see docs/contract.md, section Query)."""

    graph_id: str
    graph_name: str
    backup_id: str
    name: str
    status: str
    backup_method: str
    most_recent: bool
    offset: int
    limit: int
    deadline_ms: int


CONFIG_KEYS: FrozenSet[str] = frozenset(Config.__optional_keys__)
QUERY_KEYS: FrozenSet[str] = frozenset(Query.__optional_keys__)

SECRET_CONFIG_KEYS: FrozenSet[str] = frozenset({"secret_key", "security_token", "auth_token", "proxy"})
"""Config keys whose values are never shown (repr, messages)."""


def encode(what: str, given: Mapping[str, Any], known: FrozenSet[str]) -> bytes:
    """Check the names of `given` against `known` and encode it as a JSON object.

    A value of None counts as not given. A `os.PathLike` becomes its path string.
    Types and ranges are checked by the native library, whose errors name the key.
    """
    unknown = sorted(set(given) - known)
    if unknown:
        key = unknown[0]
        hint = difflib.get_close_matches(key, sorted(known), n=1)
        suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
        raise InvalidArgumentError(
            f"{what}: unknown keyword argument {key!r}{suggestion}; "
            f"known: {', '.join(sorted(known))}"
        )
    document = {}
    for key, value in given.items():
        if value is None:
            continue
        if isinstance(value, os.PathLike):
            value = os.fspath(value)
        document[key] = value
    try:
        return json.dumps(document, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError):
        # Find the culprit to name it; never show a value (it may be a secret).
        for key, value in document.items():
            try:
                json.dumps(value, allow_nan=False)
            except (TypeError, ValueError):
                raise InvalidArgumentError(
                    f"{what}: {key!r} has a value of type {type(value).__name__} "
                    "that is not a string, integer or boolean"
                ) from None
        raise  # pragma: no cover - unreachable: some value must have failed
