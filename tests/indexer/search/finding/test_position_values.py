"""Positions decoded for many postings at once equal Whoosh's own decoding of each posting."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.formats import Positions

from indexer.search.finding.position_values import decoded, within
from indexer.search.finding.positions import POSITIONAL_FIELDS, _by_blocks, segment_positions

FORMAT = Positions()
#: Gaps of every size the pickle spells apart: one byte, two bytes, four bytes.
GAPS = st.one_of(
    st.integers(0, 255), st.integers(256, 65_535), st.integers(65_536, 2**31 - 1 - 2**24)
)


def _value(at: list[int], stop: bool) -> bytes:
    value: bytes = FORMAT.encode(at)
    return value if stop else value[:-1]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.lists(GAPS, min_size=1, max_size=40).map(sorted), st.booleans()),
        min_size=1,
        max_size=30,
    )
)
def test_many_postings_decoded_at_once_equal_whooshs_one_by_one(postings):
    values = [_value(at, stop) for at, stop in postings]
    found = decoded(values)
    assert found is not None
    numbers, at = found
    expected = [FORMAT.decode_positions(v) for v in values]
    assert numbers.tolist() == [len(e) for e in expected]
    assert at.tolist() == [p for e in expected for p in e]


def test_the_longest_list_pickled_in_one_batch_is_decoded():
    at = list(range(3, 3 * 1001, 3))  # a thousand positions: one batch of APPENDS
    found = decoded([_value(at, True), _value([7], True)])
    assert found is not None
    assert found[0].tolist() == [1000, 1]
    assert found[1].tolist() == [*at, 7]


@pytest.mark.parametrize(
    "values",
    [
        [b"\x00\x00\x03\xe9" + pickle.dumps(list(range(1001)), 2)],  # pickled in two batches
        [FORMAT.encode([1, 2])[:-3]],  # cut short
        [FORMAT.encode([1, 2]), b"\x00\x00\x00\x01" + pickle.dumps([5], 4)],  # protocol 4
        [b"\x00\x00\x00\x02" + pickle.dumps([1.0, 2.0], 2)],  # not whole numbers
        [b"\x00\x00\x00\x01" + pickle.dumps([-1], 2)],  # a negative gap
    ],
)
def test_values_in_another_layout_are_left_to_the_slower_way(values):
    assert decoded(values) is None


def test_no_postings_no_positions():
    numbers, at = decoded([])  # type: ignore[misc]
    assert not len(numbers) and not len(at)


def test_a_terms_positions_equal_those_read_block_by_block(corpus_engine):
    """Every (document, position) of the corpus's terms, read all at once or for some
    documents only, equal Whoosh's own reading (and the block-by-block way)."""
    checked = 0
    with corpus_engine.snapshots.use() as snapshot:
        for sub, _ in snapshot.searcher.leaf_searchers():
            reader = sub.reader()
            for fieldname in POSITIONAL_FIELDS:
                terms = [t.decode() for t in reader.lexicon(fieldname)]
                common = [t.decode() for _, t in reader.most_frequent_terms(fieldname, 8)]
                for text in terms[:: max(1, len(terms) // 60)] + common:
                    matcher = reader.postings(fieldname, text)
                    theirs = []
                    while matcher.is_active():
                        theirs += [(matcher.id(), p) for p in matcher.value_as("positions")]
                        matcher.next()
                    docs, at = segment_positions(reader, fieldname, text)
                    assert list(zip(docs.tolist(), at.tolist(), strict=True)) == theirs
                    slow = _by_blocks(reader, fieldname, text, None)
                    assert [a.tolist() for a in slow] == [docs.tolist(), at.tolist()]
                    some = np.unique(docs)[::3]
                    docs, at = segment_positions(reader, fieldname, text, some)
                    chosen = set(some.tolist())
                    expected = [(d, p) for d, p in theirs if d in chosen]
                    assert list(zip(docs.tolist(), at.tolist(), strict=True)) == expected
                    checked += len(theirs)
    assert checked > 20_000


@given(st.lists(st.lists(GAPS, max_size=6), max_size=12))
def test_gaps_are_summed_into_each_postings_own_positions(postings):
    numbers = np.asarray([len(p) for p in postings], np.int64)
    gaps = np.asarray([g for p in postings for g in p], np.int64)
    expected = [s for p in postings for s in np.cumsum(p, dtype=np.int64).tolist()]
    assert within(gaps, numbers).tolist() == expected
