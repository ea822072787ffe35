"""BM25F scores of every allowed document at once, from posting lists held as arrays.

Whoosh scores a document by walking a tree of matchers — for a two-word query, a union over
eight fields per word under an intersection — one Python call per node per document. On the
queries of this knowledge base, most of a search went to walking that tree, and its top-k
collector could skip little: posting blocks of many fields rarely fall below the bar together.

The score Whoosh computes for a document is a sum: each term of the query that the document has
adds its BM25F score, times the boosts above it. So the same numbers come out of each term's
posting list read once into arrays (document numbers, term weights; kept for the index
generation), scored with the field-length column in one vector operation, and summed. Which
documents match is decided elsewhere (``matching``); here only their order is.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher

from .docsets import DocSet

#: Bytes of decoded posting lists kept per index generation.
POSTINGS_CACHE_BYTES = 48 * 2**20

Leaf = tuple[str, bytes, float]  # field, term, product of the boosts above it


def contributions(q: wq.Query, boost: float = 1.0) -> list[Leaf] | None:
    """The terms that add to a document's score, each with its weight; None when the query has
    a part whose scoring is not a plain sum (it is then scored by Whoosh itself).

    Mirrors Whoosh's matchers: AND, OR and AND-MAYBE add their parts' scores, AND-NOT and
    REQUIRE score their first part only, NOT adds nothing, a compound of one part ignores its
    own boost, and a term or compound boost multiplies what is below it.
    """
    if q is wq.NullQuery or isinstance(q, wq.Not | wq.Every):
        return []
    if isinstance(q, wq.Term):
        return [(q.fieldname, q.text, boost * q.boost)]
    if isinstance(q, wq.And | wq.Or) and not isinstance(q, wq.DisjunctionMax):
        if getattr(q, "scale", None):
            return None
        parts = q.subqueries
        inner = boost if len(parts) == 1 else boost * q.boost
        out: list[Leaf] = []
        for part in parts:
            found = contributions(part, inner)
            if found is None:
                return None
            out += found
        return out
    if isinstance(q, wq.AndMaybe):
        a, b = contributions(q.a, boost * q.boost), contributions(q.b, boost * q.boost)
        return None if a is None or b is None else a + b
    if isinstance(q, wq.AndNot | wq.Require):
        return contributions(q.a, boost * q.boost)
    return None


class Postings:
    """Posting lists of one index generation as arrays, decoded once, shared by threads."""

    def __init__(self, searcher: Searcher, size: int, k1: float, b: float) -> None:
        self.searcher = searcher
        self.size = size
        self.k1, self.b = k1, b
        self._cache: OrderedDict[tuple[str, bytes], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._bytes = 0
        self._lengths: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def get(self, fieldname: str, text: str | bytes) -> tuple[np.ndarray, np.ndarray]:
        """Document numbers (ascending) and term weights of a term's postings."""
        field = self.searcher.schema[fieldname]
        btext = text if isinstance(text, bytes) else field.to_bytes(text)
        key = (fieldname, btext)
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                return found
        found = self._read(fieldname, btext)
        with self._lock:
            if key not in self._cache:
                self._cache[key] = found
                self._bytes += found[0].nbytes + found[1].nbytes
                while self._bytes > POSTINGS_CACHE_BYTES and len(self._cache) > 1:
                    _, (ids, weights) = self._cache.popitem(last=False)
                    self._bytes -= ids.nbytes + weights.nbytes
        return found

    def _read(self, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
        ids: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        for sub, offset in self.searcher.leaf_searchers():
            reader = sub.reader()
            if (fieldname, btext) not in reader:
                continue
            block_ids, block_weights = _decode(reader.postings(fieldname, btext))
            ids.append(block_ids + offset)
            weights.append(block_weights)
        if not ids:
            return np.zeros(0, np.int64), np.zeros(0, np.float64)
        return np.concatenate(ids), np.concatenate(weights)

    def lengths(self, fieldname: str) -> np.ndarray:
        """Each document's length in a field, as Whoosh's scorer reads it (byte-rounded)."""
        with self._lock:
            found = self._lengths.get(fieldname)
        if found is None:
            reader = self.searcher.reader()
            found = np.fromiter(
                (reader.doc_field_length(d, fieldname, 1) for d in range(self.size)),
                np.float64,
                self.size,
            )
            with self._lock:
                self._lengths[fieldname] = found
        return found

    def scores(self, leaves: list[Leaf]) -> np.ndarray:
        """BM25F score of every document for a query's contributing terms (0 where none)."""
        total = np.zeros(self.size, np.float64)
        searcher, k1, b = self.searcher, self.k1, self.b
        for fieldname, text, weight in leaves:
            field = searcher.schema[fieldname]
            btext = text if isinstance(text, bytes) else field.to_bytes(text)
            ids, tf = self.get(fieldname, btext)
            if not len(ids):
                continue
            if not field.scorable:
                total[ids] += weight * tf
                continue
            idf = searcher.idf(fieldname, btext)
            average = searcher.avg_field_length(fieldname) or 1
            length = self.lengths(fieldname)[ids]
            norm = k1 * ((1 - b) + b * length / average)
            total[ids] += weight * idf * (tf * (k1 + 1)) / (tf + norm)
        return total


def _decode(matcher: object) -> tuple[np.ndarray, np.ndarray]:
    """A posting list's document numbers and weights, a block at a time."""
    inner = getattr(matcher, "child", matcher)  # deleted documents are masked by the caller
    if not all(hasattr(inner, a) for a in ("_read_data", "_next_block", "_data", "_byteids")):
        ids, weights = [], []
        while matcher.is_active():  # type: ignore[attr-defined]
            ids.append(matcher.id())  # type: ignore[attr-defined]
            weights.append(matcher.weight())  # type: ignore[attr-defined]
            matcher.next()  # type: ignore[attr-defined]
        return np.asarray(ids, np.int64), np.asarray(weights, np.float64)
    id_blocks: list[np.ndarray] = []
    weight_blocks: list[np.ndarray] = []
    while inner.is_active():  # type: ignore[attr-defined]
        inner._read_data()  # type: ignore[attr-defined]
        raw_ids, raw_weights = inner._data[0], inner._data[1]  # type: ignore[attr-defined]
        block = np.asarray(raw_ids, np.int64)
        if not inner._byteids:  # type: ignore[attr-defined]
            block = np.cumsum(block)
        id_blocks.append(block)
        if raw_weights is None:
            weight_blocks.append(np.ones(len(block), np.float64))
        elif isinstance(raw_weights, float):
            weight_blocks.append(np.full(len(block), raw_weights, np.float64))
        else:
            weight_blocks.append(np.asarray(raw_weights, np.float64))
        inner._next_block()  # type: ignore[attr-defined]
    if not id_blocks:
        return np.zeros(0, np.int64), np.zeros(0, np.float64)
    return np.concatenate(id_blocks), np.concatenate(weight_blocks)


def mask_of(bits: DocSet, size: int) -> np.ndarray:
    """A bitset as a boolean array of ``size`` documents."""
    raw = np.frombuffer(bits.to_bytes((size + 7) // 8, "little"), np.uint8)
    return np.unpackbits(raw, bitorder="little")[:size].astype(bool)


def bits_of(mask: np.ndarray) -> DocSet:
    """A boolean array as a bitset."""
    return int.from_bytes(np.packbits(mask, bitorder="little").tobytes(), "little")


def best(
    scores: np.ndarray, allowed: DocSet, k: int, tie: np.ndarray | None = None
) -> list[tuple[int, float]]:
    """The ``k`` best allowed documents, best first; ties by ``tie`` (higher first), then by
    document number."""
    candidates = np.flatnonzero(mask_of(allowed, len(scores)))
    if not len(candidates) or k <= 0:
        return []
    values = scores[candidates]
    if len(candidates) > k:
        # Documents tied with the k-th one may fall either side of the cut: keep them all.
        cut = np.partition(values, len(values) - k)[len(values) - k]
        keep = np.flatnonzero(values >= cut)
        candidates, values = candidates[keep], values[keep]
    keys = (candidates, -values) if tie is None else (candidates, -tie[candidates], -values)
    order = np.lexsort(keys)[:k]
    return [(int(d), float(s)) for d, s in zip(candidates[order], values[order], strict=True)]
