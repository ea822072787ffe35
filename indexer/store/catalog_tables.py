"""The catalog's tables, in one place, and the version a new catalog is stamped with.

Every table the catalog holds is declared here with a note on what it is for, so the whole
database reads on one page. Opening a catalog for writing creates whatever is missing (``IF NOT
EXISTS``), so an older catalog gains new tables without a migration step.
"""

from __future__ import annotations

import sqlite3

#: The layout version a catalog is stamped with (in ``settings``) when it is created.
CATALOG_VERSION = 1

TABLES = """
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
    furniture TEXT NOT NULL DEFAULT '[]',  -- [[start, end], ...]: running headers and footers
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
    updated REAL NOT NULL,
    first_done REAL                    -- when its first file was done (the pace is read after it)
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
-- What the latest complete run over each folder read besides the files themselves (the
-- manifest's bytes, the editors' corrections, the rules' versions), as one fingerprint: a run
-- that finds the same, and every file as the catalog has it, has nothing to do. A run that may
-- change a folder's rows removes its fingerprint first and writes it once it has ended.
CREATE TABLE IF NOT EXISTS folder_inputs (
    root TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    recorded REAL NOT NULL
) WITHOUT ROWID;
-- The name an uploaded file had on the editor's computer.
CREATE TABLE IF NOT EXISTS upload_names (
    root TEXT NOT NULL,
    path TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (root, path)
) WITHOUT ROWID;
"""


def create_tables(db: sqlite3.Connection) -> None:
    """Create the tables a catalog lacks and stamp a new one with `CATALOG_VERSION`."""
    db.executescript(TABLES)
    # Columns added since a table was first created.
    pages = {row[1] for row in db.execute("PRAGMA table_info(pages)")}
    if "furniture" not in pages:
        db.execute("ALTER TABLE pages ADD COLUMN furniture TEXT NOT NULL DEFAULT '[]'")
    run_state = {row[1] for row in db.execute("PRAGMA table_info(run_state)")}
    if "first_done" not in run_state:
        db.execute("ALTER TABLE run_state ADD COLUMN first_done REAL")
    db.execute(
        "INSERT OR IGNORE INTO settings(key, value) VALUES('catalog_version', ?)",
        (str(CATALOG_VERSION),),
    )
