"""Index time: every field of a document's text from one pass over its words."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
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


#: Each Latin-script language's word forms, each with its positions.
_Forms = dict[str | None, defaultdict[str, list[int]]]


def analyse_document(pages: Iterable[tuple[str | None, str]], title: str) -> DocumentTerms:
    """Terms of ``(Latin-script language, text)`` pages and the title, for the body fields.

    Positions count words from the first page on. Codes are placed at the word where they
    start; the title's codes and words follow the last page's words.

    The words are first gathered by form (with the Latin-script language they are read in),
    each with its positions; each distinct form is then analysed once and its positions go to
    each of its terms. A term several forms share ("Social", "social") gets their positions
    merged in order.
    """
    forms: _Forms = {}
    identifiers: defaultdict[str, list[int]] = defaultdict(list)
    page_starts: list[int] = []
    position = 0
    for latin_language, text in pages:
        page_starts.append(position)
        _codes(text, position, identifiers)
        if MARK_START in text:
            marked = _marked_words(text, latin_language)
            for at, (word, lang) in enumerate(marked, position):
                forms.setdefault(lang, defaultdict(list))[word].append(at)
            position += len(marked)
            continue
        words = WORD.findall(text)
        by_form = forms.setdefault(latin_language, defaultdict(list))
        for at, word in enumerate(words, position):
            by_form[word].append(at)
        position += len(words)
    folded, stemmed, vocabulary = _terms(forms)
    title_words = [m.group(0) for m in TOKEN_OR_MARK.finditer(title) if m.group(1) is None]
    for word in title_words:
        if script_of(word) != OTHER and len(word) > 2:
            vocabulary[word.lower()] = vocabulary.get(word.lower(), 0) + 1
    _codes(title, position, identifiers)
    return DocumentTerms(
        folded=folded,
        stemmed=stemmed,
        vocabulary=vocabulary,
        identifiers=dict(identifiers),
        page_starts=page_starts,
    )


#: Up to this many codes on a page, each code's word is found by counting the words before it
#: (in C); beyond, from the list of every word's start.
_FEW_CODES = 4


def _codes(text: str, first: int, identifiers: defaultdict[str, list[int]]) -> None:
    """The codes of a text whose first word is at ``first``, each at the word it starts at."""
    codes = list(IDENTIFIER.finditer(text))
    if not codes:
        return
    if len(codes) <= _FEW_CODES and MARK_START not in text:
        for match in codes:
            # The words that start at or before the code's first character.
            word = max(0, len(WORD.findall(text, 0, match.start() + 1)) - 1)
            identifiers[identifier_key(match.group(0))].append(first + word)
        return
    word_starts = [m.start() for m in TOKEN_OR_MARK.finditer(text) if m.group(1) is None]
    for match in codes:
        word = max(0, bisect_right(word_starts, match.start()) - 1)
        identifiers[identifier_key(match.group(0))].append(first + word)


def _terms(
    forms: _Forms,
) -> tuple[dict[str, list[int]], dict[str, dict[str, list[int]]], dict[str, int]]:
    """Each form's terms in the folded field, the language fields and the vocabulary, with
    the form's positions. A form's list of positions is shared by its terms' entries until a
    second form adds to one of them, which then gets a list of its own (sorted at the end)."""
    folded: dict[str, list[int]] = {}
    stemmed: dict[str, dict[str, list[int]]] = {lang: {} for lang in INDEX_LANGUAGES}
    vocabulary: dict[str, int] = {}
    merged: list[tuple[dict[str, list[int]], str]] = []
    for latin_language, by_form in forms.items():
        for word, at in by_form.items():
            in_folded, in_languages, in_vocabulary = _index_terms(word, latin_language)
            targets = [(folded, in_folded)]
            targets += [(stemmed[lang], terms) for lang, terms in in_languages]
            for field, terms in targets:
                for t in terms:
                    found = field.get(t)
                    if found is None:
                        field[t] = at
                    else:
                        field[t] = found + at
                        merged.append((field, t))
            if in_vocabulary:
                vocabulary[in_vocabulary] = vocabulary.get(in_vocabulary, 0) + len(at)
    for field, t in merged:
        field[t].sort()
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
