"""An indexing run as one object: plan → apply → extract → finish.

``plan``    walk the folders and decide what happens to every file (`planner.Planner`); nothing is
            written yet
``apply``   carry out what needs no extraction: files that left or may not be indexed, new
            timestamps, the manifest's problems
``extract`` files to (re)index, in plan order: their text from the catalog's cache or from
            worker processes, then metadata, analysis, and the index through one batch writer
``finish``  the last commit, the new index swapped in after a full rebuild, the run recorded

Order of writes is what keeps a crash harmless: extracted text goes to the catalog's cache as
soon as it exists (a rerun never extracts it again); index changes are committed in batches, and
only after a batch is committed does the catalog mark its files indexed. A run that dies midway
leaves the last committed index intact and the catalog consistent with it; the next run redoes
whatever was not committed.

Everything that happens to a file is an `outcomes.Outcome` event, and the run's progress a
`outcomes.Progress` event, given to every observer as it happens; the summary is their count.
Memory does not grow with the collection: the plan lives in SQLite, documents stream through
the writer one at a time, and only files whose extraction is under way are held.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..errors import DiskFull, KbError, storage_error
from ..outcomes import Event, Observer, Outcome, Progress, RunSummary, log_event
from ..store import folder_inputs
from ..store import index as store
from ..store.catalog import Catalog
from ..store.runlog import RunRecorder, finish_run, rebuild_interrupted, start_run
from ..text.taxonomy_file import taxonomy_digest
from .planning.unchanged import UnchangedFolder, fingerprint, nothing_to_do

if TYPE_CHECKING:
    from ..text.taxonomy import Taxonomy
    from .planning.planner import Planner
    from .step_writer import StepWriter

# The writing side (the workers' pool, what they prepare, the index writer and the schema
# under it) is imported once the plan has something to write: a run that finds nothing
# changed ends without loading it, in a fraction of the time its import takes.

__all__ = ["IndexRun", "RunSummary", "run_index"]

#: Catalog rows written per transaction while a full rebuild fills its new index.
_BATCH_DOCS = 500
#: Steps that change the index besides the files read and written (`plan.INDEXING`): one that
#: may no longer be indexed, one that left. A plan with none of them writes the catalog only.
_CHANGING_THE_INDEX = ("refuse", "remove")


class IndexRun:
    """One run over some documents folders; `run()` does it all, under the data folder's lock.

    ``observers`` receive every `Outcome` and `Progress` as it happens (besides Python logging
    and the summary); `progress` is the latest one. ``clock`` is where the run and its writer
    read the time (seconds, monotonic): the real clock, unless a caller wants to show them a
    slow machine without waiting for one.
    """

    def __init__(  # noqa: PLR0913 - each a separate choice of the one run
        self,
        settings: Settings,
        roots: Iterable[Path] | None = None,
        *,
        full: bool = False,
        workers: int | None = None,
        retry_failed: bool = False,
        observers: Iterable[Observer] = (),
        source: str = "cli",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.source = source
        self.clock = clock
        self.settings = settings
        self.roots = [Path(r).expanduser().resolve() for r in (roots or settings.default_roots())]
        for root in self.roots:
            if not root.is_dir():
                raise KbError(f"documents folder not found: {root}")
        self.full = full
        self.workers = workers or settings.workers
        self.retry_failed = retry_failed
        self.summary = RunSummary(full=full)
        self.observers: list[Observer] = [self.summary, log_event, *observers]
        self.progress = Progress("planning", 0, 0)
        #: Workers started while planning, as the first file to read was found.
        self.early: list[Any] = []

    @cached_property
    def taxonomy(self) -> Taxonomy:
        """Loaded once a plan is built: the check that nothing changed needs only a digest of
        its file."""
        from ..text.taxonomy import load_taxonomy

        return load_taxonomy()

    # Events -----------------------------------------------------------------------------------
    def emit(self, event: Event) -> None:
        if isinstance(event, Progress):
            self.progress = event
        for observer in self.observers:
            observer(event)

    def _step_done(self, path: str) -> None:
        p = self.progress
        self.emit(Progress("indexing", p.done + 1, p.total, path))

    # The run ----------------------------------------------------------------------------------
    def run(self) -> RunSummary:
        """Do the run; a storage failure (full disk, read-only folder) ends it in one line."""
        try:
            return self._run_locked()
        except (OSError, sqlite3.Error) as err:
            problem = storage_error(err, self.settings.home)
            if problem is None:
                raise
            raise type(problem)(
                f"{problem}: indexing stopped and the previous index is unchanged"
                + ("; free some space and index again" if isinstance(problem, DiskFull) else "")
            ) from err

    def _run_locked(self) -> RunSummary:
        started = self.clock()
        settings = self.settings
        with store.run_lock(settings), Catalog(settings.catalog_path, readonly=False) as catalog:
            # No index yet, one from an older layout, or a full rebuild that was interrupted
            # (by a crash, a kill or Ctrl+C): build a complete new one (extractions come from
            # the catalog).
            if not self.full and (store.needs_rebuild(settings) or rebuild_interrupted(catalog)):
                self.full = True
                # A rebuild nobody asked for keeps every folder the index held, not only the
                # ones this run names.
                self.roots += [
                    p for r in catalog.roots() if (p := Path(r)).is_dir() and p not in self.roots
                ]
            self.summary.full = self.full
            run_id = start_run(catalog, [str(r) for r in self.roots], self.full)
            recorder = RunRecorder(catalog, run_id, self.source)
            # The run log hears of an event before the caller's observers do: one of them that
            # reads the log (a page of the web app, the terminal's progress) finds it saying
            # what the observer is being told.
            self.observers.insert(self.observers.index(log_event) + 1, recorder)
            try:
                self._run_recorded(catalog, run_id, started)
            except BaseException:
                with contextlib.suppress(Exception):  # the run's own error is what matters
                    recorder.flush("stopped")
                raise
        return self.summary

    def _run_recorded(self, catalog: Catalog, run_id: int, started: float) -> None:
        try:
            self._run_planned(catalog, run_id, started)
        finally:
            for worker in self.early:  # stopped by the pool once it took them; never left
                worker.stop()
            self.early = []

    def _start_early(self) -> None:
        """Start the workers now: a file will be read, and the workers' start (a new
        interpreter, its tables, the others forked from it) overlaps with the rest of the
        planning instead of following it."""
        from .preparing.workers import Limits, Named
        from .preparing.workers import start as start_worker

        # Named, not imported: the worker imports it while this process goes on (`Named`).
        prepare = Named("indexer.ingest.preparing.prepare", "prepare")
        self.early.extend(start_worker(Limits.from_settings(self.settings), prepare, self.workers))

    def _run_planned(self, catalog: Catalog, run_id: int, started: float) -> None:
        self.emit(Progress("planning", 0, 0))
        fingerprints = self._fingerprints(catalog)
        if not self.full and not self.retry_failed:
            folders = nothing_to_do(catalog, self.roots, fingerprints)
            if folders is not None:
                self._tell_unchanged(folders)
                self.finish(catalog, run_id, started)
                return
        # From here on the folders' rows may change: a run that stops before its end leaves
        # no fingerprint behind, and the next one plans in full.
        folder_inputs.forget(catalog, fingerprints)
        self._plan_and_write(catalog)
        folder_inputs.record(catalog, fingerprints)
        self.finish(catalog, run_id, started)

    def _fingerprints(self, catalog: Catalog) -> dict[str, str]:
        """Each folder's fingerprint of what the run reads besides its files (see
        `planning.unchanged`), taken before anything is read."""
        uploads = self.settings.uploads_dir.resolve()
        shared = folder_inputs.outside_runs(catalog)
        taxonomy = taxonomy_digest()
        return {
            str(root): fingerprint(
                root, uploads=root == uploads, taxonomy=taxonomy, outside_runs=shared
            )
            for root in self.roots
        }

    def _tell_unchanged(self, folders: list[UnchangedFolder]) -> None:
        """What a plan with nothing to do tells, without building the plan: the manifests'
        problems (all of them found by the run before, so repeated) and each file unchanged."""
        self.emit(Progress("indexing", 0, 0))
        for folder in folders:
            for path, line, code, message in folder.problems:
                self.emit(
                    Outcome("manifest", path, folder.root, code, message, line=line, repeated=True)
                )
        for folder in folders:
            for path in folder.paths:
                self.emit(Outcome("unchanged", path, folder.root))

    def _plan_and_write(self, catalog: Catalog) -> None:
        """Build the plan and carry it out."""
        from .planning.plan import INDEXING

        planner = self.plan(catalog)
        folder_inputs.forget(catalog, planner.dropped_roots)
        if not self.full and not planner.plan.count(*INDEXING, *_CHANGING_THE_INDEX):
            # Nothing for the index: no index opened, no writer, no worker (and none of their
            # code loaded); the catalog learns of new timestamps and manifest notes.
            try:
                self.apply(planner, None)
            finally:
                planner.plan.close()
            return
        self._write_planned(planner, catalog)

    def _write_planned(self, planner: Planner, catalog: Catalog) -> None:
        """Carry out a plan that changes the index: through one batch writer, whose commits
        make the catalog's changes true."""
        from .planning.plan import INDEXING
        from .step_writer import StepWriter

        # With no index readers can use (none yet, or one in an earlier layout), a rebuild is
        # made active at its first commit, so the first documents are found within seconds;
        # otherwise readers keep the complete old index until the new one is done.
        visible = self.full and store.needs_rebuild(self.settings)
        if self.full:
            new_dir, ix = store.create_index(self.settings)
        else:
            new_dir, ix = None, store.open_index(self.settings)

        def committed() -> None:
            if visible and new_dir is not None and new_dir != store.current_dir(self.settings):
                store.activate(self.settings, new_dir)

        writer = store.BatchWriter(
            ix,
            catalog,
            fresh=self.full,
            visible=visible,
            catalog_batch=_BATCH_DOCS,
            committed=committed,
            expected=planner.plan.count(*INDEXING),
            clock=self.clock,
        )
        steps = StepWriter(writer, planner.plan, self.emit, full=self.full)
        try:
            self.apply(planner, steps)
            self.extract(steps)
            self.emit(Progress("committing", self.progress.done, self.progress.total))
            writer.commit()
            if new_dir is not None and new_dir != store.current_dir(self.settings):
                store.activate(self.settings, new_dir)
        except BaseException:
            writer.cancel()
            if new_dir is not None and new_dir != store.current_dir(self.settings):
                shutil.rmtree(new_dir, ignore_errors=True)
            raise
        finally:
            planner.plan.close()

    def plan(self, catalog: Catalog) -> Planner:
        """Decide what happens to every file; write nothing but the plan."""
        from .describe.manifest_file import UploadsDialect
        from .planning.plan import INDEXING
        from .planning.planner import Planner

        dialects = {self.settings.uploads_dir.resolve(): UploadsDialect}
        planner = Planner(
            catalog,
            self.taxonomy,
            self.roots,
            full=self.full,
            retry_failed=self.retry_failed,
            dialects={r: d for r, d in dialects.items() if r in self.roots},
            on_work=self._start_early,
        )
        planner.build()
        self.emit(Progress("indexing", 0, planner.plan.count(*INDEXING)))
        return planner

    def apply(self, planner: Planner, steps: StepWriter | None) -> None:
        """Everything the plan decided that needs no extraction. ``steps`` is None only for a
        plan without files to refuse or remove (nothing to write to the index)."""
        plan, catalog = planner.plan, planner.catalog
        for root in self.roots:
            # Each run tells the problems it finds; those the run before found too are marked
            # as repeated, so a run's own account lists what is new.
            known = catalog.known_problems(str(root))
            catalog.replace_problems(str(root), plan.manifest_problems(str(root)))
            for path, line, code, message in plan.manifest_problems(str(root)):
                again = (path, code, message) in known
                self.emit(
                    Outcome("manifest", path, str(root), code, message, line=line, repeated=again)
                )
        for dropped in planner.dropped_roots:
            catalog.drop_problems(dropped)
        plan.apply_touches()
        for step in plan.steps("unchanged", "touch", "refuse", "remove"):
            if step.kind in ("unchanged", "touch"):
                self.emit(Outcome("unchanged", step.path, step.root))
                continue
            assert steps is not None, "a plan that refuses or removes a file has a writer"
            if step.kind == "refuse":
                steps.fail(step, step.code or "refused", step.reason or "not indexed")
            else:
                steps.remove(step)

    def extract(self, steps: StepWriter) -> None:
        """Files to (re)index, in plan order, made ready by the workers and written here."""
        from .feed import Feed
        from .preparing.prepare import prepare
        from .preparing.workers import Limits
        from .preparing.workers import run as run_workers

        feed = Feed(steps.catalog, steps.plan)
        limits = Limits.from_settings(self.settings)
        # The index writer is opened while the workers start, not after the first result.
        results = run_workers(
            feed,
            limits,
            workers=self.workers,
            handler=prepare,
            started=steps.writer.open,
            early=self.early,
        )
        for seq, result in results:
            for step, outcome in feed.settle(seq, result):
                steps.index(step, outcome)
                self._step_done(step.path)

    def finish(self, catalog: Catalog, run_id: int, started: float) -> None:
        catalog.prune_extractions()
        self.summary.seconds = round(self.clock() - started, 3)
        finish_run(catalog, run_id, self.summary.to_dict())
        self.emit(Progress("finished", self.progress.done, self.progress.total))


def run_index(  # noqa: PLR0913 - the public signature the web app and outside tools call
    settings: Settings,
    roots: list[Path] | None = None,
    full: bool = False,
    workers_count: int | None = None,
    retry_failed: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
    observers: Iterable[Observer] = (),
    source: str = "cli",
) -> RunSummary:
    """Bring catalog and index in line with the files under ``roots`` (see `IndexRun`).

    ``progress(done, total, path)`` is called as each file to index is settled.
    """
    watchers = list(observers)
    if progress is not None:

        def on_progress(event: Event) -> None:
            if isinstance(event, Progress) and event.phase == "indexing" and event.current:
                progress(event.done, event.total, event.current)

        watchers.append(on_progress)
    run = IndexRun(
        settings,
        roots,
        full=full,
        workers=workers_count,
        retry_failed=retry_failed,
        observers=watchers,
        source=source,
    )
    return run.run()
