"""Typing names newer than Python 3.9, imported at run time (not only for type checkers)
so that `typing.get_type_hints` resolves every public signature: pydantic's
`validate_call`, typer, beartype and sphinx need that."""

from __future__ import annotations

import sys

if sys.version_info >= (3, 11):
    from typing import Self, Unpack
else:  # a dependency of the package on these versions
    from typing_extensions import Self, Unpack

__all__ = ["Self", "Unpack"]
