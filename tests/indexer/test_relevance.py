"""Search quality on the bundled relevance set (corpus/queries.csv), asserted."""

from collections import Counter

import pytest

from indexer import evaluation
from indexer.search import SearchEngine, SearchRequest
from tests.factories import CORPUS


@pytest.fixture(scope="module")
def scores(corpus_settings):
    queries = evaluation.load(CORPUS / "queries.csv")
    engine = SearchEngine(corpus_settings)

    def rank(q):
        return [h["path"] for h in engine.search(SearchRequest(q=q.query, per_page=10))["hits"]]

    result = evaluation.evaluate(queries, rank)
    engine.close()
    return result


def test_relevance_set_covers_every_language_and_kind():
    queries = evaluation.load(CORPUS / "queries.csv")
    per_language = Counter(q.language for q in queries if q.kind != "cross")
    assert len(queries) >= 40
    assert all(per_language[lang] >= 8 for lang in ("en", "bg", "el", "pt"))
    assert sum(1 for q in queries if q.kind == "cross") >= 8
    assert sum(1 for q in queries if q.kind == "code") >= 4


def test_same_language_recall_at_5(scores):
    assert evaluation.same_language_recall(scores) >= 0.95


def test_cross_language_recall_at_5(scores):
    assert scores["cross"].recall5 >= 0.85


def test_every_language_is_searched_well(scores):
    for lang in ("en", "bg", "el", "pt"):
        assert scores[lang].recall5 >= 0.9, lang
        assert scores[lang].mrr >= 0.7, lang
