"""What the catalog answers about uploads: the name a file had on the editor's computer (the
``upload_names`` table), and whether the catalog already has a file with an upload's content."""

from __future__ import annotations

import json
import sqlite3

from .catalog import Catalog


def file_with_content(
    catalog: Catalog, sha256: str, statuses: tuple[str, ...]
) -> tuple[str, str] | None:
    """The id and the title (else the path) of a file with this content and one of these
    statuses (the first by path)."""
    marks = ",".join("?" * len(statuses))
    row = catalog.db.execute(
        f"SELECT id, path, meta FROM files WHERE sha256 = ? AND status IN ({marks}) "
        "ORDER BY path LIMIT 1",
        (sha256, *statuses),
    ).fetchone()
    if row is None:
        return None
    title = json.loads(row["meta"] or "{}").get("title", {}).get("value")
    return str(row["id"]), str(title or row["path"])


def upload_name(catalog: Catalog, root: str, path: str) -> str | None:
    """The name the upload stored at ``path`` of the folder ``root`` had."""
    row = catalog.db.execute(
        "SELECT name FROM upload_names WHERE root = ? AND path = ?", (root, path)
    ).fetchone()
    return str(row[0]) if row else None


def keep_upload_name(catalog: Catalog, root: str, path: str, name: str) -> None:
    catalog.db.execute("INSERT OR REPLACE INTO upload_names VALUES (?,?,?)", (root, path, name))


def display_name(catalog: Catalog, root: str, path: str) -> str:
    """The name a file had on the editor's computer (uploads), else its path in its folder;
    any folder's upload of that path when ``root`` is empty."""
    sql = "SELECT name FROM upload_names WHERE path = ?" + (" AND root = ?" if root else "")
    try:
        row = catalog.db.execute(sql, (path, root) if root else (path,)).fetchone()
    except sqlite3.OperationalError:  # a catalog no run of this version has written yet
        return path
    return row[0] if row else path
