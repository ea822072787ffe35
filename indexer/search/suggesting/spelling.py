"""Words of the index close to a typed word, by Damerau–Levenshtein distance.

Two letters typed the wrong way round ("paymnet") are one slip, not two: the distance counts a
transposition of neighbours as one edit. Whoosh finds terms within a Levenshtein distance with
an automaton over the term list; a transposition is two edits there. So the candidates are
Whoosh's, plus each transposition of the word looked up directly (and, for a distance of two,
the terms one edit away from each transposition). Every candidate is within the Damerau
distance: each step adds at most one edit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any, Protocol

from whoosh.codec.base import Automata
from whoosh.reading import SegmentReader


def damerau(a: str, b: str) -> int:
    """Edits from ``a`` to ``b``: insertions, deletions, substitutions and transpositions of
    neighbouring letters each count one (the optimal string alignment distance)."""
    if a == b:
        return 0
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def transpositions(word: str) -> set[str]:
    """The word with each pair of neighbouring letters swapped."""
    return {
        word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        for i in range(len(word) - 1)
        if word[i] != word[i + 1]
    }


class Terms(Protocol):
    """Where terms are looked up: an index reader, or the words of ``prefixes`` in memory."""

    def terms_within(
        self, fieldname: str, text: str, maxdist: int, prefix: int = 0
    ) -> Iterable[str]: ...

    def __contains__(self, key: tuple[str, str]) -> bool: ...


def close_terms(
    readers: Sequence[Terms], fieldname: str, word: str, distance: int, prefix: int = 1
) -> Iterator[str]:
    """Terms of ``fieldname`` within ``distance`` Damerau edits of ``word`` (the word itself
    included when it is a term), Whoosh's first. ``readers``: one per segment, or the words of
    every segment in memory.

    ``prefix`` letters must match, as in Whoosh's search; a transposition may move the letter
    at the edge of the prefix ("apyment" still finds "payment").
    """
    seen: set[str] = set()
    swapped = transpositions(word)
    for reader in readers:
        for term in _within(reader, fieldname, word, distance, prefix):
            if term not in seen:
                seen.add(term)
                yield term
        for other in swapped:
            if other not in seen and (fieldname, other) in reader:
                seen.add(other)
                yield other
        if distance < 2:
            continue
        for other in swapped:
            for term in _within(reader, fieldname, other, 1, prefix):
                if term not in seen and damerau(word, term) <= distance:
                    seen.add(term)
                    yield term


def _within(reader: Terms, fieldname: str, word: str, distance: int, prefix: int) -> Iterable[str]:
    """``reader.terms_within``, with a segment's walk of its term list made by an automaton
    kept for the next segment and field: a fuzzy word is looked up in every segment of every
    field it may be in, and Whoosh makes the same automaton again for each (a third of the
    time of bounding a fuzzy word)."""
    if not isinstance(reader, SegmentReader):
        return reader.terms_within(fieldname, word, distance, prefix=prefix)
    field = reader.schema[fieldname]
    cursor = reader.cursor(field.spelling_fieldname(fieldname))
    found: Iterable[str] = Automata.find_matches(automaton(word, distance, prefix), cursor)
    return found


@lru_cache(maxsize=1024)
def automaton(word: str, distance: int, prefix: int) -> Any:
    """Whoosh's automaton of the words within ``distance`` edits of ``word`` (read-only once
    made, so shared by threads, and by the segments' term lists and autocomplete's alike)."""
    return Automata.levenshtein_dfa(word, distance, prefix)
