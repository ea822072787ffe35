"""Index time: every field of a document's text from one pass over its words."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .identifiers import IDENTIFIER, identifier_key
from .languages import INDEX_LANGUAGES, OTHER, accepts, script_of
from .terms import MARK_START, TOKEN_OR_MARK, WORD, word_terms

#: A field's postings for one document: term → word positions, or term → count for fields
#: without positions. The schema's text fields index these as they are.
Postings = dict[str, list[int]] | dict[str, int]


@dataclass
class DocumentTerms:
    """The index terms of a document's pages, per field kind, with their word positions.

    They are exactly what the analysers above yield in index mode for the pages joined with
    their language markers (``tests/indexer/text/test_analysis.py`` holds them to that), computed
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


_Forms = defaultdict[tuple[str, str | None], list[int]]


def analyse_document(pages: Iterable[tuple[str | None, str]], title: str) -> DocumentTerms:
    """Terms of ``(Latin-script language, text)`` pages and the title, for the body fields.

    Positions count words from the first page on. Codes are placed at the word where they
    start; the title's codes and words follow the last page's words.

    The words are first gathered by form (with the Latin-script language they are read in),
    each with its positions; each distinct form is then analysed once and its positions go to
    each of its terms. A term several forms share ("Social", "social") gets their positions
    merged in order.
    """
    forms: _Forms = defaultdict(list)
    identifiers: defaultdict[str, list[int]] = defaultdict(list)
    page_starts: list[int] = []
    position = 0
    for latin_language, text in pages:
        page_starts.append(position)
        if MARK_START in text:
            words = _marked_words(text, latin_language)
        else:
            words = [(word, latin_language) for word in WORD.findall(text)]
        _codes(text, position, identifiers)
        for key in words:
            forms[key].append(position)
            position += 1
    folded, stemmed, vocabulary = _terms(forms)
    title_words = [m.group(0) for m in TOKEN_OR_MARK.finditer(title) if m.group(1) is None]
    for word in title_words:
        if script_of(word) != OTHER and len(word) > 2:
            vocabulary[word.lower()] += 1
    _codes(title, position, identifiers)
    return DocumentTerms(
        folded=folded,
        stemmed=stemmed,
        vocabulary=dict(vocabulary),
        identifiers=dict(identifiers),
        page_starts=page_starts,
    )


def _codes(text: str, first: int, identifiers: defaultdict[str, list[int]]) -> None:
    """The codes of a text whose first word is at ``first``, each at the word it starts at."""
    if not IDENTIFIER.search(text):
        return
    word_starts = [m.start() for m in TOKEN_OR_MARK.finditer(text) if m.group(1) is None]
    for match in IDENTIFIER.finditer(text):
        word = max(0, bisect_right(word_starts, match.start()) - 1)
        identifiers[identifier_key(match.group(0))].append(first + word)


def _terms(
    forms: _Forms,
) -> tuple[dict[str, list[int]], dict[str, dict[str, list[int]]], Counter[str]]:
    """Each form's terms in the folded field, the language fields and the vocabulary, with
    the form's positions."""
    folded: dict[str, list[int]] = {}
    stemmed: dict[str, dict[str, list[int]]] = {lang: {} for lang in INDEX_LANGUAGES}
    vocabulary: Counter[str] = Counter()
    shared: set[tuple[str | None, str]] = set()  # (field, term) given several forms' positions

    def put(field: dict[str, list[int]], lang: str | None, t: str, at: list[int]) -> None:
        found = field.get(t)
        if found is None:
            field[t] = at.copy()
        else:
            found += at
            shared.add((lang, t))

    for (word, latin_language), at in forms.items():
        in_folded, in_languages, in_vocabulary = _index_terms(word, latin_language)
        for t in in_folded:
            put(folded, None, t, at)
        for lang, terms in in_languages:
            for t in terms:
                put(stemmed[lang], lang, t, at)
        if in_vocabulary:
            vocabulary[in_vocabulary] += len(at)
    for field_lang, t in shared:
        (folded if field_lang is None else stemmed[field_lang])[t].sort()
    return folded, stemmed, vocabulary


def _marked_words(text: str, latin_language: str | None) -> list[tuple[str, str | None]]:
    """The words of a text that announces its Latin-script language in-band, each with the
    language in force where it stands."""
    words: list[tuple[str, str | None]] = []
    for match in TOKEN_OR_MARK.finditer(text):
        marker = match.group(1)
        if marker is not None:
            latin_language = marker or None
        else:
            words.append((match.group(0), latin_language))
    return words
