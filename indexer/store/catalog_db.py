"""The connection under every part of the catalog: how its SQLite file is opened, and transactions.

Opening is the delicate part (a server may search a data folder it cannot write), so it is
decided here once; the readers and writers of the catalog's tables (`catalog`,
`extraction_cache`, `manifest_problems`) build on `CatalogDatabase`. The small ``settings``
table lives here too: it belongs to the database, not to any one concern.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self
from urllib.parse import quote

from ..errors import DataFolderError
from .catalog_tables import create_tables


def _writable(path: Path) -> bool:
    """Whether this process may write the catalog (and create it and its journal beside it)."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not os.access(folder, os.W_OK):
        return False
    return not path.exists() or os.access(path, os.W_OK)


def _identity(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class CatalogDatabase:
    """The connection to the catalog database. One instance per thread.

    ``readonly`` (decided from the file system when not given) opens it for reading only: a
    server whose data folder it may not write (a read-only mount, another user's folder, a full
    disk) still searches; writers pass ``readonly=False`` to get the error instead. SQLite can
    read a WAL database without writing only while its ``-wal`` file exists; otherwise the file
    is opened as immutable and reopened when it changes, so a run by the folder's owner is seen
    and never read half-written.
    """

    def __init__(self, path: Path, readonly: bool | None = None) -> None:
        self.path = path
        self._identity: tuple[int, int, int] | None = None
        self._checked = 0.0
        self.readonly = not _writable(path) if readonly is None else readonly
        if not self.readonly:
            try:
                self._db = self._open_writable()
                return
            except sqlite3.OperationalError:
                # A writable folder on a full disk cannot even start a journal: a reader asked
                # for "whatever works" still reads; a writer gets the error.
                if readonly is not None:
                    raise
                self.readonly = True
        self._db = self._open_readonly()

    def _open_writable(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
        try:
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            create_tables(db)
        except BaseException:
            db.close()
            raise
        return db

    @property
    def db(self) -> sqlite3.Connection:
        if self._identity is not None:
            self._reopen_if_changed()
        return self._db

    def _open_readonly(self) -> sqlite3.Connection:
        uri = f"file:{quote(str(self.path))}"
        try:
            db = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=30, isolation_level=None)
            db.execute("PRAGMA schema_version").fetchone()  # the open happens on first read
            self._identity = None
        except sqlite3.OperationalError:
            try:
                self._identity = _identity(self.path)
                db = sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None)
                db.execute("PRAGMA schema_version").fetchone()
            except (OSError, sqlite3.Error) as err:
                raise DataFolderError(
                    f"the catalog {self.path.name} in {self.path.parent} cannot be read and "
                    "the folder cannot be written: run kb index where it is writable"
                ) from err
        db.row_factory = sqlite3.Row
        return db

    def _reopen_if_changed(self) -> None:
        """An immutable connection must not outlive a change of the file (checked each 0.5 s)."""
        now = time.monotonic()
        if now - self._checked < 0.5:
            return
        self._checked = now
        try:
            changed = _identity(self.path) != self._identity or os.path.exists(f"{self.path}-wal")
        except OSError:
            return
        if changed:
            self._db.close()
            self._db = self._open_readonly()

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def map_pages(self, size: int) -> None:
        """Read this connection's database pages through a memory map of up to ``size`` bytes:
        looking a page up then costs no copy and no system call per database page."""
        self.db.execute(f"PRAGMA mmap_size = {int(size)}")

    # Settings ---------------------------------------------------------------------------------
    def get_setting(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_setting(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", (key, value))
