"""Reading the index files through shared memory maps, safely from many threads.

Both sides use it: searchers (below) and the indexer's writer (which reads the segments it
adds to).

Whoosh opens each segment file as a ``BufferFile`` over a memory map, and that class copies the
whole mapped file into a ``BytesIO`` to keep a read position: every searcher then holds its own
copy of the index (the memory of a server grew with its threads), and a searcher cannot be shared
by threads, because two posting readers seeking in one file move each other's position.

Here each file is mapped once per searcher, never copied, and the read position is kept per
thread. All threads of a process then share one searcher per index generation, and all worker
processes share the mapped pages through the operating system's page cache. A mapped file stays
readable after a merge deletes it, so an open searcher keeps seeing its own generation.
"""

from __future__ import annotations

import mmap
import os
import threading
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile
from whoosh.index import FileIndex

#: Bytes a look ahead returns at most: a posting block's header is a few dozen; a longer pickle
#: is read on with ``read`` (the unpickler asks for the rest).
PEEK_BYTES = 512


class _View:
    """A read-only file over a memory buffer, with one read position per thread."""

    def __init__(self, buf: memoryview) -> None:
        self._buf = buf
        self._size = len(buf)
        self._local = threading.local()

    def _pos(self) -> int:
        return getattr(self._local, "pos", 0)

    def read(self, n: int = -1) -> bytes:
        pos = self._pos()
        end = self._size if n is None or n < 0 else min(self._size, pos + n)
        self._local.pos = end
        return bytes(self._buf[pos:end])

    def peek(self, n: int = 1) -> bytes:
        """Bytes from the read position on, without moving it (at most ``PEEK_BYTES``).

        Whoosh reads each posting block's header with ``pickle.load`` on this file; given a
        ``peek``, the unpickler looks ahead once and then reads exactly what the pickle took,
        instead of calling ``read`` for every few bytes of it (a score of calls per block)."""
        pos = self._pos()
        return bytes(self._buf[pos : min(self._size, pos + min(max(n, 1), PEEK_BYTES))])

    def readline(self, limit: int = -1) -> bytes:
        pos = self._pos()
        end = self._size if limit is None or limit < 0 else min(self._size, pos + limit)
        chunk = bytes(self._buf[pos:end])
        newline = chunk.find(b"\n")
        if newline >= 0:
            chunk = chunk[: newline + 1]
        self._local.pos = pos + len(chunk)
        return chunk

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if whence == os.SEEK_CUR:
            offset += self._pos()
        elif whence == os.SEEK_END:
            offset += self._size
        self._local.pos = offset
        return offset

    def tell(self) -> int:
        return self._pos()

    def close(self) -> None:
        """The map is released when the last view of it is gone, never while one reads it."""


class SharedFile(BufferFile):
    """Whoosh's in-memory file, without the copy and with per-thread positions."""

    def __init__(self, buf: memoryview | bytes, name: str | None = None, onclose: Any = None):
        self._buf = memoryview(buf)
        self._name = name
        self.file = _View(self._buf)
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False

    def subset(self, position: int, length: int, name: str | None = None) -> SharedFile:
        return SharedFile(self._buf[position : position + length], name=name or self._name)

    def close(self) -> None:
        if self.onclose:
            self.onclose(self)
        self.is_closed = True


class MappedStorage(FileStorage):
    """The index folder, every file memory-mapped once when first opened for reading.

    Readers open it read-only. The indexer opens it writable: a writer reads the existing
    segments too (to delete replaced documents, and to merge small segments), and through
    Whoosh's own files it would copy each segment's postings into memory, so an incremental run
    would grow with the index it adds to.
    """

    def __init__(self, path: str, readonly: bool = True) -> None:
        super().__init__(path, supports_mmap=True, readonly=readonly)

    def open_file(self, name: str, **kwargs: Any) -> SharedFile:
        with open(self._fpath(name), "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size == 0:
                return SharedFile(b"", name=name)
            mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        return SharedFile(memoryview(mapped), name=name)


def open_shared(path: str) -> FileIndex:
    """The index in ``path`` for reading only (it writes nothing, so a read-only folder works)."""
    return MappedStorage(path).open_index()
