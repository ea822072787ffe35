import pytest

from indexer.errors import NotFound, PageNotFound, QueryError
from indexer.search import SearchEngine, SearchRequest
from tests.knowledge_bases import build_sample_kb


def titles(result):
    return [h["title"] for h in result["hits"]]


def facet(result, name):
    return {v["value"]: v["count"] for v in result["facets"][name]}


def test_result_shape_follows_the_contract(engine):
    from indexer.search.contract import FacetValue, Hit, SearchResult, required

    r = engine.search(SearchRequest(q="results"))
    assert set(r) >= set(required(SearchResult))
    assert set(r["hits"][0]) >= set(required(Hit))
    assert set(r["facets"]) >= {"country", "topic", "language", "type", "year"}
    assert set(r["facets"]["country"][0]) == set(required(FacetValue))
    # The contract of DESIGN.md is part of the declared one.
    assert set(required(SearchResult)) >= {
        "query",
        "total",
        "page",
        "per_page",
        "took_ms",
        "hits",
        "facets",
        "suggestion",
    }
    assert set(required(Hit)) >= {
        "id",
        "path",
        "title",
        "score",
        "language",
        "languages",
        "country",
        "topic",
        "type",
        "year",
        "pages",
        "snippets",
    }


def test_hits_know_their_pages_and_snippets(engine):
    r = engine.search(SearchRequest(q="investors", expand=False))
    assert titles(r) == ["Payment by Results in Social Services"]
    hit = r["hits"][0]
    assert hit["pages"] == [3]
    assert hit["snippets"][0]["page"] == 3
    assert "<mark>Investors</mark>" in hit["snippets"][0]["html"]
    assert "<script>" not in hit["snippets"][0]["html"]


def test_snippets_escape_document_text(engine):
    r = engine.search(SearchRequest(q="alert"))
    html = r["hits"][0]["snippets"][0]["html"]
    assert "&lt;script&gt;" in html and "<script>" not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("социални иновации", "Картографиране на екосистемата в България"),
        ("облигация", "Плащане според резултатите"),
        ("социалните предприятия", "Картографиране на екосистемата в България"),
        ("κοινωνικών επιχειρήσεων", "Χαρτογράφηση του οικοσυστήματος στην Κύπρο"),
        ("κοινωνικες επιχειρησεις", "Χαρτογράφηση του οικοσυστήματος στην Κύπρο"),
        ("inovação social", "Fundos de resultados"),
        ("fundo", "Fundos de resultados"),
    ],
)
def test_inflected_forms_find_other_forms(engine, query, expected):
    r = engine.search(SearchRequest(q=query, expand=False))
    assert titles(r)[0] == expected


def test_stemmed_match_is_highlighted(engine):
    r = engine.search(SearchRequest(q="облигация", expand=False))
    assert "<mark>Облигациите</mark>" in r["hits"][0]["snippets"][0]["html"]


def test_codes_stay_findable(engine):
    assert titles(engine.search(SearchRequest(q="ESF+", expand=False))) == [
        "Payment by Results in Social Services"
    ]
    r = engine.search(SearchRequest(q="COM(2021) 778", expand=False))
    assert titles(r) == ["Картографиране на екосистемата в България"]
    assert r["hits"][0]["pages"] == [3]
    assert titles(engine.search(SearchRequest(q="2021/1060", expand=False))) == [
        "Payment by Results in Social Services"
    ]
    assert engine.search(SearchRequest(q="ESF+", expand=False))["understood"]["codes"] == ["ESF+"]


def test_facets_or_within_and_across_and_disjunctive_counts(engine):
    everything = engine.search(SearchRequest())
    assert everything["total"] == 6
    assert facet(everything, "country") == {"EU": 2, "BG": 1, "CY": 1, "PT": 1, "IE": 1}
    both = engine.search(SearchRequest(filters={"country": ["BG", "CY"]}))
    assert both["total"] == 2
    # The country facet still counts the other countries (as if its selection were removed) …
    assert facet(both, "country") == facet(everything, "country")
    # … while other facets count only within the selection.
    assert facet(both, "type") == {"report": 2}
    narrowed = engine.search(SearchRequest(filters={"country": ["BG", "CY"], "year": ["2022"]}))
    assert titles(narrowed) == ["Картографиране на екосистемата в България"]
    assert facet(narrowed, "year") == {"2022": 1, "2021": 1}
    # Selected values stay listed (so they can be removed) even when nothing is left for them.
    assert facet(narrowed, "country") == {"BG": 1, "EU": 2, "CY": 0}
    selected = {v["value"] for v in narrowed["facets"]["country"] if v["selected"]}
    assert selected == {"BG", "CY"}


def test_facet_labels_are_localised(engine):
    r = engine.search(SearchRequest(), lang="bg")
    labels = {v["value"]: v["label"] for v in r["facets"]["country"]}
    assert labels["BG"] == "България" and labels["CY"] == "Кипър"
    topics = {v["value"]: v["label"] for v in r["facets"]["topic"]}
    assert topics["ecosystem"].startswith("Картографиране")


def test_boolean_phrase_prefix_fuzzy_and_fields(engine):
    assert titles(engine.search(SearchRequest(q='"steering committee"'))) == [
        "Steering committee minutes"
    ]
    assert len(engine.search(SearchRequest(q="Dublin OR Λευκωσία"))["hits"]) == 2
    # The only document with "results" also mentions bonds; operators never fall back to "any".
    assert engine.search(SearchRequest(q="results NOT bonds", expand=False))["total"] == 0
    assert titles(engine.search(SearchRequest(q="committee NOT bonds"))) == [
        "Steering committee minutes"
    ]
    assert "Payment by Results in Social Services" not in titles(
        engine.search(SearchRequest(q="results -bonds", expand=False))
    )
    assert titles(engine.search(SearchRequest(q="stakehold*"))) == ["Steering committee minutes"]
    assert "Steering committee minutes" in titles(engine.search(SearchRequest(q="Dubln~")))
    assert titles(engine.search(SearchRequest(q="country:Bulgaria"))) == [
        "Картографиране на екосистемата в България"
    ]
    assert titles(engine.search(SearchRequest(q="title:Fundos"))) == ["Fundos de resultados"]


def test_all_words_falls_back_to_any_word(engine):
    r = engine.search(SearchRequest(q="Dublin Λευκωσία"))
    assert r["fallback"] == "any" and r["total"] == 2


def test_did_you_mean(engine):
    r = engine.search(SearchRequest(q="stakeholdrs"))
    assert r["suggestion"] == "stakeholders"


def test_sorting_and_paging(engine):
    newest = engine.search(SearchRequest(sort="newest"))
    assert newest["hits"][0]["year"] == 2023 and newest["hits"][-1]["year"] == 2021
    oldest = engine.search(SearchRequest(sort="oldest"))
    assert oldest["hits"][0]["year"] == 2021
    by_title = titles(engine.search(SearchRequest(sort="title", per_page=100)))
    assert by_title == sorted(by_title, key=str.casefold)
    page2 = engine.search(SearchRequest(sort="title", page=2, per_page=4))
    assert titles(page2) == by_title[4:]
    assert engine.search(SearchRequest(sort="title", page=9, per_page=4))["hits"] == []


def test_exact_forms_rank_above_stemmed_ones(engine):
    r = engine.search(SearchRequest(q="предприятие", expand=False))
    assert r["hits"][0]["title"] == "Картографиране на екосистемата в България"


def test_cross_language_expansion_explains_itself(engine):
    r = engine.search(SearchRequest(q="плащане според резултатите"))
    found = titles(r)
    assert found[0] == "Плащане според резултатите"
    assert "Payment by Results in Social Services" in found
    english = next(h for h in r["hits"] if h["language"] == "en")
    assert english["why"]["expansions"][0]["concept"] == "payment-by-results"
    assert "en" in english["why"]["expansions"][0]["languages"]
    assert r["understood"]["concepts"][0]["equivalents"]["en"] == "payment by results"
    off = engine.search(SearchRequest(q="плащане според резултатите", expand=False))
    assert "Payment by Results in Social Services" not in titles(off)


@pytest.mark.parametrize(
    ("request_kwargs", "message"),
    [
        ({"per_page": 0}, "per_page"),
        ({"per_page": 101}, "per_page"),
        ({"page": 0}, "page"),
        ({"sort": "random"}, "sort"),
        ({"q": "*ation"}, "cannot start"),
        ({"q": "x" * 600}, "too long"),
        ({"q": "!!! ... ---"}, "no searchable words"),
        ({"filters": {"colour": ["red"]}}, "unknown filter"),
    ],
)
def test_bad_requests_get_clear_errors(engine, request_kwargs, message):
    with pytest.raises(QueryError, match=message):
        engine.search(SearchRequest(**request_kwargs))


@pytest.mark.parametrize(
    "q", ['"unclosed', "((", "AND", "title:", "-", "ñ~3", "a* b?", "NOT", "year:abc", "🙂", "a:b:c"]
)
def test_odd_input_gives_results_or_a_clear_error(engine, q):
    """Whatever a reader types ends in results or a QueryError with a message, nothing else."""
    try:
        result = engine.search(SearchRequest(q=q))
    except QueryError as err:
        assert len(str(err)) > 10
    else:
        assert isinstance(result["total"], int) and result["query"] == q


def test_document_page_hits_versions_and_related(engine):
    hit = engine.search(SearchRequest(q="payment"))["hits"][0]
    doc = engine.document(hit["id"], q="outcome", page=2)
    assert doc["title"] == "Payment by Results in Social Services"
    assert doc["metadata"]["title"]["source"] == "manifest"
    assert {p["page"] for p in doc["page_hits"]} == {1, 2}
    assert "<mark>" in doc["page"]["html"]
    assert [v["language"] for v in doc["versions"]] == ["bg"]
    assert all(r["id"] != hit["id"] for r in doc["related"])
    with pytest.raises(NotFound):
        engine.document("nope")
    with pytest.raises(PageNotFound):
        engine.document(hit["id"], page=99)


def test_autocomplete_terms_and_titles(engine):
    found = engine.autocomplete("stake")
    assert any(s["text"] == "stakeholders" for s in found)
    found = engine.autocomplete("fund")
    assert found[0] == {"kind": "title", "text": "Fundos de resultados", "id": found[0]["id"]}


def test_other_language_versions_follow_with_all_languages_on(engine):
    r = engine.search(SearchRequest(q="investors"))
    assert titles(r) == ["Payment by Results in Social Services", "Плащане според резултатите"]
    version = r["hits"][1]["why"]["version_of"]
    assert version["title"] == "Payment by Results in Social Services"
    assert r["hits"][1]["pages"] == []


def test_sorted_results_list_the_other_language_versions_too(engine):
    by_relevance = engine.search(SearchRequest(q="investors"))
    newest = engine.search(SearchRequest(q="investors", sort="newest"))
    assert newest["total"] == by_relevance["total"] == len(newest["hits"]) == 2
    assert sorted(titles(newest)) == sorted(titles(by_relevance))


def test_fusion_keeps_typed_matches_above_other_language_evidence():
    import numpy as np

    from indexer.search.ordering.ranking import (
        CROSS_LANGUAGE_CAP,
        VERSION_WEIGHT,
        fuse,
        translated_weight,
    )

    def array(values):
        out = np.zeros(7)
        for docnum, value in values.items():
            out[docnum] = value
        return out

    own = array({1: 1.0, 2: 0.9})  # 1, 2: documents in the typed language
    translated = array({1: 1.0, 3: 1.0, 4: 0.2, 5: 0.9})  # 3, 4, 5: other languages
    pairs = (np.array([3, 1]), np.array([1, 3]))  # 3 is another language version of 1
    scores = fuse(own, translated, pairs)
    order = sorted(range(1, 7), key=lambda d: (-scores[d], -own[d], d))
    # Matching the typed words and their translation too does not count twice.
    assert scores[1] == 1.0
    assert order[:2] == [1, 2]
    # Translations and being a version of a match do not add up either: the larger counts.
    weight = translated_weight(own)
    assert scores[3] == min(CROSS_LANGUAGE_CAP, max(weight * 1.0, VERSION_WEIGHT * 1.0))
    assert scores[5] < scores[3] and scores[4] < scores[5]
    # A document allowed only as a version of a match is still listed, last.
    assert order[-1] == 6 and scores[6] == 0.0


def test_hits_list_their_other_language_versions(engine):
    hits = engine.search(SearchRequest(q="investors"))["hits"]
    english, bulgarian = hits
    assert [v["language"] for v in english["versions"]] == ["bg"]
    assert english["versions"][0]["id"] == bulgarian["id"]
    assert bulgarian["versions"][0]["title"] == "Payment by Results in Social Services"


def test_recent_queries_follow_filters_and_index_changes(tmp_path):
    from indexer.ingest.run import run_index
    from tests.factories import make_text

    settings = build_sample_kb(tmp_path)
    engine = SearchEngine(settings)
    try:
        everything = engine.search(SearchRequest(q="investors"))
        narrowed = engine.search(SearchRequest(q="investors", filters={"language": ["bg"]}))
        assert everything["total"] == 2 and narrowed["total"] == 1
        assert titles(narrowed) == ["Плащане според резултатите"]
        narrowed["understood"]["words"].append("changed by a caller")
        again = engine.search(SearchRequest(q="investors"))
        assert "changed by a caller" not in again["understood"]["words"]
        make_text(settings.corpus / "new/investors.txt", "Investors and outcome funds.\n")
        run_index(settings)
        assert engine.search(SearchRequest(q="investors"))["total"] == 3
    finally:
        engine.close()


def test_threads_share_recent_queries_safely(engine):
    from concurrent.futures import ThreadPoolExecutor

    requests = [
        SearchRequest(q=q, filters=filters)
        for q in ("investors", "social innovation", "ESF+", "социални")
        for filters in ({}, {"language": ["bg"]}, {"country": ["EU", "BG"]})
    ]

    def run(request):
        result = engine.search(request)
        return result["total"], titles(result), result["facets"]["language"]

    expected = [run(r) for r in requests]
    with ThreadPoolExecutor(max_workers=6) as pool:
        for _ in range(3):
            assert list(pool.map(run, requests)) == expected
