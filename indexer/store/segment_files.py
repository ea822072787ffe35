"""One compound segment file of Whoosh's W3 codec, written in one pass and read term by term.

Whoosh writes a segment's parts as separate files and then copies them into one compound file
(``.seg``); a segment is then mapped into memory whole when a reader opens it, so a later
commit may delete its file without harm. Here the postings are written straight into the
compound file as they are made, and only the small parts (the term dictionary and the columns)
are copied in: a segment of hundreds of megabytes is written once, not twice.

The same file serves as a *run*: postings of some documents with their term dictionary and no
columns, which a later segment concatenates (`SegmentTerms` reads them back in term order).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import struct
import time
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.filetables import OrderedHashWriter
from whoosh.filedb.structfile import StructFile

from .blocks import HEAD, MAGIC, TermStats, extent, last_block, place

_ENTRY = struct.Struct("!ii")
_FIELD = struct.Struct("!H")
_HEADER = struct.Struct("!qi")
_INT = struct.Struct("!i")
#: Whoosh's hash file: its header (tag, hash type, two unused integers), and the directory
#: of its 256 hash tables (each a position and a number of slots) before its extras.
_HASH_HEADER = 13
_TABLE = struct.Struct("!qi")
_TABLES = 256
#: One slot of a hash table: the hash of a key and where its entry starts.
_SLOT = np.dtype([("hash", ">u4"), ("position", ">i8")])
#: Postings copied into a segment file in pieces of at most this size.
_COPY = 1 << 20
Key = tuple[str, bytes]


class SegmentFileWriter:
    """Writes ``path``: postings term by term (in field and term order), then the term
    dictionary and the column files of ``columns`` (a folder), then the compound directory.

    ``name`` is the segment's file name stem (``MAIN_<id>``): the names inside the compound
    file are those Whoosh's codec looks for.
    """

    def __init__(self, path: Path, name: str, temp: Path) -> None:
        self.path = path
        self.name = name
        self.file = StructFile(path.open("wb"))
        self.file.write(_HEADER.pack(0, 0))
        self.base = self.file.tell()
        self.pos = self.base
        self._write = self.file.file.write  # (the buffered file, without Whoosh's wrapper)
        self.terms_path = temp / f"{name}.trm.tmp"
        self.terms = _TermDictionary(StructFile(self.terms_path.open("wb")))
        self.fieldmap: dict[str, int] = {}
        self.terms.extras["fieldmap"] = self.fieldmap

    def add(self, key: Key, stats: TermStats, pieces: list[Any]) -> None:
        """One term's posting list: ``pieces`` are its bytes (tag and blocks) in order."""
        self.copy(key, stats.head(), pieces)

    def copy(self, key: Key, head: bytes, pieces: list[Any]) -> None:
        """One term's posting list with its statistics as a term dictionary holds them."""
        fieldname, text = key
        fieldid = self.fieldmap.get(fieldname)
        if fieldid is None:
            fieldid = self.fieldmap[fieldname] = len(self.fieldmap)
        offset = self.pos
        # (a short list's pieces written at once: a call per piece was a tenth of the writing)
        self.pos += self._write(pieces[0] if len(pieces) == 1 else b"".join(pieces))
        self.terms.add(
            _FIELD.pack(fieldid) + text, head + extent(offset - self.base, self.pos - offset)
        )

    def finish(self, columns: Path | None = None) -> None:
        """Close the file: the term dictionary and ``columns``' files after the postings."""
        f = self.file
        now = time.time()
        directory = {
            f"{self.name}{W3Codec.POSTS_EXT}": {
                "offset": self.base,
                "length": f.tell() - self.base,
                "modified": now,
            }
        }
        self.terms.close()
        parts = [(f"{self.name}{W3Codec.TERMS_EXT}", self.terms_path)]
        if columns is not None:
            parts += [(p.name, p) for p in sorted(columns.iterdir()) if p.is_file()]
        for name, source in parts:
            offset = f.tell()
            with source.open("rb") as fh:
                while chunk := fh.read(_COPY):
                    f.write(chunk)
            directory[name] = {"offset": offset, "length": f.tell() - offset, "modified": now}
        self.terms_path.unlink()
        dirpos = f.tell()
        f.write_pickle(directory)
        f.write_pickle({})
        end = f.tell()
        f.flush()
        f.seek(0)
        f.write(_HEADER.pack(dirpos, end - dirpos))
        f.close()

    def cancel(self) -> None:
        self.file.close()
        self.terms_path.unlink(missing_ok=True)
        self.path.unlink(missing_ok=True)


class _TermDictionary(OrderedHashWriter):  # type: ignore[misc]
    """Whoosh's ordered hash file of terms, each entry written in one call, its position kept
    here rather than asked of the file (the same bytes; a commit adds every term of its
    segment, so the layers of a call per entry were a tenth of its time).

    Each term's hash and position wait for the hash tables in two arrays per table (12 bytes
    a term), not in a tuple of two integers (about 120): a segment of 10,000 documents has
    hundreds of thousands of terms, and the main process held them all until the file closed.
    """

    lastkey: bytes

    def __init__(self, dbfile: StructFile) -> None:
        super().__init__(dbfile)
        self.pos = dbfile.tell()
        self._write = dbfile.file.write
        self.hashes = [array("I") for _ in range(_TABLES)]
        self.positions = [array("q") for _ in range(_TABLES)]

    def add(self, key: bytes, value: bytes) -> None:
        if key <= self.lastkey:
            raise ValueError(f"keys must increase: {self.lastkey!r}..{key!r}")
        pos = self.pos
        self.index.append(pos)
        self.pos += self._write(_ENTRY.pack(len(key), len(value)) + key + value)
        # Whoosh's hash of a key: the last four bytes of its MD5 digest.
        digest = hashlib.md5(key, usedforsecurity=False).digest()
        h = int.from_bytes(digest[-4:], "big")
        self.hashes[h & 255].append(h)
        self.positions[h & 255].append(pos)
        self.lastkey = key

    def _write_hashes(self) -> None:
        """The 256 hash tables, as Whoosh writes them: twice as many slots as entries, each
        entry in the slot its hash names or the next free one, an empty slot (0, 0)."""
        dbfile = self.dbfile
        for hashes, positions in zip(self.hashes, self.positions, strict=True):
            slots = 2 * len(hashes)
            self.directory.append((dbfile.tell(), slots))
            entry_in = [-1] * slots  # which entry each slot holds
            for entry, h in enumerate(hashes):
                slot = (h >> 8) % slots
                while entry_in[slot] >= 0:
                    slot = (slot + 1) % slots
                entry_in[slot] = entry
            held = np.array(entry_in, dtype=np.int64)
            filled = held >= 0
            table = np.zeros(slots, dtype=_SLOT)
            table["hash"][filled] = np.frombuffer(hashes, dtype=np.uint32)[held[filled]]
            table["position"][filled] = np.frombuffer(positions, dtype=np.int64)[held[filled]]
            dbfile.write(table.tobytes())
        self.hashes = self.positions = []


class SegmentTerms:
    """A segment file's posting lists in term order, read a term at a time.

    ``file``: its path, or the file open (still readable once another writer has deleted it).
    ``entries()`` yields ``(key, stats, body, last)``: the term, its statistics, its blocks
    (without the ``W3Bl`` tag) and where its last block's length stands in ``body``.

    The file is read with positioned reads, the term dictionary and the posting lists in pieces
    of `_COPY` bytes (a longer list on its own), never mapped: a commit that copies a segment
    of hundreds of megabytes holds one such piece at a time, and its pages stay in the
    operating system's cache instead of the process's memory.
    """

    def __init__(self, file: Path | BinaryIO) -> None:
        self._own = file.open("rb") if isinstance(file, Path) else None
        handle = self._own if self._own is not None else file
        assert not isinstance(handle, Path)
        self.fd = handle.fileno()
        dirpos, dirlen = _HEADER.unpack(self._read(0, _HEADER.size))
        self._size = os.fstat(self.fd).st_size
        self.directory: dict[str, dict[str, Any]] = pickle.loads(self._read(dirpos, dirlen))

    def _read(self, offset: int, length: int) -> bytes:
        data = os.pread(self.fd, length, offset)
        while len(data) < length:  # (a read may return less than asked)
            more = os.pread(self.fd, length - len(data), offset + len(data))
            if not more:
                raise EOFError(f"a segment file ends before byte {offset + length}")
            data += more
        return data

    def _part(self, ext: str) -> tuple[int, int]:
        for name, info in self.directory.items():
            if name.endswith(ext) and name.count(".") == 1:
                return info["offset"], info["length"]
        raise FileNotFoundError(ext)

    def _dictionary(self) -> tuple[int, int, dict[str, Any]]:
        """Where the term dictionary's entries start and end in the file, and its extras
        (Whoosh's hash file: a header, the entries, the hash tables, their directory, then
        the extras and their length)."""
        offset, length = self._part(W3Codec.TERMS_EXT)
        end = offset + length
        (extras_length,) = _INT.unpack(self._read(end - _INT.size, _INT.size))
        extras_at = end - _INT.size - extras_length
        extras: dict[str, Any] = pickle.loads(self._read(extras_at, extras_length))
        first_table, _ = _TABLE.unpack(self._read(extras_at - _TABLES * _TABLE.size, _TABLE.size))
        return offset + _HASH_HEADER, offset + first_table, extras

    def _dictionary_entries(self) -> Iterator[tuple[bytes, bytes]]:
        """The term dictionary's keys and values in order, read in pieces."""
        start, end, _ = self._dictionary()
        buffer, at, pos = b"", 0, start  # `buffer[at]` is the file's byte at `pos`

        def refill(need: int) -> None:
            nonlocal buffer, at
            buffer, at = buffer[at:], 0
            have = len(buffer)
            buffer += self._read(pos + have, min(max(need - have, _COPY), end - pos - have))

        while pos < end:
            if len(buffer) - at < _ENTRY.size:
                refill(_ENTRY.size)
            keylen, datalen = _ENTRY.unpack_from(buffer, at)
            size = _ENTRY.size + keylen + datalen
            if len(buffer) - at < size:
                refill(size)
            keypos = at + _ENTRY.size
            yield buffer[keypos : keypos + keylen], buffer[keypos + keylen : at + size]
            at += size
            pos += size

    def copies(self) -> Iterator[tuple[Key, bytes, bytes]]:
        """Each term, its statistics as the dictionary holds them (`TermStats.head`) and its
        posting list (tag and blocks), in term order: what a copy of the list needs."""
        pst_offset, _ = self._part(W3Codec.POSTS_EXT)
        _, _, extras = self._dictionary()
        unmap = {num: name for name, num in extras["fieldmap"].items()}
        unpack_field = _FIELD.unpack_from
        # The lists lie in the file in the order of their terms: they are read a piece of
        # `_COPY` bytes at a time (one read for many short lists), and cut from it.
        piece, start = b"", 0  # `piece` holds the file's bytes from `start`
        for key, value in self._dictionary_entries():
            offset, length = place(value)
            at = pst_offset + offset - start
            if at < 0 or at + length > len(piece):
                start = pst_offset + offset
                piece = self._read(start, max(length, min(_COPY, self._size - start)))
                at = 0
            postings = piece[at : at + length]
            yield (unmap[unpack_field(key)[0]], key[2:]), value[:HEAD], postings

    def entries(self) -> Iterator[tuple[Key, TermStats, memoryview, int]]:
        for key, head, postings in self.copies():
            yield (key, *parsed(head, postings))

    def close(self) -> None:
        """Close the file if it was opened here."""
        if self._own is not None:
            self._own.close()
            self._own = None


def parsed(head: bytes, postings: bytes) -> tuple[TermStats, memoryview, int]:
    """A copied term's statistics, its blocks (without the ``W3Bl`` tag) and where its last
    block's length stands in them."""
    stats, _, _ = TermStats.from_bytes(head + extent(0, 0))
    tag = len(MAGIC)
    last = last_block(postings, 0, len(postings)) - tag
    return stats, memoryview(postings)[tag:], last


def read_directory(path: Path) -> dict[str, Any]:
    """The names, offsets and lengths of a compound file's parts."""
    with path.open("rb") as fh:
        dirpos, _ = _HEADER.unpack(fh.read(_HEADER.size))
        fh.seek(dirpos)
        directory: dict[str, Any] = pickle.load(fh)
    return directory


def remove(path: Path) -> None:
    """Delete a file that may already be gone."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


__all__ = ["FileStorage", "SegmentFileWriter", "SegmentTerms", "read_directory", "remove"]
