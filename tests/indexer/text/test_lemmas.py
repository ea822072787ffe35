"""Lemmas that agree with themselves: a fixed point, junk repaired, unknown forms matched
through their surface stem; and index and query meeting on the same term."""

import json
import os

import pytest

from indexer.languages import LANGUAGES, LATIN
from indexer.models import Page
from indexer.text import keys
from indexer.text.analysers import LanguageAnalyzer
from indexer.text.document_terms import analyse_document
from indexer.text.keys import word_key
from indexer.text.lemmas import LemmaTable, clean, resolve, table
from indexer.text.taxonomy import LOOKED_UP_AHEAD, stream_of
from indexer.text.terms import (
    WORD,
    _lookup_keys,
    dictionary_lemma,
    fold,
    lemma,
    look_up_ahead,
    page_marker,
    surface_term,
    term,
)
from tests.factories import TEXTS


def test_a_form_and_its_lemmas_lemma_share_a_term():
    # simplemma: βαρείες → βαρεία, but βαρεία → βαρύς
    assert term("el", "βαρείες") == term("el", "βαρεία") == term("el", "βαρύς")
    assert lemma("el", "βαρείες") == "βαρύς"


def test_lemmas_are_followed_to_a_fixed_point_and_cycles_end():
    dictionary = {"a1": "b", "b": "c", "c": "c", "x": "y", "y": "x"}
    assert resolve("pt", dictionary.get, "a1") == "c"
    assert resolve("pt", dictionary.get, "b") == "c"
    # A cycle stands for its alphabetically first member, whichever form is looked up.
    assert resolve("pt", dictionary.get, "x") == resolve("pt", dictionary.get, "y") == "x"
    assert resolve("pt", dictionary.get, "unknown") is None


def test_the_bulgarian_stemmer_joins_singular_and_plural_of_nouns_in_ие_and_ия():
    from indexer.text.terms import bulgarian_stem

    assert bulgarian_stem("въздействие") == bulgarian_stem("въздействията")
    assert bulgarian_stem("финансиране") == bulgarian_stem("финансиранията")
    assert bulgarian_stem("история") == bulgarian_stem("истории") == bulgarian_stem("историята")


def test_junk_lemmas_are_repaired():
    assert lemma("bg", "върна") == "върна"  # the dictionary says "върна-(се)"
    assert term("bg", "върнах") == term("bg", "върна")
    assert clean("bg", "авг", "авг.") == "авг"
    # A reflexive particle is no verb's lemma: the verb is not made a stop word's sibling.
    assert clean("bg", "влюбва", "се") is None
    assert term("bg", "влюбва") is not None


def test_wrong_lemmas_are_corrected():
    assert lemma("bg", "тяхната") == "техен"  # the dictionary says "наш" (ours)
    assert term("bg", "тяхното") == term("bg", "техните") != term("bg", "нашата")


@pytest.mark.parametrize(
    "lang, unknown, known",
    [
        # participles the dictionary lacks, matched to the verb whose forms share their stem
        ("bg", "финансирани", "финансирам"),
        ("bg", "анкетирани", "анкетирам"),
        # a form it lacks with the definite article, matched by the form without it
        ("bg", "капацитета", "капацитет"),
    ],
)
def test_unknown_forms_meet_their_siblings_through_the_surface_stem(lang, unknown, known):
    assert dictionary_lemma(lang, unknown) is None
    assert dictionary_lemma(lang, known) is not None
    assert term(lang, unknown) == term(lang, known)


def field_terms(lang: str, text: str) -> set[str]:
    latin = LANGUAGES[lang].script == LATIN
    page = (lang if latin else None, page_marker(lang if latin else None) + text)
    return set(analyse_document([page], "").stemmed[lang])


@pytest.mark.parametrize(
    "lang, typed, in_document",
    [
        ("el", "βαρείες", "βαρύς"),
        ("el", "βαρεια", "βαρείες"),
        ("bg", "върнах", "върна"),
        ("bg", "финансирани", "финансирам"),
        ("bg", "капацитета", "капацитет"),
        ("bg", "въздействията", "въздействие"),
        ("pt", "sociais", "social"),
    ],
)
def test_index_and_query_yield_the_same_terms(lang, typed, in_document):
    indexed = field_terms(lang, in_document)
    queried = {t.text for t in LanguageAnalyzer(lang)(typed, mode="query")}
    assert queried and queried <= indexed
    assert field_terms(lang, typed) == queried


def test_a_process_forked_after_the_table_opened_reads_it_through_its_own_connection():
    """Indexing workers are forked with the lemma table open: an SQLite connection must not
    be used across a fork, so the forked process opens its own and reads the same lemmas."""
    lemmas = table(fold, surface_term)
    if not isinstance(lemmas, LemmaTable):
        pytest.skip("no cache folder for the table here")
    words = [("lemma", "en", "children"), ("lemma", "pt", "cidades"), ("lemma", "bg", "градове")]
    expected = [lemmas.get(*w) for w in words]
    given = lemmas._db
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the forked process: report its connection and its lemmas, then end
        try:
            found = [lemmas.get(*w) for w in words]
            os.write(write, json.dumps([lemmas._db is given, found]).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        same_connection, found = json.loads(pipe.read())
    os.waitpid(pid, 0)
    assert not same_connection
    assert found == expected
    assert lemmas._db is given  # this process keeps its own
    assert [lemmas.get(*w) for w in words] == expected


def test_the_table_is_found_without_importing_simplemma():
    """A process that only looks words up finds the table under simplemma's version as its
    package states it, the same version simplemma gives, without importing simplemma."""
    import subprocess
    import sys

    import simplemma

    from indexer.text.lemmas import _table_path

    script = (
        "import sys\n"
        "from indexer.text.lemmas import _table_path\n"
        "from indexer.text.terms import fold, surface_term\n"
        "print(_table_path(fold, surface_term).name)\n"
        "print('simplemma' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == [_table_path(fold, surface_term).name, "False"]
    assert f"-simplemma-{simplemma.__version__}-" in out[0]


#: Words of each language with a dictionary: known forms, forms with an article, Greek typed
#: without accents, forms only their stem places, stop words and invented words.
AHEAD = {
    "bg": [*TEXTS["bg"].split(), "капацитета", "финансирани", "върнах", "тяхното", "и", "Зъщрок"],
    "el": [*TEXTS["el"].split(), "βαρείες", "βαρεια", "κοινωνικων", "και", "Ξυλφωθ"],
    "pt": [*TEXTS["pt"].split(), "inovações", "sociais", "cidades", "de", "Xuplonte"],
}


def test_keys_fetched_ahead_are_answered_as_one_by_one_without_a_query(monkeypatch):
    """`LemmaTable.fetch` asks for many keys at once (several queries of a few forms each,
    here); `lookup` then answers them as its own query would, without one; past `HELD`
    answers it keeps a bounded number."""
    shared = table(fold, surface_term)
    if not isinstance(shared, LemmaTable):
        pytest.skip("no cache folder for the table here")
    monkeypatch.setattr(LemmaTable, "FETCHED_AT_ONCE", 7)
    monkeypatch.setattr(LemmaTable, "HELD", 150)
    keys = {
        lang: [key for word in words for key in _lookup_keys(lang, word.strip(".,").lower())]
        for lang, words in AHEAD.items()
    }
    one_by_one = LemmaTable(shared._path)
    expected = {
        lang: [one_by_one.lookup(lang, [key])[0] for key in ks] for lang, ks in keys.items()
    }
    assert any(v is None for v in expected["bg"]) and any(v for v in expected["bg"])

    ahead = LemmaTable(shared._path)
    queries: list[str] = []
    ahead._db.set_trace_callback(queries.append)
    for lang, ks in keys.items():
        ahead.fetch(lang, ks)
        fetched = len(queries)
        assert fetched > 1 and len(queries) < len(ks)
        assert ahead.lookup(lang, ks) == expected[lang]
        assert [ahead.lookup(lang, [key])[0] for key in ks] == expected[lang]
        assert len(queries) == fetched  # answered from what was fetched
        queries.clear()
        assert len(ahead._held) <= LemmaTable.HELD


def test_terms_are_the_same_with_a_documents_words_looked_up_ahead(monkeypatch):
    """`look_up_ahead` asks the tables what `term` would ask of each word: afterwards every
    word's term comes without a query, and is the term it has without looking ahead."""
    shared = table(fold, surface_term)
    if not isinstance(shared, LemmaTable):
        pytest.skip("no cache folder for the table here")
    pairs = [(lang, word.strip(".,")) for lang, words in AHEAD.items() for word in words]
    monkeypatch.setattr(shared, "_held", {})
    expected = [term.__wrapped__(lang, word) for lang, word in pairs]
    monkeypatch.setattr(shared, "_held", {})
    look_up_ahead(pairs)
    queries: list[str] = []
    shared._db.set_trace_callback(queries.append)
    try:
        assert [term.__wrapped__(lang, word) for lang, word in pairs] == expected
    finally:
        shared._db.set_trace_callback(None)
    assert queries == []


def test_a_long_texts_words_are_fetched_at_once_for_its_keys(monkeypatch):
    """The stream of a text's keys (`taxonomy.stream_of`, which describing a document reads)
    fetches its new words' entries at once, in a few queries instead of one per word, and
    next time (the words met before) in none; the keys are the words' own."""
    shared = table(fold, surface_term)
    if not isinstance(shared, LemmaTable):
        pytest.skip("no cache folder for the table here")
    words = [w.strip(".,") for lang in ("bg", "el", "pt") for w in AHEAD[lang]]
    text = " ".join(words)
    assert len(set(words)) >= LOOKED_UP_AHEAD
    monkeypatch.setattr(shared, "_held", {})
    monkeypatch.setattr(keys, "_ahead", {})
    word_key.cache_clear()
    term.cache_clear()
    queries: list[str] = []
    shared._db.set_trace_callback(queries.append)
    try:
        stream = stream_of([Page(1, text, "pt", ["pt", "bg", "el"])], ["pt", "bg", "el"])
        fetched = len(queries)
        word_key.cache_clear()
        term.cache_clear()
        again = stream_of([Page(1, text, "pt", ["pt", "bg", "el"])], ["pt", "bg", "el"])
    finally:
        shared._db.set_trace_callback(None)
    assert fetched <= 9  # a query per language and table
    assert len(queries) == fetched
    assert again == stream == [(k, w) for w in WORD.findall(text) if (k := word_key(w, "pt"))]
