"""Posting blocks: short ones stored as they are (and said to be), long ones compressed; both
read back as written. (Whoosh's reader reading them is `test_segment_build.py`'s part.)"""

from __future__ import annotations

import io
import pickle
import struct
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.store.blocks import (
    COMPRESSION,
    MAGIC,
    PROTOCOL,
    RAW_BELOW,
    decode,
    encode,
)
from indexer.store.blocks import _blocks as _general


def _blocks(pieces: list[bytes]) -> list[tuple[tuple, bytes]]:
    """Every block of an encoded posting list: its statistics and its data as stored."""
    data = b"".join(pieces)
    pos, found = len(MAGIC), []
    while True:
        (size,) = struct.unpack_from("!i", data, pos)
        block = io.BytesIO(data[pos + 4 : pos + 4 + abs(size)])
        found.append((pickle.load(block), block.read()))
        pos += 4 + abs(size)
        if size < 0:
            return found


def _postings(count: int) -> tuple[list[int], list[float], list[bytes]]:
    ids = list(range(3, 3 + 7 * count, 7))
    return ids, [float(i % 3) + 1.0 for i in ids], [bytes([i % 251, 1 + i % 7]) for i in ids]


def test_a_short_block_is_stored_as_it_is_and_a_long_one_compressed():
    # 130 postings: a full block of 128, then a block of 2.
    ids, weights, values = _postings(130)
    pieces, stats = encode(ids, weights, values, bytes(1000), None)
    assert decode(b"".join(pieces), 0, None) == (ids, weights, values)
    (full_info, full), (short_info, short) = _blocks(pieces)
    assert full_info[0] == 128 and full_info[3] == COMPRESSION
    assert pickle.loads(zlib.decompress(full))[0][0] == 3  # (the first id, then gaps)
    assert short_info[0] == 2 and short_info[3] == 0
    assert len(short) < RAW_BELOW
    assert pickle.loads(short) == ((3 + 7 * 128, 7), tuple(weights[128:]), tuple(values[128:]))
    assert (stats.df, stats.minid, stats.maxid) == (130, 3, ids[-1])


@pytest.mark.parametrize("count", [1, 2])
def test_a_term_of_few_postings_is_one_raw_block(count):
    ids, weights, values = _postings(count)
    pieces, _ = encode(ids, weights, values, None, None)
    [(info, data)] = _blocks(pieces)
    assert info[3] == 0
    assert len(data) < RAW_BELOW
    assert pickle.loads(data)[0][0] == ids[0]
    assert decode(b"".join(pieces), 0, None) == (ids, weights, values)


def test_with_whooshs_protocol_every_block_is_compressed():
    ids, weights, values = _postings(3)
    pieces, _ = encode(ids, weights, values, None, None, protocol=2)
    [(info, data)] = _blocks(pieces)
    assert info[3] == COMPRESSION
    assert pickle.loads(zlib.decompress(data))[0][0] == ids[0]
    assert decode(b"".join(pieces), 0, None) == (ids, weights, values)


@settings(max_examples=400, deadline=None)
@given(
    doc=st.integers(0, 4095),
    weight=st.one_of(
        st.sampled_from([1.0, 0.0, -1.0, 2.5, 1e-45, 3.4e38, 1e300]),
        st.floats(allow_nan=True, allow_infinity=True),
    ),
    value=st.binary(max_size=80),
    fixed=st.sampled_from([None, 0, 2]),
    code=st.one_of(st.none(), st.integers(0, 255)),
    protocol=st.sampled_from([PROTOCOL, 2]),
)
def test_a_list_of_one_posting_is_written_as_the_general_loop_writes_it(
    doc, weight, value, fixed, code, protocol
):
    """Half the terms of a commit have one posting and take a shorter way: the same bytes
    and statistics as the loop over blocks (or the same error), for any weight (NaN, zero,
    negative, beyond single precision), value, fixed size, length byte and protocol."""
    if fixed == 2:
        value = (value + b"\0\0")[:2]
    lengths = None if code is None else bytes(doc) + bytes([code])
    args = ([doc], [weight], [value], lengths, fixed, protocol)
    assert _outcome(encode, args) == _outcome(_general, args)


def _outcome(write, args) -> tuple:
    """The bytes and the statistics as a term dictionary keeps them, or the error's type."""
    try:
        pieces, stats = write(*args)
        return (pieces, stats.head(), repr(stats))
    except OverflowError as err:  # (a weight beyond single precision: no term dictionary)
        return (type(err),)
