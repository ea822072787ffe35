"""What a page's text says of its shape: whether it is a table of contents or an index, and
which of its lines are headings. Page choice asks both of the candidate pages of every hit on
screen (``search/ordering/pages.py``); they depend on the page's text alone, so the index
keeps them per document (``outline_value``, read with ``Outline``) and a search reads no page
text to tell them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from ..models import Page
from .furniture import body_text

#: A heading: a line of at most this many words with a section number, or a short line
#: standing alone after a blank line or a finished sentence.
HEADING_WORDS = 14
_SECTION_NUMBER = re.compile(r"(?:\d{1,2}|[A-Z])(?:\.\d{1,2})+\.?\s+\S")
_NUMBER = re.compile(r"\d{1,2}\.?\s+\S")
#: Between pages, and before each heading of a page, in ``outline_value``: a heading is one
#: line of the text (``str.splitlines`` breaks at both), so neither stands inside one.
_PAGE_BREAK = "\f"
_LINE_BREAK = "\n"


def _ends_in_page_number(line: str) -> bool:
    """A line ending in a number of up to four digits after a space, a dot or an ellipsis:
    "Outcome measures ..... 4", "payment 3, 6"; or a number alone (a column of page numbers)."""
    end = len(line)
    start = end
    while start > 0 and line[start - 1].isdigit():
        start -= 1
    if not 1 <= end - start <= 4:
        return False
    return start == 0 or line[start - 1] in " \t.…,"


def _listing_line(line: str) -> bool:
    """A line of a contents or index page: it ends in a page number or has dot leaders."""
    return _ends_in_page_number(line) or "...." in line or ". . . ." in line or "……" in line


def is_contents(text: str) -> bool:
    """Whether a page is a table of contents or an index: most of its lines end in a number,
    run into dot leaders, or are page numbers alone (set in a column of their own)."""
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    listed = sum(1 for line in lines if _listing_line(line.lstrip()))
    return listed >= 5 and listed >= 0.4 * len(lines)


def headings(text: str) -> list[str]:
    """The lines of a page that look like headings: short, not a listing's line, and either
    numbered as a section ("3.2 Outcome funds", "B.1 Introduction") or standing alone — after
    a blank line or a finished sentence, well short of the page's lines of running text,
    starting with a capital and without a sentence's end or a colon of its own."""
    lines = [raw.strip() for raw in text.splitlines()]
    widths = sorted(len(line) for line in lines if line)
    if not widths:
        return []
    column = widths[math.ceil(0.9 * (len(widths) - 1))]  # the running text's width
    short = 0.6 * column
    out = []
    previous = ""
    for line in lines:
        if line and not _listing_line(line):
            alone = (
                len(line) <= short
                and (previous == "" or previous[-1] in ".!?")
                and line[0].isupper()
                and line[-1] not in ".,;:"
            )
            # "3.2 Outcome funds", "B.1 Introduction"; "1 Introduction" only when short, as a
            # numbered list's items ("1. Adopt national strategies for …") are sentences
            numbered = (line[0].isdigit() or line[0].isupper()) and (
                _SECTION_NUMBER.match(line) is not None
                or (len(line) <= short and line[-1] != "." and _NUMBER.match(line) is not None)
            )
            if (alone or numbered) and len(line.split()) <= HEADING_WORDS:
                out.append(line)
        previous = line
    return out


def outline_value(pages: Sequence[Page]) -> bytes:
    """The index's ``outline`` column of a document: for each page in order (of its text
    without running headers and footers), "1" for a contents or index page or "0", then its
    headings, each after a line break; the pages apart by form feeds."""
    parts = []
    for page in pages:
        body = body_text(page.text, page.furniture)
        flag = "1" if is_contents(body) else "0"
        parts.append(flag + "".join(_LINE_BREAK + line for line in headings(body)))
    return _PAGE_BREAK.join(parts).encode("utf-8")


class Outline:
    """A document's ``outline`` column, read: ``contents(page)`` and ``headings(page)`` of its
    pages by number (1-based); a page it does not hold is neither a contents page nor has
    headings."""

    def __init__(self, raw: bytes) -> None:
        self._pages = raw.decode("utf-8").split(_PAGE_BREAK) if raw else []

    def contents(self, page: int) -> bool:
        return 0 < page <= len(self._pages) and self._pages[page - 1][:1] == "1"

    def headings(self, page: int) -> Sequence[str]:
        if not 0 < page <= len(self._pages):
            return ()
        return self._pages[page - 1].split(_LINE_BREAK)[1:]
