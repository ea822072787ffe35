"""The best pages of all the hits on screen, and their texts, read from the catalog together.

Each hit shows snippets of its best pages, ranked by the positions' evidence (``pages``), where
a contents or index page keeps only a part of its score — which takes the page's text to tell.
Reading each hit's candidate pages with a query of its own was an eighth of a search's time.
Here the candidates of every hit are read in one query, and whether a page is a contents page,
which depends on its text alone, is remembered by the text's hash: once it is known, only the
pages shown are read. The pages chosen are those ``hits.best_pages`` chooses for one hit.
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

#: Texts (by hash) whose contents pages are remembered, per process.
REMEMBERED_TEXTS = 20_000


@dataclass
class Wanted:
    """One hit's page evidence: its text's hash ("" if unknown), the positions of the query's
    words and where each page starts."""

    sha256: str
    found: Positions
    starts: list[int]


class _ContentsPages:
    """Whether a page of a text is a contents or index page, by (text hash, page); bounded,
    shared by the threads of a process (a hash names one text in every index generation)."""

    def __init__(self, size: int = REMEMBERED_TEXTS) -> None:
        self.size = size
        self._known: OrderedDict[str, dict[int, bool]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, sha256: str, page: int) -> bool | None:
        with self._lock:
            pages = self._known.get(sha256)
            if pages is None:
                return None
            self._known.move_to_end(sha256)
            return pages.get(page)

    def put(self, sha256: str, page: int, contents: bool) -> None:
        with self._lock:
            self._known.setdefault(sha256, {})[page] = contents
            self._known.move_to_end(sha256)
            while len(self._known) > self.size:
                self._known.popitem(last=False)


CONTENTS = _ContentsPages()


def best_pages(
    catalog: Catalog,
    wanted: list[Wanted],
    limit: int,
    candidates: int,
    expansions: Collection[tuple[str, str]] = (),
) -> list[tuple[list[int], dict[int, Page]]]:
    """For each hit, its ``limit`` best pages, best first, and the texts of those pages; the
    best ``candidates`` pages by evidence are looked at for contents pages."""
    ranks = [rank_pages(w.found, w.starts, expansions)[: max(limit, candidates)] for w in wanted]
    unknown = {
        (w.sha256, page)
        for w, ranked in zip(wanted, ranks, strict=True)
        if w.sha256
        for page, _ in ranked
        if CONTENTS.get(w.sha256, page) is None
    }
    texts = catalog.pages_of(unknown)
    for sha256, page in unknown:
        text = texts.get((sha256, page))
        CONTENTS.put(sha256, page, text is not None and is_contents(text.text))
    orders = []
    for w, ranked in zip(wanted, ranks, strict=True):
        contents = [p for p, _ in ranked if w.sha256 and CONTENTS.get(w.sha256, p)]
        orders.append([p for p, _ in demote_contents(ranked, contents)][:limit])
    pairs = zip(wanted, orders, strict=True)
    shown = {(w.sha256, p) for w, order in pairs if w.sha256 for p in order}
    texts.update(catalog.pages_of(shown - texts.keys()))
    return [
        (order, {p: texts[(w.sha256, p)] for p in order if (w.sha256, p) in texts})
        for w, order in zip(wanted, orders, strict=True)
    ]
