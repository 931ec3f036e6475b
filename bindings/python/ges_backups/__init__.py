"""ges_backups: list Huawei Cloud GES backups, through the ges-backups native library.

    import ges_backups

    with ges_backups.Client(region="cn-north-4", project_id="...",
                            access_key="...", secret_key="...") as client:
        for backup in client.list_backups(status="success"):
            print(backup.id, backup.graph_name, backup.start_time)

    async with ges_backups.AsyncClient(...) as client:     # asyncio
        backups = await client.list_backups(graph_name="movies")
"""

from __future__ import annotations

from . import _native
from ._async_client import AsyncClient
from ._client import Client
from ._errors import (
    ApiError,
    CancelledError,
    DecodeError,
    ErrorKind,
    GesError,
    InconsistentError,
    InternalError,
    InvalidArgumentError,
    TransportError,
)
from ._models import Backup, BackupList
from ._schema import AssumeRole, Config, Query

__version__: str = _native.version()
"""The version of the native library, which is the version of this package."""


def abi_version() -> int:
    """The C ABI version of the loaded native library (`GES_ABI_VERSION`)."""
    return _native.abi_version()


__all__ = [
    "ApiError",
    "AssumeRole",
    "AsyncClient",
    "Backup",
    "BackupList",
    "CancelledError",
    "Client",
    "Config",
    "DecodeError",
    "ErrorKind",
    "GesError",
    "InconsistentError",
    "InternalError",
    "InvalidArgumentError",
    "Query",
    "TransportError",
    "__version__",
    "abi_version",
]
