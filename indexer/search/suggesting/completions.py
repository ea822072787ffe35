"""Which completions of a last word are worth offering: one per word (not each of its forms),
and, after other words, those that continue them as the documents write them.

"pay" is completed as "payment", not as "payment", "payments", "paying" and "paid" one under
the other: a search for one form finds the others. "payment by re" is completed as "payment by
results", which documents say, and not as "payment by rethink" because some document with
"payment" also has "rethink" somewhere. Titles give the phrases things are named by: "pay" also
offers "payment by results" when titles say it.
"""

from __future__ import annotations

import functools
import operator
from collections import Counter
from collections.abc import Callable, Iterable

from ...text.terms import WORD, fold
from ..finding.docsets import DocSet
from ..finding.positions import positions
from ..finding.snapshot import Snapshot

#: Words typed before the last one that a completion must follow, at most.
SEQUENCE = 3


def forms_by_word(ranked: Iterable[str], same: Callable[[str, str], bool]) -> dict[str, list[str]]:
    """The forms of ``ranked`` grouped by the word they are forms of (``same``: they share an
    index term, so a search for one finds the others): each group under its first form."""
    groups: dict[str, list[str]] = {}
    for form in ranked:
        head = next((kept for kept in groups if same(kept, form)), None)
        groups.setdefault(form if head is None else head, []).append(form)
    return groups


def one_per_word(
    ranked: Iterable[str], documents: Callable[[str], DocSet], same: Callable[[str, str], bool]
) -> dict[str, DocSet]:
    """The forms of ``ranked`` grouped by the word they are forms of (``forms_by_word``), each
    group with the documents any of its forms opens."""
    return {
        head: functools.reduce(operator.or_, map(documents, forms))
        for head, forms in forms_by_word(ranked, same).items()
    }


def most_shared(
    groups: dict[str, list[str]],
    count: Callable[[list[str]], int],
    at_most: Callable[[list[str]], int],
    frequency: dict[str, int],
    wanted: int,
) -> dict[str, int]:
    """The documents (``count``) of the groups of forms that could be among the ``wanted``
    first in order of most documents, then most ``frequency``, then the head form; groups
    with none left out.

    Counting a group reads its forms' postings; ``at_most`` (a group's count can be no more)
    needs none. Groups are counted in order of what they could reach, and once ``wanted``
    counted groups come before anything the next could reach, the rest are not counted: they
    would come after those anyway. The first ``wanted`` in that order are those of counting
    every group."""

    def order(head: str, n: int) -> tuple[int, int, str]:
        return (-n, -frequency.get(head, 0), head)

    reach = {head: at_most(forms) for head, forms in groups.items()}
    counted: dict[str, int] = {}
    for head in sorted(groups, key=lambda h: order(h, reach[h])):
        best = sorted(order(h, n) for h, n in counted.items())
        if len(best) >= wanted and best[wanted - 1] < order(head, reach[head]):
            break
        n = count(groups[head])
        if n:
            counted[head] = n
    return counted


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


#: Words of a title phrase at most, and titles looked at for phrases.
PHRASE_WORDS = 4
PHRASE_TITLES = 200
#: Titles a phrase must be in to be offered (a phrase of one title is offered as that title).
PHRASE_TITLES_MIN = 2


def title_phrases(titles: Iterable[str], tail: str, is_stop: Callable[[str], bool]) -> list[str]:
    """Phrases that at least PHRASE_TITLES_MIN titles have from a word beginning with ``tail``:
    to the next punctuation, at most PHRASE_WORDS words, not ending on a stop word; the most
    shared first, and of a phrase and its longer versions only the most shared."""
    start = fold(tail)
    found: Counter[str] = Counter()
    for title in titles:
        words = list(WORD.finditer(title))
        for i, first in enumerate(words):
            if not fold(first.group(0)).startswith(start):
                continue
            run = [first.group(0).lower()]
            for before, word in zip(words[i : i + PHRASE_WORDS - 1], words[i + 1 :], strict=False):
                if title[before.end() : word.start()].strip():
                    break  # punctuation ends the phrase
                run.append(word.group(0).lower())
            for end in range(2, len(run) + 1):
                if not is_stop(run[end - 1]):
                    found[" ".join(run[:end])] += 1
            break
    chosen: list[str] = []
    for phrase, n in sorted(found.items(), key=lambda x: (-x[1], len(x[0]), x[0])):
        if n < PHRASE_TITLES_MIN:
            break
        if not any(phrase.startswith(c) or c.startswith(phrase) for c in chosen):
            chosen.append(phrase)
    return chosen
