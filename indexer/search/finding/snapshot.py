"""One immutable view of the index per request, shared by all threads of a process.

A request takes the snapshot of the current index generation once and uses only it: searcher,
facet values, term sets and its recent queries all belong to that generation, so one answer
never mixes two versions of the index. When an indexing run commits, the next request opens a
new searcher — never ``refresh()``, which can bring back segments a merge has replaced — and
the old one is closed when the last request using it ends.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import scoring
from whoosh.index import EmptyIndexError
from whoosh.searching import Searcher

from ...config import Settings
from ...errors import IndexOutdated
from ...lru import Lru
from ...store import index as store
from ...store.shared_memory import SharedMemory
from ...store.storage import open_shared
from ..suggesting.prefixes import Prefixes
from .facets import SORT_KEYS, FacetTable
from .matching import TermSets
from .records import Records
from .scoring import Postings

#: BM25 parameters. Records are whole documents, from a one-page news item to a forty-page
#: report; the default length normalisation (b = 0.75) lets short notes that mention a term
#: twice outrank the report that is about it, and a higher k1 lets repeated use of a term
#: (a report about it) count for more. Chosen on corpus/queries.csv; see docs/benchmarks.md.
RANK_B = 0.5
RANK_K1 = 2.0
RECENT_QUERIES = 256
_TOC = re.compile(r"_MAIN_(\d+)\.toc$")
_OPEN_RETRIES = 5

Key = tuple[str, int]


def latest_key(settings: Settings) -> Key | None:
    """The active index folder and its newest generation, read from the file system."""
    path = store.current_dir(settings)
    if path is None:
        return None
    generations = [int(m.group(1)) for e in os.scandir(path) if (m := _TOC.match(e.name))]
    return (path.name, max(generations)) if generations else None


@dataclass
class Snapshot:
    """Everything a request reads, for one generation of the index."""

    key: Key
    searcher: Searcher
    table: FacetTable
    postings: Postings
    terms: TermSets
    records: Records
    recent: Lru[Any, Any] = field(default_factory=lambda: Lru.counted(RECENT_QUERIES))
    #: What the server's other processes found (``shared_memory``); None outside a server.
    shared: SharedMemory | None = None
    listing: list[int] | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    users: int = 0
    retired: bool = False
    #: When this process opened the generation (``time.monotonic``): how long it has stood.
    opened: float = field(default_factory=time.monotonic)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def version(self) -> str:
        return f"{self.key[0]}/{self.key[1]}"

    @classmethod
    def open(cls, path: Path, shared: SharedMemory | None = None) -> Snapshot:
        searcher = open_shared(str(path)).searcher(weighting=scoring.BM25F(B=RANK_B, K1=RANK_K1))
        table = FacetTable.build(searcher)
        postings = Postings(searcher, table.size, k1=RANK_K1, b=RANK_B)
        terms = TermSets(postings, table.live, table.size)
        key = (path.name, searcher.reader().generation())
        snapshot = cls(key, searcher, table, postings, terms, Records(searcher), shared=shared)
        snapshot.warm()
        return snapshot

    def warm(self) -> None:
        """Make now what nearly every request of the generation needs and would otherwise make
        on its first use, inside someone's request: every field's lengths for scoring, the
        order of each sort, the pairs of language versions, the words for autocomplete."""
        for name, kind in self.searcher.schema.items():
            if kind.scorable:
                self.postings.lengths(name)
        for sort in SORT_KEYS:
            self.table.rank(sort)
        self.table.translation_pairs()
        self.prefixes()

    def prefixes(self) -> Prefixes:
        """The words and title words in order, for autocomplete (made once per generation)."""
        made: Prefixes = self.cached("prefixes", lambda: Prefixes(self.searcher))
        return made

    def cached(self, name: str, make: Callable[[], Any]) -> Any:
        """Something made once for this generation (the first request makes it)."""
        with self.lock:
            found = self.extras.get(name)
            if found is None:
                found = self.extras[name] = make()
            return found

    def remembered(self, key: Any, shared: bool = False) -> Any:
        """A recent query's parsed and matched form (a facet click or another page reuses it);
        with ``shared``, also one that another process of the server kept (``remember``)."""
        found = self.recent.get(key)
        if found is None and shared:
            found = self.from_other_processes("recent", key)
            if found is not None:
                self.recent.put(key, found)
        return found

    def from_other_processes(self, kind: str, key: Any) -> Any:
        """A value of ``kind`` another process of the server kept for this generation, or
        None (also outside a server)."""
        return self.shared.get(self.version, kind, key) if self.shared is not None else None

    def for_other_processes(self, kind: str, key: Any, value: Any) -> None:
        """Keep ``value`` for the server's other processes (nothing outside a server)."""
        if self.shared is not None:
            self.shared.put(self.version, kind, key, value)

    def remember(self, key: Any, value: Any, shared: bool = False) -> None:
        """Keep ``value`` for this process's next requests; with ``shared``, for the other
        processes of the server too (values worth more than a pickle and a write: matches
        and rankings, not whole answers, which are asked for again far more rarely)."""
        self.recent.put(key, value)
        if shared:
            self.for_other_processes("recent", key, value)

    def documents_by_path(self) -> list[int]:
        """Every live document ordered by path: a stable order for listings and paging."""
        with self.lock:
            if self.listing is None:
                reader, records = self.searcher.reader(), self.records
                paths = [(records.get(d)["path"], d) for d in reader.all_doc_ids()]
                self.listing = [d for _, d in sorted(paths)]
            return self.listing

    def close(self) -> None:
        self.searcher.close()


class Snapshots:
    """The current snapshot of a process, opened once per generation and shared by threads."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        path = settings.shared_memory
        self.shared = SharedMemory(path) if path is not None else None
        self._current: Snapshot | None = None
        self._lock = threading.Lock()
        self._opening = threading.Lock()

    @contextmanager
    def use(self) -> Iterator[Snapshot | None]:
        """The snapshot of the newest generation, held for the length of the block."""
        snapshot = self._acquire()
        try:
            yield snapshot
        finally:
            if snapshot is not None:
                self._release(snapshot)

    def _take(self, key: Key | None) -> tuple[bool, Snapshot | None]:
        """(True, the current snapshot, counted as used) if it is of ``key``; else (False, …)."""
        with self._lock:
            current = self._current
            if current is None:
                return key is None, None
            if current.key == key:
                current.users += 1
                return True, current
            return False, None

    def _acquire(self) -> Snapshot | None:
        key = latest_key(self.settings)
        fits, found = self._take(key)
        if fits:
            return found
        with self._opening:  # one thread opens a generation; the others wait and share it
            fits, found = self._take(key)
            if fits:
                return found
            fresh = self._open()
            with self._lock:
                old, self._current = self._current, fresh
                if fresh is not None:
                    fresh.users += 1
                if old is not None:
                    old.retired = True
                    if old.users == 0:
                        old.close()
            return fresh

    def _open(self) -> Snapshot | None:
        """A snapshot of the active index; a commit or a swap racing the opening is retried."""
        for attempt in range(_OPEN_RETRIES):
            path = store.current_dir(self.settings)
            if path is None:
                return None
            if not store.layout_is_current(path):
                raise IndexOutdated()
            try:
                return Snapshot.open(path, self.shared)
            except (FileNotFoundError, EmptyIndexError):
                if attempt == _OPEN_RETRIES - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        return None

    def _release(self, snapshot: Snapshot) -> None:
        with self._lock:
            snapshot.users -= 1
            if snapshot.retired and snapshot.users == 0:
                snapshot.close()

    def close(self) -> None:
        if self.shared is not None:
            self.shared.close()
        with self._lock:
            current, self._current = self._current, None
            if current is not None:
                current.retired = True
                if current.users == 0:
                    current.close()
