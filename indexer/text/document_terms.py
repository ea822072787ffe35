"""Index time: every field of a document's text from one pass over its words."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ..languages import INDEX_LANGUAGES, OTHER, accepts, script_of
from .identifiers import find_codes, identifier_key
from .numbers import number_terms, number_words
from .terms import (
    MARK_START,
    TOKEN_OR_MARK,
    WORD,
    form_terms,
    skip_words,
    vocabulary_forms,
    word_forms,
)

#: A field's postings for one document: term → word positions, or term → count for fields
#: without positions. The schema's text fields index these as they are.
Postings = dict[str, list[int]] | dict[str, int]
#: Words between two of a page's checkpoints (``DocumentTerms.checkpoints``).
CHECKPOINT_WORDS = 16


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
    #: Each page's character offset after every ``CHECKPOINT_WORDS``-th word: where a word of a
    #: page is, without counting the words before it again (snippets of the hits on screen).
    checkpoints: list[list[int]]


#: A word's terms, each with the field it goes to (0: the folded field, then the language
#: fields in `INDEX_LANGUAGES` order), the folded ones first; and its vocabulary word(s) —
#: one string in the common case, a tuple for a token that adds several, None for none.
_WordTerms = tuple[tuple[tuple[int, str], ...], str | tuple[str, ...] | None]
_FIELD_OF = {lang: k for k, lang in enumerate(INDEX_LANGUAGES, 1)}


#: Distinct words (with the language they are read in) whose terms are kept: about 650 bytes
#: each, held by every indexing worker for its whole run. A collection's common words fit
#: well within it (3,000 generated documents use 22,000, 15,000 of them in the first 300).
#: Twice as many saved there 0.4 of 7.8 analyses per document, and held 10 MB more per
#: worker at 10,000.
INDEX_TERMS_CACHE = 16_384


@lru_cache(maxsize=INDEX_TERMS_CACHE)
def _index_terms(word: str, latin_language: str | None) -> _WordTerms:
    """One word's terms in the folded field, in each language field, and in the vocabulary."""
    script = script_of(word)
    number = number_terms(word)
    forms = word_forms(word)

    def terms(lang: str | None) -> tuple[str, ...]:
        return tuple(number if number is not None else form_terms(lang, forms))

    placed = [(0, term) for term in terms(None)]
    for lang in INDEX_LANGUAGES:
        if accepts(lang, script, latin_language):
            placed += [(_FIELD_OF[lang], term) for term in terms(lang)]
    words = vocabulary_forms(word) if script != OTHER else []
    vocabulary = (words[0] if len(words) == 1 else tuple(words)) if words else None
    return tuple(placed), vocabulary


#: Each Latin-script language's word forms, each with its positions.
_Forms = dict[str | None, defaultdict[str, list[int]]]
#: Words whose exact-form terms their context decides (a number written in groups, a currency
#: sign beside it: `numbers.number_words`), by (Latin-script language, word, those terms).
_Numbered = defaultdict[tuple[str | None, str, tuple[str, ...]], list[int]]


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
    numbered: _Numbered = defaultdict(list)
    identifiers: defaultdict[str, list[int]] = defaultdict(list)
    page_starts: list[int] = []
    position = 0
    checkpoints: list[list[int]] = []
    for latin_language, text in pages:
        page_starts.append(position)
        found: list[str] = []
        if MARK_START in text:
            page_checkpoints = _checkpoints(text)
        else:
            found, page_checkpoints = _words_and_checkpoints(text)
        checkpoints.append(page_checkpoints)
        _codes(text, position, identifiers, page_checkpoints)
        numbers = number_words(text)
        if MARK_START in text:
            words = _context_words(text, latin_language, numbers)
            for at, (word, lang, own) in enumerate(words, position):
                if own is None:
                    forms.setdefault(lang, defaultdict(list))[word].append(at)
                else:
                    numbered[(lang, word, own)].append(at)
            position += len(words)
            continue
        by_form = forms.setdefault(latin_language, defaultdict(list))
        if numbers:
            # The numbered words are taken apart with their own terms; the page's other
            # words are read as on any page.
            placed = _numbered_at(text, numbers, page_checkpoints)
            for at, word in enumerate(found):
                terms = placed.get(at)
                if terms is None:
                    by_form[word].append(position + at)
                else:
                    numbered[(latin_language, word, terms)].append(position + at)
        else:
            for at, word in enumerate(found, position):
                by_form[word].append(at)
        position += len(found)
    folded, stemmed, vocabulary = _terms(forms, numbered)
    title_words = [m.group(0) for m in TOKEN_OR_MARK.finditer(title) if m.group(1) is None]
    for word in title_words:
        if script_of(word) != OTHER:
            for form in vocabulary_forms(word):
                vocabulary[form] = vocabulary.get(form, 0) + 1
    _codes(title, position, identifiers)
    return DocumentTerms(
        folded=folded,
        stemmed=stemmed,
        vocabulary=vocabulary,
        identifiers=dict(identifiers),
        page_starts=page_starts,
        checkpoints=checkpoints,
    )


def _checkpoints(text: str) -> list[int]:
    """The character offsets of a page after every ``CHECKPOINT_WORDS``-th word."""
    if MARK_START not in text:
        return [m.end() for m in skip_words(CHECKPOINT_WORDS).finditer(text)]
    words = (m for m in TOKEN_OR_MARK.finditer(text) if m.group(1) is None)
    return [m.end() for n, m in enumerate(words, 1) if not n % CHECKPOINT_WORDS]


#: ``CHECKPOINT_WORDS`` words, each taken whole as `skip_words` takes them, and kept.
_CHECKPOINT_RUN = re.compile(
    "".join(rf"[\W_]*+((?>{WORD.pattern}))" for _ in range(CHECKPOINT_WORDS))
)


def _words_and_checkpoints(text: str) -> tuple[list[str], list[int]]:
    """A page without language markers: its words, as ``WORD.findall`` gives them, and its
    checkpoints (`_checkpoints`), from one reading of the page instead of two."""
    words: list[str] = []
    checkpoints: list[int] = []
    read = 0  # the words up to here are in ``words``
    for run in _CHECKPOINT_RUN.finditer(text):
        checkpoints.append(run.end())
        if run.start() == read:
            words += run.groups()
            read = run.end()
    words += WORD.findall(text, read)
    return words, checkpoints


def _numbered_at(
    text: str, numbers: dict[int, list[str]], checkpoints: list[int]
) -> dict[int, tuple[str, ...]]:
    """The terms of a page's numbered words (`numbers.number_words`, by the offset where a
    word starts) by the word's place on the page (counted from 0). Each word is found by
    reading on from the last checkpoint before it: at most ``CHECKPOINT_WORDS`` words read
    again per number, where reading every word of the page would cost a step per word."""
    placed: dict[int, tuple[str, ...]] = {}
    for offset, terms in numbers.items():
        passed = bisect_right(checkpoints, offset)
        since = checkpoints[passed - 1] if passed else 0
        at = passed * CHECKPOINT_WORDS
        for match in WORD.finditer(text, since):
            if match.start() >= offset:
                if match.start() == offset:  # an offset inside a word is no word's
                    placed[at] = tuple(terms)
                break
            at += 1
    return placed


#: Up to this many codes on a page, each code's word is found by counting the words before it
#: (in C); beyond, from the list of every word's start.
_FEW_CODES = 4


def _codes(
    text: str,
    first: int,
    identifiers: defaultdict[str, list[int]],
    checkpoints: list[int] | None = None,
) -> None:
    """The codes of a text whose first word is at ``first``, each at the word it starts at.
    With the text's ``checkpoints`` (`_checkpoints`), a code's word is counted from the last
    checkpoint before it: at most ``CHECKPOINT_WORDS`` words are read again per code."""
    codes = list(find_codes(text))
    if not codes:
        return
    if MARK_START not in text and (checkpoints is not None or len(codes) <= _FEW_CODES):
        for match in codes:
            start = match.start()
            # The words that start at or before the code's first character: those up to the
            # last checkpoint at or before it, and those counted (in C) from there.
            passed = bisect_right(checkpoints, start) if checkpoints else 0
            since = checkpoints[passed - 1] if checkpoints and passed else 0
            word = passed * CHECKPOINT_WORDS + len(WORD.findall(text, since, start + 1))
            identifiers[identifier_key(match.group(0))].append(first + max(0, word - 1))
        return
    word_starts = [m.start() for m in TOKEN_OR_MARK.finditer(text) if m.group(1) is None]
    for match in codes:
        word = max(0, bisect_right(word_starts, match.start()) - 1)
        identifiers[identifier_key(match.group(0))].append(first + word)


def _terms(
    forms: _Forms, numbered: _Numbered
) -> tuple[dict[str, list[int]], dict[str, dict[str, list[int]]], dict[str, int]]:
    """Each form's terms in the folded field, the language fields and the vocabulary, with
    the form's positions (a numbered word's exact-form terms are those its context gave). A
    form's list of positions is shared by its terms' entries until a second form adds to one
    of them, which then gets a list of its own (sorted at the end)."""
    folded: dict[str, list[int]] = {}
    stemmed: dict[str, dict[str, list[int]]] = {lang: {} for lang in INDEX_LANGUAGES}
    fields = [folded, *stemmed.values()]
    vocabulary: dict[str, int] = {}
    merged: list[tuple[dict[str, list[int]], str]] = []

    def place(placed: tuple[tuple[int, str], ...], in_vocabulary: object, at: list[int]) -> None:
        for k, t in placed:
            field = fields[k]
            found = field.setdefault(t, at)
            if found is not at:
                field[t] = found + at
                merged.append((field, t))
        if type(in_vocabulary) is str:
            vocabulary[in_vocabulary] = vocabulary.get(in_vocabulary, 0) + len(at)
        elif isinstance(in_vocabulary, tuple):
            for form in in_vocabulary:
                vocabulary[form] = vocabulary.get(form, 0) + len(at)

    for latin_language, by_form in forms.items():
        for word, at in by_form.items():
            place(*_index_terms(word, latin_language), at)
    for (lang, word, own), at in numbered.items():
        placed, in_vocabulary = _index_terms(word, lang)
        place((*((0, t) for t in own), *(p for p in placed if p[0])), in_vocabulary, at)
    for field, t in merged:
        field[t].sort()
    return folded, stemmed, vocabulary


def _context_words(
    text: str, latin_language: str | None, numbers: dict[int, list[str]]
) -> list[tuple[str, str | None, tuple[str, ...] | None]]:
    """The words of a page that needs more than its words: one that announces its
    Latin-script language in-band, or has numbers whose terms their context decides. Each
    word comes with the language in force where it stands and, for a number, its terms."""
    words: list[tuple[str, str | None, tuple[str, ...] | None]] = []
    for match in TOKEN_OR_MARK.finditer(text):
        marker = match.group(1)
        if marker is not None:
            latin_language = marker or None
            continue
        own = numbers.get(match.start())
        words.append((match.group(0), latin_language, None if own is None else tuple(own)))
    return words
