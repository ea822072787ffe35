"""A derived SQLite file written whole or not at all: filled in a temporary file beside it, then
put in place in one step, so a process that dies while filling it leaves no half-made table for
the next one to trust."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_whole(path: Path, fill: Callable[[sqlite3.Connection], None]) -> None:
    """Make ``path`` with the tables ``fill`` writes into a fresh database."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    try:
        db = sqlite3.connect(tmp)
        fill(db)
        db.commit()
        db.close()
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
