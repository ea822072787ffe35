"""A posting list's blocks, read from its bytes in one piece.

Whoosh's reader moves from block to block by seeking in the postings file, reading the block's
length and unpickling its statistics from the file one small read at a time: tens of
microseconds per block of 128 postings, a large part of decoding a common word's postings (tens
of blocks per word at 10,000 documents, a few hundred words per search that is translated).
Here the whole list is read at once and each block's length and statistics are taken from
those bytes; the blocks' data are left as stored (compressed) for the caller to read.
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib
from typing import Any, NamedTuple

#: The tag a W3 posting list starts with, and the length before each block (big endian,
#: negative for the last block).
_MAGIC = b"W3Bl"
_LENGTH = struct.Struct("!i")
_NEEDS = ("_postfile", "_startoffset", "_length", "_byteids")


class Block(NamedTuple):
    """One block of a posting list: its postings, its last document, its data as stored and
    where that data stands in the postings file (which names the block in its segment)."""

    postings: int
    last: int
    compressed: bool
    data: bytes
    offset: int

    def unpickled(self) -> tuple[Any, Any, Any]:
        """The block's ids (as stored), weights and values, as Whoosh pickles them."""
        raw = zlib.decompress(self.data) if self.compressed else self.data
        ids, weights, values = pickle.loads(raw)
        return ids, weights, values


def blocks(inner: Any) -> list[Block] | None:
    """The blocks of a W3 posting reader's list (None for a reader of another kind)."""
    if not all(hasattr(inner, a) for a in _NEEDS):
        return None
    length = inner._length  # a one-number tuple as Whoosh reads it from the term's record
    raw = inner._postfile.get(
        inner._startoffset, length[0] if isinstance(length, tuple) else length
    )
    if not raw.startswith(_MAGIC):
        return None
    stream = io.BytesIO(raw)
    out: list[Block] = []
    at = len(_MAGIC)
    while at + _LENGTH.size <= len(raw):
        (size,) = _LENGTH.unpack_from(raw, at)
        start, end = at + _LENGTH.size, at + _LENGTH.size + abs(size)
        stream.seek(start)
        postings, last, _, compression, _, _ = pickle.load(stream)
        data = raw[stream.tell() : end]
        offset = inner._startoffset + end - len(data)
        out.append(Block(postings, last, bool(compression), data, offset))
        at = end
        if size < 0:
            return out
    return None  # the list's last block was not found where its lengths said
