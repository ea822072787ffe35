"""What readers get from the search engine beyond the documents: the right page first, typing
forgiven, completions in context, years as ranges. One index (``reader_settings``) for all."""

import pytest

from indexer.search import SearchEngine, SearchRequest
from indexer.search.pages import is_contents, rank_pages


@pytest.fixture(scope="module")
def engine(reader_settings):
    eng = SearchEngine(reader_settings)
    yield eng
    eng.close()


def hit_of(result, path):
    return next(h for h in result["hits"] if h["path"] == path)


# The right page first ----------------------------------------------------------------------------
def test_words_close_together_beat_many_occurrences_which_beat_one():
    starts = [0, 100, 200, 300]  # four pages of a hundred words
    found = {
        ("text", "payment"): [5, 110, 120, 130, 140, 212, 350],
        ("text_en", "payment"): [5, 110, 120, 130, 140, 212, 350],
        ("text", "deadline"): [160, 210],
        ("text", "the"): [1, 2, 3, 4, 6, 7, 8, 9, 11, 12],  # a stop word: no evidence
    }
    ranked = [page for page, _ in rank_pages(found, starts)]
    # p3: both words close together; p2: many occurrences, not close; p1 and p4: one each.
    assert ranked == [3, 2, 1, 4]


def test_a_contents_page_is_recognised():
    from tests.factories import HANDBOOK_PAGES

    assert is_contents(HANDBOOK_PAGES[1]) and is_contents(HANDBOOK_PAGES[7])
    assert not any(is_contents(page) for page in HANDBOOK_PAGES[2:7])


def test_a_hit_shows_its_best_page_first_not_the_contents_or_the_preface(engine):
    result = engine.search(SearchRequest(q="payment deadline", expand=False))
    hit = hit_of(result, "en/handbook_en.pdf")
    assert hit["best_page"] == 6
    assert hit["snippets"][0]["page"] == 6 and "<mark>" in hit["snippets"][0]["html"]
    assert hit["snippets"][0]["language"] == "en"
    assert 2 in hit["pages"] and 3 in hit["pages"]  # still listed among the pages with hits


def test_stop_words_are_no_hits_on_a_page(engine):
    hit = hit_of(engine.search(SearchRequest(q="the investors")), "en/handbook_en.pdf")
    assert hit["best_page"] == 7
    assert 4 not in hit["pages"]  # page 4 has "the", not "investors"
    assert "<mark>the</mark>" not in hit["snippets"][0]["html"].lower()


def test_the_document_opens_at_the_best_page(engine):
    hit = hit_of(engine.search(SearchRequest(q="payment deadline")), "en/handbook_en.pdf")
    doc = engine.document(hit["id"], q="payment deadline")
    assert doc["best_page"] == 6 and doc["page"]["number"] == 6
    assert doc["snippets"][0]["page"] == 6
