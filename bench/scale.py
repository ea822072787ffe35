"""Search at scale: latency and memory on generated collections of 1,000 to 10,000 documents.

    python bench/scale.py [--sizes 1000 3000] [--large] [--work DIR] [--repeat 3]
                          [--clients 8] [--no-http] [--no-baselines] [--plot docs/scaling.png]
                          [--out FILE] [--before FILE] [--plot-only FILE]

For each size a collection is generated (``bench/generate.py``, seeded) and indexed with
``kb index`` once (kept in ``--work`` for the next run). Then, per kind of request (word,
multi-word, phrase, filtered, sorted, deep page, fuzzy, autocomplete):

- in process: p50/p95 wall and CPU time of ``SearchEngine`` calls, one caller; each repetition
  uses a fresh engine (no recent queries kept from the previous repetition), and the figure is
  the median over repetitions;
- over HTTP (``scale_http.py``): ``kb serve`` in its own process tree, ``/api/search`` with 8
  concurrent clients on a freshly started server and on a warm one (warmed with the other half
  of the requests, so no request is measured after itself), the HTML ``/search`` page with 8 and
  ``/api/search`` with 1 client on warm servers, ``/api/suggest`` with 8; each with p50/p95, the
  server's processor time per request (all its processes) and the floor beside them (CPU ×
  clients / cores: what no queue can beat); the server's peak resident memory (all its
  processes, and the largest one);
- side by side: a plain Whoosh application over the same files (one text field with the standard
  analyzer, facets counted by Whoosh's grouping), and Recoll (``recollq``, a process per query)
  where it is installed.

``--large`` adds the 10,000-document collection. Figures go to stdout as tables and to
``DIR/scale-results-TAG.json`` (or ``--out``); ``--plot`` draws p95 latency against size (needs
matplotlib), with ``--before`` the figures of another checkout beside (run this benchmark with
``--code CHECKOUT`` and ``--out``); ``--plot-only`` redraws from saved figures.
The machine is shared: CPU time is printed beside wall time so a busy machine can be told apart
from a slow search; the growth of CPU p95 between sizes is printed as an exponent of N.

This script prepares the collections and runs the parts; each part has a module beside it:
``scale_in_process.py`` (the kinds of request, in process), ``scale_http.py`` (the server under
load), ``scale_baselines.py`` (plain Whoosh, Recoll), ``scale_report.py`` (tables and plot) and
``scale_measure.py`` (percentiles, timing, memory of a process tree).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import other_code
from bench.generate import generate
from bench.scale_baselines import PlainWhoosh, recoll
from bench.scale_http import over_http
from bench.scale_in_process import in_process, load_requests
from bench.scale_measure import PeakMemory
from bench.scale_report import plot, print_growth, print_size

ROOT = Path(__file__).resolve().parent.parent


def prepare(work: Path, size: int, tag: str) -> tuple[Path, Path, dict[str, Any]]:
    """The generated collection and its indexed data folder (built once, then reused)."""
    collection = work / f"c{size}"
    if not (collection / "manifest.csv").is_file():
        print(f"generating {size} documents in {collection} …", flush=True)
        generate(collection, size)
    home = work / f"home-{tag}-{size}"
    marker = home / "bench-index.json"
    if marker.is_file():
        return collection, home, json.loads(marker.read_text("utf-8"))
    print(f"indexing {size} documents …", flush=True)
    env = {**os.environ, "KB_HOME": str(home)}
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen(
        [sys.executable, "-P", "-m", "indexer.cli", "index", str(collection), "--json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    peak = PeakMemory(proc.pid, every=0.5)
    out, _ = proc.communicate()
    memory = peak.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        raise SystemExit(f"kb index failed with status {proc.returncode}")
    summary = json.loads(out)
    figures = {
        "documents": summary.get("added", 0),
        "failed": summary.get("failed", 0),
        "pages": summary.get("pages", 0),
        "wall_s": round(time.perf_counter() - started, 1),
        "cpu_s": round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 1),
        "peak_rss_mb": memory.get("rss", 0),
        "peak_pss_mb": memory.get("pss", 0),
        "peak_process_mb": memory.get("largest_rss", 0),
    }
    marker.write_text(json.dumps(figures), "utf-8")
    return collection, home, figures


def measure_size(args: argparse.Namespace, size: int) -> dict[str, Any]:
    """Every figure of one collection size, as the options ask."""
    collection, home, indexing = prepare(args.work, size, args.tag)
    requests = load_requests(collection)
    result: dict[str, Any] = {"index": indexing}
    result["in_process"] = in_process(home, requests, args.repeat)
    if not args.no_http:
        result["http"] = over_http(home, requests, args.clients)
    if not args.no_baselines:
        plain = PlainWhoosh(collection, args.work / f"plain-whoosh-{size}")
        result["plain_whoosh"] = plain.measure(requests, args.repeat)
        result["recoll"] = recoll(collection, args.work / f"recoll-{size}", requests)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000])
    parser.add_argument("--large", action="store_true", help="also 10,000 documents")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "results" / "scale")
    parser.add_argument("--tag", default="kb", help="name of the data folders in --work")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument("--plot", type=Path)
    parser.add_argument("--out", type=Path, help="where the figures go as JSON")
    parser.add_argument(
        "--before", type=Path, help="figures of another checkout (its --out) to draw beside"
    )
    parser.add_argument(
        "--plot-only", type=Path, help="draw --plot from figures written before, measure nothing"
    )
    parser.add_argument(
        "--code", type=Path, help="measure another checkout's code (its indexer, these benchmarks)"
    )
    args = parser.parse_args()
    other_code.rerun_with(args.code, "bench.scale")
    before = _figures(args.before) if args.before else None
    if args.plot_only:
        plot(_figures(args.plot_only), args.plot or Path("scaling.png"), args.clients, before)
        return
    sizes = sorted(set(args.sizes + ([10_000] if args.large else [])))
    args.work.mkdir(parents=True, exist_ok=True)
    results: dict[int, dict[str, Any]] = {}
    for size in sizes:
        results[size] = measure_size(args, size)
        print_size(size, results[size])
    print_growth(results)
    out = args.out or args.work / f"scale-results-{args.tag}.json"
    out.write_text(json.dumps(results, indent=1), "utf-8")
    print(f"\nfigures written to {out}")
    if args.plot:
        plot(results, args.plot, args.clients, before)


def _figures(path: Path) -> dict[int, dict[str, Any]]:
    return {int(size): figures for size, figures in json.loads(path.read_text("utf-8")).items()}


if __name__ == "__main__":
    main()
