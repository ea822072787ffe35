"""An indexing run: what changed → extraction in workers → metadata → catalog → index.

Order of writes is what keeps a crash harmless: extracted text goes to the catalog's cache as soon
as it exists (a rerun never extracts it again); index changes are committed in batches, and only
after a batch is committed does the catalog mark those files indexed. A run that dies midway
leaves the last committed index intact and the catalog consistent with it; the next run redoes
whatever was not committed.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from whoosh.writing import IndexWriter

from . import store, workers
from .catalog import Catalog, FileRow
from .config import Settings
from .discover import discover
from .errors import DiskFull, KbError, storage_error
from .extract import options_from
from .metadata import Manifest, describe, describe_key, read_manifest
from .models import Analysed, SourceFile
from .schema import index_record
from .taxonomy import Taxonomy, load_taxonomy

Progress = Callable[[int, int, str], None]
_BATCH_DOCS = 200
_BATCH_SECONDS = 20.0


@dataclass
class RunSummary:
    added: int = 0
    updated: int = 0
    renamed: int = 0
    removed: int = 0
    failed: int = 0
    unchanged: int = 0
    pages: int = 0
    seconds: float = 0.0
    full: bool = False
    failures: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Job:
    """One file that needs (re)indexing, and how it is counted in the summary."""

    source: SourceFile
    kind: str  # added | updated | renamed | refreshed
    first_seen: float | None
    manifest_row: dict[str, str] | None
    old_id: str | None = None  # a renamed file's previous id, removed from the index


class _Batch:
    """Index writes committed together, followed by the catalog updates they make true."""

    def __init__(self, ix: Any, catalog: Catalog, full: bool) -> None:
        self.ix = ix
        self.catalog = catalog
        self.full = full
        self.writer: IndexWriter | None = None
        self.after_commit: list[Callable[[], None]] = []
        self.started = time.monotonic()

    def _writer(self) -> IndexWriter:
        if self.writer is None:
            self.writer = self.ix.writer(timeout=30.0, limitmb=256)
            self.started = time.monotonic()
        return self.writer

    def add(self, record: dict[str, Any], then: Callable[[], None]) -> None:
        w = self._writer()
        if self.full:
            w.add_document(**record)
        else:
            w.update_document(**record)
        self.after_commit.append(then)
        self._maybe_commit()

    def delete(self, doc_id: str, then: Callable[[], None]) -> None:
        self._writer().delete_by_term("id", doc_id)
        self.after_commit.append(then)
        self._maybe_commit()

    def record(self, then: Callable[[], None]) -> None:
        """A catalog change with no index change (a failure), kept in order with the others."""
        self.after_commit.append(then)

    def _maybe_commit(self) -> None:
        if (
            len(self.after_commit) >= _BATCH_DOCS
            or time.monotonic() - self.started > _BATCH_SECONDS
        ):
            self.commit()

    def commit(self) -> None:
        if self.writer is not None:
            self.writer.commit()
            self.writer = None
        if self.after_commit:
            with self.catalog.transaction():
                for update in self.after_commit:
                    update()
            self.after_commit = []

    def cancel(self) -> None:
        """Drop what is not committed. Never raises: it runs while another error propagates
        (a full disk can fail the cancel too), and the writing lock must still be released."""
        if self.writer is not None:
            try:
                self.writer.cancel()
            except Exception:
                lock = getattr(self.writer, "writelock", None)
                with contextlib.suppress(Exception):
                    if lock is not None:
                        lock.release()
            self.writer = None
        self.after_commit = []


def _plan(
    root: Path,
    rows: dict[str, FileRow],
    manifest: Manifest,
    taxonomy: Taxonomy,
    full: bool,
    retry_failed: bool,
    summary: RunSummary,
    catalog: Catalog,
) -> tuple[list[_Job], list[FileRow]]:
    """Decide what to do with every file of one root."""
    live = {p: r for p, r in rows.items() if r.status != "removed"}
    found = discover(root, {p: (r.size, r.mtime_ns) for p, r in live.items()})
    vanished = [r for p, r in live.items() if p not in found.seen]
    vanished_by_sha = {r.sha256: r for r in vanished if r.status == "indexed"}
    jobs: list[_Job] = []

    def wants_refresh(row: FileRow) -> bool:
        key = describe_key(manifest.row_for(row.path), taxonomy)
        if row.status == "failed":
            return full or retry_failed
        return full or row.describe_key != key

    for rel in found.unchanged:
        row = live[rel]
        if wants_refresh(row):
            source = SourceFile(root, rel, row.size, row.mtime_ns, row.sha256)
            jobs.append(_Job(source, "refreshed", row.first_seen, manifest.row_for(rel)))
        else:
            summary.unchanged += 1
    for source in found.changed:
        row = live.get(source.path)
        if row is not None and row.sha256 == source.sha256:
            catalog.touch(row.id, source.size, source.mtime_ns)
            if wants_refresh(row):
                jobs.append(
                    _Job(source, "refreshed", row.first_seen, manifest.row_for(source.path))
                )
            else:
                summary.unchanged += 1
            continue
        previous = vanished_by_sha.pop(source.sha256, None) if row is None else None
        if previous is not None:
            vanished.remove(previous)
            job = _Job(source, "renamed", previous.first_seen, manifest.row_for(source.path))
            job.old_id = previous.id
        elif row is None or row.status == "removed":
            job = _Job(source, "added", None, manifest.row_for(source.path))
        else:
            job = _Job(source, "updated", row.first_seen, manifest.row_for(source.path))
        jobs.append(job)
    return jobs, vanished


def run_index(
    settings: Settings,
    roots: list[Path] | None = None,
    full: bool = False,
    workers_count: int | None = None,
    retry_failed: bool = False,
    progress: Progress | None = None,
) -> RunSummary:
    """Bring catalog and index in line with the files under ``roots``."""
    started = time.monotonic()
    roots = [Path(r).expanduser().resolve() for r in (roots or settings.default_roots())]
    for root in roots:
        if not root.is_dir():
            raise KbError(f"documents folder not found: {root}")
    taxonomy = load_taxonomy()
    try:
        return _run_locked(
            settings, roots, taxonomy, full, workers_count, retry_failed, progress, started
        )
    except (OSError, sqlite3.Error) as err:
        problem = storage_error(err, settings.home)
        if problem is None:
            raise
        raise type(problem)(
            f"{problem}: indexing stopped and the previous index is unchanged"
            + ("; free some space and index again" if isinstance(problem, DiskFull) else "")
        ) from err


def _run_locked(
    settings: Settings,
    roots: list[Path],
    taxonomy: Taxonomy,
    full: bool,
    workers_count: int | None,
    retry_failed: bool,
    progress: Progress | None,
    started: float,
) -> RunSummary:
    with store.run_lock(settings), Catalog(settings.catalog_path, readonly=False) as catalog:
        # No index yet, one from an older layout, or a full rebuild that was interrupted (by a
        # crash, a kill or Ctrl+C): build a complete new one (extractions come from the catalog).
        full = full or store.needs_rebuild(settings) or catalog.rebuild_interrupted()
        summary = RunSummary(full=full)
        run_id = catalog.start_run([str(r) for r in roots], full)
        if full:
            new_dir, ix = store.create_index(settings)
        else:
            new_dir, ix = None, store.open_index(settings)
        batch = _Batch(ix, catalog, full)
        try:
            _run(
                settings,
                roots,
                catalog,
                taxonomy,
                batch,
                full,
                retry_failed,
                summary,
                workers_count,
                progress,
            )
            batch.commit()
            if new_dir is not None:
                store.activate(settings, new_dir)
        except BaseException:
            batch.cancel()
            if new_dir is not None and new_dir != store.current_dir(settings):
                shutil.rmtree(new_dir, ignore_errors=True)
            raise
        catalog.prune_extractions()
        summary.seconds = round(time.monotonic() - started, 3)
        catalog.finish_run(run_id, summary.to_dict())
    return summary


def _run(
    settings: Settings,
    roots: list[Path],
    catalog: Catalog,
    taxonomy: Taxonomy,
    batch: _Batch,
    full: bool,
    retry_failed: bool,
    summary: RunSummary,
    workers_count: int | None,
    progress: Progress | None,
) -> None:
    all_rows = catalog.rows_by_location(str(r) for r in roots)
    jobs: list[_Job] = []
    for root in roots:
        rows = {path: row for (r, path), row in all_rows.items() if r == str(root)}
        manifest = read_manifest(root)
        root_jobs, vanished = _plan(
            root, rows, manifest, taxonomy, full, retry_failed, summary, catalog
        )
        jobs += root_jobs
        for row in vanished:
            summary.removed += 1
            if full:
                batch.record(lambda r=row: catalog.mark_removed(r.id))
            else:
                batch.delete(row.id, lambda r=row: catalog.mark_removed(r.id))
    if full:
        # Files outside the given roots stay in the catalog but leave the rebuilt index.
        for row in catalog.files(status="indexed"):
            if row.root not in {str(r) for r in roots}:
                batch.record(lambda r=row: catalog.mark_removed(r.id))

    total = len(jobs)
    done = 0

    def finish(job: _Job, result: Analysed | workers.Failure) -> None:
        nonlocal done
        done += 1
        source = job.source
        if isinstance(result, workers.Failure):
            summary.failed += 1
            summary.failures.append({"path": source.path, "reason": result.reason})
            batch.record(
                lambda: catalog.save_failure(
                    source.id,
                    str(source.root),
                    source.path,
                    source.size,
                    source.mtime_ns,
                    source.sha256,
                    result.code,
                    result.reason,
                )
            )
            if job.kind != "added":
                batch.delete(source.id, lambda: None)
        else:
            doc = describe(source, result, taxonomy, job.manifest_row)
            key = describe_key(job.manifest_row, taxonomy)
            added_at = job.first_seen or time.time()
            if job.old_id:
                old = job.old_id
                batch.delete(old, lambda: catalog.mark_removed(old))
            batch.add(index_record(doc, added_at), lambda: catalog.save_document(doc, key))
            summary.pages += len(doc.pages)
            if job.kind == "added":
                summary.added += 1
            elif job.kind == "updated":
                summary.updated += 1
            elif job.kind == "renamed":
                summary.renamed += 1
            else:
                summary.unchanged += 1
        if progress:
            progress(done, total, source.path)

    # Files with the same content (copies in several folders) are extracted once.
    by_content: dict[str, list[_Job]] = {}
    for job in jobs:
        by_content.setdefault(job.source.sha256, []).append(job)
    to_extract: list[tuple[str, str]] = []
    for sha, same in by_content.items():
        cached = catalog.cached(sha, workers.EXTRACT_VERSION)
        if cached is not None:
            for job in same:
                finish(job, cached)
        else:
            to_extract.append((sha, str(same[0].source.abspath)))
    for sha, result in workers.run(
        to_extract,
        workers=workers_count or settings.workers,
        timeout=settings.file_timeout,
        memory_mb=settings.worker_memory_mb,
        max_pages=settings.max_pages,
        options=options_from(settings),
    ):
        if isinstance(result, Analysed):
            catalog.store_extraction(sha, workers.EXTRACT_VERSION, result)
        for job in by_content[sha]:
            finish(job, result)
