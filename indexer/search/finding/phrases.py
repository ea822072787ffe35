"""Phrases confirmed from the positions of their words as arrays, for many documents at once.

A phrase of common words ("social innovation") has thousands of candidate documents — those
with every word — and each had its positions read and checked one document at a time, the
largest cost of a phrase search. Here each word's positions in every document are decoded once
per index generation into one sorted array of (document, position) keys, and the words are
followed through all candidates together with a few vector operations: the same documents as
``positions.in_order_within`` gives one by one (``tests/indexer/search/finding/test_phrases.py``).
"""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np
from whoosh.searching import Searcher

from ...lru import Lru
from .docsets import DocSet
from .positions import KEY_SHIFT, segment_positions
from .scoring import bits_of, mask_of
from .segment_arrays import SEGMENTS, segment_of

#: Bytes of position arrays kept per index generation.
POSITION_ARRAYS_BYTES = 48 * 2**20


class PositionArrays:
    """Each term's positions in every document, as sorted (document, position) keys; decoded
    once per index generation (the most recently used within a budget), shared by threads."""

    def __init__(self, searcher: Searcher, budget: int = POSITION_ARRAYS_BYTES) -> None:
        self.searcher = searcher
        self.size = searcher.doc_count_all()
        self.budget = budget
        self._kept: Lru[tuple[str, str], np.ndarray] = Lru(
            budget, lambda keys: keys.nbytes, keep_last=True
        )

    def kept(self, fieldname: str, text: str) -> np.ndarray | None:
        """A term's keys if they were read already."""
        return self._kept.get((fieldname, text))

    def keys(self, fieldname: str, text: str) -> np.ndarray:
        """Every (document << 32 | position) of a term, ascending; each segment's read once
        per process (``segment_arrays``)."""
        key = (fieldname, text)
        kept = self.kept(fieldname, text)
        if kept is not None:
            return kept
        parts = []
        for sub, offset in self.searcher.leaf_searchers():
            reader = sub.reader()
            (local,) = SEGMENTS.get(
                (segment_of(reader), "positions", fieldname, text),
                partial(_segment_keys, reader, fieldname, text),
            )
            parts.append(local + (offset << KEY_SHIFT) if offset else local)
        found = parts[0] if len(parts) == 1 else np.concatenate([np.zeros(0, np.int64), *parts])
        self._kept.put_many({key: found})
        return found

    def read(self, fieldname: str, text: str, documents: np.ndarray) -> np.ndarray:
        """The keys of a term in the given (ascending) documents, read from the postings
        (not kept: another phrase has other candidates)."""
        parts = []
        for sub, offset in self.searcher.leaf_searchers():
            reader = sub.reader()
            end = offset + reader.doc_count_all()
            local = documents[(documents >= offset) & (documents < end)] - offset
            if len(local):
                docs, at = segment_positions(reader, fieldname, text, local)
                parts.append(_keys(docs + offset, at))
        return np.concatenate([np.zeros(0, np.int64), *parts])


def _keys(docs: np.ndarray, at: np.ndarray) -> np.ndarray:
    keys: np.ndarray = (docs << KEY_SHIFT) | at
    return keys


def _segment_keys(reader: Any, fieldname: str, text: str) -> tuple[np.ndarray]:
    return (_keys(*segment_positions(reader, fieldname, text)),)


def phrase_documents(
    arrays: PositionArrays,
    fieldname: str,
    words: list[tuple[str, int]],
    slop: int,
    candidates: DocSet,
) -> DocSet:
    """The candidates in which the words stand in order, each at most ``slop`` positions after
    the one before (as ``in_order_within``). ``words``: each word with the number of documents
    that have it. A word most of whose documents are candidates has its positions in every
    document read (and kept for the next phrases); the others, only those of the candidates.

    Only the first word's positions are narrowed to the candidates: a later word's position
    counts only after a reachable one in the same document, which is a candidate already."""
    wanted = mask_of(candidates, arrays.size)
    count = candidates.bit_count()
    members: np.ndarray | None = None
    reachable: np.ndarray | None = None
    for word, having in words:
        keys = arrays.kept(fieldname, word)
        if keys is None and having <= 4 * count:
            keys = arrays.keys(fieldname, word)
        if keys is None:
            members = members if members is not None else np.flatnonzero(wanted)
            keys = arrays.read(fieldname, word, members)
        if reachable is None:
            reachable = keys[wanted[keys >> KEY_SHIFT]]
        else:
            reachable = following(reachable, keys, slop)
        if not len(reachable):
            return 0
    found = np.zeros(arrays.size, bool)
    if reachable is not None:
        found[reachable >> KEY_SHIFT] = True
    return bits_of(found & wanted)


def following(reachable: np.ndarray, keys: np.ndarray, slop: int) -> np.ndarray:
    """The keys within (start, start + ``slop``] of a reachable start, in the same document
    (a position never comes near 2**32). Both ascending; the smaller one is looked up in the
    larger one."""
    if len(keys) <= len(reachable):
        # Each key's nearest reachable start before it.
        before = np.searchsorted(reachable, keys, side="left")
        nearest = reachable[np.maximum(before - 1, 0)]
        reached: np.ndarray = keys[(before > 0) & (nearest >= keys - slop)]
        return reached
    first = np.searchsorted(keys, reachable, side="right")
    if slop == 1:
        next_key = keys[np.minimum(first, len(keys) - 1)]
        adjacent: np.ndarray = next_key[next_key == reachable + 1]
        return adjacent
    last = np.searchsorted(keys, reachable + slop, side="right")
    size = len(keys) + 1
    marks = np.bincount(first, minlength=size) - np.bincount(last, minlength=size)
    covered: np.ndarray = keys[np.cumsum(marks[:-1]) > 0]
    return covered
