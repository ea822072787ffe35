"""Searching a correction instead of the words as typed: when the words find nothing and the
"did you mean" is far more likely than anything else they could have meant.

"paymnet" finds nothing and "payment" is one slip away with many documents: the reader is
shown the results for "payment" and offered the search for "paymnet" as typed. A word with two
close corrections of similar weight ("fund"/"find") is only suggested, never chosen for the
reader.
"""

from __future__ import annotations

from whoosh.searching import Searcher

from ...text.terms import WORD, fold
from ..queries.typed import Codes
from .spelling import Terms
from .suggest import corrections

#: The correction of each changed word must open this many times the documents of the next
#: close word; otherwise the choice is the reader's.
MARGIN = 3


def changed_words(typed: str, proposal: str) -> list[tuple[str, str]] | None:
    """The words a "did you mean" changed, as (typed, proposed) pairs; None when the two do not
    line up word for word (the proposal replaces words one by one, codes kept)."""
    before = WORD.findall(Codes.protect(typed)[0])
    after = WORD.findall(Codes.protect(proposal)[0])
    if len(before) != len(after):
        return None
    return [(a, b) for a, b in zip(before, after, strict=True) if fold(a) != fold(b)]


def confident(searcher: Searcher, words: Terms, typed: str, proposal: str, documents: int) -> bool:
    """Whether every word the proposal changes has one correction far more frequent than
    any other close word (``words``: the index's words; ``documents``: the live documents,
    as the suggestion counted)."""
    pairs = changed_words(typed, proposal)
    if not pairs:
        return False
    for word, chosen in pairs:
        options = corrections(searcher, words, word, documents)
        counts = sorted(options.values(), reverse=True)
        mine = options.get(chosen.lower(), 0)
        if not mine or mine != counts[0]:
            return False
        if len(counts) > 1 and counts[0] < MARGIN * counts[1]:
            return False
    return True
