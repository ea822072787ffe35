"""How text becomes index terms, per language.

One tokenizer for every field, so that a word has the same position in each of them: positions
are what the index uses to tell on which page a query matched. Each language field keeps only the
words of its language — Cyrillic words go to Bulgarian, Greek to Greek, Latin-script words to the
language detected for their page — so English stemming never touches Portuguese and vice versa.
Pages announce their Latin-script language with an in-band marker (``\\ue000en\\ue001``) that the
tokenizer consumes without advancing the position.

Terms per language (chosen by measuring the morphology check in ``bench/relevance.py``):
  en  folded, Snowball English
  pt  dictionary lemma (simplemma), Snowball Portuguese, accents folded
  el  dictionary lemma, tonos/dialytika removed, final sigma folded, Snowball Greek
  bg  dictionary lemma, then a light suffix stemmer; й, ъ and ь are never folded
The language-neutral field keeps every word case- and accent-folded but unstemmed: exact forms
score there on top of the stemmed match.
"""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import Stemmer
from whoosh.analysis import Analyzer, Token
from whoosh.lang.stopwords import stoplists

from ..config import INDEX_LANGUAGES
from .lemmas import table as lemma_table

MARK_START, MARK_END = "\ue000", "\ue001"
WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")
_TOKEN_OR_MARK = re.compile(rf"{MARK_START}(\w*){MARK_END}|{WORD.pattern}")

CYRILLIC, GREEK, LATIN, OTHER = "cyrillic", "greek", "latin", "other"
SCRIPT_LANGUAGE = {CYRILLIC: "bg", GREEK: "el"}


def page_marker(latin_language: str | None) -> str:
    return f"{MARK_START}{latin_language or ''}{MARK_END}"


def script_of(word: str) -> str:
    for ch in word:
        if ch.isalpha():
            o = ord(ch)
            if 0x400 <= o <= 0x4FF:
                return CYRILLIC
            if 0x370 <= o <= 0x3FF or 0x1F00 <= o <= 0x1FFF:
                return GREEK
            if o < 0x250 or 0x1E00 <= o <= 0x1EFF:
                return LATIN
            return OTHER
    return OTHER  # digits only


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
        if unicodedata.combining(ch) and out and not (0x400 <= ord(out[-1]) <= 0x4FF):
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


# ---------------------------------------------------------------------------------------------
# Lemmas
# ---------------------------------------------------------------------------------------------
def lemma(lang: str, word: str) -> str:
    """Dictionary lemma of a lower-case word, or the word itself when it is unknown.

    Greek typed without tonos or printed in capitals is looked up by its unaccented form.
    Portuguese has no such fallback: readers type its accents, and unaccented words still match
    exact forms in the folded field.
    """
    lemmas = lemma_table(fold)
    found = lemmas.get("lemma", lang, word)
    if found is None and lang == "el" and len(word) > 3 and fold(word) == word:
        found = lemmas.get("folded", lang, word)
    return (found or word).lower()


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
    elif len(w) > 4 and w.endswith("и"):
        w = w[:-1]
    # final vowels
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
_SNOWBALL = {"en": "english", "pt": "portuguese", "el": "greek"}


@cache
def _stemmer(lang: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(_SNOWBALL[lang])


@lru_cache(maxsize=50_000)
def term(lang: str, word: str) -> str | None:
    """The index term of ``word`` in a language field; None for a stop word."""
    lower = word.lower()
    folded = fold(lower)
    if folded in stopwords(lang):
        return None
    if lang == "en":
        return _stemmer("en").stemWord(folded)
    if lang == "pt":
        return fold(_stemmer("pt").stemWord(lemma("pt", lower)))
    if lang == "el":
        return _stemmer("el").stemWord(fold(lemma("el", lower)))
    if lang == "bg":
        return bulgarian_stem(lemma("bg", lower))
    return folded


def accepts(lang: str, script: str, latin_language: str | None) -> bool:
    """Whether a word of this script belongs in the field of ``lang``.

    ``latin_language`` is the page's Latin-script language, ``"*"`` when unknown (queries).
    """
    if script == LATIN:
        return lang in ("en", "pt") and latin_language in ("*", lang)
    return SCRIPT_LANGUAGE.get(script) == lang


def word_terms(lang: str | None, word: str, split: bool = True) -> list[str]:
    """Terms for one word: the whole word and, for hyphenated compounds, each part.

    In the index a compound yields itself and its parts (at one position), so "co-creation"
    is found by "co-creation" and by "creation". A query yields only the parts, which every
    spelling of the compound has: "one-stop shop" then also finds "one-stop-shop".
    """
    parts = [p for p in word.split("-") if p] if "-" in word else []
    forms = [word, *parts] if split else (parts or [word])
    out: list[str] = []
    for form in forms:
        t = fold(form) if lang is None else term(lang, form)
        if t and t not in out:
            out.append(t)
    return out


# ---------------------------------------------------------------------------------------------
# Whoosh analyzers
# ---------------------------------------------------------------------------------------------
class _Base(Analyzer):
    """Shared tokenizer loop; subclasses decide which words a field keeps and how."""

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash((type(self).__name__, tuple(sorted(self.__dict__.items()))))

    def keep(self, script: str, latin_language: str | None) -> bool:
        raise NotImplementedError

    def terms(self, word: str, script: str, latin_language: str | None, index: bool) -> list[str]:
        raise NotImplementedError

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        index = mode == "index"
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            # Prefix and wildcard text: only folding applies, and only exact-form fields use it.
            text = self.untokenized(value)
            if text:
                token.text = text
                token.original = value
                token.boost = 1.0
                token.stopped = False
                if positions:
                    token.pos = start_pos
                if chars:
                    token.startchar, token.endchar = start_char, start_char + len(value)
                yield token
            return
        latin_language: str | None = "*"
        pos = start_pos
        for match in _TOKEN_OR_MARK.finditer(value):
            marker = match.group(1)
            if marker is not None:
                latin_language = marker or None
                continue
            word = match.group(0)
            script = script_of(word)
            if self.keep(script, latin_language if index else "*"):
                for text in self.terms(word, script, latin_language if index else "*", index):
                    token.text = text
                    token.original = word
                    token.boost = 1.0
                    token.stopped = False
                    if positions:
                        token.pos = pos
                    if chars:
                        token.startchar = start_char + match.start()
                        token.endchar = start_char + match.end()
                    yield token
            pos += 1

    def untokenized(self, value: str) -> str:
        # Prefix and fuzzy text: the query builder keeps such queries on exact-form fields only,
        # but every field must give the parser a token or it fails.
        return fold(value)


class FoldingAnalyzer(_Base):
    """Language-neutral field: every word, folded, not stemmed."""

    def keep(self, script: str, latin_language: str | None) -> bool:
        return True

    def terms(self, word: str, script: str, latin_language: str | None, index: bool) -> list[str]:
        return word_terms(None, word, split=index)


class LanguageAnalyzer(_Base):
    """Stemmed field of one language: only that language's words."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def keep(self, script: str, latin_language: str | None) -> bool:
        return accepts(self.lang, script, latin_language)

    def terms(self, word: str, script: str, latin_language: str | None, index: bool) -> list[str]:
        return word_terms(self.lang, word, split=index)


class MultiStemAnalyzer(_Base):
    """Titles: each word stemmed for its script; Latin words for both en and pt at query time."""

    def keep(self, script: str, latin_language: str | None) -> bool:
        return script != OTHER

    def terms(self, word: str, script: str, latin_language: str | None, index: bool) -> list[str]:
        if script == LATIN:
            langs = ["en", "pt"] if latin_language in ("*", None) else [latin_language]
            langs = [lang for lang in langs if lang in ("en", "pt")] or ["en"]
        else:
            langs = [SCRIPT_LANGUAGE[script]]
        out: list[str] = []
        for lang in langs:
            for t in word_terms(lang, word, split=index):
                tagged = f"{lang}:{t}"
                if tagged not in out:
                    out.append(tagged)
        return out


# ---------------------------------------------------------------------------------------------
# Identifiers: ESF+, COM(2021) 778, 2021/1060, 207(I)/2020, AD&C — kept whole, so they stay
# findable although the word tokenizer splits them
# ---------------------------------------------------------------------------------------------
IDENTIFIER = re.compile(
    r"""
    \b(?:COM|SWD|SEC|C)\s?\(\d{4}\)\s?\d+              # Commission documents
    | \b\d{1,4}\s?\([IVXΙ]+\)\s?/\s?\d{4}\b            # Cypriot laws: 207(I)/2020
    | \b(?:19|20)\d{2}\s?/\s?\d{1,5}\b                  # EU acts: 2021/1060
    | \b\d{1,5}\s?/\s?(?:19|20)\d{2}\b                  # 1303/2013
    | \b[^\W\d_]{2,8}\+(?!\w)                           # ESF+, ЕСФ+, ΕΚΤ+, FSE+
    | \b[A-Z]{1,4}&[A-Z]{1,4}\b                         # AD&C
    """,
    re.X,
)


def identifier_key(code: str) -> str:
    return re.sub(r"\s+", "", code).casefold().replace("ι", "i")


class IdentifierAnalyzer(_Base):
    """Codes as single terms, positioned at the word where they start."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        starts = [m.start() for m in WORD.finditer(value)] if positions else []
        matches = IDENTIFIER.finditer(value) if tokenize else [re.match(r".+", value, re.S)]
        for match in matches:
            if match is None:
                continue
            token.text = identifier_key(match.group(0))
            token.original = match.group(0)
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos + max(0, bisect_right(starts, match.start()) - 1)
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


class VocabularyAnalyzer(_Base):
    """Lower-cased words with their accents, for spelling suggestions and autocomplete."""

    def keep(self, script: str, latin_language: str | None) -> bool:
        return script != OTHER

    def terms(self, word: str, script: str, latin_language: str | None, index: bool) -> list[str]:
        return [word.lower()] if len(word) > 2 else []

    def untokenized(self, value: str) -> str:
        return value.lower()


# ---------------------------------------------------------------------------------------------
# Index time: every field of a document's text from one pass over its words
# ---------------------------------------------------------------------------------------------
#: A field's postings for one document: term → word positions, or term → count for fields
#: without positions. The schema's text fields index these as they are.
Postings = dict[str, list[int]] | dict[str, int]


@dataclass
class DocumentTerms:
    """The index terms of a document's pages, per field kind, with their word positions.

    They are exactly what the analysers above yield in index mode for the pages joined with
    their language markers (``tests/indexer/test_analysis.py`` holds them to that), computed
    with one tokenisation instead of one per field, and one analysis per distinct word.
    """

    folded: dict[str, list[int]]
    stemmed: dict[str, dict[str, list[int]]]
    vocabulary: dict[str, int]
    identifiers: dict[str, list[int]]
    #: Position of the first word of each page.
    page_starts: list[int]


_WordTerms = tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...], str | None]


@lru_cache(maxsize=32_768)
def _index_terms(word: str, latin_language: str | None) -> _WordTerms:
    """One word's terms in the folded field, in each language field, and in the vocabulary."""
    script = script_of(word)
    stemmed = tuple(
        (lang, tuple(word_terms(lang, word)))
        for lang in INDEX_LANGUAGES
        if accepts(lang, script, latin_language)
    )
    vocabulary = word.lower() if script != OTHER and len(word) > 2 else None
    return tuple(word_terms(None, word)), stemmed, vocabulary


def analyse_document(pages: Iterable[tuple[str | None, str]], title: str) -> DocumentTerms:
    """Terms of ``(Latin-script language, text)`` pages and the title, for the body fields.

    Positions count words from the first page on. Codes are placed at the word where they
    start; the title's codes and words follow the last page's words.
    """
    folded: defaultdict[str, list[int]] = defaultdict(list)
    stemmed: dict[str, defaultdict[str, list[int]]] = {
        lang: defaultdict(list) for lang in INDEX_LANGUAGES
    }
    vocabulary: Counter[str] = Counter()
    identifiers: defaultdict[str, list[int]] = defaultdict(list)
    page_starts: list[int] = []
    position = 0

    def codes(text: str, first: int, word_starts: list[int]) -> None:
        for match in IDENTIFIER.finditer(text):
            word = max(0, bisect_right(word_starts, match.start()) - 1)
            identifiers[identifier_key(match.group(0))].append(first + word)

    for latin_language, text in pages:
        page_starts.append(position)
        first = position
        word_starts: list[int] = []
        for match in _TOKEN_OR_MARK.finditer(text):
            marker = match.group(1)
            if marker is not None:
                latin_language = marker or None
                continue
            in_folded, in_languages, in_vocabulary = _index_terms(match.group(0), latin_language)
            for t in in_folded:
                folded[t].append(position)
            for lang, terms in in_languages:
                field = stemmed[lang]
                for t in terms:
                    field[t].append(position)
            if in_vocabulary:
                vocabulary[in_vocabulary] += 1
            word_starts.append(match.start())
            position += 1
        codes(text, first, word_starts)
    title_starts: list[int] = []
    for match in _TOKEN_OR_MARK.finditer(title):
        if match.group(1) is None:
            title_starts.append(match.start())
            word = match.group(0)
            if script_of(word) != OTHER and len(word) > 2:
                vocabulary[word.lower()] += 1
    codes(title, position, title_starts)
    return DocumentTerms(
        folded=dict(folded),
        stemmed={lang: dict(terms) for lang, terms in stemmed.items()},
        vocabulary=dict(vocabulary),
        identifiers=dict(identifiers),
        page_starts=page_starts,
    )
