"""The search page against its JSON twin over HTTP, in alternated rounds: the page's own cost.

    python -m bench.scale_html --work DIR [--size 3000] [--before CHECKOUT] [--rounds 3]
                               [--clients 8]

The HTML ``/search`` page and ``/api/search`` answer the same searches; the page adds its own
work (labels, links, the template). One measurement of each on a busy shared machine cannot
tell a millisecond apart, so here each round measures every server in turn (this checkout's
page and API, and with ``--before`` another checkout's, the order turned round every round):
a server of its own per measurement, warmed with half of the benchmark's searches and measured
on the other half with ``--clients`` clients, as ``scale_http.over_http`` does. Printed: the
server's CPU per request of each, per round and as the median over rounds, and the page ÷ API
ratio of each checkout (the median of the rounds' ratios). ``DIR`` holds the collection
``cSIZE`` and the data folders ``home-after-SIZE`` (and ``home-before-SIZE``) of
``scale_side_by_side.py``.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path
from typing import Any

from bench.scale_http import Server, halves, load, search_urls
from bench.scale_in_process import load_requests

ROOT = Path(__file__).resolve().parent.parent


def measured(
    home: Path, code: Path, path: str, requests: dict[str, list[Any]], clients: int
) -> float:
    """Server CPU milliseconds per request of ``path``, on a warmed server of ``code``."""
    warm_up, measure = halves(requests)
    with Server(home, code) as server:
        load(search_urls(server.base, warm_up), 2)
        return server.measure(search_urls(server.base, measure, path), clients)["cpu_ms"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--size", type=int, default=3000)
    parser.add_argument("--before", type=Path, help="another checkout measured alike")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    requests = load_requests(args.work / f"c{args.size}")
    codes = {"after": ROOT}
    if args.before is not None:
        codes["before"] = args.before
    turns = [(name, kind) for name in codes for kind in ("html", "api")]
    cpu: dict[tuple[str, str], list[float]] = {t: [] for t in turns}
    for round_ in range(args.rounds):
        for name, kind in turns if round_ % 2 == 0 else list(reversed(turns)):
            home = args.work / f"home-{name}-{args.size}"
            path = "/search" if kind == "html" else "/api/search"
            cpu[name, kind].append(measured(home, codes[name], path, requests, args.clients))
        print(
            f"round {round_ + 1}: "
            + ", ".join(f"{n} {k} {cpu[n, k][-1]} ms" for n, k in turns)
            + f" (load {_load()})",
            flush=True,
        )
    print("\n| server CPU ms per request | /search | /api/search | page ÷ API |")
    print("|---|---|---|---|")
    for name in codes:
        page, api = cpu[name, "html"], cpu[name, "api"]
        ratio = statistics.median(p / a for p, a in zip(page, api, strict=True))
        print(
            f"| {name} | {statistics.median(page):.1f} | {statistics.median(api):.1f}"
            f" | {ratio:.3f} |"
        )


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


if __name__ == "__main__":
    main()
