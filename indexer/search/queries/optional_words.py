"""Stop words typed among other words are optional in "all words" mode.

A reader who types "how do social enterprises grow" means the topic words; requiring "how" and
"do" as well would find only documents with those words somewhere, and none that say the same
in other words. So when a query has other words, its stop words no longer decide which
documents match; they still add to the score of documents that have them, and they still count
inside quoted phrases, which are left as typed. A query of stop words alone keeps them required:
there is nothing else to search for.
"""

from __future__ import annotations

from whoosh import query as wq

from ...text.terms import is_stop


def _plain(q: wq.Query) -> bool:
    """Terms joined by AND and OR only (one typed word analysed for every field)."""
    if isinstance(q, wq.Term):
        return True
    return isinstance(q, wq.And | wq.Or) and all(_plain(p) for p in q.subqueries)


def stop_word(q: wq.Query) -> bool:
    """Whether a part of an "all words" query is one stop word. The exact-form field keeps
    every word as typed (folded), so its term tells; a language field may keep the word as a
    term of its own (English "how" is no Portuguese stop word)."""
    if not _plain(q):
        return False
    exact = [t for t in q.leaves() if isinstance(t, wq.Term) and t.fieldname == "text"]
    return bool(exact) and all(is_stop(str(t.text)) for t in exact)


def optional_stop_words(q: wq.Query) -> wq.Query:
    """``q`` with the stop words among its required words made optional (AND-MAYBE), when it
    has other required words."""
    if not isinstance(q, wq.And):
        return q
    stops = [p for p in q.subqueries if stop_word(p)]
    if not stops or len(stops) == len(q.subqueries):
        return q
    required = [p for p in q.subqueries if not stop_word(p)]
    must = required[0] if len(required) == 1 else wq.And(required)
    maybe = stops[0] if len(stops) == 1 else wq.Or(stops)
    out = wq.AndMaybe(must, maybe)
    out.boost = q.boost
    return out
