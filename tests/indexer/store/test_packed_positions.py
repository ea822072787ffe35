"""Packed positions: written by the body fields, read back one posting or many at once."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.store.packed_positions import (
    PackedPositions,
    number_bytes,
    packed,
    packed_many,
    unpacked,
    unpacked_one,
)

#: Positions of every width a number takes: one byte, two, three, four and five.
POSITIONS = st.one_of(
    st.integers(0, 127),
    st.integers(128, 16_383),
    st.integers(16_384, 2**21 - 1),
    st.integers(2**21, 2**28 - 1),
    st.integers(2**28, 2**34),
)
POSTING = st.lists(POSITIONS, min_size=1, max_size=40, unique=True).map(sorted)


@given(POSTING)
def test_a_postings_positions_are_read_back(at):
    value = packed(at)
    assert unpacked_one(value) == at
    fmt = PackedPositions(field_boost=1.5)
    assert fmt.encode(at) == value
    assert fmt.decode_positions(value) == at
    assert fmt.decode_frequency(value) == len(at)
    assert fmt.decode_weight(value) == 1.5 * len(at)


@settings(max_examples=200, deadline=None)
@given(st.lists(POSTING, min_size=1, max_size=30))
def test_many_postings_read_at_once_equal_each_read_alone(postings):
    values = [packed(at) for at in postings]
    numbers, at = unpacked(values)
    assert numbers.tolist() == [len(p) for p in postings]
    assert at.tolist() == [p for v in values for p in unpacked_one(v)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(POSTING, st.just([])), max_size=40))
def test_many_postings_packed_at_once_are_each_packed_alone(postings):
    assert packed_many(postings) == [packed(at) for at in postings]


def test_a_fields_postings_packed_at_once_are_each_packed_alone():
    rng = np.random.default_rng(11)
    postings = [
        sorted(set(np.cumsum(rng.integers(0, 600, rng.integers(1, 40))).tolist()))
        for _ in range(2000)
    ]
    postings += [[0], [2**34], [127, 128], [16_383, 16_384, 2**21 + 5]]
    assert packed_many(postings) == [packed(at) for at in postings]
    # A position wider than the numbers packed at once: every posting packed alone, the same.
    postings.append([2**40])
    assert packed_many(postings) == [packed(at) for at in postings]


@pytest.mark.parametrize("postings", [[[1, 2], [5, 3]], [[4], [-1]], [[-2, 3]]])
def test_positions_packed_at_once_out_of_order_or_negative_are_refused(postings):
    with pytest.raises(ValueError):
        packed_many(postings)


def test_a_number_is_seven_bits_a_byte_most_significant_first():
    assert number_bytes(0) == b"\x00"
    assert number_bytes(127) == b"\x7f"
    assert number_bytes(128) == b"\x81\x00"
    assert number_bytes(300) == b"\x82\x2c"
    assert number_bytes(2**14) == b"\x81\x80\x00"
    assert packed([5, 6, 200]) == b"\x05\x01\x81\x42"


def test_positions_out_of_order_are_refused():
    with pytest.raises(ValueError):
        packed([5, 3])


@pytest.mark.parametrize(
    "values",
    [
        [packed([1, 300])[:-1]],  # cut in the middle of a number
        [packed([4]), b"\x81"],  # the last posting cut short
        [b"\x81\x81\x81\x81\x81\x00"],  # a number longer than any written
    ],
)
def test_values_cut_short_or_too_long_are_refused(values):
    with pytest.raises(ValueError):
        unpacked(values)


def test_no_postings_no_positions():
    numbers, at = unpacked([])
    assert not len(numbers) and not len(at)


def test_a_common_words_positions_in_thousands_of_postings():
    rng = np.random.default_rng(7)
    postings = [np.cumsum(rng.integers(0, 400, rng.integers(1, 300))).tolist() for _ in range(3000)]
    postings = [sorted(set(p)) for p in postings]
    numbers, at = unpacked([packed(p) for p in postings])
    assert numbers.tolist() == [len(p) for p in postings]
    assert at.tolist() == [x for p in postings for x in p]
