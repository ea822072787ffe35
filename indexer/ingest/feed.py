"""The files of a plan as tasks for the extraction workers, each content extracted once.

An indexing run (`run.IndexRun`) hands the workers a `Feed` rather than a list: the pool asks it
for a task whenever a worker has room, and the run gives every result back to it first
(`Feed.settle`). So the feed knows which contents are being extracted at any moment, and a
collection full of copies still extracts each content once.
"""

from __future__ import annotations

from collections import deque

from ..store.catalog import Catalog
from .planning.plan import INDEXING, Plan, Step
from .preparing.file_access import FILE_FAILURES
from .preparing.prepare import Job, Prepared
from .preparing.workers import EXTRACT_VERSION, Failure


class Feed:
    """The plan's files as tasks for the workers, each content extracted once.

    A file whose text is cached in the catalog is made ready from the cache; a copy of a file
    whose content is being extracted waits for it, then goes from the cache too. The feed may
    be empty for a moment and have tasks again after a result (see `workers.run`).
    """

    def __init__(self, catalog: Catalog, plan: Plan) -> None:
        self.catalog = catalog
        self.plan = plan
        self.steps = plan.steps(*INDEXING)
        self.sent: dict[int, Step] = {}
        self.extracting: dict[str, list[Step]] = {}  # content → copies waiting for it
        self.ready: deque[Step] = deque()  # copies whose content is now cached

    def __iter__(self) -> Feed:
        return self

    def __next__(self) -> tuple[int, Job]:
        while True:
            step = self.ready.popleft() if self.ready else next(self.steps, None)
            if step is None:
                raise StopIteration
            if step.sha256 not in self.extracting:
                break
            self.extracting[step.sha256].append(step)
        cached = self.catalog.has_extraction(step.sha256, EXTRACT_VERSION)
        if not cached:
            self.extracting[step.sha256] = []
        self.sent[step.seq] = step
        job = Job(
            step.source,
            step.first_seen,
            self.plan.manifest_row(step.root, step.path, step.sha256),
            str(self.catalog.path) if cached else None,
        )
        return step.seq, job

    def settle(self, seq: int, result: Prepared | Failure) -> list[tuple[Step, Prepared | Failure]]:
        """The files a result settles: its own, and copies that fail with it.

        The text is cached under the content the worker read. When that is not the content
        planned (the file changed meanwhile), or the failure is the file's own (a link now
        leading outside, a file being written), the copies are read by themselves.
        """
        step = self.sent.pop(seq)
        copies = self.extracting.pop(step.sha256, [])
        if isinstance(result, Failure):
            if result.code in FILE_FAILURES:
                self.ready.extend(copies)
                return [(step, result)]
            return [(settled, result) for settled in (step, *copies)]
        if result.extracted is not None:
            self.catalog.store_extraction(result.sha256, EXTRACT_VERSION, result.extracted)
            result.extracted = None
        self.ready.extend(copies)
        return [(step, result)]
