"""Which documents a query matches — as a set, without scoring — and bounded expansion of
prefix, wildcard and fuzzy terms.

Knowing *which* documents match (for the total and the facet counts) does not need their
scores: each term's documents are read straight from its postings as a bitset (and kept for
the index generation, since readers repeat words), and the query's AND, OR and NOT become
bitset operations. Only the best few documents are scored, elsewhere (``ranking``).

Terms that stand for many terms are bounded before anything runs: a fuzzy term's distance is
capped, each prefix, wildcard or fuzzy term keeps at most its most frequent expansions, and every
search has a budget of CPU time. A query that exceeds it is cut short, not left to stall the
server: what was found so far is used and the result says it may be incomplete.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from functools import partial

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher

from ...lru import Lru
from ..suggesting.spelling import close_terms
from . import collector_time, docsets
from .docsets import DocSet
from .phrases import PositionArrays, phrase_documents
from .positions import in_order_within, positions
from .scoring import Postings, bits_of

#: Edits a fuzzy term may be away from a word of the index (``word~5`` counts as ``word~2``).
MAX_FUZZY_DISTANCE = 2
#: Terms one prefix, wildcard or fuzzy term expands to, and how many it may look at to find them.
MAX_EXPANSIONS = 64
MAX_EXPANSION_SCAN = 5_000
#: Letters a wildcard needs before its first ``*`` or ``?``.
MIN_WILDCARD_PREFIX = 2
#: CPU seconds one search may spend before it returns what it has.
SEARCH_BUDGET = 0.75
#: A phrase with more candidates than this (documents with every word) is confirmed from its
#: words' positions in every document at once (``phrases``), else one document at a time.
FEW_CANDIDATES = 64
#: Bits of term sets kept per index generation (about 4 MB).
TERM_CACHE_BITS = 32 * 2**20
_WILDCARD = re.compile(r"[*?]")


class Budget:
    """CPU time one search may use; past it, work stops and the result says so.

    CPU time of the calling thread, not wall time: on a loaded server a search waiting for
    its turn is not the search that is expensive. Nor is the search that happened to be
    running when the garbage collector made a full pass over the whole process: that time is
    left out (``collector_time``).
    """

    def __init__(self, seconds: float = SEARCH_BUDGET) -> None:
        self.deadline = time.thread_time() + seconds
        self.collected = collector_time.spent()
        # A thread cannot have used more CPU time than wall time has passed: until then the
        # cheap wall clock answers, and the thread's CPU clock (a system call) is not read.
        self.surely_in_time = time.perf_counter() + seconds
        self.exceeded = False

    def left(self) -> bool:
        if self.exceeded:
            return False
        if time.perf_counter() < self.surely_in_time:
            return True
        collecting = collector_time.spent() - self.collected
        self.exceeded = time.thread_time() - collecting > self.deadline
        return not self.exceeded


def literal_prefix(text: str) -> str:
    """The letters of a wildcard pattern before its first ``*`` or ``?``."""
    found = _WILDCARD.search(text)
    return text[: found.start()] if found else text


class TermSets:
    """Documents of each term, from its decoded postings; shared by threads, bounded in size."""

    def __init__(self, postings: Postings, live: DocSet, size: int) -> None:
        self.postings = postings
        self.live = live
        self.size = size
        #: The terms' positions, for phrases with many candidates.
        self.arrays = PositionArrays(postings.searcher)
        #: Every set weighs the same: one bit per document.
        self._kept: Lru[tuple[str, str | bytes], DocSet] = Lru(TERM_CACHE_BITS, lambda _: size)

    def get(self, fieldname: str, text: str | bytes) -> DocSet:
        return self._kept.get_or_make((fieldname, text), partial(self._documents, fieldname, text))

    def _documents(self, fieldname: str, text: str | bytes) -> DocSet:
        ids, _ = self.postings.get(fieldname, text)
        mask = np.zeros(self.size, bool)
        mask[ids] = True
        return bits_of(mask) & self.live


# Bounding expanding terms ----------------------------------------------------------------------
def _expansions(searcher: Searcher, leaf: wq.Query, budget: Budget) -> list[bytes]:
    """The most frequent terms a prefix, wildcard or fuzzy term stands for, within the caps."""
    fieldname = leaf.field()
    found: set[bytes] = set()
    scanned = 0
    for sub, _ in searcher.leaf_searchers():
        reader = sub.reader()
        if isinstance(leaf, wq.FuzzyTerm):
            # Damerau distance: a transposition ("paymnet~") is one edit.
            distance = min(int(leaf.maxdist), MAX_FUZZY_DISTANCE)
            prefix = max(1, leaf.prefixlength)
            field = searcher.schema[fieldname]
            candidates: Iterable[bytes] = (
                field.to_bytes(t)
                for t in close_terms([reader], fieldname, leaf.text, distance, prefix=prefix)
            )
        else:
            candidates = leaf._btexts(reader)
        for btext in candidates:
            found.add(btext)
            scanned += 1
            if scanned >= MAX_EXPANSION_SCAN or (scanned % 256 == 0 and not budget.left()):
                break
        if not budget.left():
            break
    reader = searcher.reader()
    ranked = sorted(found, key=lambda b: (-reader.doc_frequency(fieldname, b), b))
    return ranked[:MAX_EXPANSIONS]


def bounded(searcher: Searcher, q: wq.Query, budget: Budget) -> wq.Query:
    """The query with every expanding term replaced by its capped list of terms."""
    if isinstance(q, wq.Prefix | wq.Wildcard | wq.FuzzyTerm | wq.Regex | wq.Variations):
        if not budget.left():
            return wq.NullQuery
        terms = _expansions(searcher, q, budget)
        field = searcher.schema[q.field()]
        leaves = [wq.Term(q.field(), field.from_bytes(t), boost=q.boost) for t in terms]
        if not leaves:
            return wq.NullQuery
        return leaves[0] if len(leaves) == 1 else wq.Or(leaves)
    if q.is_leaf():
        return q
    return q.apply(lambda child: bounded(searcher, child, budget))


# Matching ------------------------------------------------------------------------------------
def matching(searcher: Searcher, terms: TermSets, q: wq.Query, budget: Budget) -> DocSet:
    """The documents ``q`` matches (bounded first, see ``bounded``), as a bitset.

    Past the budget, the parts not yet read count as matching nothing.
    """
    live = terms.live
    if isinstance(q, wq.Every):
        return live
    if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
        return docsets.EMPTY
    if isinstance(q, wq.Term):
        if not budget.left():
            return docsets.EMPTY
        return terms.get(q.fieldname, q.text)
    if isinstance(q, wq.And | wq.Require):
        return _all_of(searcher, terms, q, budget)
    if isinstance(q, wq.AndMaybe):
        return matching(searcher, terms, q.a, budget)
    if isinstance(q, wq.AndNot):
        return matching(searcher, terms, q.a, budget) & ~matching(searcher, terms, q.b, budget)
    if isinstance(q, wq.Not):
        return live & ~matching(searcher, terms, q.query, budget)
    if isinstance(q, wq.Or | wq.DisjunctionMax):
        return _any_of(searcher, terms, q, budget)
    if isinstance(q, wq.Phrase):
        return _phrase(searcher, terms, q, budget)
    if isinstance(q, wq.Sequence | wq.Ordered):
        words = [wq.Term(f, t) for f, t in q.iter_all_terms(phrases=True)]
        if not words or not all(matching(searcher, terms, w, budget) for w in words):
            return docsets.EMPTY
        return _whoosh_docs(searcher, q, budget, terms.size) & live
    if isinstance(q, wq.WrappingQuery):
        return matching(searcher, terms, q.child, budget)
    return _whoosh_docs(searcher, q, budget, terms.size) & live


def _all_of(searcher: Searcher, terms: TermSets, q: wq.Query, budget: Budget) -> DocSet:
    """Documents every part matches; the parts after an empty intersection are not read."""
    bits = terms.live
    for child in q.children():
        bits &= matching(searcher, terms, child, budget)
        if not bits:
            break
    return bits


def _any_of(searcher: Searcher, terms: TermSets, q: wq.Query, budget: Budget) -> DocSet:
    """Documents any part matches."""
    bits = docsets.EMPTY
    for child in q.children():
        if isinstance(child, wq.Phrase):
            # A phrase already found in one field need not be checked in the next one.
            bits |= _phrase(searcher, terms, child, budget, known=bits)
        else:
            bits |= matching(searcher, terms, child, budget)
    return bits


def _phrase(
    searcher: Searcher, terms: TermSets, q: wq.Phrase, budget: Budget, known: DocSet = 0
) -> DocSet:
    """Documents with the phrase: those having every word (a bitset intersection), then the
    words' positions in only those documents (``known`` ones already match: not checked)."""
    bits = terms.live & ~known
    for word in q.words:
        bits &= terms.get(q.fieldname, word)
        if not bits:
            return docsets.EMPTY
    if len(q.words) < 2:
        return bits
    if bits.bit_count() > FEW_CANDIDATES:
        if not budget.left():
            return docsets.EMPTY
        words = [(w, terms.get(q.fieldname, w).bit_count()) for w in q.words]
        return phrase_documents(terms.arrays, q.fieldname, words, q.slop, bits)
    found: list[int] = []
    candidates = docsets.members(bits)
    for start in range(0, len(candidates), 512):
        if not budget.left():
            break
        chunk = candidates[start : start + 512]
        at = positions(searcher, {q.fieldname: set(q.words)}, chunk, (q.fieldname,))
        found += [
            d
            for d in chunk
            if in_order_within([at[d].get((q.fieldname, w), []) for w in q.words], q.slop)
        ]
    return docsets.from_ids(found, terms.size)


def relaxed(q: wq.Query, negated: bool = False) -> wq.Query:
    """The query with each phrase replaced by its words, for scoring documents already known
    to match it: Whoosh scores a phrase as the sum of its words' scores, and checking the
    positions again would only repeat the matching. Phrases under a NOT stay as they are."""
    if isinstance(q, wq.Phrase) and not negated and len(q.words) > 1:
        return wq.And([wq.Term(q.fieldname, w) for w in q.words], boost=q.boost)
    if isinstance(q, wq.Not):
        return wq.Not(relaxed(q.query, True), boost=q.boost)
    if isinstance(q, wq.AndNot):
        return wq.AndNot(relaxed(q.a, negated), relaxed(q.b, True))
    if q.is_leaf():
        return q
    return q.apply(lambda child: relaxed(child, negated))


def _whoosh_docs(searcher: Searcher, q: wq.Query, budget: Budget, size: int) -> DocSet:
    ids: list[int] = []
    for n, docnum in enumerate(searcher.docs_for_query(q)):
        ids.append(docnum)
        if n % 512 == 511 and not budget.left():
            break
    return docsets.from_ids(ids, size)
