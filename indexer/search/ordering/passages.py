"""How much of a query a document has in one passage, in each channel.

A document's score is a sum over the query's words (or a translated channel's groups): a long
report that has every word somewhere, each in another chapter, scores like one that says the
query in one sentence. Between the words as typed and a translation that weighs little: the
typed words lead. But when the typed-language documents have the words only scattered and a
document in another language has the whole translated query in one passage, the latter is the
better match, and burying it under the scattered ones is what made cross-language search miss.

So each channel's best documents are checked for the share of the query's units they have
within ``TOGETHER_SPAN`` positions of each other (every text field numbers a document's words
alike, so a unit stands wherever any of its terms does, in any field): a typed-language
document counts for less the fewer of the typed words stand together (``scattered``), and a
document in another language that has every unit of the query, together, is a complete
translated match, which counts nearly as much as the typed words (``COMPLETE_WEIGHT``).
"""

from __future__ import annotations

import numpy as np
from whoosh import query as wq

from ...translation.scoring import Groups
from ..finding.docsets import DocSet
from ..finding.matching import TermSets
from ..finding.positions import POSITIONAL_FIELDS, Positions, most_within, positions
from ..finding.scoring import Postings, best

#: Words within this many positions of each other stand in one passage.
TOGETHER_SPAN = 40
#: What a typed-language document whose typed words stand nowhere together keeps of its score;
#: it keeps more the larger the share of them in its best passage, all of it when every one.
SCATTERED_FLOOR = 0.4
#: A complete translated match (every unit of the query, in one passage) counts at least this
#: share of its score against the words as typed.
COMPLETE_WEIGHT = 0.8
#: The best documents of each translated channel looked at for a complete match: the lift is
#: from 0.6–0.8 of a score to 0.8, so a document further down rarely reaches the first pages,
#: and reading positions is what this check costs.
COMPLETE_WINDOW = 30

#: Per field, the positions read in each document (for the proximity of the typed words).
Read = dict[str, dict[int, Positions]]
#: A translated channel that has every unit of the query: its groups, scores and documents.
Channel = tuple[Groups, np.ndarray, DocSet]


def typed_shares(
    postings: Postings, sets: TermSets, near: wq.Query | None, docnums: list[int]
) -> tuple[dict[int, float], Read]:
    """The share of the typed words each document has in one passage, in the field where it
    has most of them (``near`` holds the typed words per analysed field; 1.0 for each
    document when the query has fewer than two words); and the positions read."""
    phrases = [] if near is None else [q for q in near.leaves() if isinstance(q, wq.Phrase)]
    phrases = [q for q in phrases if len(q.words) > 1]
    if not phrases:
        return dict.fromkeys(docnums, 1.0), {}
    # "text" holds every word of every page as written: a language's field whose terms are
    # the same words has them at some of the same positions, never a larger share.
    plain = [q.words for q in phrases if q.fieldname == "text"]
    phrases = [q for q in phrases if q.fieldname == "text" or q.words not in plain]
    share = dict.fromkeys(docnums, 0.0)
    read: Read = {}
    for phrase in phrases:
        field, words = phrase.fieldname, phrase.words
        found = positions(postings.searcher, {field: set(words)}, docnums, (field,), sets.get)
        read[field] = found
        for d in docnums:
            sequence = [found[d].get((field, w), []) for w in words]
            share[d] = max(share[d], most_within(sequence, TOGETHER_SPAN) / len(words))
    return share, read


def group_shares(
    postings: Postings, sets: TermSets, groups: Groups, docnums: list[int]
) -> dict[int, float]:
    """The share of a translated channel's groups each document has in one passage: a group
    stands where any term of any of its alternatives does."""
    if len(groups) < 2:
        return dict.fromkeys(docnums, 1.0)
    terms: dict[str, set[str]] = {}
    keys: list[set[tuple[str, str]]] = []
    for alternatives in groups:
        mine: set[tuple[str, str]] = set()
        for q, _ in alternatives:
            for fieldname, text in q.iter_all_terms(phrases=True):
                if fieldname in POSITIONAL_FIELDS:
                    word = text.decode("utf-8") if isinstance(text, bytes) else str(text)
                    terms.setdefault(fieldname, set()).add(word)
                    mine.add((fieldname, word))
        keys.append(mine)
    found = positions(postings.searcher, terms, docnums, tuple(terms), sets.get)
    share = {}
    for d in docnums:
        at = found[d]
        sequence = [sorted({p for k in unit for p in at.get(k, ())}) for unit in keys]
        share[d] = most_within(sequence, TOGETHER_SPAN) / len(groups)
    return share


def scattered(scores: np.ndarray, shares: dict[int, float]) -> np.ndarray:
    """The typed channel's scores, each document's weighed by the share of the typed words it
    has in one passage (``SCATTERED_FLOOR`` when none stand together)."""
    weighed = scores.copy()
    for docnum, share in shares.items():
        if share < 1.0:
            weighed[docnum] *= SCATTERED_FLOOR + (1 - SCATTERED_FLOOR) * share
    return weighed


def complete(
    postings: Postings, sets: TermSets, channels: list[Channel], window: int = COMPLETE_WINDOW
) -> np.ndarray:
    """Which documents are complete translated matches: among each channel's ``window`` best
    documents, those that have every group of the channel in one passage."""
    found = np.zeros(postings.size, bool)
    for groups, scores, documents in channels:
        docnums = [d for d, _ in best(scores, documents, window) if scores[d] > 0]
        shares = group_shares(postings, sets, groups, docnums)
        found[[d for d, share in shares.items() if share >= 1.0]] = True
    return found
