"""Scores from posting arrays equal the scores Whoosh computes for the same query."""

from __future__ import annotations

import numpy as np
import pytest
from whoosh import index
from whoosh import query as wq
from whoosh.fields import KEYWORD, TEXT, Schema

from indexer.search.finding.matching import Budget, bounded
from indexer.search.finding.scoring import Postings, _decode
from indexer.search.ordering.ranking import relaxed


@pytest.mark.parametrize(
    "text",
    [
        "investors",
        "social innovation",
        "social OR enterprise",
        "социални предприятия",
        "κοινωνικών επιχειρήσεων",
        "fundos resultados",
        "title:fundos",
        "stakehold*",
        "Dubln~",
        "ESF+ outcome",
        "COM(2021) 778",
        '"social impact" bonds',
        "payment^3 results",
    ],
)
def test_array_scores_equal_whooshs(engine, text):
    with engine.snapshots.use() as snapshot:
        searcher = snapshot.searcher
        parsed = engine.builder(snapshot).build(text, "any")
        query = relaxed(bounded(searcher, parsed.query, Budget()))
        found = snapshot.postings.scores(query)
        assert found is not None, query
        ours, matched = found
        theirs = {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}
    assert theirs, text
    for docnum, score in theirs.items():
        assert ours[docnum] == pytest.approx(score, rel=1e-9), (text, docnum)
    assert all(ours[d] == 0 for d in range(len(ours)) if d not in theirs)
    assert set(matched.nonzero()[0]) == set(theirs)


def test_a_query_scored_otherwise_is_left_to_whoosh(engine):
    with engine.snapshots.use() as snapshot:
        postings: Postings = snapshot.postings
        a, b = wq.Term("text", "social"), wq.Term("text", "innovation")
        assert postings.scores(wq.DisjunctionMax([a, b], tiebreak=0.5)) is None
        assert postings.scores(wq.Or([a, b], scale=0.5)) is None
        # A compound of one part ignores its own boost, as Whoosh does; of two, it multiplies.
        one, _ = postings.scores(wq.And([a], boost=3.0))
        two, _ = postings.scores(wq.Or([a, b], boost=3.0))
        single, both = postings.scores(a)[0], postings.scores(wq.Or([a, b]))[0]
    assert (one == single).all() and (two == 3.0 * both).all()


def _plain_decode(matcher):
    """A posting list's ids and weights from Whoosh's own block data, unpickled whole."""
    inner = getattr(matcher, "child", matcher)
    ids, weights = [], []
    while inner.is_active():
        inner._read_data()
        raw_ids, raw_weights = inner._data[0], inner._data[1]
        block = np.asarray(raw_ids, np.int64)
        ids.append(block if inner._byteids else np.cumsum(block))
        if raw_weights is None:
            weights.append(np.ones(len(block)))
        elif isinstance(raw_weights, float):
            weights.append(np.full(len(block), raw_weights))
        else:
            weights.append(np.asarray(raw_weights, np.float64))
        inner._next_block()
    return np.concatenate(ids), np.concatenate(weights)


def _assert_decoded_alike(reader, fieldnames):
    compared = 0
    for fieldname in fieldnames:
        for term in list(reader.lexicon(fieldname)):
            fast = _decode(reader.postings(fieldname, term))
            plain = _plain_decode(reader.postings(fieldname, term))
            for a, b in zip(fast, plain, strict=True):
                assert a.dtype == b.dtype and np.array_equal(a, b), (fieldname, term)
            compared += len(fast[0])
    return compared


def test_posting_blocks_read_from_their_first_bytes_equal_whooshs_own(tmp_path):
    """Ids and weights read from a block's first bytes, whatever its layout: first documents
    past 255, gaps of more than a byte, blocks of fewer than four postings, weights that
    differ, that are all alike, and that are not kept."""
    schema = Schema(
        body=TEXT(phrase=True),
        tag=KEYWORD(scorable=False),
        flat=TEXT(phrase=False),
        twice=TEXT(),
    )
    ix = index.create_in(str(tmp_path), schema)
    with ix.writer() as writer:
        for n in range(700):
            words = ["common"] * (1 + n % 5) + (["sparse"] if n % 300 == 0 else [])
            words += ["few"] if n in (3, 400, 690) else []
            words += ["gappy"] if n in (0, 1, 2, 299, 650) else []
            words += [f"w{n % 97}"] * (n % 3)
            writer.add_document(
                body=" ".join(words), tag=f"t{n % 2} all", flat="same words", twice="pair pair"
            )
    with ix.searcher() as searcher:
        compared = _assert_decoded_alike(searcher.reader(), ["body", "tag", "flat", "twice"])
    assert compared > 3000


def test_posting_blocks_of_the_corpus_read_alike(corpus_engine):
    with corpus_engine.snapshots.use() as snapshot:
        compared = 0
        for sub, _ in snapshot.searcher.leaf_searchers():
            reader = sub.reader()
            fields = ["text", "text_en", "text_bg", "text_el", "text_pt", "ident"]
            compared += _assert_decoded_alike(reader, fields)
    assert compared > 10_000


@pytest.mark.parametrize("protocol", [2, 5])
def test_block_heads_are_read_in_either_pickle_protocol(protocol):
    """Blocks the index's own writer pickles (protocol 5: a frame before the tuple, a shorter
    memo entry) are read from their first bytes as Whoosh's (protocol 2) are; before, every
    protocol-5 block was unpickled whole."""
    import pickle
    import zlib

    from indexer.search.finding.scoring import _raw_head, _weights

    layouts = [None, 0.5, tuple(float(i % 3) + 1 for i in range(20))]
    for first in (0, 200, 300, 70_000):
        for weights in layouts:
            ids = (first, *[1 + i % 7 for i in range(19)])
            values = tuple(bytes([i]) * 5 for i in range(20))
            data = zlib.compress(pickle.dumps((ids, weights, values), protocol), 3)
            head = zlib.decompressobj().decompress(data, 11 * 20 + 24)
            found = _raw_head(head, 20)
            assert found is not None, (first, weights)
            assert [found.first, *found.gaps] == list(ids)
            if isinstance(weights, tuple):
                assert list(_weights(found.weights, 20)) == list(weights)
            else:
                assert found.weights == weights
