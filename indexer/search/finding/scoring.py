"""BM25F scores of every allowed document at once, from posting lists held as arrays.

Whoosh scores a document by walking a tree of matchers — for a two-word query, a union over
eight fields per word under an intersection — one Python call per node per document. On the
queries of this knowledge base, most of a search went to walking that tree, and its top-k
collector could skip little: posting blocks of many fields rarely fall below the bar together.

The score Whoosh computes for a document is built from sums: each term of the query that the
document has adds its BM25F score, times the boosts above it, where the compounds above it
match. So the same numbers come out of each term's posting list read once into arrays (document
numbers, term weights; kept for the index generation), scored with the field-length column in
one vector operation, and combined node by node over all documents at once. Which documents a
request may show is decided elsewhere (``matching``, the facets); here only their order is.
"""

from __future__ import annotations

import struct
import threading
import zlib
from functools import partial
from typing import Any, NamedTuple

import numpy as np
from whoosh import query as wq
from whoosh.matching import Matcher
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher

from ...lru import Lru
from . import posting_blocks
from .docsets import DocSet
from .segment_arrays import SEGMENTS, arrays_of, segment_of, term_bytes

#: Bytes of decoded posting lists kept per index generation.
POSTINGS_CACHE_BYTES = 48 * 2**20

#: Bytes of terms' BM25F parts (``Postings._term_parts``) kept per index generation.
PARTS_CACHE_BYTES = 12 * 2**20

Scored = tuple[np.ndarray, np.ndarray]  # every document's score, and which documents match
#: A term's documents, the numerator and denominator of its BM25F score in each, its idf.
Parts = tuple[np.ndarray, np.ndarray, np.ndarray, float]


def _parts_bytes(parts: Parts) -> int:
    return parts[0].nbytes + parts[1].nbytes + parts[2].nbytes


class Postings:
    """Posting lists of one index generation as arrays, decoded once, shared by threads."""

    def __init__(self, searcher: Searcher, size: int, k1: float, b: float) -> None:
        self.searcher = searcher
        self.size = size
        self.k1, self.b = k1, b
        self._cache: Lru[tuple[str, bytes], tuple[np.ndarray, np.ndarray]] = Lru(
            POSTINGS_CACHE_BYTES, lambda found: found[0].nbytes + found[1].nbytes, keep_last=True
        )
        self._parts: Lru[tuple[str, bytes], Parts] = Lru(
            PARTS_CACHE_BYTES, _parts_bytes, keep_last=True
        )
        self._lengths: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def get(self, fieldname: str, text: str | bytes) -> tuple[np.ndarray, np.ndarray]:
        """Document numbers (ascending) and term weights of a term's postings."""
        btext = term_bytes(self.searcher.schema[fieldname], text)
        return self._cache.get_or_make((fieldname, btext), partial(self._read, fieldname, btext))

    def _read(self, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
        """Each segment's postings, numbered across the generation's segments: sliced from
        the segment's arrays file when there is one (``store/posting_arrays.py``), else decoded
        from its blocks once per process (``segment_arrays``)."""
        ids: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        for sub, offset in self.searcher.leaf_searchers():
            reader = sub.reader()
            arrays = arrays_of(reader)
            if arrays is not None and arrays.covers(fieldname):
                where = arrays.find(fieldname, btext)
                if where is not None:
                    local32, weight32 = arrays.postings(where)
                    ids.append(local32.astype(np.int64) + offset)
                    weights.append(weight32.astype(np.float64))
                continue
            key = (segment_of(reader), "postings", fieldname, btext)
            kept = SEGMENTS.kept(key)
            if kept is None:
                try:  # one look-up in the term table, not one to ask and another to read
                    matcher = reader.postings(fieldname, btext)
                except TermNotFound:
                    continue
                kept = SEGMENTS.get(key, partial(_segment_postings, reader, matcher))
            local, weight = kept[0], kept[1]
            ids.append(local + offset if offset else local)
            weights.append(weight)
        if not ids:
            return np.zeros(0, np.int64), np.zeros(0, np.float64)
        if len(ids) == 1:
            return ids[0], weights[0]
        return np.concatenate(ids), np.concatenate(weights)

    def lengths(self, fieldname: str) -> np.ndarray:
        """Each document's length in a field, as Whoosh's scorer reads it (byte-rounded)."""
        with self._lock:
            found = self._lengths.get(fieldname)
        if found is None:
            parts = [
                SEGMENTS.get(
                    (segment_of(sub.reader()), "lengths", fieldname),
                    partial(_segment_lengths, sub.reader(), fieldname),
                )[0]
                for sub, _ in self.searcher.leaf_searchers()
            ]
            found = parts[0] if len(parts) == 1 else np.concatenate([np.zeros(0), *parts])
            with self._lock:
                self._lengths[fieldname] = found
        return found

    def term(self, fieldname: str, text: str | bytes, boost: float = 1.0) -> np.ndarray:
        """BM25F score of every document for one term (0 where the term is absent)."""
        total = np.zeros(self.size, np.float64)
        field = self.searcher.schema[fieldname]
        btext = term_bytes(field, text)
        if not field.scorable:
            ids, tf = self.get(fieldname, btext)
            if len(ids):
                total[ids] = boost * tf
            return total
        ids, numerator, denominator, idf = self._parts.get_or_make(
            (fieldname, btext), partial(self._term_parts, fieldname, btext)
        )
        if len(ids):
            # The order of Whoosh's BM25F: (boost × idf) × tf·(k1 + 1) ÷ (tf + norm).
            total[ids] = boost * idf * numerator / denominator
        return total

    def _term_parts(self, fieldname: str, btext: bytes) -> Parts:
        """What a term's BM25F score is made of, whatever the boost: a request's query names
        the same terms in several of its parts (the typed words, their ideal, their
        proximity), and the next requests name them again."""
        searcher, k1, b = self.searcher, self.k1, self.b
        ids, tf = self.get(fieldname, btext)
        if not len(ids):
            return ids, tf, tf, 0.0
        idf = searcher.idf(fieldname, btext)
        average = searcher.avg_field_length(fieldname) or 1
        norm = k1 * ((1 - b) + b * self.lengths(fieldname)[ids] / average)
        return ids, tf * (k1 + 1), tf + norm, idf

    def scores(self, q: wq.Query) -> Scored | None:
        """Every document's score for ``q`` and the documents it matches, computed as
        Whoosh's matchers compute them; None for a query scored otherwise (see ``tree``)."""
        return tree(self, q)


def tree(postings: Postings, q: wq.Query) -> Scored | None:
    """Scores of a query tree, node by node, over all documents at once.

    Mirrors Whoosh's matchers: a term scores BM25F where present; OR adds its matching parts;
    DISJUNCTION-MAX (without tie-break) takes the best of them;
    AND adds its parts where all match; AND-MAYBE adds the optional part where the required
    one matches; AND-NOT and REQUIRE score their first part where they match; a compound's
    boost multiplies its score (a compound of one part ignores it); NOT matches without a
    score. None for parts scored otherwise (a scaled OR, a tie-break, spans …), which
    Whoosh then scores itself.
    """
    size = postings.size
    if q is wq.NullQuery:
        return np.zeros(size), np.zeros(size, bool)
    if isinstance(q, wq.Term):
        scores = postings.term(q.fieldname, q.text, q.boost)
        return scores, scores > 0
    if isinstance(q, wq.BinaryQuery):
        a, b = tree(postings, q.a), tree(postings, q.b)
        if a is None or b is None or not isinstance(q, wq.AndMaybe | wq.AndNot | wq.Require):
            return None
        if isinstance(q, wq.AndMaybe):
            scores, mask = a[0] + b[0] * a[1], a[1]
        elif isinstance(q, wq.AndNot):
            mask = a[1] & ~b[1]
            scores = a[0] * mask
        else:
            mask = a[1] & b[1]
            scores = a[0] * mask
        return scores * q.boost, mask
    if isinstance(q, wq.And | wq.Or) and not getattr(q, "scale", None):
        parts = [tree(postings, part) for part in q.subqueries]
        if not parts:
            return np.zeros(size), np.zeros(size, bool)
        present = [p for p in parts if p is not None]
        if len(present) < len(parts):
            return None
        scores = added([p[0] for p in present])
        masks = [p[1] for p in present]
        mask = (
            np.logical_and.reduce(masks) if isinstance(q, wq.And) else np.logical_or.reduce(masks)
        )
        if isinstance(q, wq.And):
            scores = scores * mask
        return (scores * q.boost if len(parts) > 1 else scores), mask
    if isinstance(q, wq.DisjunctionMax) and not q.tiebreak:
        # A translated word's alternatives: the best of them counts (see expansion.py).
        found = [tree(postings, part) for part in q.subqueries]
        best = [f for f in found if f is not None]
        if len(best) < len(found) or not best:
            return None
        scores = np.max([f[0] for f in best], axis=0)
        mask = np.logical_or.reduce([f[1] for f in best])
        return (scores * q.boost if len(best) > 1 else scores), mask
    if isinstance(q, wq.Not):
        inner = tree(postings, q.query)
        return None if inner is None else (np.zeros(size), ~inner[1])
    return None


def added(arrays: list[np.ndarray]) -> np.ndarray:
    """The arrays' sum, a new array, added one after another in order: the very numbers
    ``np.sum(arrays, axis=0)`` gives, without first copying them into one two-dimensional
    array (half the time for a word's eight fields)."""
    if len(arrays) == 1:
        return arrays[0].copy()
    total: np.ndarray = arrays[0] + arrays[1]
    for more in arrays[2:]:
        total += more
    return total


def _segment_postings(reader: Any, matcher: Matcher) -> tuple[np.ndarray, np.ndarray]:
    """A segment's posting list decoded (``reader``: the segment's, which the list is of)."""
    return _decode(matcher)


def _segment_lengths(reader: Any, fieldname: str) -> tuple[np.ndarray]:
    size = reader.doc_count_all()
    lengths = (reader.doc_field_length(d, fieldname, 1) for d in range(size))
    return (np.fromiter(lengths, np.float64, size),)


def _decode(matcher: Matcher) -> tuple[np.ndarray, np.ndarray]:
    """A posting list's document numbers and weights, from the heads of its blocks."""
    inner = getattr(matcher, "child", matcher)  # deleted documents are masked by the caller
    listed = posting_blocks.blocks(inner)
    if listed is None:
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        return np.asarray(ids, np.int64), np.asarray(weights, np.float64)
    if not listed:
        return np.zeros(0, np.int64), np.zeros(0, np.float64)
    if not inner._byteids:
        return _joined([_block_head(block) for block in listed])
    id_blocks: list[np.ndarray] = []
    weight_blocks: list[np.ndarray] = []
    for stored in listed:
        ids, weights, _ = stored.unpickled()
        id_blocks.append(np.asarray(ids, np.int64))
        weight_blocks.append(_weights(weights, len(ids)))
    return np.concatenate(id_blocks), np.concatenate(weight_blocks)


def _weights(raw: Any, n: int) -> np.ndarray:
    """A block's weights as an array, from what its pickle holds (None: all ones)."""
    if raw is None:
        return np.ones(n, np.float64)
    if isinstance(raw, float):
        return np.full(n, raw, np.float64)
    if isinstance(raw, bytes):  # ``_Head.weights``: the records of ``_WEIGHT``
        return np.frombuffer(raw, _WEIGHT)["value"].astype(np.float64)
    return np.asarray(raw, np.float64)


#: Whoosh pickles a block as (ids, weights, values). Small ids (one byte each, as gaps between
#: documents mostly are) and float weights have fixed-size records: an opcode byte and the
#: number, read here without unpickling the block or even inflating it whole (its word
#: positions, most of its bytes, come last and are not needed).
_WEIGHT = np.dtype([("opcode", "u1"), ("value", ">f8")])
#: How a block's pickle starts, by protocol (the index's own writer uses 5, Whoosh's 2): its
#: tag and the frame length after it, up to the mark of the ids' tuple; the opcode of the
#: tuple's memo entry and how many bytes that entry takes after the tuple.
_STARTS = {2: (b"\x80\x02", 0, b"q", 3), 5: (b"\x80\x05\x95", 8, b"\x94", 2)}
_SMALL_INT, _FLOAT, _NONE, _MARK, _TUPLE = b"K", b"G", b"N", b"(", b"t"
#: A tuple of fewer items is pickled without a mark (and so is read whole).
_FEWEST = 4
#: The first id's opcode (one, two or four bytes: BININT1, BININT2, BININT) and its size.
_FIRST_ID = {ord("K"): 1, ord("M"): 2, ord("J"): 4}


class _Head(NamedTuple):
    """A block's ids and weights as its pickle holds them: its first document number, the
    gaps after it (a byte each as stored, or numbers) and its weights (None for all ones, one
    float for all, the ``_WEIGHT`` records of each as stored, or numbers)."""

    first: int
    gaps: bytes | tuple[int, ...]
    weights: float | bytes | tuple[float, ...] | None


def _block_head(block: posting_blocks.Block) -> _Head:
    """A block's ids and weights, read from its first bytes when they have the usual layout
    (``_raw_head``), else unpickled whole."""
    n = block.postings
    if n >= _FEWEST:
        data = block.data
        if block.compressed:
            data = zlib.decompressobj().decompress(data, 11 * n + 24)
        found = _raw_head(data, n)
        if found is not None:
            return found
    ids, weights, _ = block.unpickled()
    return _Head(ids[0], tuple(ids[1:]), weights)


def _joined(heads: list[_Head]) -> tuple[np.ndarray, np.ndarray]:
    """A list's ids and weights from its blocks' heads, in a few array operations for the
    whole list rather than several per block of fifty postings.

    Each block's first id is a document number, the others gaps: as one running sum over the
    whole list, a block's first id is taken as its gap from the last document of the block
    before it, and the sum gives every block's numbers as the block's own running sum does.
    """
    sizes = [len(h.gaps) + 1 for h in heads]
    total = sum(sizes)
    starts = np.zeros(len(heads), np.int64)
    firsts = []
    last = at = 0
    for i, (h, size) in enumerate(zip(heads, sizes, strict=True)):
        starts[i] = at
        firsts.append(h.first - last)
        last = h.first + sum(h.gaps)
        at += size
    if all(isinstance(h.gaps, bytes) for h in heads):
        gaps = np.frombuffer(b"".join(h.gaps for h in heads if isinstance(h.gaps, bytes)), np.uint8)
    else:
        gaps = np.concatenate(
            [
                np.frombuffer(h.gaps, np.uint8)
                if isinstance(h.gaps, bytes)
                else np.asarray(h.gaps, np.int64)
                for h in heads
            ]
        )
    values = np.empty(total, np.int64)
    rest = np.ones(total, bool)
    rest[starts] = False
    values[starts] = firsts
    values[rest] = gaps
    ids = np.cumsum(values)
    if all(isinstance(h.weights, bytes) for h in heads):
        records = b"".join(h.weights for h in heads if isinstance(h.weights, bytes))
        return ids, _weights(records, total)
    weights = np.concatenate([_weights(h.weights, n) for h, n in zip(heads, sizes, strict=True)])
    return ids, weights


def _raw_head(data: bytes, n: int) -> _Head | None:
    """The ids and weights at the start of a block's pickle, when its ids are ``n`` numbers of
    one byte (the first, a document number rather than a gap, of up to four) and its weights
    ``n`` floats, one float or None; else None (read it whole). A tuple of fewer than four
    items has no mark before it, so those blocks are read whole."""
    protocol = data[1] if len(data) > 1 and data[0] == 0x80 else None
    if n < _FEWEST or len(data) < 16 or protocol not in _STARTS:
        return None
    tag, frame, memo_opcode, memo = _STARTS[protocol]
    mark = len(tag) + frame
    if not data.startswith(tag) or data[mark : mark + 1] != _MARK:
        return None
    size = _FIRST_ID.get(data[mark + 1])
    if size is None:
        return None
    first = int.from_bytes(data[mark + 2 : mark + 2 + size], "little", signed=size == 4)
    rest = mark + 2 + size
    ids_end = rest + 2 * (n - 1)
    if len(data) < ids_end + 4 or data[rest:ids_end:2] != _SMALL_INT * (n - 1):
        return None
    if data[ids_end : ids_end + 2] != _TUPLE + memo_opcode:
        return None
    gaps = data[rest + 1 : ids_end : 2]
    at = ids_end + memo  # past the tuple's memo entry
    kind = data[at : at + 1]
    if kind == _NONE:
        return _Head(first, gaps, None)
    if kind == _FLOAT and len(data) >= at + 9:
        return _Head(first, gaps, struct.unpack(">d", data[at + 1 : at + 9])[0])
    end = at + 1 + 9 * n
    if kind != _MARK or len(data) < end + 1 or data[end : end + 1] != _TUPLE:
        return None
    records = data[at + 1 : end]
    if records[::9] != _FLOAT * n:
        return None
    return _Head(first, gaps, records)


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
