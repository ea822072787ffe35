""" "Did you mean" for words the index does not have, and autocomplete of words and titles."""

from __future__ import annotations

from typing import Any

from whoosh import query as wq
from whoosh.searching import Searcher

from ..analysis import WORD, fold
from ..errors import QueryError
from .matching import Budget, bounded, matching
from .query import QueryBuilder
from .snapshot import Snapshot

#: Words of the index looked at for one autocomplete prefix.
AUTOCOMPLETE_SCAN = 400


def _close_words(searcher: Searcher, word: str) -> str | None:
    """The most frequent index word one edit away (else two), sharing the first letter."""
    reader = searcher.reader()
    for distance in (1, 2):
        found: set[str] = set()
        for sub, _ in searcher.leaf_searchers():
            found.update(sub.reader().terms_within("vocab", word, distance, prefix=1))
        found.discard(word)
        if found:
            return max(found, key=lambda w: (reader.doc_frequency("vocab", w), w))
    return None


def spelling(
    snapshot: Snapshot, builder: QueryBuilder, q: str, mode: str, expand: bool, found: int
) -> str | None:
    """The query with each unknown word replaced by a close, frequent one, if that finds more."""
    searcher = snapshot.searcher
    reader = searcher.reader()
    changed = False
    pieces = []
    last = 0
    for m in WORD.finditer(q):
        word = m.group(0)
        lower = word.lower()
        pieces.append(q[last : m.start()])
        last = m.end()
        if len(lower) > 3 and reader.doc_frequency("vocab", lower) == 0:
            option = _close_words(searcher, lower)
            if option:
                pieces.append(option)
                changed = True
                continue
        pieces.append(word)
    pieces.append(q[last:])
    if not changed:
        return None
    proposal = "".join(pieces)
    try:
        parsed = builder.build(proposal, mode, expand)
    except QueryError:
        return None
    budget = Budget()
    better = matching(searcher, snapshot.terms, bounded(searcher, parsed.query, budget), budget)
    return proposal if better.bit_count() > found else None


def autocomplete(snapshot: Snapshot, prefix: str, limit: int = 8) -> list[dict[str, Any]]:
    """Titles and index words completing what has been typed (most frequent words first)."""
    prefix = prefix.strip().lower()
    if len(prefix) < 2:
        return []
    searcher = snapshot.searcher
    reader = searcher.reader()
    last_space = prefix.rfind(" ")
    head, tail = prefix[: last_space + 1], prefix[last_space + 1 :]
    words: list[tuple[int, str]] = []
    if len(tail) >= 2:
        for term in reader.expand_prefix("vocab", tail):
            text = term.decode("utf-8") if isinstance(term, bytes) else term
            words.append((reader.doc_frequency("vocab", text), text))
            if len(words) > AUTOCOMPLETE_SCAN:
                break
    words.sort(key=lambda x: (-x[0], x[1]))
    out: list[dict[str, Any]] = [
        {"kind": "term", "text": head + w, "documents": n} for n, w in words[:limit]
    ]
    titles = []
    last_word = fold(prefix.split()[-1]) if prefix.split() else ""
    for docnum in searcher.docs_for_query(wq.Prefix("title", last_word)):
        stored = searcher.stored_fields(docnum)
        titles.append({"kind": "title", "text": stored["title"], "id": stored["id"]})
        if len(titles) >= 3:
            break
    return titles + out[: max(0, limit - len(titles))]
