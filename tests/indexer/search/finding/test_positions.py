"""Positions read block by block equal Whoosh's own reading, and sloppy phrases in order."""

from __future__ import annotations

import random
from itertools import accumulate

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.lru import Lru
from indexer.search.finding import positions as positions_module
from indexer.search.finding.phrases import PositionArrays
from indexer.search.finding.positions import (
    POSITIONAL_FIELDS,
    in_order_within,
    most_within,
    positions,
    words_by_page,
)


def test_positions_equal_whooshs_for_every_term_and_document(engine):
    with engine.snapshots.use() as snapshot:
        reader = snapshot.searcher.reader()
        checked = 0
        for fieldname in POSITIONAL_FIELDS:
            terms = [t.decode() for t in reader.lexicon(fieldname)][:40]
            everyone = list(reader.all_doc_ids())
            ours = positions(snapshot.searcher, {fieldname: set(terms)}, everyone, (fieldname,))
            for text in terms:
                matcher = reader.postings(fieldname, text)
                theirs = {}
                while matcher.is_active():
                    theirs[matcher.id()] = list(matcher.value_as("positions"))
                    matcher.next()
                got = {
                    d: at[(fieldname, text)] for d, at in ours.items() if (fieldname, text) in at
                }
                assert got == theirs, (fieldname, text)
                checked += len(theirs)
    assert checked > 100


def _whooshs(reader, fieldname: str, text: str, documents: list[int]) -> dict[int, list[int]]:
    if (fieldname, text) not in reader:
        return {}
    matcher = reader.postings(fieldname, text)
    out = {}
    while matcher.is_active():
        if matcher.id() in documents:
            out[matcher.id()] = list(matcher.value_as("positions"))
        matcher.next()
    return out


def _compared(searcher, fieldname: str, terms: list[str], some: list[int]) -> int:
    """Positions of ``terms`` in ``some`` documents, read together, checked against Whoosh's
    own reading; how many documents had one."""
    ours = positions(searcher, {fieldname: set(terms)}, some, (fieldname,))
    compared = 0
    for text in terms:
        got = {d: at[(fieldname, text)] for d, at in ours.items() if (fieldname, text) in at}
        assert got == _whooshs(searcher.reader(), fieldname, text, some), (fieldname, text)
        compared += len(got)
    return compared


@pytest.mark.parametrize(
    ("budget", "listings"),
    [
        (positions_module.BLOCK_BYTES, positions_module.LISTING_BYTES),
        (1, positions_module.LISTING_BYTES),
        (positions_module.BLOCK_BYTES, 1),
    ],
)
def test_positions_of_a_few_documents_read_from_kept_blocks_equal_whooshs(
    engine, monkeypatch, budget, listings
):
    """The posting blocks read for a few documents are kept and read again for the next ones
    (within a budget: with the smallest, each block read replaces the one kept before), and so
    are the terms' lists of blocks (with the smallest budget, none is kept)."""
    monkeypatch.setattr(
        positions_module,
        "_BLOCKS",
        Lru(budget, positions_module._block_bytes, keep_last=True),
    )
    monkeypatch.setattr(
        positions_module, "_LISTINGS", Lru(listings, positions_module._listing_bytes)
    )
    rng = random.Random(3)
    with engine.snapshots.use() as snapshot:
        reader = snapshot.searcher.reader()
        everyone = list(reader.all_doc_ids())
        checked = 0
        for _ in range(2):  # the second time, from kept blocks
            for fieldname in ("text", "text_en", "text_pt"):
                terms = [t.decode() for t in reader.lexicon(fieldname)][::7][:30]
                terms.append("wordnodocumenthas")
                for _ in range(3):
                    some = sorted(rng.sample(everyone, min(4, len(everyone))))
                    checked += _compared(snapshot.searcher, fieldname, terms, some)
    assert checked > 100
    assert len(positions_module._BLOCKS) > (10 if budget > 1 else 0)
    kept = len(positions_module._LISTINGS)
    assert kept > 10 if listings > 1 else kept == 0


def test_positions_of_terms_a_phrase_decoded_are_read_from_its_arrays(engine, monkeypatch):
    """Once a phrase has decoded every position of a term, the positions of a few documents
    are taken from those arrays (no posting block is read again), equal to Whoosh's."""
    rng = random.Random(5)
    with engine.snapshots.use() as snapshot:
        reader = snapshot.searcher.reader()
        everyone = list(reader.all_doc_ids())
        arrays = PositionArrays(snapshot.searcher)
        fields = ("text", "text_en", "text_bg")
        terms = {f: [t.decode() for _, t in reader.most_frequent_terms(f, 12)] for f in fields}
        for fieldname, texts in terms.items():
            for text in texts:
                arrays.keys(fieldname, text)

        def unread(*args, **kwargs):
            raise AssertionError("a posting block read again")

        monkeypatch.setattr(positions_module, "_values", unread)
        monkeypatch.setattr(positions_module, "_listed_values", unread)
        checked = 0
        for fieldname, texts in terms.items():
            for _ in range(3):
                some = sorted(rng.sample(everyone, min(6, len(everyone))))
                checked += _compared(snapshot.searcher, fieldname, texts, some)
    assert checked > 50


@pytest.mark.parametrize(
    ("sequence", "slop", "expected"),
    [
        ([[1], [2]], 1, True),
        ([[2], [1]], 1, False),  # in order only
        ([[1], [3]], 1, False),
        ([[1], [3]], 3, True),
        ([[1, 10], [12], [13]], 2, True),  # the chain goes on from the word just matched
        ([[1], [2], [9]], 3, False),
        ([[5], []], 3, False),
    ],
)
def test_in_order_within(sequence, slop, expected):
    assert in_order_within(sequence, slop) is expected


def test_words_together_within_a_span_in_any_order():
    # The second word before the first, 5 positions apart; the third far away.
    sequence = [[10, 200], [5, 90], [400]]
    assert most_within(sequence, 5) == 2
    assert most_within(sequence, 4) == 1
    assert most_within(sequence, 100) == 2
    assert most_within(sequence, 310) == 3  # 90 … 400
    assert most_within([[1], []], 100) == 1  # a word with no position
    assert most_within([[], []], 100) == 0
    # A word many times in one window counts once.
    assert most_within([[1, 2, 3, 4], [50]], 10) == 1


def _most_within_every_window(sequence: list[list[int]], span: int) -> int:
    """The plain answer: every position opens a window, each word counted in it."""
    starts = [at for places in sequence for at in places]
    return max(
        (sum(any(a <= p <= a + span for p in places) for places in sequence) for a in starts),
        default=0,
    )


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 300), max_size=12).map(sorted), max_size=5),
    st.integers(0, 60),
)
def test_most_within_equals_every_window_counted(sequence, span):
    # The sliding window stops once every word present is in it: the same answer.
    assert most_within(sequence, span) == _most_within_every_window(sequence, span)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.integers(0, 2000), min_size=1, max_size=60).map(sorted),
    st.lists(st.integers(0, 2000), min_size=1, max_size=3).map(sorted),
    st.integers(0, 3),
    st.integers(0, 80),
)
def test_two_words_together_or_not_as_every_window_counts(many, few, empty, span):
    # Two words present (the shorter list looked up in the longer), among words not there.
    sequence = [[] for _ in range(empty)] + [many, few]
    assert most_within(sequence, span) == _most_within_every_window(sequence, span)
    assert most_within([few, many], span) == _most_within_every_window([few, many], span)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=8),
    st.lists(
        st.lists(st.integers(min_value=0, max_value=400), max_size=30), min_size=1, max_size=3
    ),
    st.lists(st.integers(min_value=0, max_value=10), max_size=4),
)
def test_the_words_of_a_few_pages_are_those_of_every_page_on_them(gaps, places, pages):
    """Each page's words when only some pages are asked for (the pages a hit shows) are that
    page's words when every page is: empty pages, positions before the first start and after
    the last included."""
    starts = list(accumulate(gaps))
    found = {("text", f"t{i}"): sorted(set(at)) for i, at in enumerate(places)}
    every = words_by_page(found, starts)
    some = words_by_page(found, starts, pages)
    assert some == {p: sorted(every[p]) for p in set(pages) if p in every}


def test_a_documents_checkpoints_of_a_few_pages_are_those_of_all_its_pages(engine):
    with engine.snapshots.use() as snapshot:
        reader = snapshot.searcher.reader()
        for docnum in list(reader.all_doc_ids())[:20]:
            every = snapshot.records.checkpoints(docnum)
            assert every, "the sample documents have pages with checkpoints"
            wanted = [len(every), 1, len(every) + 1, 0]
            some = snapshot.records.page_checkpoints(docnum, wanted)
            assert some == {p: every[p - 1] for p in (1, len(every))}
