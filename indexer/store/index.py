"""Where the index lives, and the only ways to open, write and replace it.

``KB_HOME/index/CURRENT`` names the active index folder. Incremental runs write into it; a full
rebuild builds a fresh folder and then replaces ``CURRENT`` atomically, so a reader sees either
the old index or the new one, never a half-built one. The previous folder is kept until the next
swap because open readers may still be using its files.

`BatchWriter` is the one way to write the index. It streams documents into Whoosh's writer,
whose pool of postings spills sorted runs to disk beyond a fixed size, so memory does not grow
with the collection; and it commits by the amount written, never by the clock.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pickle
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.index import EmptyIndexError, FileIndex
from whoosh.writing import MERGE_SMALL, IndexWriter, LockError, PostingPool, SegmentWriter

from ..config import Settings
from ..errors import IndexBusy
from .catalog import Catalog
from .schema import SCHEMA_VERSION, build_schema, postings_of
from .storage import MappedStorage

_CURRENT = "CURRENT"
_SCHEMA_MARK = "kb-schema-version"
_OPEN_RETRIES = 5
#: Whoosh's estimate of the postings it keeps in memory before spilling a sorted run to disk
#: (the Python objects take about twice that).
POOL_MB = 24
#: Postings written between two commits of an incremental run (about 500 documents of
#: 4,000 words): each commit is a new segment that readers see.
COMMIT_POSTINGS = 2_000_000
#: The first commit of a run whose documents readers see as it goes (about one document of
#: 4,000 words, a second or two of work): each commit after it holds four times as many
#: postings as the one before, up to COMMIT_POSTINGS. The first documents are found within
#: seconds, and a long run makes few commits (each one a segment, and merges of small ones).
FIRST_COMMIT_POSTINGS = 5_000
_GROWTH = 4
#: Segments below which Whoosh's policy for small segments merges none.
_MERGE_FROM = 5


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


class _Pool(PostingPool):
    """Whoosh's pool of postings, spilling its sorted runs in chunks.

    Whoosh pickles a spilled run one posting at a time and reads it back the same way; with
    millions of postings that was a fifth of the indexing time. Chunks of postings pickle in C.
    The chunks are small because merging holds one chunk of every run (Whoosh merges up to
    128 runs at once). Its estimate of a posting's memory is also simplified (the same order
    of magnitude).
    """

    CHUNK = 1024

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        self.currentsize += 160 + 2 * len(item[1]) + len(item[4] or b"")
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)

    def _write_run(self, f: Any, items: Iterable[Any]) -> None:
        it = iter(items)
        while chunk := list(islice(it, self.CHUNK)):
            pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
        f.close()

    def _read_run(self, path: str) -> Iterator[Any]:
        f = self._open_run(path)
        try:
            while True:
                try:
                    chunk = pickle.load(f)
                except EOFError:
                    return
                yield from chunk
        finally:
            f.close()
            self._remove_run(path)


class _Lengths:
    """The field lengths of a segment being written, each field's column read once.

    Writing a segment's postings asks for the length of the document's field at every
    posting (for the blocks' length bounds); Whoosh reads it from the lengths column each
    time, which was a fifth of the writing. The lengths of one segment are a few bytes per
    document and field."""

    def __init__(self, reader: Any) -> None:
        self.reader = reader
        self.tables: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        table = self.tables.get(fieldname)
        if table is None:
            count = self.reader.doc_count_all()
            read = self.reader.doc_field_length
            table = self.tables[fieldname] = [read(d, fieldname, default) for d in range(count)]
        return table[docnum]

    def close(self) -> None:
        self.reader.close()


class _SegmentWriter(SegmentWriter):
    """Whoosh's segment writer, its postings written with `_Lengths`."""

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = _Lengths(self.per_document_reader()) if self.codec.length_stats else None
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if lengths is not None:
            lengths.close()


class BatchWriter:
    """Index writes, and the catalog changes each of them makes true, applied in that order.

    Incremental runs write into the active index: the catalog learns of a change only once the
    commit that holds it is done, so a run that dies leaves the catalog describing the last
    committed index, and the next run redoes the rest. A commit follows every
    ``commit_postings`` postings; each is a segment of its own, and once the last one is done
    small segments are merged by Whoosh's policy (large ones stay as they are, so a merge never
    rewrites the whole index).

    Commits come in batches that grow: the first after ``first_commit_postings``, each next
    one four times as large, up to ``commit_postings``, so the first documents of a run are found
    within seconds and a long run still makes few commits. ``committed`` is called after each.
    What is `announce`d is told only once the changes written before it are in the catalog, so
    an outcome a reader sees (a document added, a file that failed) is already true.

    A full rebuild (``fresh``) writes into a new folder no reader sees: it commits once, at the
    end, into a single segment (no merges at all), and catalog changes are written in batches
    of ``catalog_batch`` as they come (an interrupted rebuild is redone by the next run).
    A fresh index that readers may see at once (``visible``: the first index of a data folder,
    or one replacing an index no reader can use) commits in batches like an incremental run.
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
    ) -> None:
        self.ix = ix
        self.catalog = catalog
        self.fresh = fresh
        self.batches = visible or not fresh
        self.catalog_batch = catalog_batch
        self.commit_postings = commit_postings
        self.pool_mb = pool_mb
        self.committed = committed
        self.commits = 0
        self.merges = 0
        self._writer: IndexWriter | None = None
        self._updates: list[CatalogUpdate] = []
        self._announcements: list[Callable[[], None]] = []
        self._postings = 0
        first = FIRST_COMMIT_POSTINGS if first_commit_postings is None else first_commit_postings
        self._batch = min(first, commit_postings)

    def _w(self) -> IndexWriter:
        if self._writer is None:
            try:
                w = _SegmentWriter(self.ix, timeout=30.0, limitmb=self.pool_mb)
            except LockError as err:
                raise IndexBusy(
                    "the index is being written by another process; try again later"
                ) from err
            w.pool = _Pool(w._tempstorage, w.newsegment, limitmb=self.pool_mb)
            self._writer = w
        return self._writer

    def open(self) -> None:
        """Take the index's writing lock and open what writing the first document needs (the
        segments a replacement looks its old version up in), ahead of that document: a run
        does this while its workers start, so the first commit is not held up by it."""
        w = self._w()
        if not self.fresh:
            w.searcher()

    def add(self, record: dict[str, Any], then: CatalogUpdate | None = None) -> None:
        """Add a document, replacing the one with the same id."""
        w = self._w()
        if self.fresh:
            w.add_document(**record)
        else:
            w.update_document(**record)
        self._postings += postings_of(record)
        self._then(then)

    def delete(self, doc_id: str, then: CatalogUpdate | None = None) -> None:
        if not self.fresh:
            self._w().delete_by_term("id", doc_id)
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
            if self._postings >= self._batch:
                self.commit(final=False)
                self._batch = min(_GROWTH * self._batch, self.commit_postings)
        elif len(self._updates) >= self.catalog_batch:
            self._apply()
            self._announce()

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

        A commit only adds its own segment: merging segments rewrites their postings (seconds
        of one core per commit once an index holds a few thousand documents), which would
        hold back every document after it. The ``final`` commit of a run merges small
        segments once its documents are visible and told, in a commit of its own."""
        if self._writer is not None:
            self._writer.commit(merge=False)
            self._writer = None
            self.commits += 1
        self._postings = 0
        self._apply()
        if self.committed is not None:
            self.committed()
        self._announce()
        if final and self.batches and self.commits:
            self._merge_small()

    def _merge_small(self) -> None:
        """Merge small segments by Whoosh's policy (a merge needs five segments at least). A
        writer that committed nothing merges nothing: a run with nothing to do writes nothing."""
        if len(self.ix._segments()) < _MERGE_FROM:
            return
        self._w().commit(mergetype=MERGE_SMALL)
        self._writer = None
        self.merges += 1

    def cancel(self) -> None:
        """Drop what was not committed (Whoosh's temporary files included).

        Never raises: it runs while another error propagates (a full disk can fail the cancel
        too), and the writing lock must still be released.
        """
        if self._writer is not None:
            try:
                self._writer.cancel()
            except Exception:
                lock = getattr(self._writer, "writelock", None)
                with contextlib.suppress(Exception):
                    if lock is not None:
                        lock.release()
            self._writer = None
        self._updates = []
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
