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
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources

import Stemmer
from whoosh.lang.stopwords import stoplists

from ..languages import INDEX_LANGUAGES, LANGUAGES, keeps_marks
from .lemmas import table as lemma_table
from .numbers import NUMBER, number_terms

#: Combining marks (accents, a stress mark on a Cyrillic vowel, marks on letters that have no
#: precomposed form). ``\w`` does not match them, yet they belong to the word they sit in.
MARKS = "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
#: Letters and digits with the marks on them (``уда́рение`` is one run).
WORD_PART = rf"[^\W_]+(?:[{MARKS}]+[^\W_]+)*[{MARKS}]*"
#: A word: letters and digits with their marks, with inner hyphens and apostrophes; a number
#: written with separators ("125 000", "1.500 €") is one word (``numbers``). One tokenizer for
#: every field and every reader of text, so word positions agree everywhere.
WORD = re.compile(rf"{NUMBER}|{WORD_PART}(?:['’-]{WORD_PART})*")
#: Pages announce the language of their Latin-script words in-band, between these two
#: private-use characters; the tokenizer reads the marker without counting it as a word.
MARK_START, MARK_END = "\ue000", "\ue001"
TOKEN_OR_MARK = re.compile(rf"{MARK_START}(\w*){MARK_END}|{WORD.pattern}")


#: Words each word-level cache below keeps (about half a megabyte per thousand across the
#: three). Indexing caches each distinct word's terms of a document itself
#: (`document_terms`), so these see the words that cache has not met yet, which are mostly
#: new: what they keep is the recent words a query, a page heading or a document's
#: description repeats. At 50,000 words they filled each indexing worker with some 25 MB of
#: words seen once.
WORD_CACHE = 8_192


@lru_cache(maxsize=128)
def skip_words(count: int) -> re.Pattern[str]:
    """A pattern that passes ``count`` words (and what stands before each) in one match: the
    words ``WORD`` finds, counted without a Python step per word.

    Each word is taken whole (an atomic group): a text with fewer words left fails at once,
    instead of trying every way to cut its words into smaller ones (exponential backtracking).
    """
    return re.compile(rf"(?:[\W_]*+(?>{WORD.pattern})){{{count}}}")


def page_marker(latin_language: str | None) -> str:
    return f"{MARK_START}{latin_language or ''}{MARK_END}"


# ---------------------------------------------------------------------------------------------
# Folding
# ---------------------------------------------------------------------------------------------
#: Stress marks: printed on Cyrillic vowels in dictionaries and textbooks (``уда́рение``), never
#: typed by readers.
_STRESS = frozenset("\u0301\u0300")
_CYRILLIC_VOWELS = frozenset("аеиоуыэюяіїєѣ")
_MARK = re.compile(f"[{MARKS}]")
#: What `plain_letters` may have to take off: a stress mark, or a vowel that carries one.
_STRESSED = re.compile("[\u0300\u0301ѐЀѝЍ]")
#: Letters that readers type interchangeably with another, as they leave out accents: Russian ё
#: as е, Ukrainian ґ as г; apostrophes as they come.
_VARIANTS = str.maketrans({"ё": "е", "ґ": "г", "’": "'", "ʼ": "'"})


def _keeps(base: str, mark: str) -> bool:
    """Whether a mark on a letter makes a letter of its own (й, ї, ў, Macedonian ѓ), rather than
    a stress mark or the two dots of ё, which readers leave out."""
    if not keeps_marks(base):
        return False
    lower = base.lower()
    if mark in _STRESS:
        return lower not in _CYRILLIC_VOWELS
    return not (mark == "\u0308" and lower == "е")


def _without_marks(word: str, every: bool) -> str:
    """``word`` without the marks readers leave out: with ``every``, all but those that make
    Cyrillic letters; else only Cyrillic stress marks and ё's dots."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", word):
        if unicodedata.combining(ch) and out:
            base = out[-1]
            if not _keeps(base, ch) and (every or keeps_marks(base)):
                continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


@lru_cache(maxsize=WORD_CACHE)
def fold(word: str) -> str:
    """Lower-case and strip accents from Latin and Greek letters; of Cyrillic ones only the
    stress marks and ё's dots (ё matches е, ґ matches г, as accents match in other scripts).

    casefold() turns final sigma into sigma; й, ї and ў keep their marks because in Bulgarian,
    Russian and Ukrainian they are different letters, not accented ones.
    """
    word = word.casefold()
    if word.isascii():
        return word
    if unicodedata.is_normalized("NFD", word) and not _MARK.search(word):  # no accent at all
        return word.translate(_VARIANTS)
    return _without_marks(word, every=True).translate(_VARIANTS)


def plain_letters(word: str) -> str:
    """The word as readers type it, accents kept: Cyrillic stress marks dropped, ё as е, ґ as
    г, one apostrophe. For the steps of a language that does not fold accents (Bulgarian)."""
    if word.isascii():
        return word
    if not _STRESSED.search(word):
        return word.translate(_VARIANTS)
    return _without_marks(word, every=False).translate(_VARIANTS)


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
@lru_cache(maxsize=WORD_CACHE)
def dictionary_lemma(lang: str, word: str) -> str | None:
    """Dictionary lemma of a lower-case word, followed to a fixed point (see `lemmas`); None
    when the dictionary does not know the word. Kept, as ``term`` is: translating a query asks
    for the lemmas of its words and their forms several times, each a query of the table.

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


@lru_cache(maxsize=WORD_CACHE)
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


@lru_cache(maxsize=WORD_CACHE)
def term(lang: str, word: str) -> str | None:
    """The index term of ``word`` in a language field; None for a stop word.

    A word the dictionary knows becomes its lemma's term (the lemma followed to a fixed point,
    then folded and stemmed as the language's entry in `languages` says). A word it does not
    know is looked up without its definite article (where the language has one), else matched
    through its surface stem: the term that the known forms sharing that stem mostly have, else
    the stem itself. The same function serves the index and queries, so a
    form and its siblings meet on one term either way.
    """
    lower = plain_letters(word.lower())
    if fold(lower) in stopwords(lang):
        return None
    known = LANGUAGES.get(lang)
    if known is None or "lemma" not in known.steps:
        return surface_term(lang, lower)
    keys = _lookup_keys(lang, lower)
    found = lemma_table(fold, surface_term).lookup(lang, keys)
    for (table, _), value in zip(keys, found, strict=True):
        if value is not None:
            return value if table == "stem" else surface_term(lang, value.lower())
    return keys[-1][1]  # the word's own stem


def _lookup_keys(lang: str, lower: str) -> list[tuple[str, str]]:
    """What `term` asks the lemma tables about a word (in lower case, not a stop word) of a
    language with a dictionary, in order of preference: the word's lemma; for Greek typed
    without accents, the lemma of its unaccented form; the lemma of the word without its
    definite article (shortest ending first: "капацитета" is "капацитет", not "капаците");
    the term of the known forms that share its stem (last: the stem itself)."""
    known = LANGUAGES[lang]
    keys = [("lemma", lower)]
    if known.lemma_by_folded_form and len(lower) > 3 and fold(lower) == lower:
        keys.append(("folded", lower))
    keys += [
        ("lemma", lower[: -len(ending)])
        for ending in known.article_endings
        if lower.endswith(ending) and len(lower) - len(ending) >= 4
    ]
    keys.append(("stem", surface_term(lang, lower)))
    return keys


def look_up_ahead(words: Iterable[tuple[str, str]]) -> None:
    """Ask the lemma tables at once what `term` will ask them about these ``(language, word)``
    pairs, one word at a time: a document's words are looked up in a few queries, each with
    its fixed cost, instead of one query per new word (`lemmas.LemmaTable.fetch`). Only the
    time changes: `term` gives the same terms, fetched ahead or not."""
    by_language: dict[str, set[str]] = {}
    for lang, word in words:
        by_language.setdefault(lang, set()).add(word)
    for lang, distinct in by_language.items():
        known = LANGUAGES.get(lang)
        if known is None or "lemma" not in known.steps:
            continue
        stop = stopwords(lang)
        lowers = {plain_letters(word.lower()) for word in distinct}
        keys = [
            key for lower in lowers if fold(lower) not in stop for key in _lookup_keys(lang, lower)
        ]
        lemma_table(fold, surface_term).fetch(lang, keys)


#: What joins the parts of a compound: a hyphen, an apostrophe in any of its forms.
_JOINER = re.compile("['’ʼ-]")
#: Runs of letters (with their marks) and runs of digits within one part of a word.
_RUNS = re.compile(rf"\d+|(?:[^\W\d_]|[{MARKS}])+")


def word_forms(word: str, split: bool = True) -> list[str]:
    """The forms a word is indexed as (``split``), or searched as.

    In the index a word yields itself and, when it has several parts, each part: the parts of a
    compound ("co-creation": "co", "creation", and joined, "cocreation"), of a word with an
    apostrophe ("d'alembertiano", "Schlömer's", Ukrainian "пам'ять", which joined is also the
    Russian spelling), and the letters and digits of a token that glues them ("favorito4", a
    footnote's number; "2021г."). A query yields a compound's parts, which every spelling of
    it has ("one-stop shop" also finds "one-stop-shop"); a glued token as typed, which the
    index has whole.
    """
    if (word.isalpha() and "ʼ" not in word) or word.isdigit():  # one part: the common case
        return [word]
    pieces = [p for p in _JOINER.split(word) if p]
    compound = len(pieces) > 1
    if not split:
        return pieces if compound else [word]
    forms = [word]
    if compound:
        forms += pieces
        if not all(p.isdigit() for p in pieces):  # "2021-2027" joined is no number
            forms.append("".join(pieces))
    for piece in pieces:
        runs = _RUNS.findall(piece)
        if len(runs) > 1:
            forms += runs
    return forms


def word_terms(lang: str | None, word: str, split: bool = True) -> list[str]:
    """Terms for one word in a language field (``lang``) or the folded one (None): a number's
    one term (``numbers``), else those of each of its forms (see `word_forms`), each once."""
    number = number_terms(word)
    if number is not None:
        return number
    return form_terms(lang, word_forms(word, split))


def form_terms(lang: str | None, forms: list[str]) -> list[str]:
    """The terms of a word's forms (`word_forms`) in a language field or the folded one."""
    if len(forms) == 1:  # the common case, without the loop
        one = fold(forms[0]) if lang is None else term(lang, forms[0])
        return [one] if one else []
    out: list[str] = []
    for form in forms:
        t = fold(form) if lang is None else term(lang, form)
        if t and t not in out:
            out.append(t)
    return out


def vocabulary_forms(word: str) -> list[str]:
    """The words a token adds to the vocabulary of suggestions and completions: itself in lower
    case, its stress marks left out; a token gluing letters to digits adds its words instead."""
    if word.isalpha():  # the common case
        return [plain_letters(word.lower())] if len(word) > 2 else []
    forms = [word]
    if not word.isdigit() and any(ch.isdigit() for ch in word):
        pieces = [_RUNS.findall(p) for p in _JOINER.split(word) if p]
        if any(len(runs) > 1 for runs in pieces):
            forms = [r for runs in pieces for r in runs if not r[0].isdigit()]
    return [plain_letters(f.lower()) for f in forms if len(f) > 2]
