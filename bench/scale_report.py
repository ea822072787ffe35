"""What the scale benchmark shows: a Markdown table per collection size (in process beside the
baselines, over HTTP, the server's memory) and the plot of p95 latency against size.

The tables are printed as runs finish, the plot drawn from the same figures (also from figures
saved by an earlier run), so both live here apart from the measuring.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

from bench.scale_in_process import KINDS


def print_size(size: int, result: dict[str, Any]) -> None:
    print(f"\n## {size} documents")
    ix = result["index"]
    print(
        f"indexing: {ix.get('documents')} documents, {ix.get('pages')} pages, "
        f"{ix.get('wall_s')} s wall, {ix.get('cpu_s')} s CPU, peak {ix.get('peak_rss_mb')} MB "
        f"(largest process {ix.get('peak_process_mb')} MB)"
    )
    plain = result.get("plain_whoosh", {})
    rec = result.get("recoll") or {}
    print(
        "\n| request | p50 ms | p95 ms | CPU p50 | CPU p95 "
        "| plain Whoosh p50/p95 | Recoll p50/p95 |"
    )
    print("|---|---|---|---|---|---|---|")
    for kind, f in result["in_process"].items():
        pw = plain.get(kind)
        rc = rec.get(kind)
        print(
            f"| {kind} | {f['p50']} | {f['p95']} | {f['cpu_p50']} | {f['cpu_p95']} | "
            + (f"{pw['p50']} / {pw['p95']}" if pw else "–")
            + " | "
            + (f"{rc['p50']} / {rc['p95']}" if rc else "–")
            + " |"
        )
    http = result.get("http")
    if http:
        print(
            "\n| over HTTP | p50 ms | p95 ms | server CPU ms per request "
            "| floor ms (CPU × clients / cores) |"
        )
        print("|---|---|---|---|---|")
        for state in ("fresh", "warm"):
            for label, f in (http.get(state) or {}).items():
                print(
                    f"| {label}, {state} server | {f['p50']} | {f['p95']} | "
                    f"{f.get('cpu_ms', '–')} | {f.get('floor', '–')} |"
                )
        print(
            f"\nserver peak memory: {http['server_rss_mb']} MB resident in all processes "
            f"({http.get('server_pss_mb')} MB counting shared pages once); the largest process "
            f"{http['server_largest_process_mb']} MB resident, "
            f"{http.get('server_largest_private_mb')} MB of it its own"
        )


def _http(result: dict[str, Any], key: str) -> Any:
    """A figure over HTTP on a warm server (older figures kept no fresh or warm apart)."""
    http = result.get("http") or {}
    return (http.get("warm") or http).get(key, {}).get("p95")


def plot(
    results: dict[int, dict[str, Any]],
    path: Path,
    clients: int = 8,
    before: dict[int, dict[str, Any]] | None = None,
) -> None:
    """Processor time per request in process (left; the steady figure on a busy machine) and
    wall time over HTTP beside the baselines (right), p95 against size; ``before`` (figures of
    another checkout) drawn dashed on the left."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plot (pip install -e '.[bench]')")
        return
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5), dpi=110)

    def line(
        ax: Any, figures: dict[int, dict[str, Any]], pick: Callable, label: str, style: str, **kw
    ) -> Any:
        points = [(s, pick(figures[s])) for s in sorted(figures)]
        points = [(s, v) for s, v in points if v is not None]
        return ax.plot(*zip(*points, strict=True), style, label=label, **kw)[0] if points else None

    def cpu(kind: str) -> Callable:
        return lambda r: r.get("in_process", {}).get(kind, {}).get("cpu_p95")

    for kind, marker in zip(KINDS, "os^vDxP*", strict=True):
        drawn = line(left, results, cpu(kind), kind, f"{marker}-")
        if before and drawn is not None:
            line(left, before, cpu(kind), f"{kind}, before", f"{marker}:", color=drawn.get_color())
    left.set_title("In process: processor time per request, p95")
    for label, key, style in (
        ("/api/search, 1 client", "search_1", "o-"),
        (f"/api/search, {clients} clients", f"search_{clients}", "D-"),
        (f"/api/suggest, {clients} clients", f"suggest_{clients}", "v-"),
    ):
        line(
            right,
            results,
            lambda r, k=key: _http(r, k),
            label,
            style,
        )
    for name, label in (("plain_whoosh", "plain Whoosh"), ("recoll", "Recoll")):
        line(
            right,
            results,
            lambda r, n=name: (r.get(n) or {}).get("word", {}).get("p95"),
            f"{label}, one word, in process" if name == "plain_whoosh" else f"{label}, one word",
            "o:",
        )
    right.set_title("Wall time, p95 (busy machine: see docs/scaling.md)")
    for ax in (left, right):
        ax.set_xlabel("documents")
        ax.set_ylabel("ms")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path)
    print(f"plot written to {path}")


def print_growth(results: dict[int, dict[str, Any]]) -> None:
    """How processor time per request grows with the collection, as the exponent of N between
    each two sizes measured (p95 in process: 0 is flat, 1 grows as the collection does)."""
    sizes = sorted(s for s in results if results[s].get("in_process"))
    if len(sizes) < 2:
        return
    pairs = list(pairwise(sizes))
    print("\n| request | " + " | ".join(f"N^x, {a:,} → {b:,}" for a, b in pairs) + " |")
    print("|---|" + "---|" * len(pairs))
    for kind in KINDS:
        cells = []
        for a, b in pairs:
            pa = results[a]["in_process"].get(kind, {}).get("cpu_p95")
            pb = results[b]["in_process"].get(kind, {}).get("cpu_p95")
            cells.append(f"{math.log(pb / pa) / math.log(b / a):.2f}" if pa and pb else "–")
        print(f"| {kind} | " + " | ".join(cells) + " |")
