"""Stop words typed among other words do not decide which documents match ("all words")."""

from whoosh import query as wq

from indexer.search import SearchRequest
from indexer.search.queries.optional_words import optional_stop_words


def paths(result):
    return [h["path"] for h in result["hits"]]


def test_stop_words_among_other_words_are_not_required(engine):
    # The English report has "outcome payments" but neither "how" nor "do".
    result = engine.search(SearchRequest(q="how do outcome payments", mode="all"))
    assert "en/pbr_en.pdf" in paths(result)
    assert result["fallback"] is None
    # Every document found has the topic words: the stop words found nothing on their own.
    assert paths(result) == paths(engine.search(SearchRequest(q="outcome payments")))


def test_stop_words_in_other_languages_are_not_required(engine):
    result = engine.search(SearchRequest(q="как облигациите за социално въздействие", mode="all"))
    assert "bg/pbr_bg.pdf" in paths(result)
    assert result["fallback"] is None


def test_a_query_of_stop_words_alone_keeps_them_required(engine):
    result = engine.search(SearchRequest(q="the and", mode="all"))
    for hit in result["hits"]:
        assert hit["path"] in paths(engine.search(SearchRequest(q='"the"')))


def test_a_quoted_phrase_keeps_its_stop_words(engine):
    result = engine.search(SearchRequest(q='"social impact bonds were" investors', expand=False))
    assert paths(result) == ["en/pbr_en.pdf"]


def test_stop_words_still_count_for_ranking():
    must = wq.And([wq.Term("text", "outcome"), wq.Term("text", "payments")])
    q = optional_stop_words(wq.And([wq.Term("text", "how"), *must.subqueries]))
    assert q == wq.AndMaybe(must, wq.Term("text", "how"))
    negated = wq.And([wq.Term("text", "outcome"), wq.Not(wq.Term("text", "the"))])
    assert optional_stop_words(negated) == negated
