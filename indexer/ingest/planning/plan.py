"""A run's plan: one step per file, decided before anything is written.

The planner (`planner.Planner`) records one step per file found in the run's folders, and one
per catalog row that leaves the index, in the catalog's temporary tables
(`store.plan_tables.PlanTables`). Nothing in the catalog or the index changes while planning:
`run.IndexRun` carries the plan out.

`decide` is the heart of it: a pure function of a file and its catalog row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ...store.catalog_rows import Known
from ...store.plan_tables import PlanTables, Step
from ..describe.metadata import with_edits

__all__ = ["INDEXING", "Plan", "PlanCounts", "Step", "decide"]

#: Steps that read a file (or its cached extraction) and write it to the index.
INDEXING = ("add", "rename", "move", "update", "refresh", "retry")


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


@dataclass
class PlanCounts:
    indexing: int = 0  # files to extract or describe and write
    unchanged: int = 0
    removals: int = 0
    refused: int = 0


class Plan(PlanTables):
    """The steps of one run (kept by `PlanTables`), and what the run asks of them."""

    def counts(self) -> PlanCounts:
        return PlanCounts(
            indexing=self.count(*INDEXING),
            unchanged=self.count("unchanged", "touch"),
            removals=self.count("remove"),
            refused=self.count("refuse"),
        )

    def copy_of(self, sha256: str, seq: int) -> str | None:
        """Another file of this run with the same content, planned before this one."""
        return self.first_with_content(sha256, seq, (*INDEXING, "unchanged", "touch"))

    def manifest_row(self, root: str, path: str, sha256: str = "") -> dict[str, str] | None:
        """The manifest row of a file (exact path first, then ignoring case), with the editors'
        corrections of its content laid over it."""
        row = self.manifest_row_of(root, path)
        return with_edits(self.catalog, sha256, path, json.loads(row) if row else None)
