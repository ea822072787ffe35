"""Result order: every allowed document scored per query channel, the channels fused, the
proximity of the typed words re-ranking the top (and, against other languages, each document
weighed by how much of the query it has in one passage: ``passages``); or a sort by date or
title.

A query has one channel for the words as typed and, with cross-language search, one per
language its concepts were translated into. Each channel's BM25F scores come as one array over
all documents (``scoring``), restricted to the allowed documents the channel matches; the
channels and the other language versions of matching reports are fused into one score; only
then are the best documents picked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from whoosh import query as wq
from whoosh.collectors import TopCollector

from ...translation.scoring import group_scores, typed_ideal, typed_words, words_had
from ..contract import Sort
from ..finding import docsets
from ..finding.docsets import DocSet
from ..finding.facets import FacetTable
from ..finding.matching import Budget, TermSets, relaxed
from ..finding.positions import in_order_within, positions
from ..finding.scoring import Postings, added, best, mask_of
from ..finding.snapshot import Snapshot
from ..queries.query import PROXIMITY_BOOST, ParsedQuery
from . import passages

if TYPE_CHECKING:
    from ..finding.matched import Matched

#: Weights of the evidence from other languages, on the scale where 1.0 is a document as strong
#: on every typed word as the strongest is on each: the query's translation into another
#: language, and being another language version of a document that matches the typed words.
TRANSLATED_WEIGHT = 0.9
VERSION_WEIGHT = 0.5
#: The translated evidence's weight when the typed words are matched strongly (see
#: ``translated_weight``), and the strongest typed matches between which it moves.
TRANSLATED_WEIGHT_AFTER_STRONG = 0.6
WEAK_TYPED = 0.5
STRONG_TYPED = 0.9
#: Evidence from other languages alone never counts for more than this, so a document that
#: matches the words as typed well stays above one found through another language.
CROSS_LANGUAGE_CAP = 0.9
#: When no document has every typed word (the reader gets "any word"), the query is most
#: likely about what is written in other languages: each document is then ranked by the share
#: of the query it has, as typed or in translation, and within that by its score (counted for
#: this share of a unit). The translated evidence counts for ``WEIGHT_WHEN_TYPED_FAIL``.
SCORE_SHARE_WHEN_TYPED_FAIL = 0.6
WEIGHT_WHEN_TYPED_FAIL = 1.0
#: ... unless a document has at least this share of the typed words (two or more): then the
#: typed language has the subject, a word was mistyped or is worded otherwise there, and the
#: typed words lead as when every one is found.
TYPED_SUBJECT_SHARE = 2 / 3
#: When the query is read as one about other languages, what a complete translated match's
#: score is multiplied by (at most 1.0 on the common scale).
COMPLETE_LIFT_ACROSS = 1.25
#: How much more a document counts when its country (the facet) is one the query names: the
#: reader asked about that place, and a report about it says more of it than one that names
#: it among others.
COUNTRY_LIFT = 0.3
#: The first documents by score whose order the proximity of the typed words may change. The
#: same number for every page, so that paging through results never repeats or skips one.
RERANK_WINDOW = 100

Ranked = list[tuple[int, float]]


class _Collect(TopCollector):
    """Whoosh's own scoring, for the rare query that is not a plain sum of term scores."""

    def __init__(self, limit: int, allowed: DocSet, budget: Budget) -> None:
        super().__init__(limit=limit)
        self.allowed = allowed
        self.budget = budget

    def collect_matches(self) -> None:
        allowed, offset, collect = self.allowed, self.offset, self.collect
        for n, sub_docnum in enumerate(self.matches()):
            if allowed >> (offset + sub_docnum) & 1:
                collect(sub_docnum)
            if n & 255 == 255 and not self.budget.left():
                return


def channel_scores(postings: Postings, q: wq.Query, allowed: DocSet, budget: Budget) -> np.ndarray:
    """The channel's score of every document (0 outside ``allowed``)."""
    scores = np.zeros(postings.size, np.float64)
    if q is wq.NullQuery or not allowed or not budget.left():
        return scores
    found = postings.scores(q)
    if found is not None:
        scores = found[0]
    else:
        collector = _Collect(max(1, allowed.bit_count()), allowed, budget)
        postings.searcher.search_with_collector(q, collector)
        for hit in collector.results():
            scores[hit.docnum] = hit.score
    scores[~mask_of(allowed, postings.size)] = 0.0
    return scores


def proximity(
    postings: Postings,
    sets: TermSets,
    near: wq.Query | None,
    docnums: list[int],
    read: passages.Read | None = None,
) -> dict[int, float]:
    """The bonus of each document whose typed words stand close together, in order.

    ``near`` holds one sloppy phrase of the typed words per analysed field. Where a document
    has the words within the phrase's slop, it scores that field's words again (as Whoosh
    scores a phrase); the positions are read for these few documents only, and in each field
    only for those that have every word of its phrase there (``sets``: the terms' documents),
    unless ``read`` holds them already.
    """
    if near is None or not docnums:
        return {}
    phrases = [q for q in near.leaves() if isinstance(q, wq.Phrase) and len(q.words) > 1]
    bonus: dict[int, float] = {}
    for phrase in phrases:
        field, words = phrase.fieldname, phrase.words
        bits = sets.live
        for word in words:
            bits &= sets.get(field, word)
        having = [d for d in docnums if bits >> d & 1]
        found = read[field] if read is not None and field in read else None
        if found is None:
            found = positions(postings.searcher, {field: set(words)}, having, (field,))
        close = [
            d
            for d in having
            if in_order_within([found[d].get((field, w), []) for w in words], phrase.slop)
        ]
        if close:
            scores = added([postings.term(field, w, phrase.boost) for w in words])
            for docnum in close:
                bonus[docnum] = bonus.get(docnum, 0.0) + float(scores[docnum])
    return bonus


def with_proximity(
    postings: Postings,
    sets: TermSets,
    parsed: ParsedQuery,
    own: np.ndarray,
    window: list[int],
    read: passages.Read | None = None,
) -> np.ndarray:
    """The typed channel's scores with the proximity bonus of its best documents (``window``)
    added."""
    bonus = proximity(postings, sets, parsed.near, window, read)
    if not bonus:
        return own
    own = own.copy()
    for docnum, value in bonus.items():
        own[docnum] += PROXIMITY_BOOST * value
    return own


def fuse(
    own: np.ndarray,
    translated: np.ndarray,
    pairs: tuple[np.ndarray, np.ndarray],
    across: bool = False,
    complete: np.ndarray | None = None,
) -> np.ndarray:
    """Rank by the stronger of two kinds of evidence: the words as typed, or other languages.

    Both come on one scale (see ``translation.scoring``): 1.0 is a document as strong on every
    word as the strongest document is on each. The translated evidence counts for a share of
    that (``TRANSLATED_WEIGHT``), so the typed words lead: a document that matches them well
    stays above one found through a translation, while a document in another language that
    matches every translated word rises above one that has the typed words only weakly. The
    two kinds are not added: a document that matches the typed words and, in its
    other-language sections, their translation too says the same thing twice, and would
    otherwise outrank the document that is only about the typed words. For the same reason a
    version of a matching report (``pairs``: each version and the document it translates) gets
    the larger of its translated match and its share of the report's, not their sum.
    A ``complete`` translated match (every unit of the query in one passage: ``passages``)
    counts for at least ``passages.COMPLETE_WEIGHT``, however strong the typed matches.
    """
    lifted = np.zeros_like(own)
    version, source = pairs
    if len(version):
        np.maximum.at(lifted, version, own[source])
    if across:
        # No document has every typed word: the other languages carry the query as much
        # as the typed one does (``by_relevance``).
        cross = np.maximum(WEIGHT_WHEN_TYPED_FAIL * translated, VERSION_WEIGHT * lifted)
        found: np.ndarray = np.maximum(own, cross)
        return found
    weight = np.full_like(own, translated_weight(own))
    if complete is not None:
        weight[complete] = np.maximum(weight[complete], passages.COMPLETE_WEIGHT)
    cross = np.maximum(weight * translated, VERSION_WEIGHT * lifted)
    fused: np.ndarray = np.maximum(own, np.minimum(CROSS_LANGUAGE_CAP, cross))
    return fused


def behind_their_sources(
    fused: np.ndarray,
    own: np.ndarray,
    pairs: tuple[np.ndarray, np.ndarray],
    every_word: bool = True,
) -> np.ndarray:
    """The fused scores with no other-language version of a document that matches the typed
    words above that document: of one report, the version in the reader's language is the
    better answer, however completely another version matches the translation. A tie goes to
    the typed match (``best`` breaks ties by ``own``).

    ``own`` holds the typed channel's scores on the common scale. With ``every_word`` (every
    matching document has every typed word) a version that has none of them stays behind any
    report that matches; and in either mode, so does a version that matches the typed words
    less than its report does, when the report matches them with some strength
    (``WEAK_TYPED``): when the reader gets "any word", a report with one common typed word
    says too little to hold back a version that has the whole translated query."""
    version, source = pairs
    behind = (own[source] >= WEAK_TYPED) & (own[source] > own[version])
    if every_word:
        behind |= (own[source] > 0) & (own[version] == 0)
    if not behind.any():
        return fused
    capped = fused.copy()
    np.minimum.at(capped, version[behind], fused[source[behind]])
    return capped


def of_named_countries(
    scores: np.ndarray, table: FacetTable, countries: frozenset[str]
) -> np.ndarray:
    """The scores with every document whose country is one the query names counted
    ``COUNTRY_LIFT`` more (in whatever language it is written)."""
    by_country = table.values.get("country", {})
    bits = docsets.EMPTY
    for country in countries:
        bits |= by_country.get(country, docsets.EMPTY)
    if not bits:
        return scores
    lifted = scores.copy()
    lifted[mask_of(bits, len(scores))] *= 1 + COUNTRY_LIFT
    return lifted


def translated_weight(own: np.ndarray) -> float:
    """How much the translated evidence counts, from how well the typed words are matched:
    when a document has them as strongly as the strongest documents have each
    (``STRONG_TYPED``), the reader is served in the typed language and translations come
    after it; when none comes close (``WEAK_TYPED``), the other languages carry the query."""
    strongest = float(own.max()) if len(own) else 0.0
    share = min(1.0, max(0.0, (strongest - WEAK_TYPED) / (STRONG_TYPED - WEAK_TYPED)))
    return TRANSLATED_WEIGHT - share * (TRANSLATED_WEIGHT - TRANSLATED_WEIGHT_AFTER_STRONG)


def _across_languages(
    postings: Postings, typed: wq.Query, mine: np.ndarray, allowed: np.ndarray
) -> np.ndarray | None:
    """When no document has every typed word: the share of the typed words' information
    each document of ``mine`` has (rare words weigh more, among the ``allowed`` documents);
    None when the query is not one of words, or when a document has most of the words
    (``TYPED_SUBJECT_SHARE``)."""
    words = typed_words(typed)
    if not words:
        return None
    count, share = words_had(postings, words, allowed)
    count *= mine
    most = float(count.max()) if len(count) else 0.0
    if most >= 2 and most >= TYPED_SUBJECT_SHARE * len(words):
        return None
    shown: np.ndarray = share * mine
    return shown


def _by_share(share: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """The share of the query's units a document has, with its score as a smaller part (both
    from 0 to 1, and their mix too)."""
    return (share + SCORE_SHARE_WHEN_TYPED_FAIL * scores) / (1 + SCORE_SHARE_WHEN_TYPED_FAIL)


def _normalised(scores: np.ndarray) -> np.ndarray:
    top = scores.max() if len(scores) else 0.0
    return scores / top if top > 0 else scores


def _on_scale(scores: np.ndarray, ideal: float | None) -> np.ndarray:
    """Scores divided by their channel's ideal (by their best when it has none)."""
    return scores / ideal if ideal else _normalised(scores)


def translated_scores(
    postings: Postings,
    found: Matched,
    allowed: DocSet,
    every: np.ndarray,
    budget: Budget,
    by_share: bool = False,
) -> tuple[np.ndarray, list[passages.Channel]]:
    """Each document's best evidence from the channels of other languages, on the common scale
    and times the share of the query's units the channel has; ``by_share``: the share of the
    query's units the document has in translation, plus its score's part (``_by_share``).
    ``every``: ``allowed`` as a boolean array. And the channels that have every unit of the
    query, with their scores: where a complete translated match may be (``passages``)."""
    parsed = found.parsed
    out = np.zeros(postings.size, np.float64)
    whole: list[passages.Channel] = []
    for bits, (lang, q) in zip(found.channels[1:], parsed.expanded.items(), strict=True):
        if not budget.left():
            break
        mine = allowed & bits
        groups = parsed.groups.get(lang)
        if groups:
            matched = mask_of(mine, postings.size)
            having = np.zeros(postings.size, np.float64) if by_share else None
            scores, ideal = group_scores(postings, groups, matched, every, having)
            coverage = parsed.coverage.get(lang, 1.0)
            scores = _on_scale(scores, ideal) * coverage
            if having is not None:
                scores = _by_share(having * coverage, scores)
            if coverage >= 1.0:
                whole.append((groups, scores, mine))
        else:
            scores = _normalised(channel_scores(postings, relaxed(q), mine, budget))
        np.maximum(out, scores, out=out)
    return out, whole


def by_relevance(
    snapshot: Snapshot,
    found: Matched,
    allowed: DocSet,
    need: int,
    expand: bool,
    budget: Budget,
) -> Ranked:
    """The first ``need`` allowed documents in order (all of them when fewer).

    ``found.channels`` are the documents of each channel, from matching: a channel scores only
    the allowed documents it matches (its phrases relaxed to their words would match more).
    """
    parsed, matches = found.parsed, found.channels
    postings, table = snapshot.postings, snapshot.table
    typed = relaxed(parsed.channels[0])
    mine = allowed & matches[0]
    sets = snapshot.terms
    scores = channel_scores(postings, typed, mine, budget)
    window = [d for d, _ in best(scores, mine, RERANK_WINDOW) if scores[d] > 0]
    pairs = table.translation_pairs() if expand else (np.zeros(0, int), np.zeros(0, int))
    if len(matches) == 1 and not len(pairs[0]):
        scores = with_proximity(postings, sets, parsed, scores, window)
        return best(of_named_countries(scores, table, parsed.countries), allowed, need)
    every = mask_of(allowed, postings.size)
    # When no document has every typed word, the query is read as one about what is written
    # in other languages, unless a document has most of them.
    share = None
    if parsed.relaxed:
        share = _across_languages(postings, typed, mask_of(mine, postings.size), every)
    across = share is not None
    translated, whole = translated_scores(postings, found, allowed, every, budget, across)
    # Against other languages, a typed-language document counts by how much of the typed
    # words it has in one passage (``passages``); the positions read for it serve proximity.
    shares, read = None, None
    if translated.any() and not across:
        shares, read = passages.typed_shares(postings, sets, parsed.near, window)
    own = with_proximity(postings, sets, parsed, scores, window, read)
    own = _on_scale(own, typed_ideal(postings, typed, every))
    if share is not None:
        own = _by_share(share, own) * (own > 0)
    weighed = own if shares is None else passages.scattered(own, shares)
    # A complete translated match counts nearly as much as the typed words: looked for only
    # when the translated evidence counts for less than that anyway.
    complete = None
    if across and whole:
        # Read as a query about other languages, the share of the units a document has
        # anywhere ties every long document that uses the channel's common words; one that
        # has them in one passage is the one about the query.
        together = passages.complete(postings, sets, whole)
        translated[together] = np.minimum(1.0, translated[together] * COMPLETE_LIFT_ACROSS)
    elif whole and translated_weight(weighed) < passages.COMPLETE_WEIGHT:
        complete = passages.complete(postings, sets, whole)
    fused = fuse(weighed, translated, pairs, across, complete)
    fused = np.round(of_named_countries(fused, table, parsed.countries), 6)
    if not across:
        fused = behind_their_sources(fused, own, pairs, not parsed.relaxed)
    # Ties in the fused score go to the better match of the typed words, then document order.
    return best(fused, allowed, need, tie=own)


def prefer_interface_language(
    ranked: Ranked, table: FacetTable, parsed: ParsedQuery, lang: str, expand: bool
) -> Ranked:
    """For a query of codes alone, the version in the interface language comes first.

    A code ("COM(2021) 778") says nothing of the reader's language and every language version
    cites it alike: the version in the interface language takes the place of its work's
    best-scored version.
    """
    words = parsed.understood.get("words") or parsed.understood.get("phrases")
    if not parsed.codes or words:
        return ranked
    translations = table.translations if expand else {}
    in_language = table.values.get("language", {}).get(lang, docsets.EMPTY)
    score = dict(ranked)
    for docnum, value in ranked:
        versions = [v for v in translations.get(docnum, ()) if v in score]
        if in_language >> docnum & 1 and versions:
            score[docnum] = max(value, *(score[v] + 1e-6 for v in versions))
    out = [(d, score[d]) for d, _ in ranked]
    out.sort(key=lambda x: -x[1])
    return out


def by_sort(table: FacetTable, allowed: DocSet, sort: Sort) -> Ranked:
    """Allowed documents in a sort's order (dates and titles read from the columns)."""
    members = docsets.members(allowed)
    rank = table.rank(sort)
    members.sort(key=rank.__getitem__)
    return [(d, 0.0) for d in members]
