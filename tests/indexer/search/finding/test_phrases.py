"""Phrases confirmed for all candidates at once find the documents found one by one."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.search.finding import docsets
from indexer.search.finding.phrases import PositionArrays, following, phrase_documents
from indexer.search.finding.positions import in_order_within, positions

PHRASES = [
    ("text", ["social", "innovation"], 1),
    ("text", ["social", "innovation"], 3),
    ("text", ["of", "the"], 1),
    ("text", ["the", "the"], 4),
    ("text", ["payment", "by", "results"], 1),
    ("text", ["competence", "centre", "for"], 2),
    ("text", ["the", "social", "of", "the"], 3),
    ("text", ["of", "the", "social"], 1),
    ("text", ["innovation", "social"], 1),
    ("text_en", ["social", "innov"], 1),
    ("text_bg", ["социалн", "иновац"], 3),
    ("text_el", ["κοινωνικ", "καινοτομ"], 1),
    ("text", ["social", "nonexistentword"], 1),
]


@pytest.fixture(scope="module")
def engine(corpus_engine):
    return corpus_engine


def test_phrases_found_at_once_are_those_found_one_by_one(engine):
    found_some = 0
    with engine.snapshots.use() as snapshot:
        searcher, sets = snapshot.searcher, snapshot.terms
        kept = PositionArrays(searcher)
        for fieldname, words, slop in PHRASES:
            candidates = sets.live
            for word in words:
                candidates &= sets.get(fieldname, word)
            members = docsets.members(candidates)
            at = positions(searcher, {fieldname: set(words)}, members, (fieldname,))
            expected = [
                d
                for d in members
                if in_order_within([at[d].get((fieldname, w), []) for w in words], slop)
            ]
            counts = [(w, sets.get(fieldname, w).bit_count()) for w in words]
            for arrays in (PositionArrays(searcher), kept):  # read now, or kept from before
                found = phrase_documents(arrays, fieldname, counts, slop, candidates)
                assert docsets.members(found) == expected, (fieldname, words, slop)
            for word in words:
                kept.keys(fieldname, word)
            found_some += bool(expected) and len(expected) < len(members)
    assert found_some >= 3  # phrases that some candidates have and others do not


#: Each document's positions of each word of a phrase (small numbers: the words meet often).
DOCUMENTS = st.lists(
    st.lists(st.lists(st.integers(0, 30), max_size=12).map(lambda a: sorted(set(a))), min_size=3),
    min_size=1,
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(DOCUMENTS, st.integers(1, 3), st.integers(2, 3))
def test_words_followed_through_all_documents_at_once_as_in_each_one(documents, slop, length):
    """Whichever of the two lists is the longer (the one looked up in), the keys reached after
    the last word are in the documents where the words stand in order within ``slop``."""
    keys = [
        np.asarray(
            sorted((d << 32) | p for d, words in enumerate(documents) for p in words[w]),
            np.int64,
        )
        for w in range(length)
    ]
    reachable = keys[0]
    for following_keys in keys[1:]:
        reachable = following(reachable, following_keys, slop)
    expected = [d for d, words in enumerate(documents) if in_order_within(words[:length], slop)]
    assert sorted(set((reachable >> 32).tolist())) == expected
