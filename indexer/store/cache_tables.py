"""Tables derived once per machine from a library's data (lemmas, place names) and kept in the
cache folder: built in a temporary file beside the final one and renamed over it, so a process
never opens half a table, and two processes building at once both end with a whole one."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path


def build_table(path: Path, fill: Callable[[sqlite3.Connection], None]) -> None:
    """Make the SQLite file at ``path`` with ``fill`` (which creates and fills its tables)."""
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
