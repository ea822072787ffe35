"""Lemmas that agree with themselves: a fixed point, junk repaired, unknown forms matched
through their surface stem; and index and query meeting on the same term."""

import json
import os

import pytest

from indexer.languages import LANGUAGES, LATIN
from indexer.text.analysers import LanguageAnalyzer
from indexer.text.document_terms import analyse_document
from indexer.text.lemmas import LemmaTable, clean, resolve, table
from indexer.text.terms import dictionary_lemma, fold, lemma, page_marker, surface_term, term


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
