"""Word positions of many postings decoded at once, from the bytes Whoosh stores for them.

Whoosh's ``Positions`` format stores a posting's positions as their number (four bytes, big
endian) and then the gaps between them pickled as a list (protocol 2): a gap is an opcode
and one, two or four bytes of number (``K``, ``M``, ``J``), a list of several gaps is framed
by a mark and an ``APPENDS``, one gap is followed by an ``APPEND``. Unpickled one posting at
a time, a common word's positions in every document (half a million at 10,000 documents)
took tens of milliseconds — most of the cost of a phrase of common words. Here the postings'
bytes are joined and walked together, one gap of every posting per step: as many steps as
the longest list has gaps, each a few array operations over all postings.

Anything in another layout (a list of more than a thousand gaps is pickled in batches; a
format that is not ``Positions``) is left to the caller's slower way: ``decoded`` answers None.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: How the pickled gap list of a posting starts after its count: protocol 2, an empty list,
#: put in the pickle's memo at 0.
_HEAD = np.frombuffer(b"\x80\x02]q\x00", np.uint8)
_COUNT = 4
_START = _COUNT + len(_HEAD)
_MARK, _APPEND, _APPENDS, _STOP = (ord(c) for c in "(ae.")
#: Bytes of number after each opcode of a gap (0: not a gap's opcode).
_SIZES = np.zeros(256, np.int64)
_SIZES[ord("K")], _SIZES[ord("M")], _SIZES[ord("J")] = 1, 2, 4
#: The pickler writes a list's items in batches of this many (a layout left to Whoosh).
_BATCH = 1000


def decoded(values: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray] | None:
    """Each posting's number of positions and all their positions (each posting's ascending,
    counted from its document's first word), or None when a value is in another layout."""
    count = len(values)
    if not count:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    raw = np.frombuffer(b"".join(values), np.uint8)
    lengths = np.fromiter(map(len, values), np.int64, count)
    if lengths.min() < _START + 3:  # the shortest: one gap of one byte, APPEND, no stop
        return None
    starts = np.zeros(count, np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    head = raw[starts[:, None] + np.arange(_START)].astype(np.int64)
    numbers = (head[:, 0] << 24) | (head[:, 1] << 16) | (head[:, 2] << 8) | head[:, 3]
    if not (head[:, _COUNT:] == _HEAD).all() or numbers.min() < 1 or numbers.max() > _BATCH:
        return None
    several = numbers > 1
    if not (raw[starts[several] + _START] == _MARK).all():
        return None
    gaps = _gaps(raw, starts + _START + several, numbers)
    if gaps is None:
        return None
    found, ends = gaps
    closing = np.where(several, _APPENDS, _APPEND)
    last = len(raw) - 1
    after = ends + 1
    stop = raw[np.minimum(after, last)] == _STOP
    finished = (after == starts + lengths) | ((after + 1 == starts + lengths) & stop)
    if not ((raw[np.minimum(ends, last)] == closing) & finished).all():
        return None
    return numbers, within(found, numbers)


def _gaps(
    raw: np.ndarray, cursors: np.ndarray, numbers: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """The gaps of every posting, read a gap of every posting at a time (the postings with
    the most gaps first, so that those still being read are a prefix), and where each
    posting's gaps end; None when something else stands where a gap should."""
    order = np.argsort(-numbers, kind="stable")
    cursors = cursors[order]
    sorted_numbers = numbers[order]
    # Where each posting's gaps go in the output, in the postings' own order.
    bases = np.cumsum(numbers) - numbers
    slots = bases[order]
    found = np.empty(int(numbers.sum()), np.int64)
    last = len(raw) - 1
    # How many postings have more than ``step`` gaps, for every step.
    rising = sorted_numbers[::-1]
    reading = len(numbers) - np.searchsorted(rising, np.arange(numbers.max()), side="right")
    for step, active in enumerate(reading.tolist()):
        at = cursors[:active]
        sizes = _SIZES[raw[at]]
        if not sizes.all():
            return None
        gap = raw[np.minimum(at + 1, last)].astype(np.int64)
        wide = sizes > 1
        if wide.any():
            gap += (raw[np.minimum(at + 2, last)].astype(np.int64) << 8) * wide
            widest = sizes == 4
            if widest.any():
                high = raw[np.minimum(at + 4, last)].astype(np.int64)
                if (high[widest] > 127).any():  # a negative number: no gap between positions
                    return None
                third = raw[np.minimum(at + 3, last)].astype(np.int64)
                gap += ((third << 16) + (high << 24)) * widest
        found[slots[:active] + step] = gap
        cursors[:active] = at + 1 + sizes
    ends = np.empty_like(cursors)
    ends[order] = cursors
    return found, ends


def within(gaps: np.ndarray, numbers: np.ndarray) -> np.ndarray:
    """Gaps summed into positions, each posting's own (``numbers``: each posting's gaps)."""
    summed = np.cumsum(gaps)
    before = np.concatenate(([0], summed))[np.cumsum(numbers) - numbers]
    result: np.ndarray = summed - np.repeat(before, numbers)
    return result
