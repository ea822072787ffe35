"""A new generation of an index: its list of segments and their deleted documents.

Whoosh's writer commits by writing a new table of contents (``_MAIN_<n>.toc``, the list of
segments, each with the set of its deleted documents) and removing the files no segment of it
names. `commit` does that for segments written elsewhere (`segment_build`), under the index's
write lock, with the documents they replace deleted first.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from whoosh.codec.base import Segment
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, clean_files
from whoosh.reading import SegmentReader
from whoosh.util.filelock import try_for

from ..errors import IndexBusy
from .segment_build import INDEX_NAME

#: Seconds to wait for another writer of the index to finish.
LOCK_WAIT = 30.0


@contextlib.contextmanager
def write_lock(storage: FileStorage) -> Iterator[None]:
    """The index's write lock (the one Whoosh's own writers take)."""
    lock = storage.lock(f"{INDEX_NAME}_WRITELOCK")
    if not try_for(lock.acquire, timeout=LOCK_WAIT, delay=0.1):
        raise IndexBusy("the index is being written by another process; try again later")
    try:
        yield
    finally:
        lock.release()


def read(storage: FileStorage) -> TOC:
    return TOC.read(storage, INDEX_NAME)


def delete_ids(
    storage: FileStorage, toc: TOC, segments: Iterable[Segment], ids: Iterable[str]
) -> int:
    """Mark the documents with these ids deleted in ``segments``; how many were found."""
    wanted = [i.encode("utf-8") for i in dict.fromkeys(ids)]
    found = 0
    for segment in segments:
        if segment.doc_count() == 0:
            continue
        reader = SegmentReader(storage, toc.schema, segment)
        try:
            for term in wanted:
                if ("id", term) not in reader:
                    continue
                for docnum in reader.postings("id", term).all_ids():
                    if not segment.is_deleted(docnum):
                        segment.delete_document(docnum)
                        found += 1
        finally:
            reader.close()
    return found


def small_ones(segments: Iterable[Segment], docs: int) -> list[Segment]:
    """The segments a writer of ``docs`` documents merges into its own, smallest first: each
    no larger than what is merged already. Segments stay few (about the logarithm of the
    documents added since the last rebuild), and each document is rewritten a few times at
    most, never the whole index for a few documents."""
    picked = []
    for segment in sorted(segments, key=lambda s: s.doc_count()):
        if segment.doc_count() > docs:
            break
        picked.append(segment)
        docs += segment.doc_count()
    return picked


def write(storage: FileStorage, toc: TOC, segments: list[Segment]) -> int:
    """Write the next generation with ``segments`` (empty ones left out); its number."""
    kept = [s for s in segments if s.doc_count() > 0]
    generation = int(toc.generation) + 1
    TOC(toc.schema, kept, generation).write(storage, INDEX_NAME)
    clean_files(storage, INDEX_NAME, generation, kept)
    return generation


def folder(storage: FileStorage) -> Path:
    return Path(storage.folder)
