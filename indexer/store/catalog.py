"""The catalog: a SQLite database of every file ever seen, the source of truth for the index.

The index can always be rebuilt from here without touching the documents again: extracted pages
are cached by content hash (so a renamed or copied file is never extracted twice), and each file
records its status, the reason it failed, and its metadata with provenance. WAL mode lets the
web app read while an indexing run writes.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..errors import DataFolderError
from ..ingest.models import Analysed, Document, Page, Value

CATALOG_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    id TEXT PRIMARY KEY,
    root TEXT NOT NULL,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    status TEXT NOT NULL,              -- indexed | failed | removed | pending
    reason TEXT,
    reason_code TEXT,
    format TEXT,
    language TEXT,
    languages TEXT,
    pages INTEGER,
    meta TEXT,
    warnings TEXT,
    describe_key TEXT,
    first_seen REAL NOT NULL,
    updated REAL NOT NULL,
    UNIQUE (root, path)
);
CREATE INDEX IF NOT EXISTS files_status ON files(status);
CREATE INDEX IF NOT EXISTS files_sha ON files(sha256);
CREATE INDEX IF NOT EXISTS files_path ON files(path);
CREATE TABLE IF NOT EXISTS extractions (
    sha256 TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    format TEXT NOT NULL,
    language TEXT NOT NULL,
    languages TEXT NOT NULL,
    meta TEXT NOT NULL,
    warnings TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS pages (
    sha256 TEXT NOT NULL,
    number INTEGER NOT NULL,
    text TEXT NOT NULL,
    language TEXT NOT NULL,
    languages TEXT NOT NULL,
    PRIMARY KEY (sha256, number)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started REAL NOT NULL,
    finished REAL,
    full INTEGER NOT NULL,
    roots TEXT NOT NULL,
    summary TEXT
);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- Problems of manifest rows, as the latest run over each folder found them.
CREATE TABLE IF NOT EXISTS problems (
    root TEXT NOT NULL,
    path TEXT NOT NULL,
    line INTEGER,
    code TEXT NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS problems_root ON problems(root);
-- Who started each run and how far it is (a run in another process is followed from here).
CREATE TABLE IF NOT EXISTS run_state (
    run_id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,              -- cli | browser | watcher
    pid INTEGER NOT NULL,
    phase TEXT NOT NULL,               -- planning | indexing | committing | finished | stopped
    done INTEGER NOT NULL,
    total INTEGER NOT NULL,
    current TEXT NOT NULL,
    updated REAL NOT NULL
);
-- What happened to each file in the latest runs (files that stayed unchanged are counted only).
CREATE TABLE IF NOT EXISTS run_events (
    run_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    at REAL NOT NULL,
    kind TEXT NOT NULL,
    root TEXT NOT NULL,
    path TEXT NOT NULL,
    code TEXT NOT NULL,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
-- Editors' corrections of metadata, by content: they outlive renames, moves and reindexing.
CREATE TABLE IF NOT EXISTS edits (
    sha256 TEXT PRIMARY KEY,
    fields TEXT NOT NULL,
    who TEXT NOT NULL,
    updated REAL NOT NULL
);
-- Deleted documents, kept in the trash folder until restored or purged.
CREATE TABLE IF NOT EXISTS trash (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    file_id TEXT NOT NULL,
    root TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    stored TEXT NOT NULL,
    title TEXT NOT NULL,
    manifest_row TEXT,
    who TEXT NOT NULL,
    deleted REAL NOT NULL
);
-- Who changed what in the collection, and when.
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    who TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    title TEXT NOT NULL,
    before TEXT,
    after TEXT
);
-- The name an uploaded file had on the editor's computer.
CREATE TABLE IF NOT EXISTS upload_names (
    root TEXT NOT NULL,
    path TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (root, path)
) WITHOUT ROWID;
"""

#: What the planner needs to know of a file: everything but its metadata.
_KNOWN_COLUMNS = "id, root, path, size, mtime_ns, sha256, status, describe_key, first_seen"


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


@dataclass
class FileRow:
    """A file as the catalog knows it."""

    id: str
    root: str
    path: str
    size: int
    mtime_ns: int
    sha256: str
    status: str
    reason: str | None
    reason_code: str | None
    format: str | None
    language: str | None
    languages: list[str]
    pages: int | None
    meta: dict[str, Value]
    warnings: list[str]
    describe_key: str | None
    first_seen: float
    updated: float

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> FileRow:
        meta = {k: Value(**v) for k, v in json.loads(row["meta"] or "{}").items()}
        return cls(
            id=row["id"],
            root=row["root"],
            path=row["path"],
            size=row["size"],
            mtime_ns=row["mtime_ns"],
            sha256=row["sha256"],
            status=row["status"],
            reason=row["reason"],
            reason_code=row["reason_code"],
            format=row["format"],
            language=row["language"],
            languages=json.loads(row["languages"] or "[]"),
            pages=row["pages"],
            meta=meta,
            warnings=json.loads(row["warnings"] or "[]"),
            describe_key=row["describe_key"],
            first_seen=row["first_seen"],
            updated=row["updated"],
        )

    def value(self, key: str) -> Any:
        v = self.meta.get(key)
        return None if v is None else v.value


@dataclass(frozen=True)
class Known:
    """A file's row as planning sees it: identity, content, status; no metadata."""

    id: str
    root: str
    path: str
    size: int
    mtime_ns: int
    sha256: str
    status: str
    describe_key: str | None
    first_seen: float

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Known:
        return cls(*(row[k] for k in _KNOWN_COLUMNS.split(", ")))


class Catalog:
    """Thin, explicit access to the catalog database. One instance per thread.

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
            db.executescript(_SCHEMA)
            db.execute(
                "INSERT OR IGNORE INTO settings(key, value) VALUES('catalog_version', ?)",
                (str(CATALOG_VERSION),),
            )
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

    def __enter__(self) -> Catalog:
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

    # Files ----------------------------------------------------------------------------------
    def files(
        self, status: str | None = None, root: str | None = None, limit: int | None = None
    ) -> list[FileRow]:
        sql, args = "SELECT * FROM files WHERE 1=1", []
        if status:
            sql += " AND status = ?"
            args.append(status)
        if root:
            sql += " AND root = ?"
            args.append(root)
        sql += " ORDER BY path"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [FileRow.from_row(r) for r in self.db.execute(sql, args)]

    def file(self, file_id: str) -> FileRow | None:
        row = self.db.execute("SELECT * FROM files WHERE id = ?", (file_id,)).fetchone()
        return FileRow.from_row(row) if row else None

    def file_at(self, root: str, path: str) -> FileRow | None:
        row = self.db.execute(
            "SELECT * FROM files WHERE root = ? AND path = ?", (root, path)
        ).fetchone()
        return FileRow.from_row(row) if row else None

    def known(self, root: str, path: str) -> Known | None:
        row = self.db.execute(
            f"SELECT {_KNOWN_COLUMNS} FROM files WHERE root = ? AND path = ?", (root, path)
        ).fetchone()
        return Known.from_row(row) if row else None

    def copy_of(self, sha256: str, file_id: str, root: str, path: str) -> str | None:
        """The path of another indexed file with this content, if there is one."""
        row = self.db.execute(
            "SELECT root, path FROM files WHERE sha256 = ? AND status = 'indexed' AND id != ?"
            " ORDER BY root != ?, path LIMIT 1",
            (sha256, file_id, root),
        ).fetchone()
        if row is None or (row["root"], row["path"]) == (root, path):
            return None
        return row["path"] if row["root"] == root else f"{row['root']}/{row['path']}"

    def roots(self) -> list[str]:
        """Every folder with files in the index or failed."""
        rows = self.db.execute(
            "SELECT DISTINCT root FROM files WHERE status IN ('indexed', 'failed')"
        )
        return [r[0] for r in rows]

    def save_document(self, doc: Document, describe_key: str, now: float | None = None) -> None:
        self.save_document_row(document_row(doc, describe_key, now))

    def save_document_row(self, row: tuple[Any, ...]) -> None:
        """Store a row made by `document_row` (the file becomes 'indexed')."""
        self.db.execute(
            """
            INSERT INTO files(id, root, path, size, mtime_ns, sha256, status, reason, reason_code,
                              format, language, languages, pages, meta, warnings, describe_key,
                              first_seen, updated)
            VALUES (?,?,?,?,?,?,'indexed',NULL,NULL,?,?,?,?,?,?,?,?,?)
            ON CONFLICT(id) DO UPDATE SET
                root=excluded.root, path=excluded.path, size=excluded.size,
                mtime_ns=excluded.mtime_ns, sha256=excluded.sha256, status='indexed',
                reason=NULL, reason_code=NULL, format=excluded.format,
                language=excluded.language, languages=excluded.languages,
                pages=excluded.pages, meta=excluded.meta, warnings=excluded.warnings,
                describe_key=excluded.describe_key, updated=excluded.updated,
                first_seen=CASE WHEN files.status = 'removed' THEN excluded.first_seen
                                ELSE files.first_seen END
            """,
            row,
        )

    def save_failure(
        self,
        file_id: str,
        root: str,
        path: str,
        size: int,
        mtime_ns: int,
        sha256: str,
        code: str,
        reason: str,
        now: float | None = None,
    ) -> None:
        now = now or time.time()
        self.db.execute(
            """
            INSERT INTO files(id, root, path, size, mtime_ns, sha256, status, reason, reason_code,
                              first_seen, updated)
            VALUES (?,?,?,?,?,?,'failed',?,?,?,?)
            ON CONFLICT(id) DO UPDATE SET
                root=excluded.root, path=excluded.path,
                size=excluded.size, mtime_ns=excluded.mtime_ns, sha256=excluded.sha256,
                status='failed', reason=excluded.reason, reason_code=excluded.reason_code,
                updated=excluded.updated,
                first_seen=CASE WHEN files.status = 'removed' THEN excluded.first_seen
                                ELSE files.first_seen END
            """,
            (file_id, root, path, size, mtime_ns, sha256, reason, code, now, now),
        )

    def touch(self, file_id: str, size: int, mtime_ns: int) -> None:
        """Same content, new timestamp (a copy or a 'touch'): no need to hash again next time."""
        self.db.execute(
            "UPDATE files SET size = ?, mtime_ns = ? WHERE id = ?", (size, mtime_ns, file_id)
        )

    def mark_removed(self, file_id: str, now: float | None = None) -> None:
        self.db.execute(
            "UPDATE files SET status = 'removed', updated = ? WHERE id = ?",
            (now or time.time(), file_id),
        )

    # Manifest problems -------------------------------------------------------------------------
    def replace_problems(
        self, root: str, problems: Iterable[tuple[str, int | None, str, str]]
    ) -> None:
        """The problems of one folder's manifest, as ``(path, line, code, message)``."""
        with self.transaction():
            self.db.execute("DELETE FROM problems WHERE root = ?", (root,))
            self.db.executemany(
                "INSERT INTO problems(root, path, line, code, message) VALUES (?,?,?,?,?)",
                ((root, *p) for p in problems),
            )

    _LIVE_PROBLEMS = (
        "FROM problems WHERE root IN (SELECT DISTINCT root FROM files WHERE status != 'removed')"
    )

    def problems(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Manifest problems of the folders still in the index, in file order."""
        sql = f"SELECT path, line, code, message {self._LIVE_PROBLEMS} ORDER BY root, line, path"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [dict(r) for r in self.db.execute(sql)]

    def problem_count(self) -> int:
        return int(self.db.execute(f"SELECT COUNT(*) {self._LIVE_PROBLEMS}").fetchone()[0])

    def drop_problems(self, root: str) -> None:
        self.db.execute("DELETE FROM problems WHERE root = ?", (root,))

    def counts(self) -> dict[str, int]:
        rows = self.db.execute("SELECT status, COUNT(*) AS n FROM files GROUP BY status")
        return {r["status"]: r["n"] for r in rows}

    def page_total(self) -> int:
        row = self.db.execute("SELECT SUM(pages) FROM files WHERE status = 'indexed'").fetchone()
        return int(row[0] or 0)

    # Extraction cache -------------------------------------------------------------------------
    def has_extraction(self, sha256: str, version: int) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM extractions WHERE sha256 = ? AND version = ?", (sha256, version)
        ).fetchone()
        return row is not None

    def cached(self, sha256: str, version: int) -> Analysed | None:
        row = self.db.execute(
            "SELECT * FROM extractions WHERE sha256 = ? AND version = ?", (sha256, version)
        ).fetchone()
        if row is None:
            return None
        return Analysed(
            format=row["format"],
            pages=self.pages(sha256),
            language=row["language"],
            languages=json.loads(row["languages"]),
            meta=json.loads(row["meta"]),
            warnings=json.loads(row["warnings"]),
        )

    def store_extraction(self, sha256: str, version: int, analysed: Analysed) -> None:
        with self.transaction():
            self.db.execute("DELETE FROM pages WHERE sha256 = ?", (sha256,))
            self.db.executemany(
                "INSERT INTO pages(sha256, number, text, language, languages) VALUES (?,?,?,?,?)",
                [
                    (sha256, p.number, p.text, p.language, json.dumps(p.languages))
                    for p in analysed.pages
                ],
            )
            self.db.execute(
                """INSERT OR REPLACE INTO extractions
                   (sha256, version, format, language, languages, meta, warnings, created)
                   VALUES (?,?,?,?,?,?,?,?)""",
                (
                    sha256,
                    version,
                    analysed.format,
                    analysed.language,
                    json.dumps(analysed.languages),
                    json.dumps(analysed.meta, ensure_ascii=False),
                    json.dumps(analysed.warnings, ensure_ascii=False),
                    time.time(),
                ),
            )

    def pages(self, sha256: str, numbers: Iterable[int] | None = None) -> list[Page]:
        sql = "SELECT number, text, language, languages FROM pages WHERE sha256 = ?"
        args: list[Any] = [sha256]
        if numbers is not None:
            wanted = sorted(set(numbers))
            if not wanted:
                return []
            sql += f" AND number IN ({','.join('?' * len(wanted))})"
            args += wanted
        sql += " ORDER BY number"
        return [
            Page(r["number"], r["text"], r["language"], json.loads(r["languages"]))
            for r in self.db.execute(sql, args)
        ]

    def prune_extractions(self) -> int:
        """Drop cached text no file refers to any more."""
        unused = (
            "SELECT sha256 FROM extractions WHERE sha256 NOT IN "
            "(SELECT sha256 FROM files WHERE status != 'removed')"
        )
        with self.transaction():
            self.db.execute(f"DELETE FROM pages WHERE sha256 IN ({unused})")
            return self.db.execute(f"DELETE FROM extractions WHERE sha256 IN ({unused})").rowcount

    # Runs -------------------------------------------------------------------------------------
    def start_run(self, roots: list[str], full: bool) -> int:
        cur = self.db.execute(
            "INSERT INTO runs(started, full, roots) VALUES (?,?,?)",
            (time.time(), int(full), json.dumps(roots)),
        )
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, summary: dict[str, Any]) -> None:
        self.db.execute(
            "UPDATE runs SET finished = ?, summary = ? WHERE id = ?",
            (time.time(), json.dumps(summary), run_id),
        )

    def rebuild_interrupted(self) -> bool:
        """Whether the latest full rebuild never finished.

        Its batches marked files as indexed in the catalog while they went into the new index,
        which was then never swapped in: the active index may lack those files, and only
        another full rebuild makes catalog and index agree again.
        """
        row = self.db.execute(
            "SELECT finished FROM runs WHERE full = 1 ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return row is not None and row["finished"] is None

    def last_run(self) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT * FROM runs WHERE finished IS NOT NULL ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        return {
            "started": row["started"],
            "finished": row["finished"],
            "full": bool(row["full"]),
            "roots": json.loads(row["roots"]),
            **json.loads(row["summary"] or "{}"),
        }

    def get_setting(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_setting(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", (key, value))


def document_row(doc: Document, describe_key: str, now: float | None = None) -> tuple[Any, ...]:
    """A document's catalog row without its text (the pages are in the extraction cache): small
    enough to keep until the index change it belongs to is committed."""
    now = now or time.time()
    return (
        doc.id,
        doc.root,
        doc.path,
        doc.size,
        doc.mtime_ns,
        doc.sha256,
        doc.format,
        doc.language,
        json.dumps(doc.languages),
        len(doc.pages),
        json.dumps({k: v.to_dict() for k, v in doc.meta.items()}, ensure_ascii=False),
        json.dumps(doc.warnings, ensure_ascii=False),
        describe_key,
        now,
        now,
    )
