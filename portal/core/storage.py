"""Files on disk under PORTAL_DATA_DIR, written atomically and addressed by relative path."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import BinaryIO

from flask import current_app


def _root() -> Path:
    return Path(current_app.config["PORTAL_DATA_DIR"])


def save_bytes(relative: str, data: bytes) -> str:
    """Write ``data`` at ``relative`` under the data folder atomically; return the path."""
    target = _root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    # A temporary file of its own: two requests may write the same path at once.
    handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return relative


def save_content(relative: str, data: bytes) -> str:
    """Write content-addressed bytes (the path names their hash) unless already there."""
    if not (_root() / relative).exists():
        save_bytes(relative, data)
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


def stale_files(folder: str, older_than: float) -> list[str]:
    """Relative paths of the files under ``folder`` not modified for ``older_than`` seconds."""
    base = _root() / folder
    limit = time.time() - older_than
    root = _root()
    return [
        str(path.relative_to(root))
        for path in base.rglob("*")
        if path.is_file() and path.stat().st_mtime < limit
    ]
