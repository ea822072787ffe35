"""What hits and listings show of each document, read from the index's ``hit`` column.

Whoosh keeps a document's stored fields as one pickled, compressed record (with every page's
language and where each page starts); unpickling it for each hit on screen and again for each
of its language versions, only to show a title and a language, was a tenth of a search's time.
The same fields are also written as one JSON value per document in a column of their own
(``store/schema.py``), read here one document at a time without decompressing anything. A
record has the stored record's shape (``hits.summary`` reads either).
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterable
from functools import partial
from typing import Any

import numpy as np
from whoosh.searching import Searcher

from ...lru import Lru
from ...text.page_outline import Outline

#: Records read lately kept per index generation (a kilobyte or two each).
KEPT_RECORDS = 4096
#: The columns written by ``schema.index_record``.
COLUMN = "hit"
CHECKPOINTS = "checkpoints"
OUTLINE = "outline"


class Records:
    """The ``hit`` column of every segment of one index generation; shared by threads (the
    column readers read from the shared memory maps at fixed offsets, keeping no position)."""

    def __init__(self, searcher: Searcher) -> None:
        self._kept: Lru[int, dict[str, Any]] = Lru.counted(KEPT_RECORDS)
        self._offsets: list[int] = []
        self._readers: dict[str, list[Any]] = {COLUMN: [], CHECKPOINTS: [], OUTLINE: []}
        for sub, offset in searcher.leaf_searchers():
            self._offsets.append(offset)
            for name, readers in self._readers.items():
                readers.append(sub.reader().column_reader(name, translate=False))

    def _raw(self, column: str, docnum: int) -> bytes:
        segment = bisect_right(self._offsets, docnum) - 1
        return bytes(self._readers[column][segment][docnum - self._offsets[segment]])

    def get(self, docnum: int) -> dict[str, Any]:
        """The shown fields of a document, as its stored record has them. Kept for the next
        requests (the documents many searches find, and their language versions, are read
        again and again); shared, so callers read it and never change it."""
        found: dict[str, Any] = self._kept.get_or_make(docnum, partial(self._read, docnum))
        return found

    def _read(self, docnum: int) -> dict[str, Any]:
        raw = self._raw(COLUMN, docnum)
        found: dict[str, Any] = json.loads(raw) if raw else {}
        return found

    def outline(self, docnum: int) -> Outline:
        """Which pages of a document are contents pages, and their headings
        (``schema.outline_value``)."""
        return Outline(self._raw(OUTLINE, docnum))

    def checkpoints(self, docnum: int) -> list[list[int]]:
        """Where every 16th word of each page of a document ends (``schema.checkpoint_value``),
        page by page."""
        found = self.page_checkpoints(docnum)
        return [found[page] for page in sorted(found)]

    def page_checkpoints(
        self, docnum: int, pages: Iterable[int] | None = None
    ) -> dict[int, list[int]]:
        """``checkpoints`` of the given pages only (numbered from 1; all without ``pages``),
        by page: the hits on screen show three pages of documents that have hundreds."""
        raw = self._raw(CHECKPOINTS, docnum)
        if not raw:
            return {}
        numbers = np.frombuffer(raw, "<u4")
        count = int(numbers[0])
        starts, ends = numbers[1 : count + 2], numbers[count + 2 :]
        wanted = range(1, count + 1) if pages is None else [p for p in pages if 0 < p <= count]
        return {p: ends[starts[p - 1] : starts[p]].tolist() for p in wanted}
