"""Which completions of a last word are worth offering: one per word (not each of its forms),
and, after other words, those that continue them as the documents write them.

"pay" is completed as "payment", not as "payment", "payments", "paying" and "paid" one under
the other: a search for one form finds the others. "payment by re" is completed as "payment by
results", which documents say, and not as "payment by rethink" because some document with
"payment" also has "rethink" somewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..text.terms import fold
from .docsets import DocSet
from .positions import positions
from .snapshot import Snapshot

#: Words typed before the last one that a completion must follow, at most.
SEQUENCE = 3


def one_per_word(
    ranked: Iterable[str], documents: Callable[[str], DocSet], same: Callable[[str, str], bool]
) -> dict[str, DocSet]:
    """The forms of ``ranked`` grouped by the word they are forms of (``same``: they share an
    index term, so a search for one finds the others): each group under its first form, with
    the documents any of its forms opens."""
    groups: dict[str, DocSet] = {}
    for form in ranked:
        head = next((kept for kept in groups if same(kept, form)), None)
        if head is None:
            groups[form] = documents(form)
        else:
            groups[head] |= documents(form)
    return groups


def following(
    snapshot: Snapshot, before: list[str], candidates: list[str], documents: list[int]
) -> dict[str, int]:
    """For each candidate, in how many of ``documents`` it comes right after the words
    ``before`` (their last ``SEQUENCE``, in order, as the text has them)."""
    sequence = [fold(w) for w in before[-SEQUENCE:]]
    if not sequence or not documents:
        return {}
    wanted = {*sequence, *(fold(c) for c in candidates)}
    found = positions(snapshot.searcher, {"text": wanted}, documents, ("text",))
    out: dict[str, int] = {}
    for candidate in candidates:
        n = 0
        for at in found.values():
            starts = set(at.get(("text", fold(candidate)), ()))
            for back, word in enumerate(reversed(sequence), 1):
                starts &= {p + back for p in at.get(("text", word), ())}
            n += bool(starts)
        out[candidate] = n
    return out
