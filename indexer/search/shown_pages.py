"""The best pages of all the hits on screen, and their texts, read from the catalog together.

Each hit shows snippets of its best pages, ranked by the positions' evidence (``pages``), where
a contents or index page keeps only a part of its score and a page whose heading holds the
words gains — which takes the page's text to tell. Reading each hit's candidate pages with a
query of its own was an eighth of a search's time. Here the candidates of every hit are read in
one query, and each page's outline (contents page or not, its headings, without its running
headers and footers) is remembered for the index generation: once it is known, only the pages
shown are read, and those shown lately are kept (documents many searches find). The pages
chosen are those ``hits.best_pages`` chooses for one hit.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass

from ..ingest.models import Page
from ..store.catalog import Catalog
from ..text.furniture import body_text
from .pages import NO_TEXT, Outline, outline, rank_pages, rerank_outlines
from .positions import Positions

#: Characters of the pages shown lately kept per index generation (a few thousand pages).
REMEMBERED_CHARACTERS = 8_000_000
#: Outlines of pages kept, at most, per index generation.
REMEMBERED_PAGES = 200_000


@dataclass
class Wanted:
    """One hit's page evidence: its text's hash ("" if unknown), the positions of the query's
    words and where each page starts."""

    sha256: str
    found: Positions
    starts: list[int]


class PageMemory:
    """Of one index generation, shared by its threads: the outline of pages (``pages.outline``
    of their text without furniture), and the texts of the pages shown lately within a budget
    of characters, by (text hash, page).

    Per generation, not per process: a text extracted again (a new extractor) is indexed
    again, in a new generation, and the old text is never shown beside the new positions.
    """

    def __init__(self, budget: int = REMEMBERED_CHARACTERS) -> None:
        self.budget = budget
        self._outlines: dict[tuple[str, int], Outline] = {}
        self._texts: OrderedDict[tuple[str, int], Page] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def read(self, catalog: Catalog, wanted: set[tuple[str, int]]) -> dict[tuple[str, int], Page]:
        """The pages wanted (those the catalog has), from here or else from the catalog."""
        found: dict[tuple[str, int], Page] = {}
        with self._lock:
            for key in wanted:
                page = self._texts.get(key)
                if page is not None:
                    self._texts.move_to_end(key)
                    found[key] = page
        read = catalog.pages_of(wanted - found.keys())
        with self._lock:
            for key, page in read.items():
                if key not in self._texts:
                    self._texts[key] = page
                    self._size += len(page.text)
            while self._size > self.budget and self._texts:
                _, dropped = self._texts.popitem(last=False)
                self._size -= len(dropped.text)
        return found | read

    def outlines(
        self, catalog: Catalog, wanted: set[tuple[str, int]]
    ) -> tuple[dict[tuple[str, int], Outline], dict[tuple[str, int], Page]]:
        """The outlines of the pages wanted (an empty one for a page the catalog lacks), and
        the texts of those that had to be read for it."""
        with self._lock:
            known = {key: self._outlines[key] for key in wanted if key in self._outlines}
        texts = self.read(catalog, wanted - known.keys())
        made = {
            key: outline(body_text(texts[key].text, texts[key].furniture))
            if key in texts
            else NO_TEXT
            for key in wanted - known.keys()
        }
        with self._lock:
            if len(self._outlines) + len(made) > REMEMBERED_PAGES:
                self._outlines.clear()
            self._outlines.update(made)
        return known | made, texts


def best_pages(
    catalog: Catalog,
    memory: PageMemory,
    wanted: list[Wanted],
    pages: tuple[int, int],
    expansions: Collection[tuple[str, str]] = (),
) -> list[tuple[list[int], dict[int, Page]]]:
    """For each hit, its best pages, best first, and the texts of those pages. ``pages``: how
    many to give, and how many of the best by evidence to read again (``pages.rerank``)."""
    limit, candidates = pages
    ranks = [rank_pages(w.found, w.starts, expansions)[: max(limit, candidates)] for w in wanted]
    keys = {
        (w.sha256, p)
        for w, ranked in zip(wanted, ranks, strict=True)
        if w.sha256
        for p, _ in ranked
    }
    outlines, texts = memory.outlines(catalog, keys)
    orders = []
    for w, ranked in zip(wanted, ranks, strict=True):
        shapes = {p: outlines.get((w.sha256, p), NO_TEXT) for p, _ in ranked}
        reread = rerank_outlines(ranked, shapes, w.found, w.starts, expansions)
        orders.append([p for p, _ in reread][:limit])
    pairs = zip(wanted, orders, strict=True)
    shown = {(w.sha256, p) for w, order in pairs if w.sha256 for p in order}
    texts.update(memory.read(catalog, shown - texts.keys()))
    return [
        (order, {p: texts[(w.sha256, p)] for p in order if (w.sha256, p) in texts})
        for w, order in zip(wanted, orders, strict=True)
    ]
