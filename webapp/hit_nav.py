"""Going from hit to hit inside a document: the marks of a page numbered, and the pages with hits
before and after the one shown.

Without a script, "Previous hit" and "Next hit" lead to the previous and the next page with
hits, at their last and first hit (``#hit-last``, ``#hit-1``); the page's script steps through
the marks of the page shown first, and follows those links at its ends.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from markupsafe import Markup

_MARK = re.compile(r"<mark>")


def mark_count(html: str) -> int:
    """How many marks the highlighter's markup of a page holds."""
    return len(_MARK.findall(html))


def numbered_marks(html: str) -> Markup:
    """The page's marks with ids ``hit-1`` … ``hit-N`` (an anchor ``hit-last`` before the last
    one), for the page only: its JSON twin keeps the highlighter's markup. ``html`` is built
    from escaped text, so a ``<mark>`` in it is always a mark."""
    total = mark_count(html)
    count = 0

    def number(_: re.Match[str]) -> str:
        nonlocal count
        count += 1
        last = '<span id="hit-last"></span>' if count == total else ""
        return f'{last}<mark id="hit-{count}" tabindex="-1">'

    return Markup(_MARK.sub(number, html))


def hit_links(
    page_hits: list[dict[str, Any]], number: int, page_url: Callable[[int], str]
) -> dict[str, Any]:
    """The previous and next page with hits around page ``number`` (at their last and first
    hit), for ``page_nav``."""
    pages = [h["page"] for h in page_hits]
    before = [p for p in pages if p < number]
    after = [p for p in pages if p > number]
    return {
        "prev_hit_url": page_url(before[-1]) + "#hit-last" if before else None,
        "next_hit_url": page_url(after[0]) + "#hit-1" if after else None,
        "pages_with_hits": len(pages),
    }


def init_app(app: Flask) -> None:
    app.jinja_env.filters["numbered_marks"] = numbered_marks
