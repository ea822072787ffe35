"""The index's words and title words in order, for autocomplete and "did you mean": built
once per generation.

Completing a word looked its beginning up in the index's term dictionary on every keystroke,
then each candidate's document count, and the titles through a prefix query over every title
word with that beginning — most of the time of a suggestion. Here both vocabularies are sorted
lists held in memory: the words with a beginning are a slice found by bisection, each with its
document count, and each title word with the documents whose title has it. The words close to
a rare typed word ("did you mean") are found by walking Whoosh's automaton over the same list.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from typing import Any

from whoosh.searching import Searcher

from ...lru import Lru
from ..finding import docsets
from ..finding.docsets import DocSet
from ..finding.segment_arrays import segment_of
from .spelling import automaton

#: Typed words whose close index words a generation keeps, at most.
REMEMBERED_WORDS = 20_000
#: After every character a word may have: the end of the slice of words with a beginning.
_LAST = "\U0010ffff"


#: Words of segments' fields (with their document counts) kept per process, at most.
SEGMENT_WORDS = 400_000

#: Each segment's words of a field with their document counts, by (segment, field): a segment
#: never changes once written (its counts include the documents deleted later), so a new
#: generation — a commit adding a segment beside the others — reads only its new segments'
#: term lists, not every segment's again.
_SEGMENT_TERMS: Lru[tuple[str, str], list[tuple[str, int]]] = Lru(SEGMENT_WORDS, len)


def _segment_terms(reader: Any, fieldname: str) -> list[tuple[str, int]]:
    def read() -> list[tuple[str, int]]:
        return [
            (term.decode("utf-8") if isinstance(term, bytes) else str(term), info.doc_frequency())
            for term, info in reader.iter_field(fieldname)
        ]

    return _SEGMENT_TERMS.get_or_make((segment_of(reader), fieldname), read)


#: Title words' documents kept per process (by segment, deleted ones in), at most.
SEGMENT_TITLE_POSTINGS = 500_000
_SEGMENT_TITLES: Lru[tuple[str, str], tuple[int, ...]] = Lru(SEGMENT_TITLE_POSTINGS, len)


def _titled(reader: Any, text: str) -> tuple[int, ...]:
    """The documents of a segment whose title has ``text``, deleted ones included (each
    generation leaves out its own), read once per process."""

    def read() -> tuple[int, ...]:
        matcher = reader.postings("title", text)
        return tuple(getattr(matcher, "child", matcher).all_ids())

    return _SEGMENT_TITLES.get_or_make((segment_of(reader), text), read)


def _deleted(reader: Any) -> frozenset[int]:
    if not reader.has_deletions():
        return frozenset()
    return frozenset(d for d in range(reader.doc_count_all()) if reader.is_deleted(d))


def _terms(searcher: Searcher, fieldname: str) -> list[tuple[str, list[tuple[int, int]]]]:
    """The field's words in order, each with its (segment offset, segment's document count) —
    read segment by segment: the whole index's reader merges every term's information across
    all segments, one lookup per segment for each term, which made opening an index of a few
    segments cost seconds."""
    found: dict[str, list[tuple[int, int]]] = {}
    for reader, offset in searcher.reader().leaf_readers():
        for text, count in _segment_terms(reader, fieldname):
            found.setdefault(text, []).append((offset, count))
    return sorted(found.items())


class Prefixes:
    """The index words (``vocab``) with their document counts, the folded text's words with
    theirs, and the title words with their documents, each in order, of one index generation;
    read-only, so shared by threads. It answers ``terms_within`` and ``in`` for ``vocab`` as
    an index reader does."""

    def __init__(self, searcher: Searcher) -> None:
        words = _terms(searcher, "vocab")
        self._words = [w for w, _ in words]
        self._counts = [sum(n for _, n in found) for _, found in words]
        reader = searcher.reader()
        self._size = reader.doc_count_all()
        leaves = dict((offset, leaf) for leaf, offset in reader.leaf_readers())
        deleted = {offset: _deleted(leaf) for offset, leaf in leaves.items()}
        self._titles: list[str] = []
        self._titled: list[list[int]] = []
        for text, found in _terms(searcher, "title"):
            self._titles.append(text)
            self._titled.append(
                [
                    offset + d
                    for offset, _ in found
                    for d in _titled(leaves[offset], text)
                    if d not in deleted[offset]
                ]
            )
        #: Documents of each word of the folded text field (deleted ones counted too): what
        #: autocomplete's counts can be at most, known without reading postings.
        self._folded = {w: sum(n for _, n in found) for w, found in _terms(searcher, "text")}
        self._within: Lru[tuple[str, int, int], tuple[str, ...]]
        self._within = Lru.counted(REMEMBERED_WORDS)

    @staticmethod
    def _range(ordered: list[str], prefix: str) -> range:
        return range(bisect_left(ordered, prefix), bisect_left(ordered, prefix + _LAST))

    def words(self, prefix: str, hidden: frozenset[str], most: int) -> list[tuple[int, str]]:
        """(documents, word) of the first ``most`` index words in order that begin with
        ``prefix``, those in ``hidden`` left out."""
        out: list[tuple[int, str]] = []
        for i in self._range(self._words, prefix):
            if self._words[i] not in hidden:
                out.append((self._counts[i], self._words[i]))
                if len(out) >= most:
                    break
        return out

    def beginnings(self, shortest: int, longest: int) -> list[str]:
        """Every beginning of ``shortest`` to ``longest`` letters of the index words, the
        shorter first (each length in order)."""
        found: list[str] = []
        for size in range(shortest, longest + 1):
            found.extend(sorted({w[:size] for w in self._words if len(w) >= size}))
        return found

    def folded_frequency(self, term: str) -> int:
        """Documents whose folded text has ``term``, as the index's term list counts them
        (deleted documents included, until a merge drops them)."""
        return self._folded.get(term, 0)

    def terms_within(
        self, fieldname: str, text: str, maxdist: int, prefix: int = 0
    ) -> Iterator[str]:
        """The index words within ``maxdist`` edits of ``text`` sharing its first ``prefix``
        letters, in order: Whoosh's automaton walked over the words in memory, as Whoosh walks
        it over the term dictionary on disk (``fieldname``: only ``vocab`` is held here). Kept
        for the generation: the same rare words are typed again."""
        if fieldname != "vocab":
            raise KeyError(fieldname)
        found = self._within.get_or_make(
            (text, maxdist, prefix), lambda: tuple(self._walk(text, maxdist, prefix))
        )
        return iter(found)

    def _walk(self, text: str, maxdist: int, prefix: int) -> Iterator[str]:
        dfa = automaton(text, maxdist, prefix)
        words = self._words
        if not words:
            return
        match = dfa.next_valid_string(words[0])
        while match:
            i = bisect_left(words, match)
            if i == len(words):
                return
            term = words[i]
            if term == match:
                yield term
                term += "\0"
            match = dfa.next_valid_string(term)

    def __contains__(self, key: tuple[str, str]) -> bool:
        fieldname, text = key
        i = bisect_left(self._words, text)
        return fieldname == "vocab" and i < len(self._words) and self._words[i] == text

    def titled(self, words: list[str], prefix: str | None) -> DocSet:
        """Documents whose title has every one of ``words`` and (unless None) a word beginning
        with ``prefix`` — as a query of those terms and that prefix on ``title`` finds them."""
        found: DocSet | None = None
        for word in words:
            i = bisect_left(self._titles, word)
            having = self._titled[i] if i < len(self._titles) and self._titles[i] == word else []
            bits = docsets.from_ids(having, self._size)
            found = bits if found is None else found & bits
        if prefix is not None:
            begun = (d for i in self._range(self._titles, prefix) for d in self._titled[i])
            bits = docsets.from_ids(begun, self._size)
            found = bits if found is None else found & bits
        return found or docsets.EMPTY
