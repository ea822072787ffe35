"""Search quality on the bundled relevance set (corpus/queries.csv), asserted."""

from collections import Counter

import pytest

from bench import evaluation
from indexer.search import SearchEngine, SearchRequest
from tests.factories import CORPUS


@pytest.fixture(scope="module")
def corpus_engine(corpus_settings):
    engine = SearchEngine(corpus_settings)
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def scores(corpus_engine):
    queries = evaluation.load(CORPUS / "queries.csv")

    def rank(q):
        hits = corpus_engine.search(SearchRequest(q=q.query, per_page=10))["hits"]
        return [h["path"] for h in hits]

    return evaluation.evaluate(queries, rank)


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
        assert scores[lang].mrr >= 0.75, lang


@pytest.mark.parametrize(
    "query, first",
    [
        ("social impact bond", "strategic/payment-by-results_en.pdf"),
        ("облигации за социално въздействие", "strategic/payment-by-results_bg.pdf"),
        ("scaling out scaling up scaling deep", "strategic/scaling-readiness-instrument_en.pdf"),
        ("prontidão para escalar", "strategic/scaling-readiness-instrument_pt.pdf"),
    ],
)
def test_the_typed_language_version_comes_before_its_translations(corpus_engine, query, first):
    hits = corpus_engine.search(SearchRequest(q=query))["hits"]
    assert hits[0]["path"] == first


@pytest.mark.parametrize("lang", ["en", "bg", "el"])
def test_a_query_of_codes_alone_prefers_the_interface_language(corpus_engine, lang):
    hits = corpus_engine.search(SearchRequest(q="COM(2021) 778"), lang=lang)["hits"]
    assert hits[0]["path"] == f"strategic/strategic-development_{lang}.pdf"


def test_the_right_page_comes_first(corpus_engine):
    """On queries answered on known pages of long reports (corpus/page-queries.csv), the page a
    result shows first — the one its link opens at — is a right one."""
    judged = evaluation.load_pages(CORPUS / "page-queries.csv")
    assert len(judged) >= 24 and {q.language for q in judged} == {"en", "bg", "el", "pt"}

    def shown(q):
        hits = corpus_engine.search(SearchRequest(q=q.query, per_page=10))["hits"]
        hit = next((h for h in hits if h["path"] == q.document), None)
        return [s["page"] for s in hit["snippets"]] if hit else []

    scores = evaluation.evaluate_pages(judged, shown)["all"]
    assert scores.found == 1.0
    assert scores.first >= 0.8, scores.misses
