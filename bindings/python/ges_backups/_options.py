"""The keyword arguments of the clients and their listings, checked by name and
encoded as the JSON that the C ABI takes. Their names and types are the library's
schema (`_schema`, generated from it)."""

from __future__ import annotations

import difflib
import json
import os
from typing import Any, FrozenSet, Mapping, Sequence

from ._errors import InvalidArgumentError
from ._schema import SECRET_CONFIG_KEYS, Config, Query

CONFIG_KEYS: FrozenSet[str] = frozenset(Config.__optional_keys__)
QUERY_KEYS: FrozenSet[str] = frozenset(Query.__optional_keys__)


def _jsonable(value: Any) -> Any:
    """What `json` cannot encode itself: a path (`os.PathLike`) is its string, any other
    sequence (of `assume_role` objects, say) a list."""
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes, bytearray)):
        return list(value)
    raise TypeError(type(value).__name__)


def encode(what: str, given: Mapping[str, Any], known: FrozenSet[str]) -> bytes:
    """Check the names of `given` against `known` and encode it as a JSON object.

    A value of None counts as not given. Types and ranges are checked by the native
    library, whose errors name the key.
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
    document = {key: value for key, value in given.items() if value is not None}
    try:
        return json.dumps(document, allow_nan=False, default=_jsonable).encode("utf-8")
    except (TypeError, ValueError):
        # Find the culprit to name it; never show a value (it may be a secret).
        for key, value in document.items():
            try:
                json.dumps(value, allow_nan=False, default=_jsonable)
            except (TypeError, ValueError):
                raise InvalidArgumentError(
                    f"{what}: {key!r} has a value of type {type(value).__name__} that is "
                    "not a string, integer, boolean, path or (for a list key) a mapping "
                    "or a sequence of them"
                ) from None
        raise  # pragma: no cover - unreachable: some value must have failed


def encode_config(config: Mapping[str, Any]) -> bytes:
    """The config JSON of `Client(**config)`."""
    return encode("config", config, CONFIG_KEYS)


def encode_query(query: Mapping[str, Any]) -> bytes:
    """The query JSON of `list_backups(**query)`."""
    return encode("query", query, QUERY_KEYS)


def shown_config(config: Mapping[str, Any]) -> Mapping[str, Any]:
    """What a client's repr shows of its config: every secret hidden, None left out."""
    return {
        key: ("<hidden>" if key in SECRET_CONFIG_KEYS else value)
        for key, value in config.items()
        if value is not None
    }
