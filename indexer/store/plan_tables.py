"""A run's plan as the catalog keeps it: temporary tables on the catalog's connection.

The planner records one step per file found and one per catalog row that leaves the index; a
run over 100,000 files therefore holds none of them in memory, and the plan can be counted (for
progress) and read back in order while the run writes. Beside the steps: the files the walk
found (to pair renames and see what vanished) and each folder's manifest rows and problems.
What the steps mean is decided on the write side (`ingest.planning`); this class only keeps
them, and answers the questions the planner and the run ask in the words they ask them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..models import SourceFile
from .catalog import Catalog

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

#: A row a new file may take over: (the step's seq, the row's id, root, path, first seen).
Candidate = tuple[int, str, str, str, float | None]

#: Rows of a run's folder that are still live in the catalog.
_LIVE = "f.status IN ('indexed', 'failed')"
#: Rows some file of the run took over (a rename or a move).
_TAKEN_OVER = "(SELECT old_id FROM plan WHERE old_id IS NOT NULL)"


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


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


class PlanTables:
    """The steps of one run, in the catalog connection's temporary tables."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.db = catalog.db
        for table in _DROP:
            self.db.execute(f"DROP TABLE IF EXISTS temp.{table}")
        self.db.executescript(_TABLES)

    def close(self) -> None:
        for table in _DROP:
            self.db.execute(f"DROP TABLE IF EXISTS temp.{table}")

    # Steps ------------------------------------------------------------------------------------
    def add(self, kind: str, root: str, path: str, **values: object) -> None:
        columns = ["kind", "root", "path", *values]
        self.db.execute(
            f"INSERT INTO plan({', '.join(columns)}) VALUES ({_marks(columns)})",
            [kind, root, path, *values.values()],
        )

    def steps(self, *kinds: str, chunk: int = 200) -> Iterator[Step]:
        """Steps of these kinds in plan order, read in chunks (the caller may write meanwhile)."""
        last = 0
        while True:
            rows = self.db.execute(
                f"SELECT * FROM plan WHERE kind IN ({_marks(kinds)}) AND seq > ? "
                "ORDER BY seq LIMIT ?",
                [*kinds, last, chunk],
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield Step(*row)
            last = rows[-1]["seq"]

    def count(self, *kinds: str) -> int:
        row = self.db.execute(f"SELECT COUNT(*) FROM plan WHERE kind IN ({_marks(kinds)})", kinds)
        return int(row.fetchone()[0])

    def first_with_content(self, sha256: str, before: int, kinds: Sequence[str]) -> str | None:
        """The path of the first step of these kinds with this content, planned before the
        step ``before``."""
        row = self.db.execute(
            f"SELECT path FROM plan WHERE sha256 = ? AND seq < ? AND kind IN ({_marks(kinds)}) "
            "ORDER BY seq LIMIT 1",
            [sha256, before, *kinds],
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

    # Files found ------------------------------------------------------------------------------
    def add_found(self, root: str, path: str) -> None:
        self.db.execute("INSERT INTO found VALUES (?,?,?)", (root, path, path.casefold()))

    def rename_candidates(self) -> list[Candidate]:
        """New files with the content of an indexed file that vanished from the same folder,
        in order of preference."""
        return self.db.execute(
            """SELECT p.seq, f.id, f.root, f.path, f.first_seen FROM plan p
               JOIN files f ON f.root = p.root AND f.sha256 = p.sha256
               WHERE p.kind = 'new' AND f.status = 'indexed' AND NOT EXISTS
                 (SELECT 1 FROM found x WHERE x.root = f.root AND x.path = f.path)
               ORDER BY p.seq, f.path"""
        ).fetchall()

    def move_candidates(self, roots: Sequence[str]) -> list[Candidate]:
        """New files with the path and content of an indexed file of a folder outside
        ``roots``, in order of preference."""
        return self.db.execute(
            f"""SELECT p.seq, f.id, f.root, f.path, f.first_seen FROM plan p
                JOIN files f ON f.path = p.path AND f.sha256 = p.sha256
                WHERE p.kind = 'new' AND f.status = 'indexed' AND f.root NOT IN ({_marks(roots)})
                ORDER BY p.seq, f.root""",
            list(roots),
        ).fetchall()

    def take_over(self, steps: Iterable[tuple[str, str, str, float | None, int]]) -> None:
        """New files become (kind, the row they take over, its old path, its first-seen date)
        for their seq."""
        self.db.executemany(
            "UPDATE plan SET kind = ?, old_id = ?, old_path = ?, first_seen = ? WHERE seq = ?",
            list(steps),
        )

    def add_the_rest(self) -> None:
        """New files that took over no row are added."""
        self.db.execute("UPDATE plan SET kind = 'add' WHERE kind = 'new'")

    def remove_vanished(self, root: str) -> None:
        """Plan the removal of the live rows of ``root`` whose file the walk did not find and
        that no file took over."""
        self.db.execute(
            f"""INSERT INTO plan(kind, root, path, id, indexed, sha256)
                SELECT 'remove', f.root, f.path, f.id, f.status = 'indexed', f.sha256
                FROM files f WHERE f.root = ? AND {_LIVE}
                  AND NOT EXISTS (SELECT 1 FROM found x WHERE x.root = f.root
                                  AND x.path = f.path)
                  AND f.id NOT IN {_TAKEN_OVER}
                ORDER BY f.path""",
            (root,),
        )

    def remove_folder(self, root: str, reason: str) -> None:
        """Plan the removal of every live row of ``root`` that no file took over."""
        self.db.execute(
            f"""INSERT INTO plan(kind, root, path, id, indexed, sha256, reason)
                SELECT 'remove', f.root, f.path, f.id, f.status = 'indexed', f.sha256, ?
                FROM files f WHERE f.root = ? AND {_LIVE} AND f.id NOT IN {_TAKEN_OVER}
                ORDER BY f.path""",
            (reason, root),
        )

    # Manifest ---------------------------------------------------------------------------------
    def add_manifest_row(self, root: str, key: str, line: int, row: str) -> bool:
        """Keep a manifest row (JSON); a later row for the same key replaces an earlier one (as
        in a spreadsheet lookup). Returns whether the key was new."""
        cur = self.db.execute(
            "INSERT OR IGNORE INTO manifest VALUES (?,?,?,?,?)",
            (root, key, key.casefold(), line, row),
        )
        if cur.rowcount:
            return True
        self.db.execute(
            "UPDATE manifest SET row = ?, line = ? WHERE root = ? AND key = ?",
            (row, line, root, key),
        )
        return False

    def manifest_row_of(self, root: str, path: str) -> str | None:
        """The manifest row (JSON) of a file: its exact path first, then ignoring case."""
        row = (
            self.db.execute(
                "SELECT row FROM manifest WHERE root = ? AND key = ?", (root, path)
            ).fetchone()
            or self.db.execute(
                "SELECT row FROM manifest WHERE root = ? AND folded = ? ORDER BY line LIMIT 1",
                (root, path.casefold()),
            ).fetchone()
        )
        return row[0] if row else None

    def rows_without_file(self, root: str) -> list[tuple[str, int]]:
        """The manifest rows of ``root`` (key, line) that name no file the walk found."""
        return self.db.execute(
            "SELECT key, line FROM manifest m WHERE root = ? AND NOT EXISTS "
            "(SELECT 1 FROM found f WHERE f.root = m.root AND f.folded = m.folded)",
            (root,),
        ).fetchall()

    def add_manifest_problem(
        self, root: str, path: str, line: int | None, code: str, message: str
    ) -> None:
        self.db.execute(
            "INSERT INTO manifest_problems VALUES (?,?,?,?,?)", (root, path, line, code, message)
        )

    def manifest_problems(self, root: str) -> Iterator[tuple[str, int | None, str, str]]:
        yield from self.db.execute(
            "SELECT path, line, code, message FROM manifest_problems WHERE root = ? "
            "ORDER BY line IS NOT NULL, line, rowid",
            (root,),
        )
