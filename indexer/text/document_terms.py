"""Index time: every field of a document's text from one pass over its words."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .identifiers import IDENTIFIER, identifier_key
from .languages import INDEX_LANGUAGES, OTHER, accepts, script_of
from .terms import TOKEN_OR_MARK, word_terms

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

    checkpoints: list[list[int]] = []
    for latin_language, text in pages:
        page_starts.append(position)
        first = position
        word_starts: list[int] = []
        ends: list[int] = []
        checkpoints.append(ends)
        for match in TOKEN_OR_MARK.finditer(text):
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
            if not (position - first) % CHECKPOINT_WORDS:
                ends.append(match.end())
        codes(text, first, word_starts)
    title_starts: list[int] = []
    for match in TOKEN_OR_MARK.finditer(title):
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
        checkpoints=checkpoints,
    )
