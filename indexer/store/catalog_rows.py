"""A file's row in the catalog, as the rest of the code sees it, and the row a document becomes.

`FileRow` is a whole row with its metadata decoded, for pages and commands that show a file;
`Known` is the narrow row the planner reads for every file of a run; `document_row` encodes a
document for `Catalog.save_document_row`, small enough to hold until its index batch commits.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from typing import Any

from ..models import Document, Value

#: What the planner needs to know of a file: everything but its metadata.
KNOWN_COLUMNS = (
    "id, root, path, size, mtime_ns, sha256, status, describe_key, first_seen, reason_code"
)


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
    #: Why a failed file failed (``unsupported``, ``empty``, …).
    reason_code: str | None = None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Known:
        return cls(*(row[k] for k in KNOWN_COLUMNS.split(", ")))


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
