"""What each step of a plan does to the index and the catalog, and the outcome it reports.

An indexing run (`run.IndexRun`) decides the order of the steps; a `StepWriter` carries them out
one at a time through the run's batch writer: the index change first, and the catalog change
that makes it true as the writer's ``then`` (applied once the change is committed, which is
what keeps a crash harmless). Each file's fate is told to the run's observers as an
`outcomes.Outcome` once that change is applied: a run's page never shows a document that
search cannot find yet, or a failure the tasks page does not list.
"""

from __future__ import annotations

from functools import partial

from ..outcomes import FileOutcome, Observer, Outcome
from ..store.index import BatchWriter
from .planning.plan import Plan, Step
from .preparing.prepare import Prepared
from .preparing.workers import Failure

#: The outcome of a file made ready and written, by the kind of its step.
_OUTCOME: dict[str, FileOutcome] = {
    "add": "added",
    "retry": "added",
    "update": "updated",
    "rename": "renamed",
    "move": "moved",
    "refresh": "unchanged",
}


class StepWriter:
    """Writes steps of ``plan`` through ``writer``; ``emit`` receives every outcome.

    ``full``: the run rebuilds the index, so a file described again is not news.
    """

    def __init__(self, writer: BatchWriter, plan: Plan, emit: Observer, *, full: bool) -> None:
        self.writer = writer
        self.catalog = writer.catalog
        self.plan = plan
        self.emit = emit
        self.full = full

    def remove(self, step: Step) -> None:
        """A file that vanished, or whose folder left the run: its row leaves the index."""
        row_id = step.id or ""  # a removal is always of a catalog row
        mark = partial(self.catalog.mark_removed, row_id)
        self._tell(Outcome("removed", step.path, step.root, reason=step.reason or ""))
        if step.indexed:
            self.writer.delete(row_id, then=mark)
        else:
            self.writer.note(mark)

    def fail(self, step: Step, code: str, reason: str) -> None:
        """A file that may not or could not be indexed: recorded with the reason."""
        source = step.source
        self._tell(Outcome("failed", step.path, step.root, code, reason))
        self.writer.note(partial(self.catalog.save_failure, source, code, reason))
        if step.indexed:  # its previous version leaves the index
            self.writer.delete(source.id)

    def index(self, step: Step, result: Prepared | Failure) -> None:
        """A file to (re)index, with what the workers made of it."""
        catalog, source = self.catalog, step.source
        if step.old_id and step.old_id != source.id:
            # The row this file takes over (renamed, or its folder moved) leaves the index.
            self.writer.delete(step.old_id, then=partial(catalog.mark_removed, step.old_id))
        if isinstance(result, Failure):
            self.fail(step, result.code, result.reason)
            return
        self._tell(
            Outcome(
                _OUTCOME[step.kind],
                step.path,
                step.root,
                detail=step.old_path or "",
                pages=result.pages,
                redescribed=step.kind == "refresh" and not self.full,
            )
        )
        copy = self.plan.copy_of(step.sha256, step.seq) or catalog.copy_of(
            step.sha256, source.id, step.root, step.path
        )
        if copy:
            self._tell(Outcome("duplicate", step.path, step.root, detail=copy))
        self.writer.add(result.record, then=partial(catalog.save_document_row, result.row))

    def _tell(self, outcome: Outcome) -> None:
        """Tell ``outcome`` once the step that follows is applied (see `BatchWriter.announce`)."""
        self.writer.announce(partial(self.emit, outcome))
