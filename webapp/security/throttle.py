"""Failed sign-ins counted per client and overall, so that guessing the admin password gains
nothing: delays that double, a lock-out window, and every server process sharing the count."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)


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

    def __init__(self, path: Path | None) -> None:
        self._lock = threading.Lock()
        self.db = self._connect(path)

    @staticmethod
    def _connect(path: Path | None) -> sqlite3.Connection:
        target = ":memory:"
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                with open(path, "a"):
                    pass
                target = str(path)
            except OSError:
                log.warning("sign-in throttling kept in memory: %s is not writable", path.parent)
        db = sqlite3.connect(target, timeout=10, isolation_level=None, check_same_thread=False)
        try:
            db.execute(
                "CREATE TABLE IF NOT EXISTS failures (key TEXT PRIMARY KEY, count INTEGER, "
                "last REAL, wait_until REAL)"
            )
        except sqlite3.Error:
            db.close()
            db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            db.execute(
                "CREATE TABLE failures (key TEXT PRIMARY KEY, count INTEGER, last REAL, "
                "wait_until REAL)"
            )
        return db

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
        now = time.time() if now is None else now
        wait = 0.0
        with self._lock:
            for key, _limits in self._keys(client):
                row = self.db.execute(
                    "SELECT wait_until FROM failures WHERE key = ?", (key,)
                ).fetchone()
                if row:
                    wait = max(wait, row[0] - now)
        return max(wait, 0.0)

    def failed(self, client: str, now: float | None = None) -> dict[str, int]:
        """Count a failure; return the failure counts now held against the client and overall."""
        now = time.time() if now is None else now
        counts: dict[str, int] = {}
        with self._lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                for key, limits in self._keys(client):
                    row = self.db.execute(
                        "SELECT count, last FROM failures WHERE key = ?", (key,)
                    ).fetchone()
                    count = 1 if row is None or now - row[1] > self.WINDOW else row[0] + 1
                    self.db.execute(
                        "INSERT OR REPLACE INTO failures VALUES (?, ?, ?, ?)",
                        (key, count, now, now + self.delay(count, limits)),
                    )
                    counts["overall" if key == "overall" else "client"] = count
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
        return counts

    def succeeded(self, client: str) -> None:
        with self._lock:
            self.db.execute("DELETE FROM failures WHERE key = ?", (client,))
