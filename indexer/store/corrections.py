"""Editors' corrections of a document's metadata, kept by content hash (the ``edits`` table):
they follow the file through renames and moves and outlive any reindexing. What a correction
means, and when it is applied, is the editing side's (`editing.edits`)."""

from __future__ import annotations

import json
import time

from .catalog import Catalog


def corrections(catalog: Catalog, sha256: str) -> dict[str, str]:
    """The corrected fields of the content ``sha256`` (none: empty)."""
    row = catalog.db.execute("SELECT fields FROM edits WHERE sha256 = ?", (sha256,)).fetchone()
    return json.loads(row[0]) if row else {}


def keep_corrections(catalog: Catalog, sha256: str, fields: dict[str, str], who: str) -> None:
    """Replace the corrections of the content ``sha256`` (in the caller's transaction, if there
    is one)."""
    catalog.db.execute(
        "INSERT OR REPLACE INTO edits VALUES (?,?,?,?)",
        (sha256, json.dumps(fields, ensure_ascii=False), who, time.time()),
    )


def drop_corrections(catalog: Catalog, sha256: str) -> None:
    catalog.db.execute("DELETE FROM edits WHERE sha256 = ?", (sha256,))
