"""Search at scale, two checkouts side by side in one run: the figure of a change.

    python bench/scale_side_by_side.py --before CHECKOUT [--size 3000] [--work DIR]
                                       [--rounds 2] [--repeat 3] [--clients 8] [--no-http]
                                       [--no-in-process] [--servers fresh warm html single]

The machine is shared and its load changes from minute to minute, so figures of two checkouts
taken at different times compare the load as much as the code. Here both are measured in the
same run, taking turns (``--before`` first in odd rounds, this checkout first in even ones):
each turn runs the benchmark's parts (``scale_in_process.py``, ``scale_http.py``) in a process
of its own with that checkout's code first on the path, so the server it starts runs that code
too. Each checkout indexes the collection into a data folder of its own (the index layouts may
differ), once, kept in ``--work`` for the next run.

Printed per checkout: in process, CPU p50/p95 per kind of request (the median over rounds);
over HTTP, p50/p95, the server's CPU per request and the floor (CPU × clients / cores) for
``/api/search`` on a fresh and on a warm server, the HTML ``/search`` page and ``/api/suggest``;
with the load average of the machine at the start and the end. Figures also go to
``DIR/side-by-side-SIZE.json``.

Over HTTP a turn lasts a minute or more per server, and on a busy machine the load moves
between two turns by more than a millisecond of a request's CPU. So each figure over HTTP is
also given as the ratio of the two checkouts within each round (this checkout ÷ ``--before``,
their turns back to back), the median over rounds with the lowest and highest: many short
rounds (``--no-in-process --servers warm fresh --rounds 6``) tell a small change apart where
the medians of the two columns cannot.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import indexer
from bench import other_code
from bench.generate import generate
from bench.scale_http import SERVERS, over_http
from bench.scale_in_process import KINDS, in_process, load_requests

ROOT = Path(__file__).resolve().parent.parent


def _env(checkout: Path, home: Path) -> dict[str, str]:
    return {**os.environ, "KB_HOME": str(home), "PYTHONPATH": str(checkout)}


def prepare(checkout: Path, collection: Path, home: Path) -> None:
    """The collection indexed with ``checkout``'s code into ``home`` (once)."""
    marker = home / "bench-index.json"
    if marker.is_file():
        return
    print(f"indexing {collection} with {checkout} …", flush=True)
    command = [sys.executable, "-m", "indexer.cli", "index", str(collection), "--json"]
    done = subprocess.run(
        command, env=_env(checkout, home), cwd=checkout, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"indexing with {checkout} failed: {done.stderr[-2000:]}")
    marker.write_text(done.stdout, "utf-8")


def turn(checkout: Path, home: Path, collection: Path, what: str, args: Any) -> dict[str, Any]:
    """One part of the benchmark with ``checkout``'s code, in a process of its own."""
    # In a turn's process the measured checkout's indexer is imported, and this checkout's
    # benchmark parts measure it.
    arguments = ["--part", what, "--home", str(home), "--collection", str(collection)]
    arguments += ["--repeat", str(args.repeat), "--clients", str(args.clients)]
    arguments += ["--before", str(checkout), "--servers", *args.servers]
    done = subprocess.run(
        other_code.command("bench.scale_side_by_side", arguments),
        env=other_code.environment(checkout, _env(checkout, home)),
        cwd=checkout,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"measuring {checkout} failed: {done.stderr[-2000:]}")
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if Path(found["code"]).resolve() != checkout.resolve():
        raise SystemExit(f"measured {found['code']}, not {checkout}")
    return found


def part(args: Any) -> dict[str, Any]:
    """A turn: one part of the benchmark, in this process (with the measured code)."""
    requests = load_requests(args.collection)
    out: dict[str, Any] = {"code": str(Path(indexer.__file__).resolve().parent.parent)}
    if args.part == "in_process":
        out["in_process"] = in_process(args.home, requests, args.repeat)
    else:
        out["http"] = over_http(args.home, requests, args.clients, tuple(args.servers))
    return out


def _median(rows: list[dict[str, float]], key: str) -> float:
    return round(statistics.median(r[key] for r in rows), 1)


def summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median over rounds of each figure."""
    out: dict[str, Any] = {"in_process": {}, "http": {}}
    for kind in KINDS:
        rows = [r["in_process"][kind] for r in runs if kind in r.get("in_process", {})]
        if rows:
            out["in_process"][kind] = {k: _median(rows, k) for k in rows[0]}
    for state in ("fresh", "warm"):
        labels = {label for r in runs for label in r.get("http", {}).get(state, {})}
        for label in sorted(labels):
            rows = [
                r["http"][state][label] for r in runs if label in r.get("http", {}).get(state, {})
            ]
            out["http"][f"{label}, {state}"] = {k: _median(rows, k) for k in rows[0]}
    return out


def ratios(runs: dict[str, list[dict[str, Any]]], names: list[str]) -> dict[str, dict[str, Any]]:
    """Per figure over HTTP, the second checkout's over the first's within each round (their
    turns back to back, under the same load): the median over rounds, the lowest, the highest."""
    first, second = (runs[n] for n in names)
    found: dict[str, dict[str, list[float]]] = {}
    for a, b in zip(first, second, strict=True):
        for state in ("fresh", "warm"):
            for label, fa in a.get("http", {}).get(state, {}).items():
                fb = b.get("http", {}).get(state, {}).get(label)
                if fb is None:
                    continue
                row = found.setdefault(f"{label}, {state}", {})
                for key in ("cpu_ms", "p50", "p95"):
                    if fa[key] > 0:
                        row.setdefault(key, []).append(fb[key] / fa[key])
    return {
        label: {
            key: (round(statistics.median(v), 3), round(min(v), 3), round(max(v), 3), len(v))
            for key, v in row.items()
        }
        for label, row in found.items()
    }


def report_ratios(names: list[str], found: dict[str, dict[str, Any]]) -> None:
    if not found:
        return
    title = f"over HTTP, {names[1]} ÷ {names[0]} within each round"
    print(f"\n| {title} | server CPU per request | p50 | p95 |")
    print("|---|---|---|---|")
    for label in sorted(found):
        cells = [found[label].get(key) for key in ("cpu_ms", "p50", "p95")]
        text = [f"{c[0]} ({c[1]}–{c[2]}, {c[3]} rounds)" if c else "–" for c in cells]
        print(f"| {label} | " + " | ".join(text) + " |")


def report(names: list[str], figures: dict[str, dict[str, Any]]) -> None:
    def cpu(f: dict[str, float]) -> str:
        return f"{f['cpu_p50']} / {f['cpu_p95']}"

    def http(f: dict[str, float]) -> str:
        return f"{f['p50']} / {f['p95']}, {f['cpu_ms']}, {f['floor']}"

    _table("in process, CPU ms", "p50 / p95", "in_process", list(KINDS), names, figures, cpu)
    labels = sorted({label for n in names for label in figures[n]["http"]})
    heading = "p50 / p95 ms, server CPU ms per request, floor ms"
    _table("over HTTP", heading, "http", labels, names, figures, http)


def _table(
    title: str,
    heading: str,
    part: str,
    rows: list[str],
    names: list[str],
    figures: dict[str, dict[str, Any]],
    cell: Callable[[dict[str, float]], str],
) -> None:
    if not rows or not any(figures[n][part] for n in names):
        return
    print(f"\n| {title} | " + " | ".join(f"{n}: {heading}" for n in names) + " |")
    print("|---|" + "---|" * len(names))
    for row in rows:
        found = [figures[n][part].get(row) for n in names]
        print(f"| {row} | " + " | ".join(cell(f) if f else "–" for f in found) + " |")


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="the checkout to compare with")
    parser.add_argument("--size", type=int, default=3000)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "results" / "scale")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--no-in-process", action="store_true")
    parser.add_argument(
        "--servers", nargs="+", choices=SERVERS, default=list(SERVERS), help="over HTTP"
    )
    parser.add_argument("--part", choices=["in_process", "http"], help=argparse.SUPPRESS)
    parser.add_argument("--home", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--collection", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.part:
        print(json.dumps(part(args)))
        return
    args.work.mkdir(parents=True, exist_ok=True)
    collection = args.work / f"c{args.size}"
    if not (collection / "manifest.csv").is_file():
        generate(collection, args.size)
    checkouts = {"before": args.before.resolve(), "after": ROOT}
    homes = {name: args.work / f"home-{name}-{args.size}" for name in checkouts}
    for name, checkout in checkouts.items():
        prepare(checkout, collection, homes[name])
    print(f"load average at the start: {_load()}", flush=True)
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in checkouts}
    parts = ([] if args.no_in_process else ["in_process"]) + ([] if args.no_http else ["http"])
    for round_ in range(args.rounds):
        names = list(checkouts) if round_ % 2 == 0 else list(reversed(checkouts))
        measured: dict[str, dict[str, Any]] = {name: {} for name in names}
        for what in parts:
            for name in names:
                found = turn(checkouts[name], homes[name], collection, what, args)
                found.pop("code")
                print(f"round {round_ + 1}, {name}: {json.dumps(found)}", flush=True)
                measured[name].update(found)
            print(f"round {round_ + 1}: {what} done (load {_load()})", flush=True)
        for name in names:
            runs[name].append(measured[name])
    figures = {name: summary(r) for name, r in runs.items()}
    print(f"\n## {args.size} documents: before = {args.before}, after = {ROOT}")
    report(list(checkouts), figures)
    paired = ratios(runs, list(checkouts))
    report_ratios(list(checkouts), paired)
    print(f"\nload average at the end: {_load()}")
    out = args.work / f"side-by-side-{args.size}.json"
    saved = {"runs": runs, "figures": figures, "ratios": paired}
    out.write_text(json.dumps(saved, indent=1), "utf-8")
    print(f"figures written to {out}")


if __name__ == "__main__":
    main()
