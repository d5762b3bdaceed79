"""Files on disk under PORTAL_DATA_DIR, written atomically and addressed by relative path."""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from flask import current_app


def _root() -> Path:
    return Path(current_app.config["PORTAL_DATA_DIR"])


def save_bytes(relative: str, data: bytes) -> str:
    """Write ``data`` at ``relative`` under the data folder atomically; return the path."""
    target = _root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    return relative


def _inside(relative: str) -> Path:
    """The absolute path of a stored file; refuses paths that leave the data folder."""
    root = _root().resolve()
    target = (root / relative).resolve()
    if root not in target.parents:
        raise PermissionError(relative)
    return target


def read_bytes(relative: str) -> bytes:
    """Read a stored file."""
    return _inside(relative).read_bytes()


def open_file(relative: str) -> BinaryIO:
    """Open a stored file for streaming (the caller, or the response, closes it)."""
    return _inside(relative).open("rb")


def delete(relative: str) -> None:
    """Delete a stored file if it is there."""
    _inside(relative).unlink(missing_ok=True)
