"""Postings of documents being written, grouped by field and term as they arrive.

Whoosh's writer pools every posting as a tuple, sorts them all, spills sorted runs to disk and
merges them back one posting at a time. Here each term's postings are appended to its own list
as documents arrive (document numbers only grow, so a list is always in order). Past a memory
budget the lists go to a *run* on disk, in term order, pickled a few thousand terms at a time;
the runs and what is in memory are read back together, term by term, when the segment is
written, and each term's postings are then encoded once (`blocks.encode`).
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

#: Estimated bytes of one posting held here (its place in a list, its value's bytes object),
#: and of one term (its key, its list, its slot in the dictionary).
POSTING_BYTES = 80
TERM_BYTES = 200
#: Terms, and postings, pickled together in a run at most: a commit holds one such chunk of
#: every run at once, and a long run's last commit may merge dozens of runs (a chunk of 512
#: terms held a few thousand postings, a quarter to half a megabyte).
_CHUNK = 512
_CHUNK_POSTINGS = 1_024
Key = tuple[str, bytes]
#: A term's postings: ``document, weight, value`` triples, flat, in document order.
Flat = list[Any]


class PostingLists:
    """Postings by field and term: ``fields[name][term]`` is a `Flat` list."""

    def __init__(self) -> None:
        self.fields: dict[str, dict[bytes, Flat]] = {}
        self.count = 0
        self.terms = 0
        #: Weights seen, so equal weights share one float object.
        self._weights: dict[float, float] = {}

    def add(
        self, fieldname: str, docnum: int, items: Iterable[tuple[bytes, int, float, bytes]]
    ) -> int:
        """One document's postings in one field; returns the sum of their frequencies."""
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
        known = self._weights.setdefault
        get = terms.get
        length = 0
        before = len(terms)
        added = 0
        for text, freq, weight, value in items:
            length += freq
            added += 1
            found = get(text)
            if found is None:
                terms[text] = [docnum, known(weight, weight), value]
            else:
                found += (docnum, known(weight, weight), value)
        self.count += added
        self.terms += len(terms) - before
        return length

    def add_list(self, fieldname: str, text: bytes, flat: Flat) -> None:
        """A term's postings for several documents at once (all after those already held)."""
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
        found = terms.get(text)
        if found is None:
            terms[text] = flat
            self.terms += 1
        else:
            found += flat
        self.count += len(flat) // 3

    @property
    def size(self) -> int:
        """About how many bytes the postings held take."""
        return self.count * POSTING_BYTES + self.terms * TERM_BYTES

    def entries(self) -> Iterator[tuple[Key, Flat]]:
        """Every term's postings in field and term order, each released as it is given."""
        fields, self.fields = self.fields, {}
        self.count = self.terms = 0
        self._weights = {}
        for fieldname in sorted(fields):
            terms = fields.pop(fieldname)
            for text in sorted(terms):
                yield (fieldname, text), terms.pop(text)

    def spill(self, path: Path) -> None:
        """Everything held to a run at ``path`` (and nothing held any more)."""
        with path.open("wb") as fh:
            chunk: list[tuple[Key, Flat]] = []
            values, limit = 0, 3 * _CHUNK_POSTINGS  # (three values per posting)
            for entry in self.entries():
                if chunk and (len(chunk) >= _CHUNK or values + len(entry[1]) > limit):
                    pickle.dump(chunk, fh, pickle.HIGHEST_PROTOCOL)
                    chunk = []
                    values = 0
                chunk.append(entry)
                values += len(entry[1])
            if chunk:
                pickle.dump(chunk, fh, pickle.HIGHEST_PROTOCOL)


def run_entries(path: Path) -> Iterator[tuple[Key, Flat]]:
    """A run's terms and postings, in the order `PostingLists.spill` wrote them."""
    with path.open("rb") as fh:
        while True:
            try:
                chunk = pickle.load(fh)
            except EOFError:
                return
            yield from chunk
