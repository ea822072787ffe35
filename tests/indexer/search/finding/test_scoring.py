"""Scores from posting arrays equal the scores Whoosh computes for the same query."""

from __future__ import annotations

import pytest
from whoosh import query as wq

from indexer.search.finding.matching import Budget, bounded
from indexer.search.finding.scoring import Postings
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
