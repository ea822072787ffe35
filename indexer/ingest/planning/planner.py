"""Building a run's plan: walk each documents folder and decide what happens to every file.

The planner reads each folder's manifest (its problems become the folder's manifest notes),
lists the folder's files, hashes those whose size or timestamp changed, and compares each with
its catalog row (`plan.decide`). New files are then paired with the rows they continue, and
what is no longer found is planned for removal (`pairing`). Everything goes into the `plan.Plan`;
the catalog and the index stay as they are.
"""

from __future__ import annotations

import csv
import itertools
import json
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ...models import document_id
from ...outcomes import DELETED
from ...store import audit
from ...store.catalog import Catalog
from ...store.catalog_rows import Known
from ...text.taxonomy import Taxonomy
from ..describe.manifest_file import ManifestProblem, ManifestRow, iter_manifest
from ..describe.metadata import describe_key, manifest_problems
from ..extract import SUPPORTED_SUFFIXES
from .discover import Entry, scan, sha256_file
from .pairing import add_removals, pair_new_files
from .plan import INDEXING, Plan, decide


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
        on_work: Callable[[], None] | None = None,
    ) -> None:
        self.catalog = catalog
        #: Called once, as the first file to read is found: the run starts a worker then.
        self.on_work = on_work
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
            found = self._survey(root)
            self._read_manifest(root)
            self._walk(root, found)
            self._unmatched_manifest_rows(str(root))
        names = [str(r) for r in self.roots]
        for moved in pair_new_files(self.plan, names):
            self.dropped_roots.setdefault(moved, "its files moved to another folder")
        self._drop_other_roots()
        add_removals(self.plan, names, self.dropped_roots)
        return self.plan

    def _drop_other_roots(self) -> None:
        """Folders outside the run whose documents leave the index all the same: gone, or
        not part of a full rebuild."""
        roots = {str(r) for r in self.roots}
        for other in self.catalog.roots():
            if other in roots:
                continue
            if self.full:
                self.dropped_roots.setdefault(other, "not part of the full rebuild")
            elif not os.path.isdir(other):
                self.dropped_roots.setdefault(other, "the folder no longer exists")

    # Manifest ---------------------------------------------------------------------------------
    def _problem(self, root: str, problem: ManifestProblem) -> None:
        self.plan.add_manifest_problem(
            root, problem.path, problem.line, problem.code, problem.message
        )

    def _read_manifest(self, root: Path) -> None:
        name = str(root)
        for item in iter_manifest(root, self.dialects.get(root)):
            if isinstance(item, ManifestProblem):
                self._problem(name, item)
                continue
            self._check_row(name, item)
            row = json.dumps(item.values, ensure_ascii=False)
            if not self.plan.add_manifest_row(name, item.key, item.line, row):
                # the later row wins, as it would in a spreadsheet lookup
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
        rows = self.plan.rows_without_file(root)
        name = Path(root).name
        ids = {document_id(name, key): key for key, _ in rows}
        deleted = {ids[i] for i in audit.deleted(self.catalog, list(ids))}
        for key, line in rows:
            if key in deleted:  # a note, not a problem: the editor knows the file is gone
                problem = ManifestProblem(DELETED, "deleted in the browser", key, line)
            else:
                problem = ManifestProblem("no-file", "no such file in the folder", key, line)
            self._problem(root, problem)

    # Files ------------------------------------------------------------------------------------
    def _survey(self, root: Path) -> Iterator[tuple[Entry, Known | None]]:
        """The folder's entries, each with its catalog row, looked at before its manifest is
        read as far as the first file that surely has to be read (new, or of another size):
        the workers start then, and their start overlaps with reading the manifest too. The
        entries looked at are held for the walk, which goes on with the others."""
        name = str(root)
        entries = ((entry, self.catalog.known(name, entry.path)) for entry in scan(root))
        if self.on_work is None:
            return entries
        seen: list[tuple[Entry, Known | None]] = []
        for entry, known in entries:
            seen.append((entry, known))
            if self.full or _surely_read(entry, known):
                self._work()
                break
        return itertools.chain(seen, entries)

    def _work(self) -> None:
        """Tell the run, once, that a file is to be read."""
        if self.on_work is not None:
            self.on_work()
            self.on_work = None

    def _walk(self, root: Path, found: Iterable[tuple[Entry, Known | None]]) -> None:
        name, plan = str(root), self.plan
        for entry, known in found:
            plan.add_found(name, entry.path)
            live = known is not None and known.status in ("indexed", "failed")
            indexed = known is not None and known.status == "indexed"
            if entry.problem is not None:
                self._refuse(root, entry.path, indexed, *entry.problem)
                continue
            if (
                known is not None
                and live
                and (entry.size, entry.mtime_ns) == (known.size, known.mtime_ns)
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
                retry_failed=self.retry_failed or _newly_readable(known, entry.path),
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
            if kind == "new" or kind in INDEXING:
                self._work()

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


def _surely_read(entry: Entry, known: Known | None) -> bool:
    """Whether a file found will be read whatever the manifest says: one the catalog does not
    know, or whose size changed (a new timestamp alone may be the same bytes)."""
    if entry.problem is not None:
        return False
    return known is None or known.status not in ("indexed", "failed") or known.size != entry.size


def _newly_readable(known: Known | None, path: str) -> bool:
    """Whether a file that failed as of a kind not read then is of a kind read now (a
    spreadsheet, after spreadsheets are read): it is read again without being asked."""
    return (
        known is not None
        and known.reason_code == "unsupported"
        and Path(path).suffix.lower() in SUPPORTED_SUFFIXES
    )
