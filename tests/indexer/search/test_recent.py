"""Recent answers and rankings are reused only where they are the answer, and never shared."""

from __future__ import annotations

import pytest

from indexer.search import SearchEngine, SearchRequest, retrieval


def _fresh(settings, request, lang="en"):
    engine = SearchEngine(settings)
    try:
        return engine.search(request, lang=lang)
    finally:
        engine.close()


def _same(a, b):
    a, b = dict(a), dict(b)
    a.pop("took_ms"), b.pop("took_ms")
    assert a == b


def test_a_repeated_search_answers_the_same_and_each_caller_gets_its_own_copy(sample_kb):
    engine = SearchEngine(sample_kb)
    request = SearchRequest(q="payment results")
    first = engine.search(request)
    assert first["hits"], first
    first["hits"][0]["title"] = "changed by the caller"
    first["hits"][0]["snippets"].clear()
    again = engine.search(request)
    _same(again, _fresh(sample_kb, request))
    assert again["hits"][0]["title"] != "changed by the caller"
    engine.close()


def test_other_languages_filters_and_pages_are_answered_for_themselves(sample_kb):
    engine = SearchEngine(sample_kb)
    requests = [
        (SearchRequest(q="social", per_page=1), "en"),
        (SearchRequest(q="social", per_page=1, page=2), "en"),
        (SearchRequest(q="social", per_page=1, page=3), "en"),
        (SearchRequest(q="social", per_page=1), "bg"),
        (SearchRequest(q="social", per_page=1, filters={"country": ["BG"]}), "en"),
        (SearchRequest(q="social", per_page=2, sort="newest"), "en"),
        (SearchRequest(q="social", per_page=1, page=2), "en"),
    ]
    seen = set()
    for request, lang in requests:
        answer = engine.search(request, lang=lang)
        _same(answer, _fresh(sample_kb, request, lang))
        seen.add(tuple(h["id"] for h in answer["hits"]))
    assert len(seen) >= 3  # the requests do ask for different answers
    engine.close()


def test_a_repeated_autocomplete_is_answered_from_memory_as_a_copy(sample_kb, monkeypatch):
    from indexer.search.suggesting import suggest

    made = []
    real = suggest.autocomplete

    def counted(*args, **kwargs):
        made.append(args[1:3])
        return real(*args, **kwargs)

    monkeypatch.setattr(suggest, "autocomplete", counted)
    engine = SearchEngine(sample_kb)
    try:
        first = engine.autocomplete("pay")
        assert first, first
        first[0]["text"] = "changed by the caller"
        again = engine.autocomplete("pay")
        fewer = engine.autocomplete("pay", limit=1)
    finally:
        engine.close()
    fresh = SearchEngine(sample_kb)
    try:
        assert again == fresh.autocomplete("pay")
    finally:
        fresh.close()
    assert again[0]["text"] != "changed by the caller"
    assert len(fewer) == 1
    assert made.count(("pay", 8)) == 2 and made.count(("pay", 1)) == 1  # two engines, one each


def test_what_a_caller_changes_in_its_hits_never_reaches_another_answer(sample_kb):
    """The documents' records are kept for the next requests: each answer's lists are its own."""
    engine = SearchEngine(sample_kb)
    first = engine.search(SearchRequest(q="social"))
    for hit in first["hits"]:
        for key in ("languages", "country", "topic", "organisation", "place"):
            hit[key].append("changed by the caller")
    listing = engine.documents()
    for document in listing:
        document["languages"].append("changed by the caller")
    other = engine.search(SearchRequest(q="social", per_page=20))  # not the answer kept
    _same(other, _fresh(sample_kb, SearchRequest(q="social", per_page=20)))
    assert engine.documents() == [{**d, "languages": d["languages"][:-1]} for d in listing]
    engine.close()


@pytest.mark.parametrize(
    "first, second",
    [
        (SearchRequest(q="social innovation"), SearchRequest(q="social innovation", page=2)),
        (
            SearchRequest(q="social innovation"),
            SearchRequest(q="social innovation", filters={"country": ["BG"]}),
        ),
        (SearchRequest(q="social", sort="newest"), SearchRequest(q="social", per_page=5)),
    ],
)
def test_a_process_answers_from_what_another_matched_as_it_would_alone(
    sample_kb, tmp_path, monkeypatch, first, second
):
    """The processes of a server share the matches and rankings of a request's words."""
    expected = _fresh(sample_kb, second)
    shared = sample_kb.with_(shared_memory=tmp_path / "found.sqlite3")
    one, other = SearchEngine(shared), SearchEngine(shared)
    try:
        one.search(first)

        def refused(*args: object) -> None:
            raise AssertionError("matched again")

        monkeypatch.setattr(retrieval, "_parse_and_match", refused)
        _same(other.search(second), expected)
    finally:
        one.close()
        other.close()


def test_a_process_completes_a_beginning_another_completed_as_it_would_alone(
    sample_kb, tmp_path, monkeypatch
):
    """A beginning one process of a server completed is read back by the other."""
    from indexer.search.suggesting import suggest

    alone = SearchEngine(sample_kb)
    try:
        expected = alone.autocomplete("soc")
    finally:
        alone.close()
    assert expected
    shared = sample_kb.with_(shared_memory=tmp_path / "found.sqlite3")
    one, other = SearchEngine(shared), SearchEngine(shared)
    try:
        one.autocomplete("soc")

        def refused(*args: object) -> None:
            raise AssertionError("completed again")

        monkeypatch.setattr(suggest, "autocomplete", refused)
        assert other.autocomplete("soc") == expected
        with pytest.raises(AssertionError, match="completed again"):
            other.autocomplete("soc", limit=3)  # another question: worked out, not read back
    finally:
        one.close()
        other.close()


def test_a_process_translates_with_the_senses_another_chose_as_it_would_alone(
    sample_kb, tmp_path, monkeypatch
):
    """The senses one process of a server chose for a word are read back by the other, for
    another query with that word: the same answer, without choosing again."""
    from indexer.translation.structured import Translator

    chosen = []
    choose = Translator._choose

    def counted(self, *args):
        chosen.append(args)
        return choose(self, *args)

    monkeypatch.setattr(Translator, "_choose", counted)
    second = SearchRequest(q="payment")
    expected = _fresh(sample_kb, second)
    assert expected["hits"] and chosen  # the word is translated, and found
    shared = sample_kb.with_(shared_memory=tmp_path / "found.sqlite3")
    one, other = SearchEngine(shared), SearchEngine(shared)
    try:
        one.search(SearchRequest(q="payment", correct=False))  # other words: matched anew
        chosen.clear()
        _same(other.search(second), expected)
        assert not chosen  # every sense was one the first process chose
        other.search(SearchRequest(q="payment partnership"))
        assert chosen  # a word no process has seen is translated here
    finally:
        one.close()
        other.close()
