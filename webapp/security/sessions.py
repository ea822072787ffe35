"""Admin sessions that end when their editor signs out, on every copy of the cookie.

Sessions live in a signed cookie, so signing out only empties the browser's copy: a copy taken
before (from a shared computer, a proxy's log) would stay good until the session's end. Each
sign-in is therefore also recorded in the data folder, where every server process looks before
it accepts a session, and signing out removes the record. Deleting the file (see
`shared_db`) signs everyone out; on a folder that cannot be written, a session holds on the
server process where it began.
"""

from __future__ import annotations

import secrets
import sqlite3
import time
from pathlib import Path

from .shared_db import SharedDb

_TABLE = "CREATE TABLE IF NOT EXISTS admin_sessions (id TEXT PRIMARY KEY, until REAL);"


class AdminSessions:
    """The admin sessions under way, by id, with when each ends."""

    def __init__(self, path: Path | None) -> None:
        self.db = SharedDb(path, _TABLE)

    def begin(self, until: float) -> str:
        """A new session lasting until ``until``; its id."""
        session_id = secrets.token_urlsafe(18)

        def record(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM admin_sessions WHERE until < ?", (time.time(),))
            db.execute("INSERT INTO admin_sessions VALUES (?, ?)", (session_id, until))

        self.db.run(record)
        return session_id

    def alive(self, session_id: str) -> bool:
        def look(db: sqlite3.Connection) -> bool:
            row = db.execute(
                "SELECT 1 FROM admin_sessions WHERE id = ? AND until > ?",
                (session_id, time.time()),
            ).fetchone()
            return row is not None

        return self.db.run(look)

    def end(self, session_id: str) -> None:
        self.db.run(lambda db: db.execute("DELETE FROM admin_sessions WHERE id = ?", (session_id,)))
