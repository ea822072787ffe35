"""The reading view of a page: hard line ends inside paragraphs become spaces."""

from __future__ import annotations

import math
import re

from markupsafe import Markup, escape

_LIST_ITEM = re.compile(r"^(?:[-•–*·▪◦]\s|\(?\d{1,3}[.)]\s|\(?[a-zа-я][.)]\s)", re.I)
_SENTENCE_END = re.compile(r"[.!?:;…»\"')]$")


def reflow(text: str) -> str:
    """The page's hard line ends inside paragraphs turned into spaces, for reading on any screen.

    Only line breaks change, each into one space, so the text keeps its length and every
    character offset (highlighted words, page positions) stays right. A line break is kept
    where a paragraph plausibly ends: before or after a blank line, after a line clearly
    shorter than the page's text column, before a list item, and after a sentence end on a
    shortish line.
    """
    lines = text.split("\n")
    lengths = sorted(len(line) for line in lines if line.strip())
    if len(lengths) < 2:
        return text
    column = lengths[math.ceil(len(lengths) * 0.9) - 1]
    if column < 25:
        return text  # a table, a slide or a form: lines are not prose
    out: list[str] = []
    for i, line in enumerate(lines[:-1]):
        following = lines[i + 1]
        stripped = line.rstrip()
        keep = (
            not stripped
            or not following.strip()
            or len(stripped) < column * 0.6
            or bool(_LIST_ITEM.match(following.lstrip()))
            or (_SENTENCE_END.search(stripped) is not None and len(stripped) < column * 0.85)
        )
        out.append(line + ("\n" if keep else " "))
    out.append(lines[-1])
    return "".join(out)


def reflow_markup(text: str, markup: str | None) -> Markup:
    """``reflow`` applied to an HTML copy of ``text`` (escaped, with marks), or to the escaped
    text itself: escaping and marks add no line breaks, so the n-th line break of the markup
    is the n-th of the text, and each is kept or made a space as ``reflow`` decides for it."""
    flowed = reflow(text)
    keep = [flowed[i] == "\n" for i, ch in enumerate(text) if ch == "\n"]
    pieces = str(markup if markup is not None else escape(text)).split("\n")
    if len(pieces) != len(keep) + 1:
        return Markup(markup) if markup is not None else escape(text)
    out = [pieces[0]]
    for kept, piece in zip(keep, pieces[1:], strict=True):
        out.append(("\n" if kept else " ") + piece)
    return Markup("".join(out))
