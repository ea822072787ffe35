"""The extraction cache: each content's extracted pages, kept by hash so it is extracted once.

Extraction is the slow, fallible step of indexing; its result is stored here as soon as it
exists, keyed by the file's SHA-256 and the extractor's version. A renamed or copied file, a
rerun after a crash, a full rebuild or a change of metadata all read the text from here instead
of opening the document again, and snippets and document pages read their page text here too.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from typing import Any

from ..models import Analysed, Page
from .catalog_db import CatalogDatabase


class ExtractionCache(CatalogDatabase):
    """The ``extractions`` and ``pages`` tables: extracted text by content and extractor version."""

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
                """INSERT INTO pages(sha256, number, text, language, languages, furniture)
                   VALUES (?,?,?,?,?,?)""",
                [
                    (
                        sha256,
                        p.number,
                        p.text,
                        p.language,
                        json.dumps(p.languages),
                        json.dumps(p.furniture),
                    )
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
        sql = "SELECT * FROM pages WHERE sha256 = ?"
        args: list[Any] = [sha256]
        if numbers is not None:
            wanted = sorted(set(numbers))
            if not wanted:
                return []
            sql += f" AND number IN ({','.join('?' * len(wanted))})"
            args += wanted
        sql += " ORDER BY number"
        return [page for _, page in _pages(self.db.execute(sql, args))]

    def pages_of(self, wanted: Iterable[tuple[str, int]]) -> dict[tuple[str, int], Page]:
        """Pages of several texts in one query, by (hash, number): the hits on screen."""
        pairs = sorted(set(wanted))
        if not pairs:
            return {}
        rows = ",".join("(?,?)" for _ in pairs)
        sql = (  # a join, so each row is one look-up of the primary key (an IN scans the table)
            f"SELECT p.* FROM (VALUES {rows}) AS w "
            "JOIN pages AS p ON p.sha256 = w.column1 AND p.number = w.column2"
        )
        args = [value for pair in pairs for value in pair]
        return dict(_pages(self.db.execute(sql, args)))

    def prune_extractions(self) -> int:
        """Drop cached text no file refers to any more."""
        unused = (
            "SELECT sha256 FROM extractions WHERE sha256 NOT IN "
            "(SELECT sha256 FROM files WHERE status != 'removed')"
        )
        with self.transaction():
            self.db.execute(f"DELETE FROM pages WHERE sha256 IN ({unused})")
            return self.db.execute(f"DELETE FROM extractions WHERE sha256 IN ({unused})").rowcount


def _pages(rows: sqlite3.Cursor) -> Iterator[tuple[tuple[str, int], Page]]:
    """Rows of the ``pages`` table as pages, by (hash, number)."""
    # A catalog opened read-only may predate the furniture column.
    furniture = "furniture" in {d[0] for d in rows.description}
    for r in rows:
        ranges = [(a, b) for a, b in json.loads(r["furniture"])] if furniture else []
        page = Page(r["number"], r["text"], r["language"], json.loads(r["languages"]), ranges)
        yield (r["sha256"], r["number"]), page
