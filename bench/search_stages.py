"""Where a warm search's processor time goes, stage by stage, on a generated collection.

    python -m bench.search_stages HOME COLLECTION [--kinds word multi ...]

``HOME`` is a data folder holding the collection's index (as ``bench/scale.py`` makes it). One
engine answers half of the collection's requests first (``scale_http.halves``: the half a warm
server has seen), then the other half is measured: the CPU time of each request, and of each
stage of it, in milliseconds per request. Stages nest (the indented ones are parts of the line
above them), so their figures do not add up to the total; what is left of a stage beside its
parts is its own work.

No profiler runs: each stage's function is wrapped by a timer, which costs about a microsecond
a call, so the shares are those of an ordinary run (a profiler inflates Python calls several
times over and moves the shares towards code made of many small calls).
"""

from __future__ import annotations

import argparse
import collections
import functools
import time
from pathlib import Path
from typing import Any

from bench.scale_http import halves
from bench.scale_in_process import KINDS, load_requests, to_request
from indexer.config import Settings
from indexer.search import SearchEngine, engine, retrieval
from indexer.search.ordering import pages, shown_pages
from indexer.search.queries import query
from indexer.search.showing import hits

#: (module or class, function name, label): the label's indentation says what it is part of.
STAGES: list[tuple[Any, str, str]] = [
    (engine, "match", "words parsed, translated and matched"),
    (query.QueryBuilder, "build", "  parsed"),
    (query.QueryBuilder, "_expand", "    translated into the other languages"),
    (retrieval, "_bounded", "  prefixes, wildcards and fuzzy words bounded"),
    (retrieval, "_documents", "  documents matched"),
    (retrieval.suggest, "spelling", "  did you mean"),
    (engine.facets, "count", "facets counted"),
    (engine, "order", "ranked"),
    (engine.hits, "build_hits", "hits on screen"),
    (hits, "positions", "  positions read"),
    (hits.shown_pages, "best_pages", "  best pages chosen"),
    (shown_pages, "rank_pages", "    pages ranked by the words' evidence"),
    (shown_pages, "rerank_by", "    pages re-ranked by their outline"),
    (shown_pages.PageMemory, "read", "    page texts read"),
    (pages, "query_words", "    query words grouped (all callers)"),
    (hits, "snippets", "  snippets"),
    (engine.facets, "facet_lists", "facet lists"),
]


def _timed(owner: Any, name: str, label: str, spent: collections.Counter[str]) -> None:
    function = getattr(owner, name)

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.thread_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] += time.thread_time() - started

    setattr(owner, name, wrapper)


def _run(search: SearchEngine, requests: dict[str, list[dict[str, Any]]], kinds: list[str]) -> int:
    done = 0
    for kind in kinds:
        for params in requests.get(kind, []):
            try:
                search.search(to_request(params))
            except Exception as err:  # a refused query still counts its time
                if type(err).__name__ != "QueryError":
                    raise
            done += 1
    return done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("home", type=Path)
    parser.add_argument("collection", type=Path)
    parser.add_argument("--kinds", nargs="+", default=[k for k in KINDS if k != "suggest"])
    args = parser.parse_args()
    spent: collections.Counter[str] = collections.Counter()
    for owner, name, label in STAGES:
        _timed(owner, name, label, spent)
    warm, measured = halves(load_requests(args.collection))
    search = SearchEngine(Settings.from_env(home=args.home))
    search.warm()
    _run(search, warm, args.kinds)
    spent.clear()
    started = time.thread_time()
    done = _run(search, measured, args.kinds)
    total = time.thread_time() - started
    search.close()
    print(f"{done} warm searches ({', '.join(args.kinds)}), CPU ms per search")
    print(f"| {'stage':44s} | ms |\n|---|---|")
    print(f"| {'the whole search':44s} | {1000 * total / done:.2f} |")
    for _, _, label in STAGES:
        shown = label.replace("  ", "&nbsp;&nbsp;")
        print(f"| {shown:44s} | {1000 * spent[label] / done:.2f} |")


if __name__ == "__main__":
    main()
