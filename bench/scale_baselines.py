"""The scale benchmark's baselines on the same generated files: a plain Whoosh application, and
Recoll where it is installed.

They say what the figures of this project are worth: plain Whoosh is where a first Whoosh
application starts (the floor of what Whoosh costs), Recoll a desktop search engine on Xapian.
Each index is built once in the benchmark's work folder and reused on the next run.
"""

from __future__ import annotations

import csv
import statistics
import time
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import sorting
from whoosh.analysis import StandardAnalyzer
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.qparser import FuzzyTermPlugin, QueryParser

from bench.recoll import Recoll, installed
from bench.scale_in_process import FACETS, KINDS
from bench.scale_measure import percentile, timed

_KEYWORDS = ("country", "topic", "language", "type", "organisation")


def _plain_index(collection: Path, folder: Path) -> Any:
    """The plain Whoosh index of a collection, built from its manifest the first time."""
    if whoosh_index.exists_in(str(folder)):
        return whoosh_index.open_dir(str(folder))
    folder.mkdir(parents=True, exist_ok=True)
    schema = Schema(
        path=ID(stored=True, unique=True),
        title=TEXT(stored=True),
        content=TEXT(analyzer=StandardAnalyzer()),
        year=NUMERIC(int, stored=True, sortable=True),
        **{f: KEYWORD(stored=True, sortable=True, commas=True) for f in _KEYWORDS},
    )
    ix = whoosh_index.create_in(str(folder), schema)
    with (collection / "manifest.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with ix.writer(limitmb=256) as w:
        for row in rows:
            text = (collection / row["path"]).read_text("utf-8")
            w.add_document(
                path=row["path"],
                title=row["title"],
                content=text,
                year=int(row["year"]),
                **{
                    f: ",".join(v.strip() for v in row[f].split(";") if v.strip())
                    for f in _KEYWORDS
                },
            )
    return ix


class PlainWhoosh:
    """What a first Whoosh application would do: one text field with the standard analyzer,
    facets as sortable keyword columns counted by Whoosh's grouping, ten hits per page."""

    def __init__(self, collection: Path, folder: Path) -> None:
        self.ix = _plain_index(collection, folder)
        self.parser = QueryParser("content", self.ix.schema)
        self.parser.add_plugin(FuzzyTermPlugin())

    def search(self, searcher: Any, params: dict[str, Any]) -> None:
        q = self.parser.parse(params.get("q", ""))
        filters = [wq.Or([wq.Term(f, v) for v in params[f]]) for f in FACETS if params.get(f)]
        sort = params.get("sort")
        sortedby = {"newest": "year", "oldest": "year", "title": "title"}.get(sort or "")
        page = int(params.get("page", 1))
        searcher.search_page(
            q,
            page,
            pagelen=10,
            filter=wq.And(filters) if filters else None,
            sortedby=sortedby if sortedby != "title" else None,
            reverse=sort == "newest",
            groupedby=[
                sorting.FieldFacet(f, allow_overlap=True, maptype=sorting.Count)
                for f in ("country", "topic", "language", "type", "year")
            ],
        )

    def measure(self, requests: dict[str, list], repeat: int) -> dict[str, dict[str, float]]:
        """p50/p95 wall milliseconds per kind (autocomplete aside), medians over ``repeat``."""
        out: dict[str, list[tuple[float, float]]] = {}
        for _ in range(repeat):
            with self.ix.searcher() as searcher:
                for kind in KINDS:
                    if kind == "suggest":
                        continue
                    ms = [
                        timed(lambda p=p: self.search(searcher, p)) for p in requests.get(kind, [])
                    ]
                    walls = [w for w, _ in ms]
                    out.setdefault(kind, []).append((percentile(walls, 50), percentile(walls, 95)))
        return {
            k: {
                "p50": round(statistics.median(r[0] for r in rows), 1),
                "p95": round(statistics.median(r[1] for r in rows), 1),
            }
            for k, rows in out.items()
        }


def recoll(collection: Path, folder: Path, requests: dict[str, list]) -> dict[str, Any] | None:
    """Recoll over the same files: index once, then ``recollq`` per query (process included)."""
    if not installed():
        return None
    engine = Recoll(collection, folder)
    figures: dict[str, Any] = {}
    if not engine.indexed:
        started = time.perf_counter()
        engine.index("manifest.csv .queries.json", 7200)
        figures["index_wall_s"] = round(time.perf_counter() - started, 1)
    for kind in ("word", "multi", "phrase"):
        ms = [timed(lambda p=p: engine.search(p["q"]))[0] for p in requests.get(kind, [])]
        figures[kind] = {"p50": round(percentile(ms, 50), 1), "p95": round(percentile(ms, 95), 1)}
    return figures
