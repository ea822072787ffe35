"""What one server process worked out for a request, kept for the server's other processes.

A server runs one process per core, and a reader's next request (a facet click, another page,
the same page again) reaches whichever process is free. Each process remembers its recent
answers and matches, but the other one did not see them: half of the time a facet click parsed,
translated and matched its words again, at several times the cost of reading them back. So the
processes of one server also share what they found through a small SQLite file (made by the
server when it starts, removed when it stops): each value is a pickle of a few kilobytes,
stored under the index generation it was found in and a key, read in tens of microseconds.

Only a generation's own values are ever read (a new generation starts empty, and the values of
earlier ones are dropped when the first value of a new one is kept), and it is only a memory:
a value that cannot be read or kept (the file gone, another process writing at that moment) is
worked out again, never an error.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

#: Values kept in all (the oldest go first): a few kilobytes each.
SHARED_VALUES = 4096
#: A write finding the file locked by another process waits this long, then gives up.
BUSY_MS = 20
#: A claim (``SharedMemory.claim``) waits this long for the file.
CLAIM_BUSY_MS = 2000
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS kept ("
    " generation TEXT NOT NULL, kind TEXT NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL,"
    " UNIQUE (generation, kind, key))"
)


class SharedMemory:
    """Values shared by the processes of one server, by (generation, kind, key).

    Safe to use from many threads; each process opens the file on its first use (a connection
    is never carried across a fork)."""

    def __init__(self, path: Path, budget: int = SHARED_VALUES) -> None:
        self.path = path
        self.budget = budget
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._pid = 0
        self._generation: str | None = None
        self._puts = 0

    def get(self, generation: str, kind: str, key: Any) -> Any | None:
        """The value kept under the key in this generation, or None."""
        try:
            with self._lock:
                row = (
                    self._connection()
                    .execute(
                        "SELECT value FROM kept WHERE generation = ? AND kind = ? AND key = ?",
                        (generation, kind, _bytes(key)),
                    )
                    .fetchone()
                )
            return pickle.loads(row[0]) if row else None
        except Exception:  # a memory only: whatever cannot be read back is worked out again
            return None

    def put(self, generation: str, kind: str, key: Any, value: Any) -> None:
        """Keep ``value`` under the key for the other processes, in place of the one kept
        before (as ``Lru.put``: a better answer to the same question, a deeper ranking)."""
        try:
            data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
            with self._lock:
                db = self._connection()
                if generation != self._generation:
                    # A new generation: the values of earlier ones are never read again.
                    db.execute("DELETE FROM kept WHERE generation != ?", (generation,))
                    self._generation = generation
                db.execute(
                    "INSERT OR REPLACE INTO kept VALUES (?, ?, ?, ?)",
                    (generation, kind, _bytes(key), data),
                )
                self._puts += 1
                if self._puts % 64 == 0:
                    db.execute(
                        "DELETE FROM kept WHERE rowid <= (SELECT max(rowid) FROM kept) - ?",
                        (self.budget,),
                    )
        except Exception:  # a memory only: whatever cannot be kept is worked out again
            return

    def claim(self, generation: str, kind: str, key: Any, seconds: float) -> bool:
        """Whether this process is the one to work out a value of the generation that is
        costly to make (the others wait for it rather than make it too): true for the first
        process to ask, and for a later one once the claim is older than ``seconds`` (its
        process may have ended before it kept the value). True also when the file cannot say:
        the value is then worked out as if nothing were shared."""
        try:
            with self._lock:
                db = self._connection()
                # A claim is asked for once per generation: it may wait for a busy file.
                db.execute(f"PRAGMA busy_timeout = {CLAIM_BUSY_MS}")
                try:
                    return self._claim(db, generation, kind, _bytes(key), seconds)
                finally:
                    db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        except Exception:  # a memory only: the value is worked out here
            return True

    @staticmethod
    def _claim(
        db: sqlite3.Connection, generation: str, kind: str, key: bytes, seconds: float
    ) -> bool:
        db.execute("BEGIN IMMEDIATE")  # one process at a time reads and claims
        try:
            row = db.execute(
                "SELECT value FROM kept WHERE generation = ? AND kind = ? AND key = ?",
                (generation, kind, key),
            ).fetchone()
            now = time.time()
            if row is not None and now - float(pickle.loads(row[0])) < seconds:
                return False
            db.execute(
                "INSERT OR REPLACE INTO kept VALUES (?, ?, ?, ?)",
                (generation, kind, key, pickle.dumps(now)),
            )
            return True
        finally:
            db.execute("COMMIT")

    def _connection(self) -> sqlite3.Connection:
        if self._db is None or self._pid != os.getpid():
            # The parent's connection (if any) is left alone: closing it here could disturb
            # the process that opened it.
            db = sqlite3.connect(
                str(self.path),
                timeout=BUSY_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = OFF")  # a memory: a lost write is worked out again
            db.execute(_SCHEMA)
            self._db, self._pid = db, os.getpid()
        return self._db

    def close(self) -> None:
        with self._lock:
            if self._db is not None and self._pid == os.getpid():
                self._db.close()
            self._db = None


def _bytes(key: Any) -> bytes:
    """A key as bytes, the same for equal keys in every process: keys are tuples of strings,
    numbers and booleans, whose ``repr`` says all of them (a pickle would depend on which of
    their strings are one object)."""
    return repr(key).encode("utf-8")
