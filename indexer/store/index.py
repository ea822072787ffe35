"""Where the index lives, and the only ways to open, write and replace it.

``KB_HOME/index/CURRENT`` names the active index folder. Incremental runs write into it; a full
rebuild builds a fresh folder and then replaces ``CURRENT`` atomically, so a reader sees either
the old index or the new one, never a half-built one. The previous folder is kept until the next
swap because open readers may still be using its files.

`BatchWriter` is the one way to write the index. It streams documents into a segment of its
own (`segment_build`), whose postings spill to disk beyond a fixed size, so memory does not grow
with the collection; and it commits by the amount written, never by the clock.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..errors import IndexBusy
from ..freed_memory import give_back
from .catalog import Catalog
from .layout import SCHEMA_VERSION

if TYPE_CHECKING:
    from whoosh.index import FileIndex

    from .segment_build import SegmentBuilder

# The writing side (Whoosh, the schema and its analysers, the segment builder and NumPy under
# it) is imported where it is used: finding where the index lives, whether its layout is
# current, and taking the run's lock need none of it, and a run that finds nothing changed
# ends without ever loading it (most of the command's start).

_CURRENT = "CURRENT"
_SCHEMA_MARK = "kb-schema-version"
_OPEN_RETRIES = 5
#: The estimated memory of the postings a writer keeps before spilling them to a run on disk
#: (the estimate is close: 24 held about 25 MB). A run's postings are pickled once whatever
#: their number of runs, but a commit merges every run of its batch term by term, a step in
#: Python per term and run: at 16 MB a first index of 1,000 generated documents spilled 26
#: runs, and its main process spent 2 to 3 s more of its 15 to 18 s of processor time than
#: at 32 (its peak 83 MB against 101 MB resident).
POOL_MB = 32
#: Postings written between two commits of an incremental run (about 500 documents of
#: 4,000 words): each commit is a new segment that readers see.
COMMIT_POSTINGS = 2_000_000
#: The first batch of a run whose documents readers see as it goes (about one document of
#: 4,000 words, a second or two of work), after its first document, which is committed
#: alone: each commit after it holds four times as many postings as the one before, up to
#: COMMIT_POSTINGS. The first documents are found within
#: seconds, and a long run makes few commits (each one a segment, and merges of small ones).
FIRST_COMMIT_POSTINGS = 5_000
_GROWTH = 4
#: Once a run's first documents are committed, the documents it has yet to add are held for
#: its last commit when they come to at most this many postings (about a hundred documents of
#: 4,000 words, seconds of work): each commit in between would copy what the run committed
#: before and have every reader open the index again, for documents that are found moments
#: later anyway.
SHORT_REST_POSTINGS = 500_000
#: ... and to at most this many documents: an estimate from a first batch of a few small
#: documents (scans with little text) never holds back a long run.
SHORT_REST_DOCUMENTS = 250
#: ... and while, at the pace its documents have come so far, the rest comes within this many
#: seconds: scans read by OCR, or a busy machine, make a short rest a long wait, and then its
#: documents are committed in batches as they come (the clock only ever releases a held rest;
#: when to commit is otherwise decided by the amount written).
SHORT_REST_SECONDS = 30.0


def current_dir(settings: Settings) -> Path | None:
    pointer = settings.index_root / _CURRENT
    try:
        name = pointer.read_text("utf-8").strip()
    except FileNotFoundError:
        return None
    path = settings.index_root / name
    return path if path.is_dir() else None


def open_index(settings: Settings) -> FileIndex | None:
    """The active index, or None before the first run.

    A commit in another process can remove a table-of-contents file between listing and opening;
    trying again a moment later always finds the new one.
    """
    from whoosh.index import EmptyIndexError

    from .storage import MappedStorage

    for attempt in range(_OPEN_RETRIES):
        path = current_dir(settings)
        if path is None:
            return None
        try:
            return MappedStorage(str(path), readonly=False).open_index()
        except (FileNotFoundError, EmptyIndexError):
            if attempt == _OPEN_RETRIES - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    return None


def create_index(settings: Settings) -> tuple[Path, FileIndex]:
    """A new, empty index folder (not yet active)."""
    from whoosh import index as whoosh_index

    from .schema import build_schema

    settings.index_root.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    path = settings.index_root / f"ix-{stamp}"
    path.mkdir()
    try:
        ix = whoosh_index.create_in(str(path), build_schema())
        (path / _SCHEMA_MARK).write_text(str(SCHEMA_VERSION), "utf-8")
    except BaseException:  # e.g. a full disk: leave no half-made folder behind
        shutil.rmtree(path, ignore_errors=True)
        raise
    return path, ix


def activate(settings: Settings, path: Path) -> None:
    """Make ``path`` the active index in one atomic step and drop folders older than the last."""
    previous = current_dir(settings)
    tmp = settings.index_root / f".{_CURRENT}.tmp"
    tmp.write_text(path.name, "utf-8")
    os.replace(tmp, settings.index_root / _CURRENT)
    keep = {path.name, previous.name if previous else ""}
    for child in settings.index_root.iterdir():
        if child.is_dir() and child.name.startswith("ix-") and child.name not in keep:
            shutil.rmtree(child, ignore_errors=True)


def needs_rebuild(settings: Settings) -> bool:
    """True before the first run and after an upgrade that changed the index's layout."""
    path = current_dir(settings)
    return path is None or not layout_is_current(path)


def index_outdated(settings: Settings) -> bool:
    """An active index in an earlier version's layout: searches are refused until a run
    rebuilds it (which any run does by itself)."""
    path = current_dir(settings)
    return path is not None and not layout_is_current(path)


def layout_is_current(path: Path) -> bool:
    """Whether the index folder ``path`` was written in this version's layout. Opening one
    written in another can fail deep inside Whoosh (its pickled schema names classes that have
    moved) or, worse, succeed and match wrongly, so readers check this first."""
    try:
        return (path / _SCHEMA_MARK).read_text("utf-8").strip() == str(SCHEMA_VERSION)
    except FileNotFoundError:
        return False


CatalogUpdate = Callable[[], None]


class BatchWriter:
    """Index writes, and the catalog changes each of them makes true, applied in that order.

    The documents of a writer go into one segment of their own (`segment_build`), its postings
    spilled to disk past ``pool_mb`` so memory stays flat however large the collection. A
    commit writes that segment with every document so far (replacing the one of the previous
    commit) and deletes, in the segments committed before, the documents it replaces; the
    catalog learns of a change only once the commit that holds it is done, so a run that dies
    leaves the catalog describing the last committed index, and the next run redoes the rest.

    Commits come in batches that grow: the first after ``first_commit_postings``, each next
    one four times as large, up to ``commit_postings`` or half of what the run committed
    before, whichever is larger, so the first documents of a run are found within seconds, a
    long run still makes few commits, and what commits copy stays a bounded share of the run.
    A writer given no first batch and told that more than one document comes commits its
    first document alone, at once, before the usual first batch.
    ``committed`` is called after each. A writer told how many documents its run adds
    (``expected``) makes no commit between its first and its last when what is left to add
    is short (`SHORT_REST_POSTINGS` estimated from the postings per document so far,
    `SHORT_REST_DOCUMENTS`, and `SHORT_REST_SECONDS` at the pace the documents come, read
    from ``clock``: the real one, or one a caller advances to see a slow machine without
    waiting for it).
    A commit copies the encoded blocks of the writer's
    previous segment a term at a time (never decoding them, never holding more than one term's
    postings), so a run ends with one segment of its own however many commits it made. The
    last commit (``final``) merges into it the segments of the index no larger than it
    (`generations.small_ones`), so an index keeps few segments.
    What is `announce`d is told only once the changes written before it are in the catalog, so
    an outcome a reader sees (a document added, a file that failed) is already true.

    A full rebuild (``fresh``) writes into a new folder no reader sees: it commits once, at the
    end, into a single segment, and catalog changes are written in batches of
    ``catalog_batch`` as they come (an interrupted rebuild is redone by the next run). A fresh
    index that readers may see at once (``visible``: the first index of a data folder, or one
    replacing an index no reader can use) commits in batches like an incremental run.
    """

    def __init__(  # noqa: PLR0913 - each a separate knob of the one writer
        self,
        ix: FileIndex,
        catalog: Catalog,
        *,
        fresh: bool,
        visible: bool = False,
        catalog_batch: int = 500,
        commit_postings: int = COMMIT_POSTINGS,
        first_commit_postings: int | None = None,
        pool_mb: int = POOL_MB,
        committed: Callable[[], None] | None = None,
        expected: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ix = ix
        self.clock = clock
        self.storage = ix.storage
        self.catalog = catalog
        self.fresh = fresh
        self.batches = visible or not fresh
        self.catalog_batch = catalog_batch
        self.commit_postings = commit_postings
        self.pool_mb = pool_mb
        self.committed = committed
        self.commits = 0
        self.builder: SegmentBuilder | None = None
        self._updates: list[CatalogUpdate] = []
        self._deletions: list[str] = []
        self._announcements: list[Callable[[], None]] = []
        self._postings = 0
        self._committed_postings = 0
        self.expected = expected
        self._added = 0  # documents added since the last final commit
        self._first_added_at = 0.0  # when the first and the latest of them came (monotonic)
        self._last_added_at = 0.0
        self._held: int | None = None  # the next batch, while the rest is held for the end
        first = FIRST_COMMIT_POSTINGS if first_commit_postings is None else first_commit_postings
        self._batch = min(first, commit_postings)
        #: Without a first batch of its own, the run's first document is committed alone, as
        #: soon as it is written, when others follow (see `_first_of_several`).
        self._first_alone = first_commit_postings is None

    def _builder(self) -> SegmentBuilder:
        if self.builder is None:
            from .segment_build import SegmentBuilder

            self.builder = SegmentBuilder(
                Path(self.storage.folder), self.ix.schema, self.pool_mb * 1024 * 1024
            )
        return self.builder

    def open(self) -> None:
        """Make ready what writing the first document needs (the builder's folder, with what
        a killed writer left removed), ahead of that document: a run does this while its
        workers start, so the first commit is not held up by it."""
        self._builder()

    def add(self, record: dict[str, Any], then: CatalogUpdate | None = None) -> None:
        """Add a document, replacing the one with the same id."""
        from .schema import postings_of

        if not self.fresh:
            self._deletions.append(record["id"])
        self._builder().add(record)
        self._postings += postings_of(record)
        self._last_added_at = self.clock()
        if not self._added:
            self._first_added_at = self._last_added_at
        self._added += 1
        self._then(then)

    def delete(self, doc_id: str, then: CatalogUpdate | None = None) -> None:
        if not self.fresh:
            self._deletions.append(doc_id)
        if self.builder is not None:
            self.builder.delete(doc_id)
        self._then(then)

    def announce(self, tell: Callable[[], None]) -> None:
        """Call ``tell`` once what was written so far, and by the next call, is applied."""
        self._announcements.append(tell)

    def note(self, then: CatalogUpdate) -> None:
        """A catalog change with no index change (a failure), kept in order with the others."""
        self._then(then)

    def _then(self, then: CatalogUpdate | None) -> None:
        if then is not None:
            self._updates.append(then)
        if self.batches:
            if self._held is not None and self._rest_is_slow():
                self._batch, self._held = self._held, None
            alone = self._first_of_several()
            if alone or self._postings >= self._batch:
                self.commit(final=False)
                # Each commit copies what the run committed before: batches never smaller than
                # half of it keep that copying a bounded share of the run's work however long
                # the run (equal batches would copy it again at every commit).
                cap = max(self.commit_postings, self._committed_postings // 2)
                if not alone:  # the first batch is still to come
                    self._batch = min(_GROWTH * self._batch, cap)
                if self._rest_is_short() and not self._rest_is_slow():
                    self._batch, self._held = sys.maxsize, self._batch
        elif len(self._updates) >= self.catalog_batch:
            self._apply()
            self._announce()

    def _first_of_several(self) -> bool:
        """Whether the document just written is the run's first, with more to come: it is
        committed at once, whatever its size, so it is found while the workers prepare the
        next ones (waiting for a first batch of postings waited for the second or third
        document of a run of short ones). A run of one document commits once, at its end."""
        return (
            self._first_alone
            and not self.commits
            and self._added == 1
            and self._postings > 0
            and (self.expected or 0) > 1
        )

    def _rest_is_short(self) -> bool:
        """Whether the documents the run has yet to add (``expected``, less those added) are
        few enough to wait for its last commit, judged by the postings of those added."""
        if self.expected is None or not self._added:
            return False
        left = self.expected - self._added
        return (
            left <= SHORT_REST_DOCUMENTS
            and left * self._committed_postings <= SHORT_REST_POSTINGS * self._added
        )

    def _rest_is_slow(self) -> bool:
        """Whether the rest, at the pace of the documents added since the first (the workers'
        start is not counted), would take longer than `SHORT_REST_SECONDS` to come."""
        if self.expected is None or self._added < 2:
            return False
        pace = (self._last_added_at - self._first_added_at) / (self._added - 1)
        return (self.expected - self._added) * pace > SHORT_REST_SECONDS

    def _apply(self) -> None:
        if self._updates:
            with self.catalog.transaction():
                for update in self._updates:
                    update()
            self._updates = []

    def _announce(self) -> None:
        announcements, self._announcements = self._announcements, []
        for tell in announcements:
            tell()

    def commit(self, final: bool = True) -> None:
        """Commit what was written (if anything), then apply the catalog changes it holds.

        ``final``: the writer's last commit (the next document starts a new segment)."""
        builder = self.builder
        if self._deletions or (builder is not None and (builder.pending or final)):
            from . import generations

            with generations.write_lock(self.storage):
                toc = generations.read(self.storage)
                ours = builder.segment if builder is not None else None
                if builder is not None and ours is not None:
                    self._keep_deletions(toc.segments, builder)
                others = [s for s in toc.segments if s != ours]
                if self._deletions:
                    generations.delete_ids(self.storage, toc, others, self._deletions)
                    self._deletions = []
                if builder is not None and final and not self.fresh:
                    merged = generations.small_ones(others, builder.docs - len(builder.deleted))
                    for segment in merged:
                        builder.add_segment(self.storage, segment)
                    others = [s for s in others if s not in merged]
                if builder is not None and builder.pending:
                    ours = builder.assemble()
                segments = others + ([ours] if ours is not None else [])
                generations.write(self.storage, toc, segments)
            self.commits += 1
        if final and builder is not None:
            builder.close()
            self.builder = None
        self._committed_postings = 0 if final else self._committed_postings + self._postings
        self._postings = 0
        if final:
            self._added = 0
            self._held = None
        self._apply()
        # A commit's postings, its copy of the previous segment and the catalog rows it
        # applied are free now: their pages go back to the system before the next batch.
        give_back()
        if self.committed is not None:
            self.committed()
        self._announce()

    def _keep_deletions(self, segments: list[Any], builder: SegmentBuilder) -> None:
        """What other writers did to this writer's last segment since it was committed: the
        documents they deleted there stay deleted in the next one. A segment no longer in the
        index had all its documents deleted, or merged into another writer's segment, which
        holds them now: none of them is live in the next one."""
        committed = next((s for s in segments if s == builder.segment), None)
        if committed is None:
            builder.deleted.update(range(builder.assembled))
        else:
            builder.deleted.update(committed.deleted_docs())

    def cancel(self) -> None:
        """Drop what was not committed (the temporary files included).

        Never raises: it runs while another error propagates (a full disk can fail the cancel
        too).
        """
        if self.builder is not None:
            with contextlib.suppress(Exception):
                self.builder.close()
            self.builder = None
        self._updates = []
        self._deletions = []
        self._announcements = []  # none of it came true


@contextlib.contextmanager
def run_lock(settings: Settings) -> Iterator[None]:
    """One indexing run per data folder at a time (released by the OS if the process dies)."""
    settings.home.mkdir(parents=True, exist_ok=True)
    fh = settings.lock_path.open("a+")
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as err:
            raise IndexBusy(
                f"another indexing run is using {settings.home}; wait for it to finish"
            ) from err
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        yield
    finally:
        fh.close()


def run_going(settings: Settings) -> bool:
    """Whether another process holds the data folder's run lock (an indexing run is going)."""
    if not settings.lock_path.exists():
        return False
    with settings.lock_path.open("a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fh, fcntl.LOCK_UN)
    return False


def index_size(settings: Settings) -> int:
    path = current_dir(settings)
    if path is None:
        return 0
    return sum(f.stat().st_size for f in path.iterdir() if f.is_file())
