"""Expensive queries are bounded, and each request reads one version of the index.

Fuzzy terms have a capped distance, prefix/wildcard/fuzzy terms a capped number of expansions,
wildcards a minimum literal prefix whatever surrounds them, and every search a budget of CPU
time after which it returns what it has, saying so. The codes placeholder cannot be typed.
"""

from __future__ import annotations

import threading
import time

import pytest
from whoosh import query as wq

from indexer.errors import QueryError
from indexer.ingest.run import run_index
from indexer.search import SearchEngine, SearchRequest
from indexer.search.finding.matching import MAX_EXPANSIONS, MAX_FUZZY_DISTANCE, Budget, bounded
from tests.factories import make_text
from tests.knowledge_bases import build_sample_kb


def family(n: int) -> str:
    return "zqa" + "".join("abcdefghij"[int(d)] for d in f"{n:03d}")


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    """The sample knowledge base plus 100 notes, each with a word of one family (zqaaaa…, the
    note's number in letters: a token gluing letters to digits would also be indexed by its
    letters, a word all the notes share)."""
    root = tmp_path_factory.mktemp("limits")
    settings = build_sample_kb(root)
    for n in range(100):
        make_text(settings.corpus / f"notes/n{n:03d}.txt", f"Note {n} names {family(n)}.\n")
    run_index(settings)
    return settings


@pytest.fixture(scope="module")
def engine(kb):
    eng = SearchEngine(kb)
    yield eng
    eng.close()


def leaves(engine: SearchEngine, text: str) -> list[wq.Query]:
    with engine.snapshots.use() as snapshot:
        parsed = engine.builder(snapshot).build(text)
        return list(bounded(snapshot.searcher, parsed.query, Budget()).leaves())


def test_fuzzy_distance_is_capped(engine):
    with engine.snapshots.use() as snapshot:
        parsed = engine.builder(snapshot).build("social~99")
    fuzzy = [q for q in parsed.query.leaves() if isinstance(q, wq.FuzzyTerm)]
    assert fuzzy and all(q.maxdist == MAX_FUZZY_DISTANCE for q in fuzzy)
    assert all(q.prefixlength >= 1 for q in fuzzy)
    # "~99" reads as distance 9 followed by the word "9"; alone, "social~9" finds the word.
    result = engine.search(SearchRequest(q="social~9"))
    assert result["total"] > 0 and "partial" not in result


def test_each_expanding_term_keeps_at_most_its_cap_of_terms(engine):
    for text in ("zqa*", "zqaa??", "zqaafa~2"):
        terms = [q for q in leaves(engine, text) if isinstance(q, wq.Term)]
        per_field: dict[str, int] = {}
        for q in terms:
            per_field[q.fieldname] = per_field.get(q.fieldname, 0) + 1
        assert per_field and max(per_field.values()) <= MAX_EXPANSIONS, text
    assert engine.search(SearchRequest(q="zqa*"))["total"] == MAX_EXPANSIONS
    assert engine.search(SearchRequest(q="zqaaf*"))["total"] == 10  # under the cap: all of them


@pytest.mark.parametrize(
    "q", ["(*a*)", "*a", "((*x))", "title:(*ab)", "social OR *ion", "a*", '"x" AND (?b*)']
)
def test_wildcards_need_a_literal_prefix_whatever_surrounds_them(engine, q):
    with pytest.raises(QueryError, match="before \\* or \\?"):
        engine.search(SearchRequest(q=q))


@pytest.mark.parametrize("q", ["qqcode0qq", "qqcode7qq ESF+", "ESF+ qqcode0qq", "QQCODE0QQ"])
def test_the_codes_placeholder_cannot_be_typed(engine, q):
    result = engine.search(SearchRequest(q=q))
    assert isinstance(result["total"], int)
    if "ESF+" in q:
        assert result["understood"]["codes"] == ["ESF+"]
        assert "qqcode" in " ".join(result["understood"]["words"]).lower()


def test_the_code_still_finds_its_document_next_to_a_placeholder_lookalike(engine):
    both = engine.search(SearchRequest(q="ESF+ qqcode0qq", mode="any"))
    alone = engine.search(SearchRequest(q="ESF+"))
    assert [h["id"] for h in both["hits"]] == [h["id"] for h in alone["hits"]]


def test_a_search_past_its_budget_returns_what_it_has_and_says_so(kb):
    hurried = SearchEngine(kb, budget=0.0)
    try:
        result = hurried.search(SearchRequest(q="social~2 innovation~2 centre~2"))
    finally:
        hurried.close()
    assert result["partial"] is True
    assert "incomplete" in result["notice"]
    assert isinstance(result["total"], int)


def test_opening_a_generation_is_not_charged_to_the_first_search(kb, monkeypatch):
    # A generation whose opening costs twice a search's whole budget, as on a slow machine
    # with cold caches: the first search must still match and find.
    budget = 0.05
    made = SearchEngine.builder

    def slow_to_open(engine, snapshot):
        if "opened slowly" not in snapshot.extras:
            snapshot.extras["opened slowly"] = True
            until = time.thread_time() + 2 * budget
            while time.thread_time() < until:
                pass
        return made(engine, snapshot)

    monkeypatch.setattr(SearchEngine, "builder", slow_to_open)
    fresh = SearchEngine(kb, budget=budget)
    try:
        first = fresh.search(SearchRequest(q="zqaaab"))
        again = fresh.search(SearchRequest(q="zqaaac", expand=False))
    finally:
        fresh.close()
    assert "partial" not in first and [h["path"] for h in first["hits"]] == ["notes/n001.txt"]
    assert [h["path"] for h in again["hits"]] == ["notes/n002.txt"]


def test_threads_share_one_searcher_per_generation(engine):
    seen = []

    def take():
        with engine.snapshots.use() as snapshot:
            seen.append(snapshot)

    threads = [threading.Thread(target=take) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(s) for s in seen}) == 1


def test_a_request_keeps_its_generation_and_the_old_one_closes_when_it_ends(tmp_path):
    settings = build_sample_kb(tmp_path)
    engine = SearchEngine(settings)
    try:
        before = engine.search(SearchRequest(q="investors"))["total"]
        with engine.snapshots.use() as held:
            make_text(settings.corpus / "new/investors.txt", "Investors and outcome funds.\n")
            run_index(settings)
            # A request that started before the commit still reads its own generation …
            assert held.searcher.reader().doc_count() == 6
            # … while a new request sees the new one.
            assert engine.search(SearchRequest(q="investors"))["total"] == before + 1
            assert not held.searcher.reader().is_closed
        assert held.searcher.reader().is_closed  # closed when the last request using it ended
        assert engine.search(SearchRequest(q="investors"))["total"] == before + 1
    finally:
        engine.close()
