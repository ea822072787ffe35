"""Which pages of a document answer the query best: the pages in order of the query's evidence.

A long report mentions the words of a query on dozens of pages — in its contents, its summary,
its running headers — and the reader wants the page that is about them. Each page is scored by
the evidence it holds, strongest first:

1. all the query's words standing close together (several times counts more, with diminishing
   returns), then
2. many occurrences of the words, each word weighted by how few of the document's pages have it
   (a word on every page, such as one from a running header, says little about any page) — up
   to a limit: a word that happens to stand on one page of a long document must not outweigh
   the topic noun the reader typed with it — and pages with more of the different words above
   pages with fewer.

Stop words and one-letter words are no evidence of anything. The best pages by this evidence
are then read (``rerank``): a page whose headings hold the words is the section about them and
counts more; a contents or index page (lines that end in page numbers, dot leaders, columns of
numbers) lists every heading and so looks relevant to everything: it keeps only a small part of
its score.

The input is what ``positions`` reads for the hits on screen; nothing here scales with the
number of matching documents.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from functools import lru_cache
from itertools import pairwise

from ...languages import INDEX_LANGUAGES, accepts, script_of

# Told from a page's text alone, so the index keeps them (``text/page_outline.py``); read from
# the text by ``rerank`` and the tests of page choice.
from ...text.page_outline import headings as headings
from ...text.page_outline import is_contents as is_contents
from ...text.terms import WORD, fold, stopwords, surface_term, word_terms
from ..finding.positions import Positions

#: Saturation of repeated evidence (as BM25's k1): the second occurrence adds less than the first.
SATURATION = 1.2
#: How much a long page's many words count against it (as BM25's b): a short page where the
#: words occur is more about them than a long one with the same occurrences.
LENGTH_NORM = 0.5
#: Weight of the words standing close together, against their occurrences.
NEAR_WEIGHT = 2.0
#: Words "close together": all of them within this many words per word of the query.
NEAR_SPAN_PER_WORD = 4
#: Share of its score a contents or index page keeps.
CONTENTS_FACTOR = 0.3
#: A word's rarity inside one document counts up to this many times fewer pages than the
#: document has (beyond it, one page more or less says nothing of what the document is about).
RARITY_CAP = 4.0
#: How much more a page counts whose heading holds all the query's words (three times as
#: much: a section named after the words is the section about them).
HEADING_WEIGHT = 2.0


def _no_evidence(fieldname: str, text: str) -> bool:
    if len(text) < 2:
        return True
    folded = fold(text)
    # Stop words of every language: "and" is a stem in Portuguese.
    return any(folded in stopwords(lang) for lang in INDEX_LANGUAGES)


def evidence(found: Positions, expansions: Collection[tuple[str, str]] = ()) -> Positions:
    """The positions without stop words and one-letter words, unless the query has only those;
    and without the terms that only a cross-language expansion added (``expansions``), unless
    the document has none of the words as typed (it was found through their translations)."""
    present = {key: at for key, at in found.items() if at}
    typed = {key: at for key, at in present.items() if key not in expansions} or present
    return {key: at for key, at in typed.items() if not _no_evidence(*key)} or typed


def useful_terms(pairs: set[tuple[str, bytes]]) -> set[tuple[str, bytes]]:
    """(field, term) pairs without stop words, unless the query has only those: what is marked
    in snippets and counted on pages."""
    useful = {(f, t) for f, t in pairs if not _no_evidence(f, t.decode("utf-8"))}
    return useful or pairs


def word_groups(found: Positions, expansions: Collection[tuple[str, str]] = ()) -> list[set[int]]:
    """The positions of each distinct word of the query in one document.

    Every field shares one tokenizer, so the terms of one typed word in different fields
    (exact form, stemmed form) stand at the same positions: terms that share a position are one
    word. Stop words are left out, unless the query has nothing else.
    """
    return [at for _, at in query_words(found, expansions)]


#: Each distinct word of the query in one document: its (field, term) keys and its positions.
Words = list[tuple[set[tuple[str, str]], set[int]]]


def query_words(found: Positions, expansions: Collection[tuple[str, str]] = ()) -> Words:
    """Each distinct word of the query in one document: its (field, term) keys and its
    positions. Ranking its pages, re-ranking the best of them and counting its pages' hits
    all start from these, so a caller that does all three works them out once and passes
    them (``words=``)."""
    useful = evidence(found, expansions)
    parent: dict[int, int] = {}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[int, int] = {}  # position → first term seen there
    keys = list(useful)
    for i, key in enumerate(keys):
        parent[i] = i
        for pos in useful[key]:
            other = owner.setdefault(pos, i)
            if other != i:
                parent[root(i)] = root(other)
    groups: dict[int, tuple[set[tuple[str, str]], set[int]]] = {}
    for i, key in enumerate(keys):
        members, at = groups.setdefault(root(i), (set(), set()))
        members.add(key)
        at.update(useful[key])
    return list(groups.values())


def _weights(groups: list[set[int]], starts: list[int]) -> list[float]:
    """Each word's weight: the rarer among the document's pages, the more (up to a limit)."""
    pages = max(len(starts), 1)
    out = []
    for at in groups:
        on = {_page_of(starts, pos) for pos in at}
        out.append(math.log(1 + min(pages / len(on), RARITY_CAP)))
    return out


def _page_of(starts: list[int], position: int) -> int:
    return max(1, bisect_right(starts, position))


def _saturated(n: float, length: float = 1.0) -> float:
    """Repeated evidence with diminishing returns; ``length``: the page's length against the
    document's average page."""
    k = SATURATION * (1 - LENGTH_NORM + LENGTH_NORM * length)
    return n * (SATURATION + 1) / (n + k) if n > 0 else 0.0


def _lengths(starts: list[int]) -> dict[int, float]:
    """Each page's length in words against the average page (the last page, whose end the
    record does not keep, counts as average)."""
    sizes = [b - a for a, b in pairwise(starts)]
    average = sum(sizes) / len(sizes) if sizes else 0
    if average <= 0:
        return {}
    return {page: size / average for page, size in enumerate(sizes, start=1)}


def _near_count(tagged: list[tuple[int, int]], words: int, span: int) -> int:
    """How many separate times all ``words`` words stand within ``span`` positions.

    ``tagged``: (position, word) pairs of one page, sorted by position. A sliding window that
    keeps the last position of each word; a match starts the search afresh after it.
    """
    if words < 2:
        return 0
    last: dict[int, int] = {}
    count = 0
    for pos, word in tagged:
        last[word] = pos
        if len(last) == words and pos - min(last.values()) <= span:
            count += 1
            last = {}
    return count


def rank_pages(
    found: Positions,
    starts: list[int],
    expansions: Collection[tuple[str, str]] = (),
    words: Words | None = None,
) -> list[tuple[int, float]]:
    """(page, score) for every page with evidence, best first (ties: the earlier page).
    ``words``: ``query_words(found, expansions)``, when the caller has them."""
    if words is None:
        words = query_words(found, expansions)
    groups = [at for _, at in words]
    if not groups:
        return []
    per_page: dict[int, list[tuple[int, int]]] = defaultdict(list)
    weights = _weights(groups, starts)
    for word, at in enumerate(groups):
        for pos in at:
            per_page[_page_of(starts, pos)].append((pos, word))
    total = sum(weights)
    span = NEAR_SPAN_PER_WORD * len(groups)
    lengths = _lengths(starts)
    scored = []
    for page, tagged in per_page.items():
        tagged.sort()
        counts: dict[int, int] = defaultdict(int)
        for _, word in tagged:
            counts[word] += 1
        length = lengths.get(page, 1.0)
        occurrences = sum(weights[w] * _saturated(n, length) for w, n in counts.items())
        coverage = sum(weights[w] for w in counts) / total
        near = _near_count(tagged, len(groups), span)
        score = occurrences * (0.5 + 0.5 * coverage) + NEAR_WEIGHT * total * _saturated(near)
        scored.append((page, score))
    scored.sort(key=lambda ps: (-ps[1], ps[0]))
    return scored


def matched_pages(
    found: Positions,
    starts: list[int],
    expansions: Collection[tuple[str, str]] = (),
    words: Words | None = None,
) -> dict[int, int]:
    """Occurrences of the query's words per page (stop words left out, as in ``rank_pages``).
    ``words``: ``query_words(found, expansions)``, when the caller has them."""
    if words is None:
        words = query_words(found, expansions)
    out: dict[int, int] = defaultdict(int)
    for _, at in words:
        for pos in at:
            out[_page_of(starts, pos)] += 1
    return dict(out)


@lru_cache(maxsize=4096)
def _line_terms(line: str, fields: frozenset[str]) -> frozenset[tuple[str, str]]:
    """(field, term) pairs of a line's words in the given fields: the exact form, and in the
    language fields the word's surface stem (no dictionary lookups: a heading is read for
    every page that could come first, and its words are mostly new to the caches). Kept, as
    headings recur from search to search."""
    out: set[tuple[str, str]] = set()
    languages = [lang for lang in INDEX_LANGUAGES if f"text_{lang}" in fields]
    for word in WORD.findall(line):
        script = script_of(word)
        for folded in word_terms(None, word):  # the word, and a compound's parts
            out.add(("text", folded))
            for lang in languages:
                if accepts(lang, script, "*"):
                    out.add((f"text_{lang}", surface_term(lang, folded)))
    return frozenset(out)


def _in_headings(
    lines: Sequence[str], words: list[set[tuple[str, str]]], weights: list[float]
) -> float:
    """The weighted share of the query's words that one heading of the page holds (the best
    heading: words spread over several headings are several sections' words)."""
    fields = frozenset(field for keys in words for field, _ in keys)
    best = 0.0
    for line in lines:
        terms = _line_terms(line, fields)
        held = sum(w for keys, w in zip(words, weights, strict=True) if keys & terms)
        best = max(best, held)
    return best / sum(weights)


def rerank(
    ranked: list[tuple[int, float]],
    texts: Mapping[int, str],
    found: Positions,
    starts: list[int],
    expansions: Collection[tuple[str, str]] = (),
) -> list[tuple[int, float]]:
    """The best pages by evidence (those in ``texts``) re-scored with what their text shows:
    the words in a heading of the page count more, a contents or index page keeps only a part
    of its score. A page whose heading could not lift it above the best page so far is not
    read for headings (``ranked`` comes best first)."""
    return rerank_by(
        ranked,
        lambda page: is_contents(texts.get(page, "")),
        lambda page: headings(texts.get(page, "")),
        found,
        starts,
        expansions,
    )


def rerank_by(
    ranked: list[tuple[int, float]],
    contents: Callable[[int], bool],
    heading_lines: Callable[[int], Sequence[str]],
    found: Positions,
    starts: list[int],
    expansions: Collection[tuple[str, str]] = (),
    words: Words | None = None,
) -> list[tuple[int, float]]:
    """``rerank`` with what it reads of a page's text given by functions of the page's
    number: whether it is a contents page, and its headings (asked only when they could
    count). The hits on screen answer them from what they remember (``shown_pages``).
    ``words``: ``query_words(found, expansions)``, when the caller has them."""
    if words is None:
        words = query_words(found, expansions)
    weights = _weights([at for _, at in words], starts)
    keys = [k for k, _ in words]
    out = []
    best = 0.0
    for page, score in ranked:
        if contents(page):
            score *= CONTENTS_FACTOR
        elif weights and score * (1 + HEADING_WEIGHT) > best:
            score *= 1 + HEADING_WEIGHT * _in_headings(heading_lines(page), keys, weights)
        best = max(best, score)
        out.append((page, score))
    out.sort(key=lambda ps: (-ps[1], ps[0]))
    return out
