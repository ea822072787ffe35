"""A term's posting list in Whoosh's W3 codec, written and read a list at a time.

Whoosh writes postings one call per posting (a fifth of all indexing time went there); here a
term's whole list is encoded at once, in the same layout: the ``W3Bl`` tag, then blocks of up
to 128 postings, each its length (negative for the last block), a pickled tuple of block
statistics, and the zlib-compressed pickle of its document numbers (as gaps), weights and
values. The statistics Whoosh keeps for the term (`TermStats`) come out beside the bytes.

The pickles use protocol 5 where Whoosh uses 2: protocol 2 has no opcode for bytes and spells
every posting's value as a call that rebuilds it from a Latin-1 string, so the blocks were
half again as large, took three times as long to pickle and twice as long to compress, and
readers (Whoosh's own, unchanged: they unpickle any protocol) took twice as long to read them.
With ``protocol=2`` the bytes are exactly Whoosh's (`tests/indexer/store/test_segment_build.py`).

With protocol 5 a block whose pickle is shorter than `RAW_BELOW` bytes is kept as it is, and
its statistics say so (compression 0), as Whoosh's format allows and every reader honours
(Whoosh's meant to do this under 20 bytes, but a slip in its writer compresses every block):
zlib makes such a pickle hardly smaller, or larger by its header and trailer; compressing
blocks was a sixth of the index writer's processor time, and half of all blocks are that short
(a term's few postings in a commit). Readers skip decompressing them too.
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, repeat
from operator import sub

MAGIC = b"W3Bl"
#: Postings per block and zlib level, as Whoosh's W3 codec writes them.
BLOCK = 128
COMPRESSION = 3
PROTOCOL = 5
#: Blocks whose pickle is shorter are stored uncompressed (not with Whoosh's protocol, 2):
#: they were 52 % of the blocks of generated documents, and kept raw they add 0.7 % to the
#: postings' bytes.
RAW_BELOW = 64
_WHOOSH_PROTOCOL = 2
_INT = struct.Struct("!i")
#: Whoosh's W3TermInfo: flags, weight, doc frequency, min and max length bytes, max weight,
#: first and last document; then the postings' offset and length.
_TERMINFO = struct.Struct("!BfIBBfII")
_EXTENT = struct.Struct("!qi")
_NO_ID = 0xFFFFFFFF


@dataclass(slots=True)
class TermStats:
    """What a term dictionary keeps of a posting list (Whoosh's ``TermInfo``); lengths are the
    byte codes of the lengths column (0: none)."""

    df: int
    weight: float
    maxweight: float
    minlen: int
    maxlen: int
    minid: int
    maxid: int

    def extend(self, other: TermStats) -> None:
        """These statistics followed by those of later documents' postings."""
        self.df += other.df
        self.weight += other.weight
        self.maxweight = max(self.maxweight, other.maxweight)
        if other.minlen and (not self.minlen or other.minlen < self.minlen):
            self.minlen = other.minlen
        self.maxlen = max(self.maxlen, other.maxlen)
        self.maxid = other.maxid

    def head(self) -> bytes:
        """The term dictionary's value for this list but its place in the postings (Whoosh's
        ``W3TermInfo.to_bytes`` up to `extent`)."""
        return _TERMINFO.pack(
            0,
            self.weight,
            self.df,
            self.minlen,
            self.maxlen,
            self.maxweight,
            self.minid,
            self.maxid,
        )

    def to_bytes(self, offset: int, length: int) -> bytes:
        """The term dictionary's value for this list (Whoosh's ``W3TermInfo.to_bytes``)."""
        return self.head() + extent(offset, length)

    @classmethod
    def from_bytes(cls, value: bytes | memoryview) -> tuple[TermStats, int, int]:
        """Statistics, offset and length of a term dictionary's value."""
        _, weight, df, minlen, maxlen, maxweight, minid, maxid = _TERMINFO.unpack_from(value)
        offset, length = _EXTENT.unpack_from(value, _TERMINFO.size)
        minid = 0 if minid == _NO_ID else minid
        return cls(df, weight, maxweight, minlen, maxlen, minid, maxid), offset, length


#: How many bytes of a term dictionary's value come before the list's place (`TermStats.head`).
HEAD = _TERMINFO.size


def extent(offset: int, length: int) -> bytes:
    """The end of a term dictionary's value: where its posting list stands, and its size."""
    return _EXTENT.pack(offset, length)


def place(value: bytes | memoryview) -> tuple[int, int]:
    """Where the posting list of a term dictionary's value stands, and its size."""
    offset, length = _EXTENT.unpack_from(value, HEAD)
    return offset, length


def encode(
    ids: Sequence[int],
    weights: Sequence[float],
    values: Sequence[bytes],
    lengths: bytes | bytearray | None,
    fixed: int | None,
    protocol: int = PROTOCOL,
) -> tuple[list[bytes], TermStats]:
    """A term's postings (ascending documents) as Whoosh writes them, and their statistics.

    ``lengths`` holds each document's length byte in the field (None for a field without
    lengths); ``fixed`` is the format's fixed value size (None: values of any size).
    """
    if len(ids) == 1 and weights[0] == weights[0]:  # (a weight that is NaN: the long way)
        return _one_posting(ids[0], weights[0], values[0], lengths, fixed, protocol)
    return _blocks(ids, weights, values, lengths, fixed, protocol)


def _one_posting(
    doc: int,
    weight: float,
    value: bytes,
    lengths: bytes | bytearray | None,
    fixed: int | None,
    protocol: int,
) -> tuple[list[bytes], TermStats]:
    """`encode` of a list of one posting, the same bytes made without the general loop's
    slices, counts and maxima: half the terms a commit writes have one posting, and this takes
    half the time."""
    stored = array("f", (weight,))[0]  # (the weight as the block keeps it: single precision)
    if fixed is None:
        mini_values: object = (value,) if value else ()
    elif fixed == 0:
        mini_values = None
    else:
        mini_values = b"".join((value,))
    data = pickle.dumps(((doc,), None if stored == 1.0 else stored, mini_values), protocol)
    compression = COMPRESSION
    if len(data) >= RAW_BELOW or protocol == _WHOOSH_PROTOCOL:
        data = zlib.compress(data, COMPRESSION)
    else:
        compression = 0
    heaviest = weight if weight > 0 else 0
    code = 0 if lengths is None else lengths[doc]
    info = pickle.dumps((1, doc, heaviest, compression, code, code), protocol)
    out = [MAGIC, _INT.pack(-(len(info) + len(data))), info, data]
    # (0 + : the sum the loop makes, which turns a weight of -0.0 into 0.0)
    return out, TermStats(1, 0 + stored, heaviest, code, code, doc, doc)


def _blocks(
    ids: Sequence[int],
    weights: Sequence[float],
    values: Sequence[bytes],
    lengths: bytes | bytearray | None,
    fixed: int | None,
    protocol: int,
) -> tuple[list[bytes], TermStats]:
    """`encode` of any list: blocks of up to `BLOCK` postings."""
    out = [MAGIC]
    count = len(ids)
    total: float = 0
    top: float = 0
    minlen = maxlen = 0
    for start in range(0, count, BLOCK):
        end = min(count, start + BLOCK)
        n = end - start
        block_ids = ids[start:end]
        block_weights = weights[start:end]
        stored = array("f", block_weights)
        if stored.count(1.0) == n:
            mini_weights: object = None
        elif stored.count(stored[0]) == n:
            mini_weights = stored[0]
        else:
            mini_weights = tuple(stored)
        gaps = (block_ids[0], *map(sub, block_ids[1:], block_ids))
        block_values = values[start:end]
        if fixed is None:
            mini_values: object = (
                tuple(block_values) if all(block_values) else tuple(v for v in block_values if v)
            )
        elif fixed == 0:
            mini_values = None
        else:
            mini_values = b"".join(block_values)
        data = pickle.dumps((gaps, mini_weights, mini_values), protocol)
        compression = COMPRESSION
        if len(data) >= RAW_BELOW or protocol == _WHOOSH_PROTOCOL:
            data = zlib.compress(data, COMPRESSION)
        else:
            compression = 0
        heaviest = max(block_weights)
        if not heaviest > 0:
            heaviest = 0
        low = high = 0
        if lengths is not None:
            codes = bytes(map(lengths.__getitem__, block_ids))
            high = max(codes)
            low = min(codes) if 0 not in codes else min((c for c in codes if c), default=0)
        info = pickle.dumps((n, block_ids[-1], heaviest, compression, low, high), protocol)
        size = len(info) + len(data)
        out.append(_INT.pack(-size if end == count else size))
        out.append(info)
        out.append(data)
        total += sum(stored)
        top = max(top, heaviest)
        if low and (not minlen or low < minlen):
            minlen = low
        maxlen = max(maxlen, high)
    return out, TermStats(count, total, top, minlen, maxlen, ids[0], ids[-1])


def last_block(postings: memoryview | bytes, start: int, end: int) -> int:
    """Where the length of a posting list's last block stands (``start``: its ``W3Bl`` tag)."""
    pos = start + len(MAGIC)
    while True:
        (size,) = _INT.unpack_from(postings, pos)
        if size < 0 or pos + 4 + size >= end:
            return pos
        pos += 4 + size


def decode(
    postings: memoryview | bytes, start: int, fixed: int | None
) -> tuple[list[int], list[float], list[bytes]]:
    """A posting list's documents, weights and values (Whoosh's reader, a block at a time)."""
    ids: list[int] = []
    weights: list[float] = []
    values: list[bytes] = []
    pos = start + len(MAGIC)
    while True:
        (size,) = _INT.unpack_from(postings, pos)
        pos += 4
        end = pos + abs(size)
        block = io.BytesIO(postings[pos:end])
        n, _, _, compression, *_ = pickle.load(block)
        data = block.read()
        gaps, mini_weights, mini_values = pickle.loads(
            zlib.decompress(data) if compression else data
        )
        ids.extend(accumulate(gaps))
        if mini_weights is None:
            weights.extend(repeat(1.0, n))
        elif isinstance(mini_weights, float):
            weights.extend(repeat(mini_weights, n))
        else:
            weights.extend(mini_weights)
        if fixed is None:
            values.extend(mini_values)
        elif fixed == 0:
            values.extend(repeat(b"", n))
        else:
            values.extend(mini_values[i : i + fixed] for i in range(0, n * fixed, fixed))
        pos = end
        if size < 0:
            return ids, weights, values
