"""What readers get from the search engine beyond the documents: the right page first, typing
forgiven, completions in context, years as ranges. One index (``reader_settings``) for all."""

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.search import SearchEngine, SearchRequest
from indexer.search.ordering.pages import is_contents, rank_pages


@pytest.fixture(scope="module")
def engine(reader_settings):
    eng = SearchEngine(reader_settings)
    yield eng
    eng.close()


@contextlib.contextmanager
def small_engine(folder: Path, texts: dict[str, str]) -> Iterator[SearchEngine]:
    """An engine over a few text files written for one test (name -> text)."""
    from indexer.config import Settings
    from indexer.ingest.run import run_index
    from tests.factories import make_text

    for name, text in texts.items():
        make_text(folder / "docs" / name, text)
    settings = Settings(home=folder / "home", corpus=folder / "docs", workers=1)
    run_index(settings)
    eng = SearchEngine(settings)
    try:
        yield eng
    finally:
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
    from tests.knowledge_bases import HANDBOOK_PAGES

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


# Forgiving typing ------------------------------------------------------------------------------
def test_damerau_distance_counts_a_transposition_as_one_edit():
    from indexer.search.suggesting.spelling import damerau, transpositions

    assert damerau("paymnet", "payment") == 1
    assert damerau("payment", "payment") == 0
    assert damerau("pyamnet", "payment") == 2
    assert damerau("kitten", "sitting") == 3
    assert "payment" in transpositions("paymnet")


@pytest.mark.parametrize("q", ["paymnet~", "paymnet~1", "apyment~"])
def test_a_fuzzy_word_forgives_letters_typed_the_wrong_way_round(engine, q):
    result = engine.search(SearchRequest(q=q, expand=False))
    assert "en/handbook_en.pdf" in [h["path"] for h in result["hits"]]


def test_did_you_mean_for_an_unknown_word_inside_a_multi_word_query(engine):
    as_typed = engine.search(SearchRequest(q="payment deadlnie", expand=False, correct=False))
    assert as_typed["fallback"] == "any"  # no document has both words as typed
    assert as_typed["suggestion"] == "payment deadline"
    fixed = engine.search(SearchRequest(q=as_typed["suggestion"], expand=False))
    assert fixed["hits"][0]["path"] == "en/handbook_en.pdf" and fixed["fallback"] is None


def test_words_that_find_nothing_are_searched_as_their_one_likely_correction(engine):
    """Nothing has both words as typed, and "deadline" is far the likeliest "deadlnie": the
    results are those of the correction, said so, not of "payment" alone."""
    result = engine.search(SearchRequest(q="payment deadlnie", expand=False))
    assert result["fallback"] == "corrected" and result["suggestion"] == "payment deadline"
    fixed = engine.search(SearchRequest(q="payment deadline", expand=False))
    assert [h["id"] for h in result["hits"]] == [h["id"] for h in fixed["hits"]]
    assert result["total"] == fixed["total"] > 0
    alone = engine.search(SearchRequest(q="paymnet", expand=False))
    assert alone["fallback"] == "corrected" and alone["suggestion"] == "payment"
    assert "en/handbook_en.pdf" in [h["path"] for h in alone["hits"]]


def test_did_you_mean_for_a_rare_word_when_results_exist(tmp_path):
    """A slip that one document also has ("paymnet") finds that document, and the reader is
    still offered the word that many documents have."""
    texts = {f"n{n}.txt": f"Note {n} on the payment of providers." for n in range(6)}
    texts["slip.txt"] = "The paymnet of providers was late."
    with small_engine(tmp_path, texts) as small:
        result = small.search(SearchRequest(q="paymnet providers", expand=False))
        assert result["total"] == 1 and result["suggestion"] == "payment providers"
        assert small.search(SearchRequest(q="providers"))["suggestion"] is None


def test_a_word_the_documents_have_in_another_form_is_never_corrected(tmp_path):
    """ "modules" is in no document as typed, but one has "module": the reader meant that word,
    not the far more frequent "models" two slips away. Nothing has both words, so the
    documents with either are shown, the module's among them."""
    texts = {f"n{n}.txt": f"Note {n}: training models of the economy." for n in range(6)}
    texts["m.txt"] = "A training module on impact bonds."
    with small_engine(tmp_path, texts) as small:
        result = small.search(SearchRequest(q="modules economy", expand=False))
        assert result["fallback"] == "any"
        assert "m.txt" in [h["path"] for h in result["hits"]]


def test_a_correction_is_only_searched_when_no_other_word_is_as_likely(tmp_path):
    """ "markey" is one slip from "market" and from "marker", which open about as many
    documents: the reader is asked, not answered for. "markte" has one likely word."""
    texts = {f"m{n}.txt": f"Report {n} on the labour market of the region." for n in range(6)}
    texts.update({f"b{n}.txt": f"Note {n} on a marker of progress." for n in range(5)})
    with small_engine(tmp_path, texts) as small:
        asked = small.search(SearchRequest(q="markey", expand=False))
        assert asked["suggestion"] == "market" and asked["fallback"] != "corrected"
        assert asked["total"] == 0
        answered = small.search(SearchRequest(q="markte", expand=False))
        assert answered["suggestion"] == "market" and answered["fallback"] == "corrected"
        assert answered["total"] == 6


def test_no_did_you_mean_for_real_words(engine):
    assert engine.search(SearchRequest(q="Verification"))["suggestion"] is None  # rare but real
    # a form of a more frequent word is found with it anyway
    assert engine.search(SearchRequest(q="investors"))["suggestion"] is None


def test_latin_letters_find_bulgarian_and_greek_words_and_say_so(engine):
    result = engine.search(SearchRequest(q="plashtane", expand=False))
    assert [h["path"] for h in result["hits"]] == ["bg/report_bg.pdf"]
    assert result["transliterated"] == [
        {"typed": "plashtane", "reading": "плащане", "language": "bg"}
    ]
    result = engine.search(SearchRequest(q="koinoniki oikonomia", expand=False))
    assert [h["path"] for h in result["hits"]] == ["el/brief_el.pdf"]
    assert {t["language"] for t in result["transliterated"]} == {"el"}


@pytest.mark.parametrize("q", ["Stara Zagora", "Стара Загора"])
def test_a_place_name_is_found_in_both_alphabets(engine, q):
    result = engine.search(SearchRequest(q=q, expand=False))
    found = {h["path"] for h in result["hits"]}
    assert {"bg/report_bg.pdf", "en/notes_en.txt", "en/handbook_en.pdf"} <= found
    assert result["transliterated"]


def test_a_reading_that_only_finds_versions_already_found_is_not_said(tmp_path):
    """A Bulgarian report and its English version (one work) both name Stara Zagora: the
    Cyrillic words find the report, and with all languages its version; reading them in Latin
    letters finds nothing more, so nothing is said about it. A note that names the town in
    English and belongs to no work is more: then the reading is said."""
    from indexer.config import Settings
    from indexer.ingest.run import run_index
    from tests.factories import make_text

    docs = tmp_path / "docs"
    make_text(docs / "visit_bg.txt", "Посещение в Стара Загора: общината представи програмата.")
    make_text(docs / "visit_en.txt", "A visit to Stara Zagora: the municipality's programme.")
    make_text(docs / "manifest.csv", "path,work\nvisit_bg.txt,visit\nvisit_en.txt,visit\n")
    settings = Settings(
        home=tmp_path / "home", corpus=docs, workers=1, dictionaries=tmp_path / "none"
    )
    run_index(settings)
    small = SearchEngine(settings)
    try:
        result = small.search(SearchRequest(q="Стара Загора"))
        assert sorted(h["path"] for h in result["hits"]) == ["visit_bg.txt", "visit_en.txt"]
        assert result["transliterated"] == []
    finally:
        small.close()
    make_text(docs / "notes_en.txt", "Notes on the cooperatives of Stara Zagora.")
    run_index(settings)
    small = SearchEngine(settings)
    try:
        result = small.search(SearchRequest(q="Стара Загора"))
        assert "notes_en.txt" in {h["path"] for h in result["hits"]}
        assert [t["reading"] for t in result["transliterated"]] == ["stara", "zagora"]
    finally:
        small.close()


def test_words_that_find_enough_are_not_transliterated(engine):
    result = engine.search(SearchRequest(q="payment", expand=False))
    assert result["transliterated"] == []


# Autocomplete ----------------------------------------------------------------------------------
def terms(suggestions):
    return [s["text"] for s in suggestions if s["kind"] == "term"]


def test_autocomplete_completes_the_last_word_in_the_context_of_the_others(engine):
    assert terms(engine.autocomplete("pagamento por re"))[0] == "pagamento por resultados"
    # "por" is a word that follows "pagamento": it is not turned into "portugal".
    assert not any("portug" in t for t in terms(engine.autocomplete("pagamento por")))
    # Only completions that occur with the words before them.
    assert terms(engine.autocomplete("handbook veri"))[0] == "handbook verification"
    assert terms(engine.autocomplete("Κύπρο veri")) == []  # the Greek brief has no such word


def test_autocomplete_keeps_what_was_typed_and_never_offers_internal_ids(engine):
    found = terms(engine.autocomplete('"Pagamento POR re'))
    assert found and all(t.startswith('"Pagamento POR ') for t in found)
    assert "payment-by-results" not in terms(engine.autocomplete("payment-b"))
    assert all(s["kind"] in ("term", "title") for s in engine.autocomplete("pay"))


def test_autocomplete_offers_one_form_of_a_word_and_phrases_the_documents_write(tmp_path):
    """Forms of one word are one completion, counted with the documents any form opens; after
    "payment by", the words that follow it in the documents, not those merely beside it."""
    from indexer.config import Settings
    from indexer.ingest.run import run_index
    from tests.factories import make_text

    docs = tmp_path / "docs"
    texts = [
        "The payment by results of the providers.",
        "Payments by results were made twice.",
        "Paying by results: a rethink of the payment of services.",
        "A rethink of payment rules and of the regulation.",
        "Payment by regulation is not common; we rethink it.",
        "The payer was a ministry.",
    ]
    for n, text in enumerate(texts):
        make_text(docs / f"d{n}.txt", text)
    settings = Settings(home=tmp_path / "home", corpus=docs, workers=1)
    run_index(settings)
    small = SearchEngine(settings)
    try:
        found = [s for s in small.autocomplete("pay") if s["kind"] == "term"]
        pay_words = [s["completion"] for s in found if s["completion"].startswith("payment")]
        assert len(pay_words) == 1  # not payment, payments and paying one under the other
        assert next(s for s in found if s["completion"] in pay_words)["documents"] == 5
        assert terms(small.autocomplete("payment by re")) == [
            "payment by results",
            "payment by regulation",
        ]
        # "rethink" is beside "payment" in three documents, never after "payment by".
        assert "payment rethink" in terms(small.autocomplete("payment re"))
    finally:
        small.close()


def test_autocomplete_offers_the_phrases_titles_share(tmp_path):
    """Typing the first word offers what several titles call things ("impact bonds"), before
    single words; a phrase of one title only is that title, offered as such."""
    from indexer.config import Settings
    from indexer.ingest.run import run_index
    from tests.factories import make_html

    docs = tmp_path / "docs"
    for n, title in enumerate(
        [
            "Impact bonds in Portugal",
            "Impact bonds: a guide",
            "Impact bonds for social enterprises",
            "Impact of the pandemic on cooperatives, 2021",
        ]
    ):
        make_html(docs / f"t{n}.html", title, f"Note {n} on the impact of finance.")
    settings = Settings(home=tmp_path / "home", corpus=docs, workers=1)
    run_index(settings)
    small = SearchEngine(settings)
    try:
        offered = terms(small.autocomplete("imp"))
        assert offered[0] == "impact bonds" and "impact" in offered
        assert not any(t.startswith("impact of") for t in offered)  # one title only
        assert terms(small.autocomplete("Imp"))[0] == "Impact bonds"
        assert "impact bonds" not in terms(small.autocomplete("finance imp"))
    finally:
        small.close()


# Years ------------------------------------------------------------------------------------------
def paths(result):
    return {h["path"] for h in result["hits"]}


@pytest.mark.parametrize(
    "years, expected, selected",
    [
        (
            ["2021-2023"],
            {"en/handbook_en.pdf", "bg/report_bg.pdf", "el/brief_el.pdf"},
            {"2021", "2022", "2023"},
        ),
        (["2022-"], {"bg/report_bg.pdf", "el/brief_el.pdf"}, {"2022", "2023"}),
        (["-2021"], {"pt/noticia_pt.txt", "en/handbook_en.pdf"}, {"2019", "2021"}),
        (["2019", "2023"], {"pt/noticia_pt.txt", "el/brief_el.pdf"}, {"2019", "2023"}),
        (["undated"], {"en/notes_en.txt"}, {"undated"}),
    ],
)
def test_years_and_ranges_filter(engine, years, expected, selected):
    result = engine.search(SearchRequest(filters={"year": years}))
    assert paths(result) == expected
    assert {v["value"] for v in result["facets"]["year"] if v["selected"]} == selected


def test_the_year_facet_counts_every_year_and_the_undated(engine):
    facet = engine.search(SearchRequest(filters={"year": ["2022-2023"]}))["facets"]["year"]
    assert [(v["value"], v["count"]) for v in facet] == [
        ("2023", 1),
        ("2022", 1),
        ("2021", 1),
        ("2019", 1),
        ("undated", 1),
    ]
    assert facet[-1]["label"] == "Undated"
    assert engine.facets(lang="pt")["year"][-1]["label"] == "Sem data"


@pytest.mark.parametrize("bad", ["2021-2023x", "2023-2021", "last year", "-"])
def test_a_year_that_is_not_understood_is_a_clear_error(engine, bad):
    from indexer.errors import QueryError

    with pytest.raises(QueryError, match="year"):
        engine.search(SearchRequest(filters={"year": [bad]}))


def test_a_document_found_through_another_alphabet_shows_where(engine):
    hit = engine.search(SearchRequest(q="plashtane"))["hits"][0]
    doc = engine.document(hit["id"], q="plashtane")
    assert doc["page_hits"] and "<mark>" in doc["snippets"][0]["html"]
