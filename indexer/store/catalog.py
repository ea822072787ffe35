"""The catalog: a SQLite database of every file ever seen, the source of truth for the index.

The index can always be rebuilt from here without touching the documents again: extracted pages
are cached by content hash (so a renamed or copied file is never extracted twice), and each file
records its status, the reason it failed, and its metadata with provenance. WAL mode lets the
web app read while an indexing run writes.

`Catalog` is the one object callers open. It reads and writes the ``files`` table itself and
takes the rest from its parts: the connection and settings (`catalog_db`), the extraction cache
(`extraction_cache`) and the manifests' problems (`manifest_problems`); the tables are declared
in `catalog_tables`, the rows in `catalog_rows`. Runs, edits, the trash and the audit log have
modules of their own that take a `Catalog`.
"""

from __future__ import annotations

import time
from typing import Any

from ..models import Document, SourceFile
from .catalog_rows import KNOWN_COLUMNS, FileRow, Known, document_row
from .extraction_cache import ExtractionCache
from .manifest_problems import ManifestProblems


class Catalog(ExtractionCache, ManifestProblems):
    """Thin, explicit access to the catalog database. One instance per thread (see
    `CatalogDatabase` for how it is opened)."""

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
            f"SELECT {KNOWN_COLUMNS} FROM files WHERE root = ? AND path = ?", (root, path)
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
        self, source: SourceFile, code: str, reason: str, now: float | None = None
    ) -> None:
        """Record a file that cannot be indexed: ``code`` is the kind of problem, ``reason`` says
        it for people."""
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
            (
                source.id,
                str(source.root),
                source.path,
                source.size,
                source.mtime_ns,
                source.sha256,
                reason,
                code,
                now,
                now,
            ),
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

    def counts(self) -> dict[str, int]:
        """Files by status; none while a first run has made the file but not yet its tables."""
        if not self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'files'"
        ).fetchone():
            return {}
        rows = self.db.execute("SELECT status, COUNT(*) AS n FROM files GROUP BY status")
        return {r["status"]: r["n"] for r in rows}

    def page_total(self) -> int:
        row = self.db.execute("SELECT SUM(pages) FROM files WHERE status = 'indexed'").fetchone()
        return int(row[0] or 0)

    def copies(self, limit: int) -> list[tuple[str, str]]:
        """(path, the original's path) of indexed files with the same content as another
        indexed file, the first one by folder and path being the original (itself listed with
        itself), at most ``limit``."""
        rows = self.db.execute(
            """SELECT f.path, f.root, (SELECT o.path FROM files o WHERE o.sha256 = f.sha256
                      AND o.status = 'indexed' ORDER BY o.root, o.path LIMIT 1) AS original
               FROM files f WHERE f.status = 'indexed' AND f.sha256 IN
                 (SELECT sha256 FROM files WHERE status = 'indexed' GROUP BY sha256
                  HAVING COUNT(*) > 1)
               ORDER BY f.root, f.path LIMIT ?""",
            (limit,),
        )
        return [(r["path"], r["original"]) for r in rows]
