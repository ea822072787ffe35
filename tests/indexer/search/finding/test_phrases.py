"""Phrases confirmed for all candidates at once find the documents found one by one."""

from __future__ import annotations

import pytest

from indexer.search.finding import docsets
from indexer.search.finding.phrases import PositionArrays, phrase_documents
from indexer.search.finding.positions import in_order_within, positions

PHRASES = [
    ("text", ["social", "innovation"], 1),
    ("text", ["social", "innovation"], 3),
    ("text", ["of", "the"], 1),
    ("text", ["the", "the"], 4),
    ("text", ["payment", "by", "results"], 1),
    ("text", ["competence", "centre", "for"], 2),
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
