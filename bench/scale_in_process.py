"""The scale benchmark's requests by kind, and their latency in process: ``SearchEngine`` calls
from one caller, wall and CPU time.

In process is the figure with the least noise around the search itself (no server, no HTTP, no
other clients), so it is the one compared before and after a change; the other parts of the
benchmark reuse the kinds and the filters named here.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

from bench.scale_measure import percentile, timed
from indexer.config import Settings
from indexer.search import SearchEngine, SearchRequest

#: The kinds of request ``bench/generate.py`` writes to a collection's ``.queries.json``.
KINDS = ("word", "multi", "phrase", "filtered", "sorted", "deep", "fuzzy", "suggest")
FACETS = ("country", "topic", "language", "type", "year", "organisation")


def load_requests(collection: Path) -> dict[str, list[dict[str, Any]]]:
    return json.loads((collection / ".queries.json").read_text("utf-8"))


def to_request(params: dict[str, Any]) -> SearchRequest:
    filters = {f: list(params[f]) for f in FACETS if params.get(f)}
    return SearchRequest(
        q=params.get("q", ""),
        filters=filters,
        sort=params.get("sort", "relevance"),
        page=int(params.get("page", 1)),
    )


def in_process(home: Path, requests: dict[str, list], repeat: int) -> dict[str, dict[str, float]]:
    """p50/p95 wall and CPU milliseconds per kind, each the median over ``repeat`` runs; each
    run uses a fresh engine, so no recent queries are kept from the run before. The engine is
    warmed as a server's worker is before its first request (``SearchEngine.warm``): what it
    makes once is no request's cost, whichever kind of request happens to come first."""
    settings = Settings.from_env(home=home)
    runs: dict[str, list[tuple[float, float, float, float]]] = {k: [] for k in KINDS}
    for _ in range(repeat):
        engine = SearchEngine(settings)
        engine.warm()
        engine.search(SearchRequest(q="warm up"))
        walls: dict[str, list[float]] = {k: [] for k in KINDS}
        cpus: dict[str, list[float]] = {k: [] for k in KINDS}
        order = [(kind, p) for kind in KINDS for p in requests.get(kind, [])]
        # Interleave kinds as readers do: a word, then its filtered or sorted variants.
        order.sort(key=lambda kp: (kp[1].get("q", "")[:3], kp[0]))
        for kind, params in order:
            wall, cpu = timed(lambda e=engine, k=kind, p=params: _request(e, k, p))
            walls[kind].append(wall)
            cpus[kind].append(cpu)
        engine.close()
        for kind in KINDS:
            if walls[kind]:
                runs[kind].append(
                    (
                        percentile(walls[kind], 50),
                        percentile(walls[kind], 95),
                        percentile(cpus[kind], 50),
                        percentile(cpus[kind], 95),
                    )
                )
    return {
        kind: {
            "p50": round(statistics.median(r[0] for r in rows), 1),
            "p95": round(statistics.median(r[1] for r in rows), 1),
            "cpu_p50": round(statistics.median(r[2] for r in rows), 1),
            "cpu_p95": round(statistics.median(r[3] for r in rows), 1),
        }
        for kind, rows in runs.items()
        if rows
    }


def _request(engine: SearchEngine, kind: str, params: dict[str, Any]) -> None:
    if kind == "suggest":
        engine.autocomplete(params["q"])
        return
    try:
        engine.search(to_request(params))
    except Exception as err:  # a refused query still counts its time
        if type(err).__name__ not in ("QueryError",):
            raise
