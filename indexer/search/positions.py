"""Where in a document the query's words stand: the pages they are on, and whether typed words
stand close together.

Every text field shares one tokenizer, so a word has the same position in each of them, and
the record stores the position where each page starts: positions read from the postings of a
few documents turn into page numbers, snippet windows and proximity, without re-reading text.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from whoosh.searching import Searcher

from ..schema import LANGUAGE_FIELDS

POSITIONAL_FIELDS = ("text", "ident", *LANGUAGE_FIELDS.values())

#: (field, term) → word positions in one document.
Positions = dict[tuple[str, str], list[int]]


def positions(
    searcher: Searcher,
    terms: dict[str, set[str]],
    docnums: Iterable[int],
    fields: tuple[str, ...] = POSITIONAL_FIELDS,
) -> dict[int, Positions]:
    """Positions of every term in each of the given documents (one posting reader per term,
    skipping from document to document)."""
    ordered = sorted(set(docnums))
    out: dict[int, Positions] = {d: {} for d in ordered}
    reader = searcher.reader()
    for fieldname in fields:
        for text in terms.get(fieldname, ()):
            if (fieldname, text) not in reader:
                continue
            matcher = reader.postings(fieldname, text)  # no scorer: only positions are read
            for docnum in ordered:
                if not matcher.is_active():
                    break
                if matcher.id() < docnum:
                    matcher.skip_to(docnum)
                if matcher.is_active() and matcher.id() == docnum:
                    out[docnum][(fieldname, text)] = list(matcher.value_as("positions"))
    return out


def page_of(starts: list[int], position: int) -> int:
    return max(1, bisect_right(starts, position))


def words_by_page(found: Positions, starts: list[int]) -> dict[int, list[int]]:
    """The matching word numbers of each page, counted from the page's first word."""
    out: dict[int, list[int]] = {}
    for pos in {p for at in found.values() for p in at}:
        page = page_of(starts, pos)
        out.setdefault(page, []).append(pos - starts[page - 1])
    return out


def in_order_within(sequence: list[list[int]], slop: int) -> bool:
    """Whether the words stand in order, each at most ``slop`` positions after the previous
    one (as a sloppy phrase matches): ``sequence`` holds each word's sorted positions."""
    reachable = sequence[0] if sequence else []
    for following in sequence[1:]:
        if not reachable:
            return False
        ends = set()
        for start in reachable:
            # bisect into the next word's positions: those within (start, start + slop]
            i = bisect_right(following, start)
            while i < len(following) and following[i] - start <= slop:
                ends.add(following[i])
                i += 1
        reachable = sorted(ends)
    return bool(reachable)
