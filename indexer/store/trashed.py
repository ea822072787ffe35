"""The trash's entries: deleted documents whose files wait in the trash folder until restored
or purged (the ``trash`` table). Moving the files and telling the index is the editing side's
(`editing.trash`)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from .catalog import Catalog


@dataclass(frozen=True)
class Trashed:
    """What the trash keeps of a deleted document."""

    file_id: str
    root: str
    path: str
    sha256: str
    stored: str  # the file's place in the trash folder
    title: str
    manifest_row: str | None  # JSON
    who: str
    deleted: float


def add(catalog: Catalog, entry: Trashed) -> int:
    """Keep an entry (in the caller's transaction, if there is one); returns its number."""
    cur = catalog.db.execute(
        "INSERT INTO trash(file_id, root, path, sha256, stored, title, manifest_row, who,"
        " deleted) VALUES (?,?,?,?,?,?,?,?,?)",
        (
            entry.file_id,
            entry.root,
            entry.path,
            entry.sha256,
            entry.stored,
            entry.title,
            entry.manifest_row,
            entry.who,
            entry.deleted,
        ),
    )
    return int(cur.lastrowid or 0)


def listed(catalog: Catalog) -> list[tuple[int, str, str, str, str, str, float]]:
    """(number, file id, root, path, title, who, deleted) of every entry, newest first."""
    return catalog.db.execute(
        "SELECT id, file_id, root, path, title, who, deleted FROM trash ORDER BY deleted DESC"
    ).fetchall()


def entry(catalog: Catalog, number: int) -> sqlite3.Row | None:
    """The entry with this number, every column."""
    row: sqlite3.Row | None = catalog.db.execute(
        "SELECT * FROM trash WHERE id = ?", (number,)
    ).fetchone()
    return row


def older_than(catalog: Catalog, limit: float) -> list[sqlite3.Row]:
    """(id, stored, file_id, title) of the entries deleted before ``limit``."""
    return catalog.db.execute(
        "SELECT id, stored, file_id, title FROM trash WHERE deleted < ?", (limit,)
    ).fetchall()


def remove(catalog: Catalog, number: int) -> None:
    catalog.db.execute("DELETE FROM trash WHERE id = ?", (number,))
