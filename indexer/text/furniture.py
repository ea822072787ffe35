"""Running headers, footers and page numbers: the lines a document repeats at the edge of its
pages ("furniture", as typesetters say).

The title repeated at the top of every page, "Página 4 / 17" at the bottom: they are text of the
page, and the document stays findable by them, but they say nothing about what a page is about.
Left in, they opened most snippets of a document and made every page "a page with hits" for a
word of the title. They are recognised per document, as lines among the first and last few of a
page that recur on other pages once digits are left out, and kept as character ranges of each
page's text; the index keeps the word positions they cover, so the read side can leave them out
of page evidence and snippets without reading the text again.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from ..models import Analysed
from .terms import WORD

#: Lines looked at, at the top and at the bottom of a page.
EDGE_LINES = 3
#: Longer lines are prose, not a header.
MAX_LINE = 160
#: Pages a line must recur on, and how near another of them one must be, unless it recurs on
#: this share of the document's pages.
MIN_PAGES = 3
NEAR_PAGES = 2
WIDE_SHARE = 0.25
#: A page's outermost line also recurs when its first letters do: a running head that names
#: the chapter and then the section ("CHAPTER 2. REQUIREMENTS 2.3. HARDWARE").
HEAD_LETTERS = 16
#: Letters a recurring line needs, unless it is a page number.
MIN_LETTERS = 4

Range = tuple[int, int]
_LINE = re.compile(r"[^\n]+")
_ROMAN = re.compile(r"\b[ivxlcdm]{1,6}\b")
_NOT_LETTER = re.compile(r"[\W\d_]+")


def _key(line: str) -> str | None:
    """What stays the same when a header repeats: its letters, case-folded, without numbers
    (page numbers, roman or arabic, change from page to page); "#" for a line of numbers only
    ("4", "- 4 -", "4 / 17"); None for a line with neither, or with a word too short to tell
    a header from a line of code ("end;")."""
    folded = _ROMAN.sub("", line.casefold())
    key = _NOT_LETTER.sub("", folded)
    if key:
        return key if len(key) >= MIN_LETTERS else None
    return "#" if any(ch.isdigit() for ch in line) else None


def _edge_lines(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """(start, end, keys) of the first and last few non-empty lines of a page: the line's key,
    and for the outermost lines also the key's first letters."""
    lines = [m for m in _LINE.finditer(text) if m.group(0).strip()]
    edge = lines if len(lines) <= 2 * EDGE_LINES else lines[:EDGE_LINES] + lines[-EDGE_LINES:]
    outermost = {id(lines[0]), id(lines[-1])} if lines else set()
    out = []
    for m in edge:
        line = m.group(0)
        if len(line) > MAX_LINE:
            continue
        key = _key(line)
        if key is None:
            continue
        keys: tuple[str, ...] = (key,)
        if id(m) in outermost and len(key) > HEAD_LETTERS:
            keys += ("^" + key[:HEAD_LETTERS],)
        start = m.start() + len(line) - len(line.lstrip())
        out.append((start, m.start() + len(line.rstrip()), keys))
    return out


def _recurs(on: list[int], page: int, pages: int) -> bool:
    """Whether a line that is on pages ``on`` (sorted) is furniture on ``page``."""
    if len(on) < MIN_PAGES:
        return False
    if len(on) >= WIDE_SHARE * pages:
        return True
    i = bisect_right(on, page)
    before = on[i - 2] if i >= 2 else None  # on[i - 1] is the page itself
    after = on[i] if i < len(on) else None
    return (before is not None and page - before <= NEAR_PAGES) or (
        after is not None and after - page <= NEAR_PAGES
    )


def find_furniture(pages: list[str]) -> list[list[Range]]:
    """For each page, the character ranges of its running headers, footers and page numbers."""
    found: list[list[Range]] = [[] for _ in pages]
    if len(pages) < MIN_PAGES:
        return found
    edges = [_edge_lines(text) for text in pages]
    on: defaultdict[str, list[int]] = defaultdict(list)
    for number, lines in enumerate(edges):
        for key in {key for _, _, keys in lines for key in keys}:
            on[key].append(number)
    for number, lines in enumerate(edges):
        for start, end, keys in lines:
            if any(_recurs(on[key], number, len(pages)) for key in keys):
                found[number].append((start, end))
    return found


def mark_furniture(analysed: Analysed) -> Analysed:
    """The document's pages with their furniture recognised."""
    ranges = find_furniture([page.text for page in analysed.pages])
    pages = [replace(page, furniture=r) for page, r in zip(analysed.pages, ranges, strict=True)]
    return replace(analysed, pages=pages)


def body_text(text: str, ranges: Sequence[Range]) -> str:
    """The page's text with its furniture blanked by spaces: the same length, so character
    offsets (highlighted words, snippet windows) stay valid."""
    if not ranges:
        return text
    # Pieces of the text and runs of spaces joined once: a snippet of every hit on screen
    # blanks its page, and a copy of the page per character was a tenth of a millisecond.
    pieces: list[str] = []
    done = 0
    for start, end in sorted(ranges):
        start, end = max(start, done), min(end, len(text))
        if start < end:
            pieces += (text[done:start], " " * (end - start))
            done = end
    pieces.append(text[done:])
    return "".join(pieces)


def word_ranges(texts: list[str], furniture: list[list[Range]], starts: list[int]) -> list[Range]:
    """The furniture as ranges of the document's word positions (``starts``: each page's first
    position): words before a range's start are counted from the page's top, and for a range
    in the bottom half from its end, so only the page's edges are read again."""
    out: list[Range] = []
    for number, (text, ranges) in enumerate(zip(texts, furniture, strict=True)):
        if not ranges:
            continue
        first = starts[number]
        total: int | None = None
        for start, end in ranges:
            words = len(WORD.findall(text, start, end))
            if start < len(text) // 2:
                before = len(WORD.findall(text, 0, start))
            else:
                if total is None:
                    following = starts[number + 1] if number + 1 < len(starts) else None
                    total = following - first if following is not None else len(WORD.findall(text))
                before = total - words - len(WORD.findall(text, end))
            if words:
                out.append((first + before, first + before + words))
    return out


def outside(positions: list[int], ranges: list[Range]) -> list[int]:
    """The positions that are not in any of the (sorted, disjoint) ``ranges``."""
    if not ranges:
        return positions
    firsts = [a for a, _ in ranges]
    kept = []
    for pos in positions:
        i = bisect_right(firsts, pos) - 1
        if i < 0 or pos >= ranges[i][1]:
            kept.append(pos)
    return kept
