"""The best pages of all the hits on screen, and their texts, read from the catalog together.

Each hit shows snippets of its best pages, ranked by the positions' evidence (``pages``), where
a contents or index page keeps only a part of its score and a page whose heading holds the
words gains. Both depend on the page's text alone, so the index keeps them per document
(``text/page_outline.py``) and no candidate page is read to tell them: only the pages shown
are read, all hits' in one query, and those shown lately are kept for the index generation
(documents many searches find). The pages chosen are those ``hits.best_pages`` chooses for one
hit from the pages' texts.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from ...lru import Lru
from ...models import Page
from ...store.catalog import Catalog
from ...text.page_outline import Outline
from ..finding.positions import Positions
from .pages import Words, query_words, rank_pages, rerank_by

#: Characters of the pages shown lately kept per index generation (a few thousand pages).
REMEMBERED_CHARACTERS = 8_000_000


@dataclass
class Wanted:
    """One hit's page evidence: its text's hash ("" if unknown), the positions of the query's
    words, where each page starts, and which pages are contents pages and their headings."""

    sha256: str
    found: Positions
    starts: list[int]
    outline: Outline
    #: ``pages.query_words`` of ``found`` (worked out here when not given).
    words: Words | None = None


class PageMemory:
    """Of one index generation, shared by its threads: the texts of the pages shown lately
    within a budget of characters, by (text hash, page).

    Per generation, not per process: a text extracted again (a new extractor) is indexed
    again, in a new generation, and the old text is never shown beside the new positions.
    """

    def __init__(self, budget: int = REMEMBERED_CHARACTERS) -> None:
        self.budget = budget
        self._texts: Lru[tuple[str, int], Page] = Lru(budget, lambda page: len(page.text))

    def read(self, catalog: Catalog, wanted: set[tuple[str, int]]) -> dict[tuple[str, int], Page]:
        """The pages wanted (those the catalog has), from here or else from the catalog."""
        found = self._texts.get_many(wanted)
        read = catalog.pages_of(wanted - found.keys())
        self._texts.put_many(read)
        return found | read


def best_pages(
    catalog: Catalog,
    memory: PageMemory,
    wanted: list[Wanted],
    pages: tuple[int, int],
    expansions: Collection[tuple[str, str]] = (),
) -> list[tuple[list[int], dict[int, Page]]]:
    """For each hit, its best pages, best first, and the texts of those pages. ``pages``: how
    many to give, and how many of the best by evidence to judge again (``pages.rerank``)."""
    limit, candidates = pages
    orders = []
    for w in wanted:
        words = w.words if w.words is not None else query_words(w.found, expansions)
        ranked = rank_pages(w.found, w.starts, expansions, words)[: max(limit, candidates)]
        # A page the catalog lacks (no text hash) is neither a contents page nor headed.
        outline = w.outline if w.sha256 else Outline(b"")
        reread = rerank_by(
            ranked, outline.contents, outline.headings, w.found, w.starts, expansions, words
        )
        orders.append([p for p, _ in reread][:limit])
    pairs = zip(wanted, orders, strict=True)
    texts = memory.read(catalog, {(w.sha256, p) for w, order in pairs if w.sha256 for p in order})
    return [
        (order, {p: texts[(w.sha256, p)] for p in order if (w.sha256, p) in texts})
        for w, order in zip(wanted, orders, strict=True)
    ]
