"""Failed sign-ins counted per client and overall, so that guessing the admin password gains
nothing: delays that double, a lock-out window, and every server process sharing the count."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .shared_db import SharedDb

_TABLE = (
    "CREATE TABLE IF NOT EXISTS failures (key TEXT PRIMARY KEY, count INTEGER, last REAL, "
    "wait_until REAL);"
)


@dataclass(frozen=True)
class Limits:
    """Failed sign-ins allowed before delays start, and before the lock-out window."""

    free: int
    lock_after: int


class SignInThrottle:
    """Failed sign-ins per client and overall; each further attempt waits twice as long.

    After ``free`` failures each new one doubles the wait before the next attempt is even
    checked (1 s, 2 s, 4 s …); at ``lock_after`` failures the key is locked for the whole
    window. A key forgets its failures a window after its last one. Attempts made while a key
    must wait are refused unchecked (429 with Retry-After), so guessing gains nothing and no
    server thread sleeps. The state is a SQLite file in the data folder, shared by every
    process of the server; in memory when the folder is read-only.
    """

    CLIENT = Limits(free=3, lock_after=10)
    OVERALL = Limits(free=30, lock_after=200)
    BASE_DELAY = 1.0
    WINDOW = 15 * 60.0

    def __init__(self, path: Path | None, clock: Callable[[], float] = time.time) -> None:
        self.db = SharedDb(path, _TABLE)
        #: The time in seconds, when a caller gives none (a test hands one that stands still:
        #: what it shows must not depend on how fast the machine answers its requests).
        self.clock = clock

    @classmethod
    def delay(cls, failures: int, limits: Limits) -> float:
        if failures <= limits.free:
            return 0.0
        if failures >= limits.lock_after:
            return cls.WINDOW
        factor: int = 2 ** (failures - limits.free - 1)  # a whole number: the power is ≥ 0 here
        return min(cls.BASE_DELAY * factor, cls.WINDOW)

    def _keys(self, client: str) -> list[tuple[str, Limits]]:
        return [(client, self.CLIENT), ("overall", self.OVERALL)]

    def retry_after(self, client: str, now: float | None = None) -> float:
        """Seconds before ``client`` may try again (0: now)."""
        now = self.clock() if now is None else now

        def read(db: sqlite3.Connection) -> float:
            wait = 0.0
            for key, _limits in self._keys(client):
                row = db.execute("SELECT wait_until FROM failures WHERE key = ?", (key,)).fetchone()
                if row:
                    wait = max(wait, row[0] - now)
            return wait

        return max(self.db.run(read), 0.0)

    def failed(self, client: str, now: float | None = None) -> dict[str, int]:
        """Count a failure; return the failure counts now held against the client and overall."""
        now = self.clock() if now is None else now

        def count(db: sqlite3.Connection) -> dict[str, int]:
            counts: dict[str, int] = {}
            db.execute("BEGIN IMMEDIATE")
            try:
                for key, limits in self._keys(client):
                    row = db.execute(
                        "SELECT count, last FROM failures WHERE key = ?", (key,)
                    ).fetchone()
                    n = 1 if row is None or now - row[1] > self.WINDOW else row[0] + 1
                    db.execute(
                        "INSERT OR REPLACE INTO failures VALUES (?, ?, ?, ?)",
                        (key, n, now, now + self.delay(n, limits)),
                    )
                    counts["overall" if key == "overall" else "client"] = n
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            return counts

        return self.db.run(count)

    def succeeded(self, client: str) -> None:
        self.db.run(lambda db: db.execute("DELETE FROM failures WHERE key = ?", (client,)))
