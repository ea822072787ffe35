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

from ...store.packed_positions import within

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
_ONE_BYTE = ord("K")
#: Longer than any gap's bytes.
_PADDING = bytes(8)


def decoded(values: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray] | None:
    """Each posting's number of positions and all their positions (each posting's ascending,
    counted from its document's first word), or None when a value is in another layout."""
    count = len(values)
    if not count:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    # Zeros after the last value: a gap read past it reads zeros, not outside the array.
    raw = np.frombuffer(b"".join([*values, _PADDING]), np.uint8)
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
    ends = starts + lengths
    # Where the gaps end: before the APPEND(S), and the stop when the value has one.
    limits = ends - 1 - (raw[ends - 1] == _STOP)
    found = _gaps(raw, starts + _START + several, numbers, limits)
    if found is None:
        return None
    closing = np.where(several, _APPENDS, _APPEND)
    if not (raw[limits] == closing).all():
        return None
    return numbers, within(found, numbers)


def _gaps(
    raw: np.ndarray, cursors: np.ndarray, numbers: np.ndarray, limits: np.ndarray
) -> np.ndarray | None:
    """The gaps of every posting, or None when something else stands where a gap should or
    the gaps do not end at ``limits``.

    The first gap of every posting is read at once (often a position past 255, of two bytes);
    a posting whose other gaps take two bytes each has only one-byte gaps left, read at once
    too. The others are read a gap of every posting at a time, those with the most gaps first
    (so that the postings still being read are a prefix)."""
    bases = np.cumsum(numbers) - numbers
    found = np.empty(int(numbers.sum()), np.int64)
    cursors = cursors.copy()
    if not _read(raw, cursors, found, bases, slice(None)):
        return None
    rest = numbers - 1
    narrow = (limits - cursors == 2 * rest) & (rest > 0)
    chosen = np.flatnonzero(narrow)
    if len(chosen):
        counts = rest[chosen]
        index = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        at = np.repeat(cursors[chosen], counts) + 2 * index
        if not (raw[at] == _ONE_BYTE).all():
            return None
        found[np.repeat(bases[chosen] + 1, counts) + index] = raw[at + 1]
        cursors[chosen] += 2 * counts
    others = np.flatnonzero(~narrow & (rest > 0))
    if len(others):
        order = others[np.argsort(-rest[others], kind="stable")]
        longest = rest[order]
        left = cursors[order]
        slots = bases[order] + 1
        # How many postings have more than ``step`` gaps left, for every step.
        reading = len(order) - np.searchsorted(longest[::-1], np.arange(longest[0]), "right")
        for step, active in enumerate(reading.tolist()):
            if not _read(raw, left, found, slots[:active] + step, slice(active)):
                return None
        cursors[order] = left
    if not (cursors == limits).all():
        return None
    return found


def _read(
    raw: np.ndarray, cursors: np.ndarray, found: np.ndarray, slots: np.ndarray, which: slice
) -> bool:
    """One gap of each posting the ``which`` cursors stand at, put at its slot in ``found``
    (``slots``: one for each of those cursors); the cursors moved past it. False when a
    cursor stands at no gap."""
    at = cursors[which]
    sizes = _SIZES[raw[at]]
    gap = raw[at + 1].astype(np.int64)
    if (sizes != 1).any():
        if not sizes.all():
            return False
        wide = sizes > 1
        gap += (raw[at + 2].astype(np.int64) << 8) * wide
        widest = sizes == 4
        if widest.any():
            high = raw[at + 4].astype(np.int64)
            if (high[widest] > 127).any():  # a negative number: no gap between positions
                return False
            gap += ((raw[at + 3].astype(np.int64) << 16) + (high << 24)) * widest
    found[slots] = gap
    cursors[which] = at + 1 + sizes
    return True
