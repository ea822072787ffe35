"""Scores of translated channels, and the scale on which channels of different languages meet.

A translated channel is a list of groups, one per unit of the query, each a list of weighted
alternatives. A document's score for a group is its best alternative's BM25F score times that
alternative's weight — the group counts as one word — and its channel score the sum over groups.

Channels are compared on one scale: each is divided by its *ideal*, the sum over its groups (or
over the typed words) of the best score any document has for that group alone. So a score of
1.0 means "as strong on every word as the strongest document is on each", whatever the language:
BM25 scores themselves are not comparable across languages (a word rare among six Greek
documents outscores a common English one), and dividing by the best document's score instead
made a document that matches the typed words weakly look as good as a perfect translated match.
"""

from __future__ import annotations

import numpy as np
from whoosh import query as wq

from ..search.finding.matching import relaxed
from ..search.finding.scoring import Postings
from ..search.queries.optional_words import stop_word

Groups = list[list[tuple[wq.Query, float]]]


def _scores(postings: Postings, q: wq.Query) -> np.ndarray | None:
    found = postings.scores(relaxed(q))
    return None if found is None else found[0]


def group_scores(
    postings: Postings,
    groups: Groups,
    matched: np.ndarray,
    allowed: np.ndarray,
    having: np.ndarray | None = None,
) -> tuple[np.ndarray, float]:
    """The channel's score of every ``matched`` document, and its ideal: per group, the best
    score of any ``allowed`` document (0 when nothing scores). ``having``, when given, gets the
    share of the groups' information a matched document has (``information_shares``)."""
    total = np.zeros(postings.size, np.float64)
    ideal = 0.0
    found: list[np.ndarray] = []
    for alternatives in groups:
        best = np.zeros(postings.size, np.float64)
        for q, weight in alternatives:
            scores = _scores(postings, q)
            if scores is not None:
                np.maximum(best, weight * scores, out=best)
        ideal += float(best[allowed].max()) if allowed.any() else 0.0
        best[~matched] = 0.0
        total += best
        found.append(best > 0)
    if having is not None and found:
        having += information_shares(found, allowed)
    return total, ideal


def information_shares(found: list[np.ndarray], allowed: np.ndarray) -> np.ndarray:
    """The share of a query's information each document has, ``found`` saying which documents
    have each unit. A unit weighs its inverse document frequency among the ``allowed``
    documents (as BM25 weighs a term): a number, a name or a rare word found in two documents
    tells more than a word every report of the field uses. A unit no document has weighs as
    much as one that a single document has."""
    n = float(allowed.sum())
    having = np.zeros(len(allowed), np.float64)
    total = 0.0
    for has in found:
        weight = float(np.log1p(n / max(float((has & allowed).sum()), 1.0)))
        having += has * weight
        total += weight
    return having / total if total else having


def typed_words(q: wq.Query) -> list[wq.Query] | None:
    """The words of an "any word" query, each as the query of all its fields, its stop words
    left out when it has other words; None for a query that is not one OR of terms and
    phrases (a field, a pattern or an exclusion typed).

    The parser writes "any word" as one flat OR of every field of every word; the parts of one
    word are told apart by where the word stands in the text (a stemmed part the parser did
    not place belongs to the word before it). A stop word is no evidence of what a document
    is about: in "any word" mode every document of its language has "и" or "the".
    """
    parts = q.subqueries if isinstance(q, wq.Or) else [q]
    words: dict[object, list[wq.Query]] = {}
    at: object = None
    for part in parts:
        if not isinstance(part, wq.Term | wq.Phrase):
            return None
        start = getattr(part, "startchar", None)
        at = start if start is not None else at if at is not None else id(part)
        words.setdefault(at, []).append(part)
    out = [p[0] if len(p) == 1 else wq.Or(p) for p in words.values()]
    content = [w for w in out if not stop_word(w)]
    return content or out


def words_had(
    postings: Postings, words: list[wq.Query], allowed: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """How many of ``words`` each document has (any field, any form), and the share of their
    information that is (``information_shares``, among the ``allowed`` documents)."""
    count = np.zeros(postings.size, np.float64)
    found = []
    for word in words:
        scores = _scores(postings, word)
        has = scores > 0 if scores is not None else np.zeros(postings.size, bool)
        count += has
        found.append(has)
    return count, information_shares(found, allowed)


def typed_ideal(postings: Postings, q: wq.Query, allowed: np.ndarray) -> float | None:
    """The ideal of the words as typed: per word, the best score of any ``allowed`` document,
    summed (whether or not that document has the other words); None for a query that is not
    an AND or OR of words."""
    parts = q.subqueries if isinstance(q, wq.And | wq.Or) else [q]
    ideal = 0.0
    for part in parts:
        scores = _scores(postings, part)
        if scores is None:
            return None
        ideal += float(scores[allowed].max()) if allowed.any() else 0.0
    return ideal
