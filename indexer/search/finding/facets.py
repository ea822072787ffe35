"""Facet values and sort keys of one index generation, and disjunctive facet counting.

Facets are disjunctive (as Solr's tag/exclude): the counts of one facet are computed as if its
own selection were removed, so a reader who picked "Bulgaria" still sees how many documents
"Cyprus" would add. Each facet value is held as the set of documents that have it (a bitset),
read once per index generation from the sortable columns; counting is then one intersection and
one population count per value, whatever the number of matches.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from ...store.schema import FACET_FIELDS, SEPARATOR
from ...text.taxonomy import Taxonomy
from ...translated import translated
from ..contract import FacetValue, Sort
from ..request import UNDATED as UNDATED_VALUE
from ..request import year_span
from . import docsets
from .docsets import DocSet
from .scoring import bits_of, mask_of

#: Sorts readers can choose, as (column, descending) keys applied in order.
SORT_KEYS: dict[Sort, tuple[tuple[str, bool], ...]] = {
    "newest": (("year", True), ("added", True)),
    "oldest": (("year_dated", False), ("title", False)),
    "title": (("title", False),),
    "added": (("added", True), ("title", False)),
}
UNDATED = 10_000  # sorts after every real year
#: What the facet list calls documents without a date.


def _column(reader: IndexReader, name: str, size: int) -> list[Any]:
    """A column's value for every document of one segment (None where it has none)."""
    if not reader.has_column(name):
        return [None] * size
    cr = reader.column_reader(name)
    try:
        values = list(cr)[:size]
        return values + [None] * (size - len(values))
    except IndexError:  # trailing documents without a value in this segment
        out: list[Any] = []
        for docnum in range(size):
            try:
                out.append(cr[docnum])
            except IndexError:
                out.append(None)
        return out


def _text(raw: Any) -> str:
    return raw.decode("utf-8") if isinstance(raw, bytes) else str(raw or "")


def read_columns(
    searcher: Searcher, names: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(document number, {column: value}) for every document, segment by segment."""
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        size = reader.doc_count_all()
        columns = {name: _column(reader, name, size) for name in names}
        for local in range(size):
            yield offset + local, {name: columns[name][local] for name in names}


@dataclass
class FacetTable:
    """Per index generation: who has which facet value, language versions, and sort keys."""

    size: int
    live: DocSet
    values: dict[str, dict[str, DocSet]]
    translations: dict[int, list[int]]
    keys: dict[str, list[Any]]
    _orders: dict[str, list[int]] = field(default_factory=dict)
    _pairs: tuple[np.ndarray, np.ndarray] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def build(cls, searcher: Searcher) -> FacetTable:
        reader = searcher.reader()
        size = reader.doc_count_all()
        live = docsets.from_ids(reader.all_doc_ids(), size)
        ids: dict[str, dict[str, list[int]]] = {f: {} for f in FACET_FIELDS}
        works: dict[str, list[int]] = {}
        keys: dict[str, list[Any]] = {"year": [0] * size, "added": [0] * size, "title": [""] * size}
        names = (*FACET_FIELDS, "work", "added", "sort_title")
        for docnum, row in read_columns(searcher, names):
            if not live >> docnum & 1:
                continue
            for facet in FACET_FIELDS:
                raw = row[facet]
                if facet == "year":
                    year = int(raw or 0)
                    keys["year"][docnum] = year if 1900 < year < 2200 else 0
                    found = [str(year)] if keys["year"][docnum] else [UNDATED_VALUE]
                else:
                    found = [v for v in _text(raw).split(SEPARATOR) if v]
                for value in found:
                    ids[facet].setdefault(value, []).append(docnum)
            keys["added"][docnum] = int(row["added"] or 0)
            keys["title"][docnum] = _text(row["sort_title"])
            work = _text(row["work"])
            if work:
                works.setdefault(work, []).append(docnum)
        keys["year_dated"] = [y or UNDATED for y in keys["year"]]
        translations: dict[int, list[int]] = {}
        for group in works.values():
            for docnum in group:
                others = [d for d in group if d != docnum]
                if others:
                    translations[docnum] = others
        values = {
            facet: {value: docsets.from_ids(found, size) for value, found in by_value.items()}
            for facet, by_value in ids.items()
        }
        return cls(size, live, values, translations, keys)

    def order(self, sort: Sort) -> list[int]:
        """Every document in the order of a sort, computed once per generation."""
        with self._lock:
            found = self._orders.get(sort)
            if found is None:
                found = list(range(self.size))
                # Stable sorts applied from the last key to the first: the first key decides.
                for column, descending in reversed(SORT_KEYS[sort]):
                    found.sort(key=self.keys[column].__getitem__, reverse=descending)
                self._orders[sort] = found
            return found

    def rank(self, sort: Sort) -> list[int]:
        """Each document's position in a sort, for ordering any subset by it."""
        key = f"rank:{sort}"
        with self._lock:
            found = self._orders.get(key)
        if found is None:
            found = [0] * self.size
            for position, docnum in enumerate(self.order(sort)):
                found[docnum] = position
            with self._lock:
                self._orders[key] = found
        return found

    def translation_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """Every (version, the document it is a version of) as two arrays."""
        with self._lock:
            if self._pairs is None:
                pairs = [(o, d) for d, others in self.translations.items() for o in others]
                self._pairs = (
                    np.asarray([o for o, _ in pairs], np.int64),
                    np.asarray([d for _, d in pairs], np.int64),
                )
            return self._pairs

    def with_translations(self, matched: DocSet) -> DocSet:
        """The documents plus their other language versions (the same report): the versions
        of every pair whose document is matched, over arrays (a search asks this for
        thousands of documents, twice)."""
        versions, sources = self.translation_pairs()
        if not matched or not versions.size:
            return matched
        extra = versions[mask_of(matched, self.size)[sources]]
        if not extra.size:
            return matched
        mask = np.zeros(self.size, bool)
        mask[extra] = True
        return matched | bits_of(mask)


Counts = dict[str, dict[str, int]]


def covers(wanted: set[str], value: str) -> bool:
    """Whether a year facet value ("2022", "undated") is within the selected years and ranges."""
    if value in wanted:
        return True
    if value == UNDATED_VALUE:
        return any(w.strip().lower() == UNDATED_VALUE for w in wanted)
    spans = [year_span(w) for w in wanted]
    return any(span and span[0] <= int(value) <= span[1] for span in spans)


def _chosen(table: FacetTable, facet: str, wanted: set[str]) -> DocSet:
    """Documents with any of the wanted values (for years: in any of the wanted ranges)."""
    values = table.values.get(facet, {})
    if facet == "year":
        wanted = {value for value in values if covers(wanted, value)}
    bits = docsets.EMPTY
    for value in wanted:
        bits |= values.get(value, docsets.EMPTY)
    return bits


def count(
    table: FacetTable, matched: DocSet, selected: dict[str, set[str]]
) -> tuple[Counts, DocSet]:
    """Disjunctive counts (each facet over the documents passing every *other* facet's
    selection) and the documents passing all of them."""
    chosen = {facet: _chosen(table, facet, wanted) for facet, wanted in selected.items()}
    allowed = matched
    for bits in chosen.values():
        allowed &= bits
    counts: Counts = {}
    for facet in FACET_FIELDS:
        base = matched
        for other, bits in chosen.items():
            if other != facet:
                base &= bits
        counts[facet] = {
            value: n
            for value, bits in table.values.get(facet, {}).items()
            if (n := (base & bits).bit_count())
        }
    return counts, allowed


def facet_lists(
    counts: Counts, selected: dict[str, set[str]], taxonomy: Taxonomy, lang: str
) -> dict[str, list[FacetValue]]:
    """Counts as the contract lists them: selected values always shown (so they can be
    removed), years newest first (a selected range selects the years in it; undated last),
    other facets by count then label."""
    out: dict[str, list[FacetValue]] = {}
    for facet in FACET_FIELDS:
        values = dict(counts.get(facet, {}))
        wanted = selected.get(facet, set())
        for value in wanted:
            if facet != "year" or value.isdigit():
                values.setdefault(value, 0)
        items: list[FacetValue] = [
            {
                "value": value,
                "label": value_label(taxonomy, facet, value, lang),
                "count": n,
                "selected": covers(wanted, value) if facet == "year" else value in wanted,
            }
            for value, n in values.items()
        ]
        if facet == "year":
            items.sort(key=lambda i: i["value"] if i["value"].isdigit() else "", reverse=True)
        else:
            items.sort(key=lambda i: (-i["count"], i["label"].casefold()))
        out[facet] = items
    return out


def value_label(taxonomy: Taxonomy, facet: str, value: str, lang: str) -> str:
    """A facet value's label ("undated" in the reader's language)."""
    if facet == "year" and value == UNDATED_VALUE:
        return translated("Undated", lang)
    return taxonomy.label(facet, value, lang)
