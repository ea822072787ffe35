"""The best pages of all the hits on screen, and their texts, read from the catalog together.

Each hit shows snippets of its best pages, ranked by the positions' evidence (``pages``), where
a contents or index page keeps only a part of its score — which takes the page's text to tell.
Reading each hit's candidate pages with a query of its own was an eighth of a search's time.
Here the candidates of every hit are read in one query, and whether a page is a contents page
is remembered for the index generation: once it is known, only the pages shown are read, and
those shown lately are kept (documents many searches find). The pages chosen are those
``hits.best_pages`` chooses for one hit.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass

from ..ingest.models import Page
from ..store.catalog import Catalog
from .pages import demote_contents, is_contents, rank_pages
from .positions import Positions

#: Characters of the pages shown lately kept per index generation (a few thousand pages).
REMEMBERED_CHARACTERS = 8_000_000
#: Pages known to be contents pages or not, at most, per index generation.
REMEMBERED_PAGES = 200_000


@dataclass
class Wanted:
    """One hit's page evidence: its text's hash ("" if unknown), the positions of the query's
    words and where each page starts."""

    sha256: str
    found: Positions
    starts: list[int]


class PageMemory:
    """Of one index generation, shared by its threads: which pages are contents pages, and the
    texts of the pages shown lately within a budget of characters, by (text hash, page).

    Per generation, not per process: a text extracted again (a new extractor) is indexed
    again, in a new generation, and the old text is never shown beside the new positions.
    """

    def __init__(self, budget: int = REMEMBERED_CHARACTERS) -> None:
        self.budget = budget
        self.contents: dict[tuple[str, int], bool] = {}
        self._texts: OrderedDict[tuple[str, int], Page] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def read(self, catalog: Catalog, wanted: set[tuple[str, int]]) -> dict[tuple[str, int], Page]:
        """The pages wanted (those the catalog has), from here or else from the catalog; the
        contents pages among them noted."""
        found: dict[tuple[str, int], Page] = {}
        with self._lock:
            for key in wanted:
                page = self._texts.get(key)
                if page is not None:
                    self._texts.move_to_end(key)
                    found[key] = page
        read = catalog.pages_of(wanted - found.keys())
        noted = {key: key in read and is_contents(read[key].text) for key in wanted - found.keys()}
        with self._lock:
            if len(self.contents) > REMEMBERED_PAGES:
                self.contents.clear()
            self.contents.update(noted)
            for key, page in read.items():
                if key not in self._texts:
                    self._texts[key] = page
                    self._size += len(page.text)
            while self._size > self.budget and self._texts:
                _, dropped = self._texts.popitem(last=False)
                self._size -= len(dropped.text)
        return found | read


def best_pages(
    catalog: Catalog,
    memory: PageMemory,
    wanted: list[Wanted],
    pages: tuple[int, int],
    expansions: Collection[tuple[str, str]] = (),
) -> list[tuple[list[int], dict[int, Page]]]:
    """For each hit, its best pages, best first, and the texts of those pages. ``pages``: how
    many to give, and how many of the best by evidence to look at for contents pages."""
    limit, candidates = pages
    ranks = [rank_pages(w.found, w.starts, expansions)[: max(limit, candidates)] for w in wanted]
    unknown = {
        (w.sha256, page)
        for w, ranked in zip(wanted, ranks, strict=True)
        if w.sha256
        for page, _ in ranked
        if (w.sha256, page) not in memory.contents
    }
    texts = memory.read(catalog, unknown)
    orders = []
    for w, ranked in zip(wanted, ranks, strict=True):
        contents = [p for p, _ in ranked if memory.contents.get((w.sha256, p), False)]
        orders.append([p for p, _ in demote_contents(ranked, contents)][:limit])
    pairs = zip(wanted, orders, strict=True)
    shown = {(w.sha256, p) for w, order in pairs if w.sha256 for p in order}
    texts.update(memory.read(catalog, shown - texts.keys()))
    return [
        (order, {p: texts[(w.sha256, p)] for p in order if (w.sha256, p) in texts})
        for w, order in zip(wanted, orders, strict=True)
    ]
