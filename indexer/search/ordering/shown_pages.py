"""The best pages of all the hits on screen, and their texts, read from the catalog together.

Each hit shows snippets of its best pages, ranked by the positions' evidence (``pages``), where
a contents or index page keeps only a part of its score and a page whose heading holds the
words gains — which takes the page's text to tell. Reading each hit's candidate pages with a
query of its own was an eighth of a search's time. Here the candidates of every hit are read in
one query, and whether each is a contents page, and its headings when they were needed, are
remembered for the index generation (of its text without running headers and footers): once
known, only the pages shown are read, and those shown lately are kept (documents many searches
find). The pages chosen are those ``hits.best_pages`` chooses for one hit.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from ...lru import Lru
from ...models import Page
from ...store.catalog import Catalog
from ...text.furniture import body_text
from ..finding.positions import Positions
from .pages import headings, is_contents, rank_pages, rerank_by

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
    """Of one index generation, shared by its threads: which pages are contents pages, the
    headings of pages (of their text without furniture), and the texts of the pages shown
    lately within a budget of characters, by (text hash, page).

    Per generation, not per process: a text extracted again (a new extractor) is indexed
    again, in a new generation, and the old text is never shown beside the new positions.
    """

    def __init__(self, budget: int = REMEMBERED_CHARACTERS) -> None:
        self.budget = budget
        self._contents: Lru[tuple[str, int], bool] = Lru.counted(REMEMBERED_PAGES)
        self._headings: Lru[tuple[str, int], tuple[str, ...]] = Lru.counted(REMEMBERED_PAGES)
        self._texts: Lru[tuple[str, int], Page] = Lru(budget, lambda page: len(page.text))

    def read(self, catalog: Catalog, wanted: set[tuple[str, int]]) -> dict[tuple[str, int], Page]:
        """The pages wanted (those the catalog has), from here or else from the catalog."""
        found = self._texts.get_many(wanted)
        read = catalog.pages_of(wanted - found.keys())
        self._texts.put_many(read)
        return found | read

    def contents_of(
        self, catalog: Catalog, keys: set[tuple[str, int]]
    ) -> tuple[dict[tuple[str, int], bool], dict[tuple[str, int], Page]]:
        """Which of the pages ``keys`` are contents pages (a page the catalog lacks is not
        one), and the texts of those that had to be read to tell."""
        known = self._contents.get_many(keys)
        texts = self.read(catalog, keys - known.keys())
        noted = {
            key: key in texts and is_contents(_body(texts[key])) for key in keys - known.keys()
        }
        self._contents.put_many(noted)
        return known | noted, texts

    def headings(
        self, catalog: Catalog, key: tuple[str, int], texts: dict[tuple[str, int], Page]
    ) -> tuple[str, ...]:
        """A page's headings (none for a page the catalog lacks), from here or from its text:
        one of ``texts`` or else read."""
        return self._headings.get_or_make(key, lambda: self._headings_in(catalog, key, texts))

    def _headings_in(
        self, catalog: Catalog, key: tuple[str, int], texts: dict[tuple[str, int], Page]
    ) -> tuple[str, ...]:
        page = texts.get(key) or self.read(catalog, {key}).get(key)
        return tuple(headings(_body(page))) if page is not None else ()


def _judges(
    memory: PageMemory,
    catalog: Catalog,
    sha256: str,
    contents: dict[tuple[str, int], bool],
    texts: dict[tuple[str, int], Page],
) -> tuple[Callable[[int], bool], Callable[[int], Sequence[str]]]:
    """What ``pages.rerank_by`` asks of one hit's pages: whether a page is a contents page,
    and its headings."""

    def is_listing(page: int) -> bool:
        return contents.get((sha256, page), False)

    def heading_lines(page: int) -> Sequence[str]:
        return memory.headings(catalog, (sha256, page), texts) if sha256 else ()

    return is_listing, heading_lines


def _body(page: Page) -> str:
    return body_text(page.text, page.furniture)


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
    contents, texts = memory.contents_of(catalog, keys)
    orders = []
    for w, ranked in zip(wanted, ranks, strict=True):
        judged = _judges(memory, catalog, w.sha256, contents, texts)
        reread = rerank_by(ranked, *judged, w.found, w.starts, expansions)
        orders.append([p for p, _ in reread][:limit])
    pairs = zip(wanted, orders, strict=True)
    shown = {(w.sha256, p) for w, order in pairs if w.sha256 for p in order}
    texts.update(memory.read(catalog, shown - texts.keys()))
    return [
        (order, {p: texts[(w.sha256, p)] for p in order if (w.sha256, p) in texts})
        for w, order in zip(wanted, orders, strict=True)
    ]
