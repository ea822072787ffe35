"""Punctuation is not query syntax: what a reader types as a question is searched as its words,
and what a reader evidently means as syntax still is."""

from __future__ import annotations

import pytest

from indexer.errors import QueryError
from indexer.search import SearchEngine, SearchRequest
from indexer.search.queries.typed import readable

# The rules, each with what a reader types and what is searched --------------------------------
RULES = [
    # ? ! . , ; : and quotes or brackets at the edges of a word are punctuation
    (
        "how are social enterprises financed in Ireland?",
        "how are social enterprises financed in Ireland",
    ),
    ("what is payment by results?!", "what is payment by results"),
    ("Τι είναι η κοινωνική οικονομία;", "Τι είναι η κοινωνική οικονομία"),  # the Greek "?"
    ("¿qué es?", "qué es"),
    ("social, economy. law;", "social economy law"),
    ("(social) [economy] {law}", "social economy law"),
    ("'social' enterprises'", "social enterprises"),
    ("«социална» икономика…", "социална икономика"),
    ('social "economy', "social economy"),  # a quote left open
    ("what?!", "what"),
    # word: before a space is just the word; a: between words that are not fields, two words
    ("социална икономика: закон", "социална икономика закон"),
    ("economy:law", "economy law"),
    ("title: social", "title social"),
    ("http://example.org", "http example.org"),
    # ? is a wildcard between letters only; * and ~ as before
    ("organi?ation", "organi?ation"),
    ("Ireland?*", "Ireland*"),
    ("inno*", "inno*"),
    ("inno*.", "inno*"),
    ("inno*tion", "inno*tion"),
    ("*tion", "*tion"),  # still a wildcard, which the query then refuses with its reason
    ("innovaton~", "innovaton~"),
    ("innovaton~2?", "innovaton~2"),
    # fields the product has, in the four interface languages, in any case and accents
    ("title:social", "title:social"),
    ("Título:economia", "title:economia"),
    ("ЗАГЛАВИЕ:икономика", "title:икономика"),
    ("Χώρα:Κύπρος?", "country:Κύπρος"),
    ("pais:Portugal", "country:Portugal"),
    ("тема:finance", "topic:finance"),
    ("Έτος:2022", "year:2022"),
    ('título:"economia social"', 'title:"economia social"'),
    ("country:(BG OR CY)", "country:( BG OR CY )"),
    # phrases, operators, exclusions, codes
    ('"exact phrase?"', '"exact phrase?"'),
    ("„социална икономика“", '"социална икономика"'),
    ("«economia social»", '"economia social"'),
    ("social OR solidarity", "social OR solidarity"),
    ("(social OR solidarity) economy", "( social OR solidarity ) economy"),
    ("social -economy", "social NOT economy"),
    ("social NOT economy", "social NOT economy"),
    ("social OR", "social"),  # an operator with nothing to join is not searched as a word
    ("ESF+?", "ESF+"),
    ("(COM(2021) 778)", "COM(2021) 778"),
    ("Regulation 2021/1060.", "Regulation 2021/1060"),
    ("peer-learning?", "peer-learning"),
    ("l'économie sociale", "l'économie sociale"),
    # numbers in one form (the parser would split 125 000 at the space)
    ("125 000", "125000"),
    ("1.500 €?", "1500 eur"),
]


@pytest.mark.parametrize(("typed", "searched"), RULES)
def test_what_is_searched_for_what_is_typed(typed, searched):
    assert readable(typed) == searched
    assert readable(searched) == searched  # reading it again changes nothing


# Through the engine -----------------------------------------------------------------------
def documents(engine: SearchEngine, q: str, **kwargs: object) -> list[str]:
    return [h["id"] for h in engine.search(SearchRequest(q=q, **kwargs))["hits"]]


#: The questions a new reader typed, as they typed them and without the punctuation.
TABLE = [
    (
        "how are social enterprises financed in Ireland?",
        "how are social enterprises financed in Ireland",
    ),
    ("what is payment by results?", "what is payment by results"),
    ("quem financia os centros de competências?", "quem financia os centros de competências"),
    ("социална икономика: закон", "социална икономика закон"),
]


@pytest.fixture(scope="module")
def corpus_engine(corpus_settings):
    engine = SearchEngine(corpus_settings)
    yield engine
    engine.close()


@pytest.mark.parametrize(("typed", "plain"), TABLE)
def test_questions_find_what_their_words_find(corpus_engine, typed, plain):
    as_typed = corpus_engine.search(SearchRequest(q=typed, per_page=100))
    without = corpus_engine.search(SearchRequest(q=plain, per_page=100))
    assert as_typed["total"] == without["total"] > 0
    assert [h["id"] for h in as_typed["hits"]] == [h["id"] for h in without["hits"]]
    assert as_typed["understood"]["words"] == without["understood"]["words"]


def test_the_understood_line_shows_the_words_searched(engine):
    understood = engine.search(SearchRequest(q="payment by results?"))["understood"]
    assert understood["words"] == ["payment", "by", "results"]
    understood = engine.search(SearchRequest(q="organi?ation Título:Payment"))["understood"]
    assert understood["patterns"] == ["organi?ation"]
    assert understood["fields"] == [{"field": "title", "value": "Payment"}]


def test_field_names_in_every_interface_language(engine):
    english = documents(engine, "title:payment")
    assert english
    for name in ("Título", "заглавие", "ΤΊΤΛΟΣ", "titulo"):
        assert documents(engine, f"{name}:payment") == english, name
    cyprus = documents(engine, "country:CY")
    assert cyprus and documents(engine, "Χώρα:Κύπρος") == documents(engine, "país:Chipre") == cyprus


def test_a_word_before_a_colon_that_is_no_field_is_a_word(engine):
    assert documents(engine, "outcome:payments") == documents(engine, "outcome payments")
    assert documents(engine, "outcome: payments") == documents(engine, "outcome payments")


def test_year_in_the_query_selects_years(engine):
    assert engine.search(SearchRequest(q="year:2022"))["total"] == 3
    assert engine.search(SearchRequest(q="year:2021-2022"))["total"] == 5
    assert engine.search(SearchRequest(q="Έτος:2023"))["total"] == 1
    assert engine.search(SearchRequest(q="year:undated"))["total"] == 0
    with pytest.raises(QueryError, match="year 'soon' is not understood"):
        engine.search(SearchRequest(q="year:soon"))


def test_the_real_syntax_still_works(engine):
    assert documents(engine, '"payment by results"') == documents(engine, '"payment by results"?')
    both = set(documents(engine, "investors OR облигациите"))
    assert both == set(documents(engine, "investors")) | set(documents(engine, "облигациите"))
    assert not set(documents(engine, "payment -investors")) & set(documents(engine, "investors"))
    assert documents(engine, "ESF+?") == documents(engine, "ESF+")
    assert documents(engine, "outcom*") == documents(engine, "outcom*!")
    assert documents(engine, "paymnet~") == documents(engine, "paymnet~?")


# Nothing found is never the end -----------------------------------------------------------
def test_the_any_word_fallback_runs_whatever_the_syntax(engine):
    for q, alone in [
        ('"payment by results" zqxwv', '"payment by results"'),
        ("title:payment zqxwv", "title:payment"),
        ("outcom* zqxwv", "outcom*"),
        ("paymnet~ zqxwv?", "paymnet~"),
    ]:
        result = engine.search(SearchRequest(q=q, expand=False, per_page=50))
        assert result["fallback"] == "any", q
        assert result["understood"]["mode"] == "any"
        found = {h["id"] for h in result["hits"]}
        assert found == set(documents(engine, alone, expand=False, per_page=50)), q


def test_excluded_words_stay_excluded_when_any_word_will_do(engine):
    social = set(documents(engine, "social", expand=False, per_page=50))
    investors = set(documents(engine, "investors", expand=False, per_page=50))
    without = social - investors
    assert without and social & investors
    fallback = engine.search(SearchRequest(q="social zqxwv -investors", expand=False))
    assert fallback["fallback"] == "any"
    assert {h["id"] for h in fallback["hits"]} == without
    chosen = documents(engine, "social zqxwv -investors", mode="any", expand=False)
    assert set(chosen) == without


def test_languages_by_name_in_the_query(engine):
    greek = documents(engine, "language:el")
    assert (
        greek and documents(engine, "език:гръцки") == documents(engine, "Language:Greek") == greek
    )
