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
from typing import Any

from whoosh.searching import Searcher

#: The column written by ``schema.index_record``.
COLUMN = "hit"


class Records:
    """The ``hit`` column of every segment of one index generation; shared by threads (the
    column readers read from the shared memory maps at fixed offsets, keeping no position)."""

    def __init__(self, searcher: Searcher) -> None:
        self._offsets: list[int] = []
        self._readers: list[Any] = []
        for sub, offset in searcher.leaf_searchers():
            self._offsets.append(offset)
            self._readers.append(sub.reader().column_reader(COLUMN, translate=False))

    def get(self, docnum: int) -> dict[str, Any]:
        """The shown fields of a document, as its stored record has them."""
        segment = bisect_right(self._offsets, docnum) - 1
        raw = self._readers[segment][docnum - self._offsets[segment]]
        found: dict[str, Any] = json.loads(bytes(raw)) if raw else {}
        return found
