"""A search that finds nothing says what to change, in the interface language, on the page (its
JSON twin gives the same advice as data), each piece of advice only where it applies."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest


def advice(client, page_context, query: str) -> list[dict]:
    """The page's advice, each with its sentence and link; the JSON answer gives the same
    advice without them (they are the page's)."""
    result = client.get(f"/api/search?{query}").get_json()
    assert result["total"] == 0 and not result["hits"]
    page = page_context(f"/search?{query}")
    assert client.get(f"/search?{query}&format=json").get_json()["advice"] == result["advice"]
    said = [{k: v for k, v in a.items() if k not in ("message", "url")} for a in page["advice"]]
    assert said == result["advice"]  # the page advises what its twin does
    assert all(set(a) == {"kind", "words", "languages", "found"} for a in result["advice"])
    return page["advice"]


def params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_filters_that_leave_nothing(client, page_context):
    [only] = advice(client, page_context, "q=investors&country=PT")
    assert only["kind"] == "filters" and only["found"] == 2
    assert only["message"] == "Remove the filters: 2 documents match without them."
    assert params(only["url"]) == {"q": ["investors"]}


def test_words_no_document_has(client, page_context):
    spelling = advice(client, page_context, "q=zqxwv+yqvwz%3F")[0]
    assert spelling["words"] == ["zqxwv", "yqvwz"]
    assert spelling["message"] == "No document has the words zqxwv, yqvwz: check their spelling."


def test_unknown_words_spelling_and_languages(client, page_context):
    spelling, languages = advice(client, page_context, "q=zqxwv")
    assert spelling == {
        "kind": "spelling",
        "words": ["zqxwv"],
        "languages": [],
        "found": None,
        "message": "No document has the word zqxwv: check its spelling.",
    }
    assert languages["languages"] == ["bg", "el", "en", "pt"]
    assert languages["message"] == (
        "The documents are written in Bulgarian, Greek, English, Portuguese: "
        "try the words in one of these languages."
    )


def test_a_misspelt_word_links_to_the_correction(page_context):
    page = page_context("/search?q=stakeholdrs&correct=0")
    assert page["suggestion"] == "stakeholders"
    spelling = page["advice"][0]
    assert spelling["kind"] == "spelling" and spelling["words"] == ["stakeholdrs"]
    assert params(spelling["url"]) == {"q": ["stakeholders"]}


def test_a_phrase_that_is_not_there_but_its_words_are(client, page_context):
    [fewer] = advice(client, page_context, "q=%22investors+payment%22")
    assert fewer["kind"] == "fewer_words" and fewer["words"] == ["investors", "payment"]
    assert fewer["message"] == (
        "Search with fewer words: the words investors, payment find documents on their own."
    )
    assert params(fewer["url"]) == {"q": ["investors payment"]}


def test_all_languages_when_they_would_find_something(client, page_context):
    found = advice(client, page_context, "q=πληρωμή+βάσει+αποτελεσμάτων&expand=0")
    other = [a for a in found if a["kind"] == "other_language"]
    assert other and other[0]["found"] == 2
    assert other[0]["message"] == "Search all languages: 2 documents in other languages match."
    assert "expand" not in params(other[0]["url"])  # all languages is the default


def test_nothing_is_advised_when_something_is_found(client):
    assert client.get("/api/search?q=investors").get_json()["advice"] == []


@pytest.mark.parametrize(
    ("lang", "words", "filters"),
    [
        ("bg", "Нито един документ не съдържа думата zqxwv", "Премахнете филтрите"),
        ("el", "Κανένα έγγραφο δεν περιέχει τη λέξη zqxwv", "Αφαιρέστε τα φίλτρα"),
        ("pt", "Nenhum documento contém a palavra zqxwv", "Remova os filtros"),
    ],
)
def test_advice_in_every_interface_language(client, page_context, lang, words, filters):
    [spelling, _] = advice(client, page_context, f"q=zqxwv&lang={lang}")
    assert spelling["message"].startswith(words)
    [only] = advice(client, page_context, f"q=investors&country=PT&lang={lang}")
    assert only["message"].startswith(filters) and "2" in only["message"]
    html = client.get(f"/search?q=zqxwv&lang={lang}").get_data(as_text=True)
    assert words in html


def test_the_page_lists_the_advice_with_its_links(client):
    html = client.get("/search?q=%22investors+payment%22").get_data(as_text=True)
    assert "Nothing found" in html
    assert 'class="advice-fewer_words"><a href="/search?q=investors+payment">' in html
