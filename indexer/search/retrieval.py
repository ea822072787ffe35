"""Which documents a request's words find, and in what order.

A search and an export share these steps: the words are parsed and bounded for one snapshot,
their documents found per channel (the words as typed, each language's expansion), with a
fallback to "any word" and a reading in the other alphabets when the words as typed find
little; then only the documents the facets allow are put in the request's order.
"""

from __future__ import annotations

from whoosh import query as wq

from ..errors import QueryError
from .contract import Fallback, Mode, Transliteration
from .finding.docsets import DocSet
from .finding.matched import Matched
from .finding.matching import Budget, bounded, matching
from .finding.snapshot import Snapshot
from .ordering import ranking
from .queries.query import ParsedQuery, QueryBuilder
from .queries.transliterate import IndexWords, as_read, with_readings
from .request import SearchRequest
from .showing.advice import Count
from .suggesting import correction, suggest

#: Words that find fewer documents than this are also read in the other alphabets.
TRANSLITERATE_BELOW = 5


def match(
    snapshot: Snapshot, builder: QueryBuilder, request: SearchRequest, budget: Budget
) -> Matched:
    """The request's words parsed, bounded and matched, from the recent queries when there.

    A facet click, another page or another sort re-uses the work done for the same words.
    """
    key = request.words_key()
    found: Matched | None = snapshot.remembered(key, shared=True)
    if found is None:
        found = _parse_and_match(snapshot, builder, request, budget)
        if not found.partial:
            snapshot.remember(key, found, shared=True)
    return found


def _parse_and_match(
    snapshot: Snapshot, builder: QueryBuilder, request: SearchRequest, budget: Budget
) -> Matched:
    """The fallback from "all words" to "any word" is decided on the words as typed: when
    no document has all of them, the reader is better served by documents with most of
    them than by translations only — whatever the query's syntax. When the words find few
    documents, they are also read in the other alphabets; and a rare or unknown word gets a
    "did you mean" — searched instead when nothing else is found and it is far more likely
    than anything else the reader could have meant."""
    parsed = _bounded(snapshot, builder.build(request.q, request.mode, request.expand), budget)
    channels = _documents(snapshot, parsed, budget)
    typed = channels[0].bit_count()
    fallback: Fallback | None = None
    transliterated: list[Transliteration] = []
    if request.q and parsed.plain and typed < TRANSLITERATE_BELOW:
        seen = _reach(snapshot, channels[:1], request.expand)
        found = _transliterated(snapshot, builder, request, budget, typed, seen)
        if found is not None:
            # The reader is told the words as typed, and the readings apart.
            found[0].understood = parsed.understood
            parsed, channels, transliterated = found
    suggestion = None
    if request.q and not parsed.is_everything:
        suggestion = suggest.spelling(snapshot, builder, request, typed)
    if suggestion and request.correct and not _reach(snapshot, channels, request.expand):
        # Nothing found: a correction far more likely than anything else is searched instead
        # (before any single word is: "paymnet by reslts" is "payment by results", not every
        # document with "by"), the reader told so, with the words as typed a click away.
        corrected = _corrected(snapshot, builder, request, budget, suggestion)
        if corrected is not None:
            parsed, channels = corrected
            fallback = "corrected"
    if request.q and request.mode == "all" and not channels[0] and fallback is None:
        found_any = _any_word(snapshot, builder, request, budget, parsed)
        if found_any is not None:
            parsed, channels = found_any
            fallback = "any"
    direct = _reach(snapshot, channels, False)
    matched = _reach(snapshot, channels, request.expand and not parsed.is_everything)
    return Matched(
        parsed,
        channels,
        direct,
        matched,
        fallback,
        budget.exceeded,
        suggestion,
        transliterated,
    )


def counter(snapshot: Snapshot, builder: QueryBuilder, budget: Budget) -> Count:
    """How many documents another query finds (before filters): what advice is built on."""

    def count(text: str, mode: Mode, expand: bool) -> int:
        found = _search(snapshot, builder, text, mode, expand, budget)
        return _reach(snapshot, found[1], expand).bit_count() if found else 0

    return count


def _any_word(
    snapshot: Snapshot,
    builder: QueryBuilder,
    request: SearchRequest,
    budget: Budget,
    parsed: ParsedQuery,
) -> tuple[ParsedQuery, list[DocSet]] | None:
    """The query read as "any word", if that is another query and finds documents.

    Whatever the query's syntax: phrases, fields and patterns become alternatives like words,
    and excluded words stay excluded.
    """
    any_words = _bounded(snapshot, builder.build(request.q, "any", request.expand), budget)
    if any_words.channels[0] == parsed.channels[0]:
        return None  # one word, one phrase: nothing to relax
    any_words.relaxed = True
    channels = _documents(snapshot, any_words, budget)
    return (any_words, channels) if any(channels) else None


def _corrected(
    snapshot: Snapshot,
    builder: QueryBuilder,
    request: SearchRequest,
    budget: Budget,
    suggestion: str,
) -> tuple[ParsedQuery, list[DocSet]] | None:
    """The "did you mean" searched instead of the words as typed, when each word it changes
    is unknown to the knowledge base (no document has it in any form: a rare inflection is
    what the reader meant) and has one correction far more likely than any other, and the
    correction finds documents. A word a dictionary lists is not corrected: it is a word of
    its language that no document here uses, and the query is one about documents in other
    languages (their any-word reading then ranks what has it in translation)."""
    translator = builder.translator
    changed = correction.changed_words(request.q, suggestion) or []
    if translator is not None and any(translator.is_word(word) for word, _ in changed):
        return None
    documents = snapshot.table.live.bit_count()
    if not correction.confident(
        snapshot.searcher, snapshot.prefixes(), request.q, suggestion, documents
    ):
        return None
    for word, _ in changed:
        alone = _search(snapshot, builder, word, "all", False, budget)
        if alone is None or alone[1][0]:
            return None
    found = _search(snapshot, builder, suggestion, request.mode, request.expand, budget)
    return found if found and any(found[1]) else None


def _transliterated(
    snapshot: Snapshot,
    builder: QueryBuilder,
    request: SearchRequest,
    budget: Budget,
    typed: int,
    seen: DocSet,
) -> tuple[ParsedQuery, list[DocSet], list[Transliteration]] | None:
    """The query with each word also read in the other alphabets (Latin letters as
    Bulgarian or Greek, and back), if that finds more documents than the ``typed`` words as
    typed, and some the words as typed do not reach (``seen``: their documents and, with all
    languages, these documents' other language versions): a reading that only finds versions
    the reader sees anyway is not said."""
    text, said = with_readings(request.q, IndexWords(snapshot.searcher.reader()))
    if not said:
        return None
    found = _search(
        snapshot, builder, text, request.mode, request.expand, budget, as_read(request.q, said)
    )
    if found is None:
        return None
    parsed, channels = found
    if channels[0].bit_count() <= typed or not _reach(snapshot, channels, request.expand) & ~seen:
        return None
    return parsed, channels, said


def _search(
    snapshot: Snapshot,
    builder: QueryBuilder,
    text: str,
    mode: Mode,
    expand: bool,
    budget: Budget,
    translate: str | None = None,
) -> tuple[ParsedQuery, list[DocSet]] | None:
    """Another text searched as the reader's words are: parsed, bounded, matched by channel
    (None: the text is no query). ``translate``: the text to translate, when not ``text``."""
    try:
        parsed = _bounded(snapshot, builder.build(text, mode, expand, translate=translate), budget)
    except QueryError:
        return None
    return parsed, _documents(snapshot, parsed, budget)


def _reach(snapshot: Snapshot, channels: list[DocSet], versions: bool) -> DocSet:
    """The documents of every channel, and (``versions``) their other language versions."""
    direct = 0
    for bits in channels:
        direct |= bits
    return snapshot.table.with_translations(direct) if versions else direct


def _bounded(snapshot: Snapshot, parsed: ParsedQuery, budget: Budget) -> ParsedQuery:
    """Every expanding term (prefix, wildcard, fuzzy) replaced by its capped terms."""
    searcher = snapshot.searcher
    if parsed.typed is None:
        parsed.query = bounded(searcher, parsed.query, budget)
        return parsed
    parsed.typed = bounded(searcher, parsed.typed, budget)
    parsed.expanded = {k: bounded(searcher, q, budget) for k, q in parsed.expanded.items()}
    parsed.query = wq.Or([parsed.typed, *parsed.expanded.values()])
    return parsed


def _documents(snapshot: Snapshot, parsed: ParsedQuery, budget: Budget) -> list[DocSet]:
    """Documents of each channel: the words as typed first, then each expansion."""
    if parsed.is_everything:
        return [snapshot.table.live]
    searcher, terms = snapshot.searcher, snapshot.terms
    return [matching(searcher, terms, q, budget) for q in parsed.channels]


def order(
    snapshot: Snapshot,
    found: Matched,
    allowed: DocSet,
    request: SearchRequest,
    lang: str,
    need: int,
    budget: Budget,
) -> ranking.Ranked:
    """At least the first ``need`` allowed documents, in the request's order."""
    if not allowed:
        return []
    sort = request.sort
    if sort == "relevance" and found.parsed.is_everything:
        sort = "newest"
    if sort != "relevance":
        return ranking.by_sort(snapshot.table, allowed, sort)
    ranked = _by_relevance(snapshot, found, allowed, request, need, budget)
    return ranking.prefer_interface_language(
        ranked, snapshot.table, found.parsed, lang, request.expand
    )


def _by_relevance(
    snapshot: Snapshot,
    found: Matched,
    allowed: DocSet,
    request: SearchRequest,
    need: int,
    budget: Budget,
) -> ranking.Ranked:
    """The first ``need`` allowed documents by relevance, from the recent rankings when there.

    A ranking is kept for the words, mode and filters, at least as deep as the documents whose
    order proximity may change: the next pages reuse it (its first documents are the ranking
    of fewer, as the order is total).
    """
    filters = tuple(sorted((f, tuple(sorted(v))) for f, v in request.selected().items()))
    key = ("ranked", request.words_key(), filters)
    kept: tuple[int, ranking.Ranked] | None = snapshot.remembered(key, shared=True)
    if kept is not None and (need <= kept[0] or len(kept[1]) < kept[0]):
        return kept[1][:need]
    deep = max(need, ranking.RERANK_WINDOW)
    ranked = ranking.by_relevance(snapshot, found, allowed, deep, request.expand, budget)
    if not budget.exceeded and not found.partial:
        snapshot.remember(key, (deep, ranked), shared=True)
    return ranked[:need]
