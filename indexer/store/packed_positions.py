"""Word positions of the body text fields, stored as bytes that many postings are read from at once.

Whoosh's ``Positions`` format stores a posting's positions as their number and then the gaps
between them as a pickled list: two bytes for a gap below 256 and more for the others, read
back one posting at a time or, for a common word's thousands of postings, by walking every
posting's pickle a gap at a time — tens of milliseconds for a word such as "the" at 10,000
documents, the largest cost of a phrase of common words.

Here a posting's value is only its gaps (the first one is the first position), each written in
groups of seven bits, the most significant first, every byte but a number's last one with its
high bit set. Nothing else stands in a value, so the values of any number of postings joined
together are one stream of numbers: a number ends at each byte below 128, and each posting's
count is the number of such bytes in it. A term's positions in every document are then decoded
with a handful of array operations over the joined bytes, whatever their number (``unpacked``),
and most gaps take one byte instead of two. Whoosh's own readers read the values through the
format's methods (``PackedPositions``), as they read any format's.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import accumulate, chain, pairwise
from operator import sub

import numpy as np
from whoosh.formats import Positions

#: The high bit of every byte of a number but its last.
_MORE = 0x80
_LOW = 0x7F
#: Bytes of the longest number written (positions stay far below 2**35).
_LONGEST = 5
#: Single numbers' bytes, made once (most terms of a document stand once, early on).
_SMALL = 1 << 14
_NUMBERS = tuple(
    bytes((n,)) if n < _MORE else bytes((_MORE | n >> 7, n & _LOW)) for n in range(_SMALL)
)


def number_bytes(n: int) -> bytes:
    """One number's bytes: groups of seven bits, most significant first."""
    if n < 0:
        raise ValueError(f"a position or a gap is never negative: {n}")
    if n < _SMALL:
        return _NUMBERS[n]
    groups = [n & _LOW]
    n >>= 7
    while n:
        groups.append(_MORE | (n & _LOW))
        n >>= 7
    return bytes(reversed(groups))


def packed(at: Sequence[int]) -> bytes:
    """The value of a posting with these (ascending) positions."""
    if not at:
        return b""
    first = number_bytes(at[0])
    if len(at) == 1:
        return first
    gaps = list(map(sub, at[1:], at[:-1]))
    if min(gaps) < 0:
        raise ValueError(f"positions not in order: {list(at)}")
    widest = max(gaps)
    if widest < _MORE:
        return first + bytes(gaps)
    return first + b"".join(map(_NUMBERS.__getitem__ if widest < _SMALL else number_bytes, gaps))


def packed_many(postings: Sequence[Sequence[int]]) -> list[bytes]:
    """The values of many postings, each the bytes `packed` gives it, made with a handful of
    array operations over all their positions at once. A document's field has hundreds or
    thousands of terms; packed a term at a time (its gaps, their widths, their bytes), they
    took half of the encoding of a document's fields, itself an eighth of an extraction
    worker's time. Here the numbers are written into one buffer, each byte at its place
    counted back from its number's end, and each posting's value is cut from it.

    Positions out of order, negative or too large for `_LONGEST` bytes go through `packed`,
    which refuses the first two as it always did."""
    count = len(postings)
    if not count:
        return []
    sizes = np.fromiter(map(len, postings), np.int64, count)
    ends = np.cumsum(sizes)
    total = int(ends[-1])
    if not total:
        return [b""] * count
    at = np.fromiter(chain.from_iterable(postings), np.int64, total)
    gaps = np.empty_like(at)
    gaps[0] = at[0]
    np.subtract(at[1:], at[:-1], out=gaps[1:])
    firsts = (ends - sizes)[sizes > 0]
    gaps[firsts] = at[firsts]  # a posting's first gap is its first position
    widest = int(gaps.max())
    if gaps.min() < 0 or widest >> (7 * _LONGEST):
        return list(map(packed, postings))
    width = np.ones(total, np.int64)
    for groups in range(1, _LONGEST):
        if not widest >> (7 * groups):
            break
        width += gaps >> (7 * groups) > 0
    stops = np.cumsum(width)  # where each number's bytes end
    out = np.empty(int(stops[-1]), np.uint8)
    out[stops - 1] = gaps & _LOW
    for groups in range(1, _LONGEST):
        wider = width > groups
        if not wider.any():
            break
        out[stops[wider] - 1 - groups] = (gaps[wider] >> (7 * groups)) & _LOW | _MORE
    buffer = out.tobytes()
    # Each posting's bytes end where its last number's do (the bytes of the numbers before
    # the first ``n`` end at ``after[n]``): a posting without positions is an empty value.
    after = np.concatenate(([0], stops))
    bounds = [0, *after[ends].tolist()]
    return [buffer[start:end] for start, end in pairwise(bounds)]


def unpacked_one(value: bytes) -> list[int]:
    """The positions of one posting. Mostly in C: the gaps after the first position are
    usually all below 128, their bytes as they are."""
    first = end = 0
    while end < len(value) and value[end] & _MORE:
        first = first << 7 | (value[end] & _LOW)
        end += 1
    if end < len(value):
        rest = value[end + 1 :]
        if not rest or max(rest) < _MORE:
            return list(accumulate(rest, initial=first << 7 | value[end]))
    gaps = []
    number = 0
    for byte in value:
        if byte & _MORE:
            number = number << 7 | (byte & _LOW)
        else:
            gaps.append(number << 7 | byte)
            number = 0
    return list(accumulate(gaps))


def unpacked(values: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Each posting's number of positions and all their positions, posting after posting (each
    posting's ascending, counted from its document's first word). ValueError when a value is
    cut short (its last byte is not a number's last)."""
    count = len(values)
    if not count:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    raw = np.frombuffer(b"".join(values), np.uint8)
    lengths = np.fromiter(map(len, values), np.int64, count)
    ends_of_values = np.cumsum(lengths)
    last = raw < _MORE
    if len(raw) and not last[ends_of_values[lengths > 0] - 1].all():
        raise ValueError("a posting's positions end in the middle of a number")
    ends = np.flatnonzero(last)
    gaps = raw[ends].astype(np.int64)
    # The bytes of numbers of more than one byte but their last (gaps of 128 words or more,
    # most first positions): few, each added to its number, shifted by its place in it.
    more = np.flatnonzero(~last)
    if len(more):
        owner = np.searchsorted(ends, more)
        place = ends[owner] - more
        if place.max() >= _LONGEST:
            raise ValueError("a position beyond the longest number written")
        np.add.at(gaps, owner, (raw[more] & _LOW).astype(np.int64) << (7 * place))
    numbers = np.diff(np.searchsorted(ends, ends_of_values), prepend=0)
    return numbers, within(gaps, numbers)


def within(gaps: np.ndarray, numbers: np.ndarray) -> np.ndarray:
    """Gaps summed into positions, each posting's own (``numbers``: each posting's gaps), in
    place: each posting's first gap less the sum of the posting's before it (where the running
    sum stands at its end), then one running sum."""
    if not len(gaps):
        return gaps
    numbers = numbers[numbers > 0]
    firsts = np.cumsum(numbers) - numbers
    sums = np.add.reduceat(gaps, firsts)
    gaps[firsts[1:]] -= sums[:-1]
    summed: np.ndarray = np.cumsum(gaps, out=gaps)
    return summed


class PackedPositions(Positions):  # type: ignore[misc]  # Whoosh is untyped
    """Whoosh's ``Positions`` with each posting's value as ``packed`` writes it."""

    def encode(self, poslist: Sequence[int]) -> bytes:
        return packed(poslist)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return unpacked_one(valuestring)

    def decode_frequency(self, valuestring: bytes) -> int:
        return sum(byte < _MORE for byte in valuestring)

    def decode_weight(self, valuestring: bytes) -> float:
        return float(self.decode_frequency(valuestring) * self.field_boost)
