"""Postings of documents being written, kept by field in columns as they arrive.

Whoosh's writer pools every posting as a tuple, sorts them all, spills sorted runs to disk and
merges them back one posting at a time. Here a document's postings of a field are appended to
that field's columns (terms as numbers, documents, weights, values) in a few calls, whatever
their number; past a memory budget each field's columns are ordered by term at once (the
distinct terms ranked, each posting given its term's rank, then one stable sort of the ranks,
so each term's documents stay in the order they came, which is ascending) and go to a *run* on
disk, in term order, pickled a few thousand postings at a time.
The runs and what is in memory are read back together, term by term, when the segment is
written, and each term's postings are then encoded once (`blocks.encode`).
"""

from __future__ import annotations

import pickle
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from itertools import count
from pathlib import Path
from typing import Any

import numpy as np

#: Estimated bytes of one posting held here (its slots in the columns, its value's bytes
#: object), and of one distinct term (its bytes, its slot in the table that shares them):
#: measured, 113 bytes a posting with the terms of 60 generated documents.
POSTING_BYTES = 96
TERM_BYTES = 200
#: Terms, and postings, pickled together in a run at most: a commit holds one such chunk of
#: every run at once, and a long run's last commit may merge dozens of runs (a chunk of 512
#: terms held a few thousand postings, a quarter to half a megabyte).
_CHUNK = 512
_CHUNK_POSTINGS = 1_024
Key = tuple[str, bytes]
#: A term's postings: its documents (ascending), their weights and their encoded values.
Columns = tuple[list[int], list[float], list[bytes]]


class _Field:
    """One field's postings in the order they came: four columns of equal length, the terms
    as numbers (`keys`, each distinct term numbered as it first comes): a number per posting
    is a slot of four bytes, and putting the postings in term order then sorts the distinct
    terms only, instead of hashing every posting's term twice more."""

    __slots__ = ("docs", "keys", "numbers", "values", "weights")

    def __init__(self) -> None:
        #: Each distinct term's number, the next one given to a term not seen before.
        self.numbers: defaultdict[bytes, int] = defaultdict(count().__next__)
        self.keys = array("i")
        self.docs = array("i")
        self.weights = array("d")
        self.values: list[bytes] = []

    def add(self, terms: Iterable[bytes]) -> None:
        """The terms of postings whose other columns the caller appends."""
        self.keys += array("i", map(self.numbers.__getitem__, terms))

    def ordered(self) -> tuple[list[bytes], list[int], Any, Any, list[bytes]]:
        """The postings in term order: the distinct terms, where each one's postings end, and
        the documents (an int32 array), weights (a float64 array) and values in that order.
        Nothing is held here any more."""
        distinct = list(self.numbers)  # (a dict keeps its keys in the order they came)
        numbers = np.frombuffer(self.keys, np.int32)
        self.numbers, self.keys = defaultdict(count().__next__), array("i")
        by_term = sorted(range(len(distinct)), key=distinct.__getitem__)
        ordered = list(map(distinct.__getitem__, by_term))
        rank = np.empty(len(distinct), np.int64)
        rank[by_term] = np.arange(len(distinct))
        keys = rank[numbers]
        del distinct, numbers, rank
        order = np.argsort(keys, kind="stable")
        ends = [*(np.flatnonzero(np.diff(keys[order])) + 1).tolist(), len(order)]
        docs = np.frombuffer(self.docs, np.int32)[order]
        weights = np.frombuffer(self.weights, np.float64)[order]
        values = list(map(self.values.__getitem__, order.tolist()))
        self.docs, self.weights, self.values = array("i"), array("d"), []
        return ordered, ends if ordered else [], docs, weights, values

    def by_term(self) -> Iterator[tuple[bytes, Columns]]:
        """Each term with its postings, in term order (and nothing held here any more)."""
        terms, ends, docs, weights, values = self.ordered()
        yield from _sliced(terms, ends, docs.tolist(), weights.tolist(), values)


def _sliced(
    terms: list[bytes], ends: list[int], docs: list[int], weights: list[float], values: list[bytes]
) -> Iterator[tuple[bytes, Columns]]:
    """Each term with its postings, cut from columns in term order (``ends``: where each
    term's postings end)."""
    start = 0
    for term, end in zip(terms, ends, strict=True):
        yield term, (docs[start:end], weights[start:end], values[start:end])
        start = end


class PostingLists:
    """Postings by field, in columns (`_Field`); `entries` gives them by term."""

    def __init__(self) -> None:
        self.fields: dict[str, _Field] = {}
        self.count = 0

    @property
    def terms(self) -> int:
        """How many distinct terms are held (those of each field counted apart)."""
        return sum(len(field.numbers) for field in self.fields.values())

    def _field(self, fieldname: str) -> _Field:
        found = self.fields.get(fieldname)
        if found is None:
            found = self.fields[fieldname] = _Field()
        return found

    def add(
        self,
        fieldname: str,
        docnum: int,
        items: Iterable[tuple[bytes, int, float, bytes]],
        factor: float = 1.0,
    ) -> int:
        """One document's postings in one field, as ``(term, frequency, weight, value)``
        or as an `Encoded`'s columns; weights times ``factor``. Returns the sum of their
        frequencies."""
        columns = getattr(items, "terms", None)
        if columns is not None:  # an `Encoded`: its columns as they are
            encoded: Any = items
            terms, values = encoded.terms, encoded.values
            freqs: Sequence[int] = encoded.freqs
            weights: Sequence[float] = encoded.weights()
        else:
            rows = list(items)
            if not rows:
                return 0
            terms, freqs, weights, values = (list(column) for column in zip(*rows, strict=True))
        if factor != 1.0:
            weights = [w * factor for w in weights]
        count = len(terms)
        field = self._field(fieldname)
        field.add(terms)
        field.docs += array("i", (docnum,)) * count
        field.weights.extend(weights)
        field.values += values
        self.count += count
        return sum(freqs)

    def add_list(self, fieldname: str, text: bytes, postings: Columns) -> None:
        """A term's postings for several documents at once (all after those already held)."""
        docs, weights, values = postings
        field = self._field(fieldname)
        field.add([text] * len(docs))
        field.docs.extend(docs)
        field.weights.extend(weights)
        field.values += values
        self.count += len(docs)

    @property
    def size(self) -> int:
        """About how many bytes the postings held take."""
        return self.count * POSTING_BYTES + self.terms * TERM_BYTES

    def entries(self) -> Iterator[tuple[Key, Columns]]:
        """Every term's postings in field and term order, each field released as it is given."""
        fields, self.fields = self.fields, {}
        self.count = 0
        for fieldname in sorted(fields):
            for text, postings in fields.pop(fieldname).by_term():
                yield (fieldname, text), postings

    def spill(self, path: Path) -> None:
        """Everything held to a run at ``path`` (and nothing held any more).

        A run is a sequence of pickled pieces, each some consecutive terms of one field with
        their postings as columns (documents and weights as the bytes of their arrays): read
        back without making an object per number."""
        fields, self.fields = self.fields, {}
        self.count = 0
        with path.open("wb") as fh:
            for fieldname in sorted(fields):
                terms, ends, docs, weights, values = fields.pop(fieldname).ordered()
                first = start = 0
                while first < len(terms):
                    last = first + 1  # (a term with more postings than a piece: on its own)
                    while (
                        last < len(terms)
                        and last - first < _CHUNK
                        and ends[last] - start <= _CHUNK_POSTINGS
                    ):
                        last += 1
                    end = ends[last - 1]
                    piece = (
                        fieldname,
                        terms[first:last],
                        [e - start for e in ends[first:last]],
                        docs[start:end].tobytes(),
                        weights[start:end].tobytes(),
                        values[start:end],
                    )
                    pickle.dump(piece, fh, pickle.HIGHEST_PROTOCOL)
                    first, start = last, end


def run_entries(path: Path) -> Iterator[tuple[Key, Columns]]:
    """A run's terms and postings, in the order `PostingLists.spill` wrote them."""
    with path.open("rb") as fh:
        while True:
            try:
                fieldname, terms, ends, docs, weights, values = pickle.load(fh)
            except EOFError:
                return
            ids = np.frombuffer(docs, np.int32).tolist()
            kept = np.frombuffer(weights, np.float64).tolist()
            for term, postings in _sliced(terms, ends, ids, kept, values):
                yield (fieldname, term), postings
