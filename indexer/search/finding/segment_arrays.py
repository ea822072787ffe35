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

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from whoosh.searching import Searcher

from ...lru import Lru
from ...store import posting_arrays
from ...store.posting_arrays import PostingArrays

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


def term_bytes(field: Any, text: str | bytes) -> bytes:
    """A term as the index stores it: its bytes as given, or its text encoded by its field."""
    found: bytes = text if isinstance(text, bytes) else field.to_bytes(text)
    return found


def segment_of(reader: Any) -> str:
    """The name of a segment reader's segment, unique to it (random per segment written)."""
    name: str = reader.segment().segment_id()
    return name


#: Fields whose postings are not read by searches (autocomplete reads the vocabulary's terms,
#: never its postings): left out of the arrays files.
NOT_IN_FILES = frozenset({"vocab"})


def _folder(reader: Any) -> str | None:
    """The index folder of a segment reader (a compound segment's storage lies over the
    folder's: its second part)."""
    storage = getattr(reader, "_storage", None)
    for candidate in (storage, getattr(storage, "b", None)):
        folder = getattr(candidate, "folder", None)
        if isinstance(folder, str):
            return folder
    return None


def arrays_of(reader: Any) -> PostingArrays | None:
    """A segment reader's postings as the arrays file beside the segment has them (mapped,
    shared by every process), or None while there is no such file."""
    folder = _folder(reader)
    return None if folder is None else posting_arrays.OPENED.get(folder, segment_of(reader))


def missing_files(searcher: Searcher) -> list[tuple[Path, str]]:
    """The segments of a generation without an arrays file yet: (index folder, segment)."""
    out = []
    for sub, _ in searcher.leaf_searchers():
        reader = sub.reader()
        folder = _folder(reader)
        if folder is not None and arrays_of(reader) is None:
            out.append((Path(folder), segment_of(reader)))
    return out


def write_files(
    searcher: Searcher, missing: list[tuple[Path, str]], elsewhere: bool = False
) -> None:
    """Write the arrays files of the ``missing`` segments (those another process is writing
    are left to it); this process then looks for them again at once. ``elsewhere``: each in a
    child process at low priority (a server's worker keeps answering meanwhile)."""
    schema = searcher.schema
    fields = [name for name in schema.names() if schema[name].indexed]
    fields = [name for name in fields if name not in NOT_IN_FILES]
    for folder, segment in missing:
        if elsewhere:
            command = [sys.executable, "-m", "indexer.store.posting_arrays", str(folder), segment]
            command += fields
            subprocess.run(
                ["nice", "-n", "10", *command] if shutil.which("nice") else command,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
        else:
            posting_arrays.build(folder, segment, schema, fields)
    posting_arrays.OPENED.forget()
