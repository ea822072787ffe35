"""Arrays decoded from an index segment's postings, kept by the process across generations.

Whoosh never changes a segment once written: a commit adds segments, a merge writes a new one,
and deletions are kept beside the segments. What is decoded from a segment's postings — a
term's documents and weights, its positions, a field's lengths — is therefore the same in every
index generation that still has the segment. Kept by segment here, a new generation (after an
incremental run added a document) decodes only its new segments, instead of every term again
in every worker process. Documents are numbered within their segment; deleted ones are left in
(each generation masks its own).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from ...lru import Lru

#: Bytes of arrays kept per process.
SEGMENT_ARRAYS_BYTES = 160 * 2**20

Kept = TypeVar("Kept", bound=tuple[np.ndarray, ...])


class SegmentArrays:
    """The most recently used arrays, by (segment, kind, field, term), within a budget."""

    def __init__(self, budget: int = SEGMENT_ARRAYS_BYTES) -> None:
        self.budget = budget
        self._kept: Lru[tuple[Any, ...], tuple[np.ndarray, ...]] = Lru(
            budget, lambda arrays: sum(a.nbytes for a in arrays), keep_last=True
        )

    def get(self, key: tuple[Any, ...], make: Callable[[], Kept]) -> Kept:
        """The arrays kept under ``key``, made (outside the lock) when there are none."""
        return self._kept.get_or_make(key, make)  # type: ignore[return-value]  # stored as made

    def kept(self, key: tuple[Any, ...]) -> tuple[np.ndarray, ...] | None:
        """The arrays kept under ``key``, if made already."""
        return self._kept.get(key)


#: The process's arrays, shared by every index generation and engine.
SEGMENTS = SegmentArrays()


def segment_of(reader: Any) -> str:
    """The name of a segment reader's segment, unique to it (random per segment written)."""
    name: str = reader.segment().segment_id()
    return name
