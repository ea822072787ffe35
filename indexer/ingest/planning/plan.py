"""A run's plan: one step per file, decided before anything is written.

The planner (`planner.Planner`) records one step per file found in the run's folders, and one
per catalog row that leaves the index, in temporary tables on the catalog's connection. A run
over 100,000 files therefore holds none of them in memory, and the plan can be counted (for
progress) and read back in order while the run writes. Nothing in the catalog or the index
changes while planning: `run.IndexRun` carries the plan out.

`decide` is the heart of it: a pure function of a file and its catalog row.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ...editing.edits import with_edits
from ...models import SourceFile
from ...store.catalog import Catalog
from ...store.catalog_rows import Known

#: Steps that read a file (or its cached extraction) and write it to the index.
INDEXING = ("add", "rename", "move", "update", "refresh", "retry")

_TABLES = """
CREATE TEMP TABLE plan (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    root TEXT NOT NULL,
    path TEXT NOT NULL,
    size INTEGER NOT NULL DEFAULT 0,
    mtime_ns INTEGER NOT NULL DEFAULT 0,
    sha256 TEXT NOT NULL DEFAULT '',
    id TEXT,                 -- the catalog row this step concerns, if there is one
    indexed INTEGER NOT NULL DEFAULT 0,  -- whether that row is in the index now
    first_seen REAL,
    old_id TEXT,             -- rename and move: the row this file replaces
    old_path TEXT,
    code TEXT,
    reason TEXT
);
CREATE INDEX temp.plan_kind ON plan(kind, seq);
CREATE INDEX temp.plan_sha ON plan(sha256);
CREATE TEMP TABLE found (
    root TEXT NOT NULL, path TEXT NOT NULL, folded TEXT NOT NULL, PRIMARY KEY (root, path)
) WITHOUT ROWID;
CREATE INDEX temp.found_folded ON found(root, folded);
CREATE TEMP TABLE manifest (
    root TEXT NOT NULL, key TEXT NOT NULL, folded TEXT NOT NULL, line INTEGER NOT NULL,
    row TEXT NOT NULL, PRIMARY KEY (root, key)
) WITHOUT ROWID;
CREATE INDEX temp.manifest_folded ON manifest(root, folded, line);
CREATE TEMP TABLE manifest_problems (
    root TEXT NOT NULL, path TEXT NOT NULL, line INTEGER, code TEXT NOT NULL,
    message TEXT NOT NULL
);
"""
_DROP = ("plan", "found", "manifest", "manifest_problems")


def decide(
    known: Known | None,
    size: int,
    mtime_ns: int,
    sha256: str,
    key: str,
    *,
    full: bool,
    retry_failed: bool,
) -> str:
    """The step for a file found in a folder, given its catalog row (if any).

    ``key`` is the file's current describe key (see `metadata.describe_key`). Returns one of
    ``new`` (no live row: resolved later to add, rename or move), ``update``, ``refresh``
    (same content, described again), ``retry``, ``touch`` (same content, new timestamp) or
    ``unchanged``.
    """
    if known is None or known.status not in ("indexed", "failed"):
        return "new"
    if sha256 != known.sha256:
        return "update"
    same_stat = (size, mtime_ns) == (known.size, known.mtime_ns)
    if known.status == "failed":
        if full or retry_failed:
            return "retry"
    elif full or known.describe_key != key:
        return "refresh"
    return "unchanged" if same_stat else "touch"


@dataclass(frozen=True)
class Step:
    """One row of the plan."""

    seq: int
    kind: str
    root: str
    path: str
    size: int
    mtime_ns: int
    sha256: str
    id: str | None
    indexed: bool
    first_seen: float | None
    old_id: str | None
    old_path: str | None
    code: str | None
    reason: str | None

    @property
    def source(self) -> SourceFile:
        return SourceFile(Path(self.root), self.path, self.size, self.mtime_ns, self.sha256)


@dataclass
class PlanCounts:
    indexing: int = 0  # files to extract or describe and write
    unchanged: int = 0
    removals: int = 0
    refused: int = 0


class Plan:
    """The steps of one run, in the catalog connection's temporary tables."""

    def __init__(self, catalog: Catalog) -> None:
        self.db = catalog.db
        for table in _DROP:
            self.db.execute(f"DROP TABLE IF EXISTS temp.{table}")
        self.db.executescript(_TABLES)

    def close(self) -> None:
        for table in _DROP:
            self.db.execute(f"DROP TABLE IF EXISTS temp.{table}")

    def add(self, kind: str, root: str, path: str, **values: object) -> None:
        columns = ["kind", "root", "path", *values]
        self.db.execute(
            f"INSERT INTO plan({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [kind, root, path, *values.values()],
        )

    def steps(self, *kinds: str, chunk: int = 200) -> Iterator[Step]:
        """Steps of these kinds in plan order, read in chunks (the caller may write meanwhile)."""
        marks = ",".join("?" * len(kinds))
        last = 0
        while True:
            rows = self.db.execute(
                f"SELECT * FROM plan WHERE kind IN ({marks}) AND seq > ? ORDER BY seq LIMIT ?",
                [*kinds, last, chunk],
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield Step(*row)
            last = rows[-1]["seq"]

    def count(self, *kinds: str) -> int:
        marks = ",".join("?" * len(kinds))
        row = self.db.execute(f"SELECT COUNT(*) FROM plan WHERE kind IN ({marks})", kinds)
        return int(row.fetchone()[0])

    def counts(self) -> PlanCounts:
        return PlanCounts(
            indexing=self.count(*INDEXING),
            unchanged=self.count("unchanged", "touch"),
            removals=self.count("remove"),
            refused=self.count("refuse"),
        )

    def copy_of(self, sha256: str, seq: int) -> str | None:
        """Another file of this run with the same content, planned before this one."""
        row = self.db.execute(
            f"SELECT path FROM plan WHERE sha256 = ? AND seq < ? AND kind IN "
            f"({','.join('?' * len(INDEXING))}, 'unchanged', 'touch') ORDER BY seq LIMIT 1",
            [sha256, seq, *INDEXING],
        ).fetchone()
        return row[0] if row else None

    def apply_touches(self) -> None:
        """Same content, new timestamp (a copy, a checkout): the catalog takes the new stat, so
        the file is not hashed again next time. The one write a plan makes itself."""
        self.db.execute(
            """UPDATE files SET (size, mtime_ns) =
                   (SELECT size, mtime_ns FROM plan WHERE plan.id = files.id AND kind = 'touch')
               WHERE id IN (SELECT id FROM plan WHERE kind = 'touch')"""
        )

    # Manifest ---------------------------------------------------------------------------------
    def manifest_row(self, root: str, path: str, sha256: str = "") -> dict[str, str] | None:
        """The manifest row of a file (exact path first, then ignoring case), with the editors'
        corrections of its content laid over it."""
        row = (
            self.db.execute(
                "SELECT row FROM manifest WHERE root = ? AND key = ?", (root, path)
            ).fetchone()
            or self.db.execute(
                "SELECT row FROM manifest WHERE root = ? AND folded = ? ORDER BY line LIMIT 1",
                (root, path.casefold()),
            ).fetchone()
        )
        return with_edits(self.db, sha256, path, json.loads(row[0]) if row else None)

    def manifest_problems(self, root: str) -> Iterator[tuple[str, int | None, str, str]]:
        yield from self.db.execute(
            "SELECT path, line, code, message FROM manifest_problems WHERE root = ? "
            "ORDER BY line IS NOT NULL, line, rowid",
            (root,),
        )
