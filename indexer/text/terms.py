"""How a word becomes an index term in each language: case and accent folding, stop words,
dictionary lemmas and stemming, as each language's entry in `languages` prescribes.

Terms per language (chosen by measuring the morphology check in ``bench/relevance.py``):
  en  folded, Snowball English
  pt  dictionary lemma (simplemma), Snowball Portuguese, accents folded
  el  dictionary lemma, tonos/dialytika removed, final sigma folded, Snowball Greek
  bg  dictionary lemma, then a light suffix stemmer; й, ъ and ь are never folded
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources

import Stemmer
from whoosh.lang.stopwords import stoplists

from .languages import INDEX_LANGUAGES, LANGUAGES, keeps_marks
from .lemmas import table as lemma_table
from .numbers import NUMBER, number_terms

#: A word: letters and digits, with inner hyphens and apostrophes; a number written with
#: separators ("125 000", "1.500 €") is one word (``numbers``). One tokenizer for every
#: field and every reader of text, so word positions agree everywhere.
WORD = re.compile(rf"{NUMBER}|[^\W_]+(?:['-][^\W_]+)*")
#: Pages announce the language of their Latin-script words in-band, between these two
#: private-use characters; the tokenizer reads the marker without counting it as a word.
MARK_START, MARK_END = "\ue000", "\ue001"
TOKEN_OR_MARK = re.compile(rf"{MARK_START}(\w*){MARK_END}|{WORD.pattern}")


def page_marker(latin_language: str | None) -> str:
    return f"{MARK_START}{latin_language or ''}{MARK_END}"


# ---------------------------------------------------------------------------------------------
# Folding
# ---------------------------------------------------------------------------------------------
@lru_cache(maxsize=50_000)
def fold(word: str) -> str:
    """Lower-case and strip accents from Latin and Greek letters, never from Cyrillic ones.

    casefold() turns final sigma into sigma; й and ё keep their marks because in Bulgarian and
    Russian they are different letters, not accented ones.
    """
    word = word.casefold()
    if word.isascii():
        return word
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", word):
        if unicodedata.combining(ch) and out and not keeps_marks(out[-1]):
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


# ---------------------------------------------------------------------------------------------
# Stop words
# ---------------------------------------------------------------------------------------------
@cache
def stopwords(lang: str) -> frozenset[str]:
    words: set[str] = set()
    if lang in stoplists:
        words |= set(stoplists[lang])
    data = json.loads(resources.files("indexer.data").joinpath("stopwords.json").read_text("utf-8"))
    words |= set(data.get(lang, ()))
    return frozenset(fold(w) for w in words)


def is_stop(word: str) -> bool:
    """A stop word in any language of the index: it finds nothing on its own."""
    folded = fold(word)
    return any(folded in stopwords(lang) for lang in INDEX_LANGUAGES)


# ---------------------------------------------------------------------------------------------
# Lemmas
# ---------------------------------------------------------------------------------------------
def dictionary_lemma(lang: str, word: str) -> str | None:
    """Dictionary lemma of a lower-case word, followed to a fixed point (see `lemmas`); None
    when the dictionary does not know the word.

    Greek typed without tonos or printed in capitals is looked up by its unaccented form.
    Portuguese has no such fallback: readers type its accents, and unaccented words still match
    exact forms in the folded field.
    """
    lemmas = lemma_table(fold, surface_term)
    found = lemmas.get("lemma", lang, word)
    by_folded_form = lang in LANGUAGES and LANGUAGES[lang].lemma_by_folded_form
    if found is None and by_folded_form and len(word) > 3 and fold(word) == word:
        found = lemmas.get("folded", lang, word)
    return found.lower() if found else None


def lemma(lang: str, word: str) -> str:
    """Dictionary lemma of a lower-case word, or the word itself when it is unknown."""
    return dictionary_lemma(lang, word) or word


# ---------------------------------------------------------------------------------------------
# Bulgarian light stemmer
# ---------------------------------------------------------------------------------------------
def bulgarian_stem(word: str) -> str:
    """Strip the definite article, plural and final vowels of a Bulgarian word.

    A light stemmer after the rules published for Bulgarian information retrieval: it groups the
    forms of one lemma family (социален/социална/социално → социалн) and leaves short words alone.
    """
    w = word
    if len(w) < 4:
        return w
    # definite article
    if len(w) > 6 and w.endswith("ият"):
        w = w[:-3]
    elif (len(w) > 5 and w.endswith(("ът", "то", "те", "та", "ия"))) or (
        len(w) > 4 and w.endswith("ят")
    ):
        w = w[:-2]
    # plural
    if len(w) > 6 and w.endswith("ове"):
        w = w[:-3]
    elif len(w) > 6 and w.endswith("еве"):
        w = w[:-3] + "й"
    elif len(w) > 5 and w.endswith("ища"):
        w = w[:-3]
    elif len(w) > 6 and w.endswith("ии"):  # истории, like история
        w = w[:-2]
    elif len(w) > 4 and w.endswith("и"):
        w = w[:-1]
    # final vowels; -ие like -ия (въздействие, въздействията; финансиране, финансиранията)
    if len(w) > 6 and w.endswith(("ие", "ия")):
        w = w[:-2]
    if len(w) > 3 and w.endswith("я"):
        w = w[:-1]
    if len(w) > 3 and w.endswith(("а", "о", "е")):
        w = w[:-1]
    # verbal nouns and imperfective verbs of one family: приключване, приключвам → приключ
    if len(w) > 7 and w.endswith(("ван", "вам")):
        w = w[:-3]
    # mobile vowels: социален/социална, център/центъра
    if len(w) > 4 and w.endswith("ен"):
        w = w[:-2] + "н"
    if len(w) > 5 and w[-2] == "ъ":
        w = w[:-2] + w[-1]
    return w


# ---------------------------------------------------------------------------------------------
# Terms per language
# ---------------------------------------------------------------------------------------------
@cache
def _snowball(name: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(name)


def _stem(lang: str, word: str) -> str:
    name = LANGUAGES[lang].stemmer
    if name is None:
        return word
    if name == "bulgarian":
        return bulgarian_stem(word)
    stemmed: str = _snowball(name).stemWord(word)
    return stemmed


@lru_cache(maxsize=50_000)
def surface_term(lang: str, word: str) -> str:
    """A lower-case word's term in a language without the dictionary: the steps of its entry
    in `languages` other than the lemma (folding, stemming)."""
    known = LANGUAGES.get(lang)
    if known is None or not known.steps:
        return fold(word)
    out = word
    for step in known.steps:
        if step == "fold":
            out = fold(out)
        elif step == "stem":
            out = _stem(lang, out)
    return out


@lru_cache(maxsize=50_000)
def term(lang: str, word: str) -> str | None:
    """The index term of ``word`` in a language field; None for a stop word.

    A word the dictionary knows becomes its lemma's term (the lemma followed to a fixed point,
    then folded and stemmed as the language's entry in `languages` says). A word it does not
    know is looked up without its definite article (where the language has one), else matched
    through its surface stem: the term that the known forms sharing that stem mostly have, else
    the stem itself. The same function serves the index and queries, so a
    form and its siblings meet on one term either way.
    """
    lower = word.lower()
    if fold(lower) in stopwords(lang):
        return None
    known = LANGUAGES.get(lang)
    if known is None or "lemma" not in known.steps:
        return surface_term(lang, lower)
    # One query asks for everything that may be needed, in order of preference: the word's
    # lemma; for Greek typed without accents, the lemma of its unaccented form; the lemma of
    # the word without its definite article (shortest ending first: "капацитета" is
    # "капацитет", not "капаците"); the term of the known forms that share its stem.
    keys = [("lemma", lower)]
    if known.lemma_by_folded_form and len(lower) > 3 and fold(lower) == lower:
        keys.append(("folded", lower))
    keys += [
        ("lemma", lower[: -len(ending)])
        for ending in known.article_endings
        if lower.endswith(ending) and len(lower) - len(ending) >= 4
    ]
    stem = surface_term(lang, lower)
    keys.append(("stem", stem))
    found = lemma_table(fold, surface_term).lookup(lang, keys)
    for (table, _), value in zip(keys, found, strict=True):
        if value is not None:
            return value if table == "stem" else surface_term(lang, value.lower())
    return stem


def word_terms(lang: str | None, word: str, split: bool = True) -> list[str]:
    """Terms for one word: the whole word and, for hyphenated compounds, each part.

    In the index a compound yields itself and its parts (at one position), so "co-creation"
    is found by "co-creation" and by "creation". A query yields only the parts, which every
    spelling of the compound has: "one-stop shop" then also finds "one-stop-shop".
    """
    number = number_terms(word)
    if number is not None:
        return number
    parts = [p for p in word.split("-") if p] if "-" in word else []
    forms = [word, *parts] if split else (parts or [word])
    out: list[str] = []
    for form in forms:
        t = fold(form) if lang is None else term(lang, form)
        if t and t not in out:
            out.append(t)
    return out
