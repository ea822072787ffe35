"""Planning a run: what happens to every file, decided before anything is written.

The planner walks each documents folder, compares every file with what the catalog knows of
it, and records one step per file — and one per catalog row that leaves the index — in a
temporary table on the catalog's connection. A run over 100,000 files therefore holds none of
them in memory, and the plan can be counted (for progress) and read back in order.

`decide` is the heart of it: a pure function of a file and its catalog row. The rest pairs new
files with vanished ones (a rename inside a folder; a documents folder that moved, recognised by
the same relative path and content) and lists what leaves the index. Nothing in the catalog or
the index changes while planning: `IndexRun` carries the plan out.

Folders that are not part of a run keep their documents, unless the folder is gone, its files
moved into a folder of the run, or the run rebuilds the index in full.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..editing.edits import with_edits
from ..store.catalog import Catalog, Known
from .describe.manifest_file import ManifestProblem, ManifestRow, iter_manifest
from .describe.metadata import describe_key, manifest_problems
from .describe.taxonomy import Taxonomy
from .discover import scan, sha256_file
from .models import SourceFile, document_id

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


class Planner:
    """Builds the plan of a run over ``roots``."""

    def __init__(
        self,
        catalog: Catalog,
        taxonomy: Taxonomy,
        roots: list[Path],
        *,
        full: bool,
        retry_failed: bool,
        dialects: dict[Path, type[csv.Dialect]] | None = None,
    ) -> None:
        self.catalog = catalog
        self.taxonomy = taxonomy
        self.roots = roots
        self.full = full
        self.retry_failed = retry_failed
        self.dialects = dialects or {}
        self.plan = Plan(catalog)
        #: Folders outside the run whose documents leave the index, and why.
        self.dropped_roots: dict[str, str] = {}

    def build(self) -> Plan:
        for root in self.roots:
            self._read_manifest(root)
            self._walk(root)
            self._unmatched_manifest_rows(str(root))
        self._pair_renames()
        self._pair_moves()
        self.plan.db.execute("UPDATE plan SET kind = 'add' WHERE kind = 'new'")
        self._removals()
        return self.plan

    # Manifest ---------------------------------------------------------------------------------
    def _problem(self, root: str, problem: ManifestProblem) -> None:
        self.plan.db.execute(
            "INSERT INTO manifest_problems VALUES (?,?,?,?,?)",
            (root, problem.path, problem.line, problem.code, problem.message),
        )

    def _read_manifest(self, root: Path) -> None:
        db, name = self.plan.db, str(root)
        for item in iter_manifest(root, self.dialects.get(root)):
            if isinstance(item, ManifestProblem):
                self._problem(name, item)
                continue
            self._check_row(name, item)
            row = json.dumps(item.values, ensure_ascii=False)
            cur = db.execute(
                "INSERT OR IGNORE INTO manifest VALUES (?,?,?,?,?)",
                (name, item.key, item.key.casefold(), item.line, row),
            )
            if cur.rowcount == 0:  # the later row wins, as it would in a spreadsheet lookup
                db.execute(
                    "UPDATE manifest SET row = ?, line = ? WHERE root = ? AND key = ?",
                    (row, item.line, name, item.key),
                )
                self._problem(
                    name,
                    ManifestProblem(
                        "listed-twice",
                        f"{item.key} is listed twice; the later row is used",
                        item.key,
                        item.line,
                    ),
                )

    def _check_row(self, root: str, row: ManifestRow) -> None:
        for problem in manifest_problems(row, self.taxonomy):
            self._problem(root, problem)

    def _unmatched_manifest_rows(self, root: str) -> None:
        rows = self.plan.db.execute(
            "SELECT key, line FROM manifest m WHERE root = ? AND NOT EXISTS "
            "(SELECT 1 FROM found f WHERE f.root = m.root AND f.folded = m.folded)",
            (root,),
        ).fetchall()
        for key, line in rows:
            self._problem(
                root,
                ManifestProblem("no-file", "no such file in the folder", key, line),
            )

    # Files ------------------------------------------------------------------------------------
    def _walk(self, root: Path) -> None:
        name, plan = str(root), self.plan
        for entry in scan(root):
            plan.db.execute(
                "INSERT INTO found VALUES (?,?,?)", (name, entry.path, entry.path.casefold())
            )
            known = self.catalog.known(name, entry.path)
            live = known is not None and known.status in ("indexed", "failed")
            indexed = known is not None and known.status == "indexed"
            if entry.problem is not None:
                self._refuse(root, entry.path, indexed, *entry.problem)
                continue
            if (
                known is not None
                and live
                and (entry.size, entry.mtime_ns)
                == (
                    known.size,
                    known.mtime_ns,
                )
            ):
                sha = known.sha256
            else:
                try:
                    sha = sha256_file(root / entry.path)
                except OSError as err:
                    reason = f"cannot be read: {err.strerror or err}"
                    self._refuse(root, entry.path, indexed, "unreadable", reason)
                    continue
            key = describe_key(plan.manifest_row(name, entry.path, sha), self.taxonomy)
            kind = decide(
                known,
                entry.size,
                entry.mtime_ns,
                sha,
                key,
                full=self.full,
                retry_failed=self.retry_failed,
            )
            plan.add(
                kind,
                name,
                entry.path,
                size=entry.size,
                mtime_ns=entry.mtime_ns,
                sha256=sha,
                id=known.id if known else None,
                indexed=indexed,
                first_seen=known.first_seen if known is not None and live else None,
            )

    def _refuse(self, root: Path, path: str, indexed: bool, code: str, reason: str) -> None:
        """An entry that may not be indexed (and leaves the index if it was in it)."""
        self.plan.add(
            "refuse",
            str(root),
            path,
            id=document_id(root.name, path),
            indexed=indexed,
            code=code,
            reason=reason,
        )

    def _pair(self, kind: str, sql: str, args: list[object]) -> set[str]:
        """Turn new files into ``kind`` steps, each taking over the row the query pairs it with.

        ``sql`` yields (seq, id, root, path, first_seen) candidates in order of preference;
        each file takes at most one row and each row goes to at most one file. Returns the
        folders of the rows taken over.
        """
        taken: set[str] = set()
        paired: set[int] = set()
        roots: set[str] = set()
        updates: list[tuple[object, ...]] = []
        for seq, row_id, root, path, first_seen in self.plan.db.execute(sql, args).fetchall():
            if seq in paired or row_id in taken:
                continue
            paired.add(seq)
            taken.add(row_id)
            roots.add(root)
            old_path = path if kind == "rename" else f"{root}/{path}"
            updates.append((kind, row_id, old_path, first_seen, seq))
        self.plan.db.executemany(
            "UPDATE plan SET kind = ?, old_id = ?, old_path = ?, first_seen = ? WHERE seq = ?",
            updates,
        )
        return roots

    def _pair_renames(self) -> None:
        """A new file with the content of an indexed file that vanished from the same folder."""
        self._pair(
            "rename",
            """SELECT p.seq, f.id, f.root, f.path, f.first_seen FROM plan p
               JOIN files f ON f.root = p.root AND f.sha256 = p.sha256
               WHERE p.kind = 'new' AND f.status = 'indexed' AND NOT EXISTS
                 (SELECT 1 FROM found x WHERE x.root = f.root AND x.path = f.path)
               ORDER BY p.seq, f.path""",
            [],
        )

    def _pair_moves(self) -> None:
        """A new file with the path and content of an indexed file of a folder outside the run:
        the same document, in a documents folder that was moved (or copied) elsewhere. The old
        folder's other files then leave the index too."""
        roots = [str(r) for r in self.roots]
        marks = ",".join("?" * len(roots))
        moved_from = self._pair(
            "move",
            f"""SELECT p.seq, f.id, f.root, f.path, f.first_seen FROM plan p
                JOIN files f ON f.path = p.path AND f.sha256 = p.sha256
                WHERE p.kind = 'new' AND f.status = 'indexed' AND f.root NOT IN ({marks})
                ORDER BY p.seq, f.root""",
            list(roots),
        )
        for root in moved_from:
            self.dropped_roots.setdefault(root, "its files moved to another folder")

    def _removals(self) -> None:
        """Rows that leave the index: vanished files, and every file of a folder that is gone,
        moved, or (in a full rebuild) not part of the run."""
        roots = {str(r) for r in self.roots}
        for other in self.catalog.roots():
            if other in roots:
                continue
            if self.full:
                self.dropped_roots.setdefault(other, "not part of the full rebuild")
            elif not os.path.isdir(other):
                self.dropped_roots.setdefault(other, "the folder no longer exists")
        consumed = "(SELECT old_id FROM plan WHERE old_id IS NOT NULL)"
        live = "f.status IN ('indexed', 'failed')"
        for root in sorted(roots):
            self.plan.db.execute(
                f"""INSERT INTO plan(kind, root, path, id, indexed, sha256)
                    SELECT 'remove', f.root, f.path, f.id, f.status = 'indexed', f.sha256
                    FROM files f WHERE f.root = ? AND {live}
                      AND NOT EXISTS (SELECT 1 FROM found x WHERE x.root = f.root
                                      AND x.path = f.path)
                      AND f.id NOT IN {consumed}
                    ORDER BY f.path""",
                (root,),
            )
        for root in sorted(self.dropped_roots):
            self.plan.db.execute(
                f"""INSERT INTO plan(kind, root, path, id, indexed, sha256, reason)
                    SELECT 'remove', f.root, f.path, f.id, f.status = 'indexed', f.sha256, ?
                    FROM files f WHERE f.root = ? AND {live} AND f.id NOT IN {consumed}
                    ORDER BY f.path""",
                (self.dropped_roots[root], root),
            )
