"""A small SQLite file in the data folder that every server process shares (sign-in counts,
admin sessions), opened for each operation.

A connection kept open would go on writing to the file after it is deleted (the admin guide
allows deleting it to clear what it holds) and fail from then on; one opened per operation
finds a deleted file made anew. A folder that cannot be written keeps the data in the
process's memory instead, from the first failure on.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


class SharedDb:
    """The tables of ``schema`` in the file at ``path`` (None: in memory only)."""

    def __init__(self, path: Path | None, schema: str) -> None:
        self.path = path
        self.schema = schema
        self._lock = threading.Lock()
        self._memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        self._memory.executescript(schema)

    def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """``work`` done on the file, or in memory when the file cannot be written."""
        with self._lock:
            if self.path is not None:
                try:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
                    try:
                        db.executescript(self.schema)
                        return work(db)
                    finally:
                        db.close()
                except (OSError, sqlite3.Error) as err:
                    log.warning("%s cannot be written (%s): kept in memory", self.path, err)
                    self.path = None
            return work(self._memory)
