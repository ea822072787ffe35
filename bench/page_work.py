"""The search page's own work in process, two checkouts taking turns: what the page adds to its
JSON twin, without a server, its network or its queue.

    python -m bench.page_work --work DIR [--size 3000] --before CHECKOUT [--turns 8]

Each checkout runs in a process of its own (`other_code`) on the data folder
``DIR/home-after-SIZE`` of ``scale_side_by_side.py``: it answers the measured half of the
benchmark's searches once (their answers as ``/search`` has them), then, at each of its turns,
builds every one of those pages again from its answer — `page_extra` and the template — and
reports the processor time per page beyond the same request's context alone. The two processes
take turns (the order turned round every turn), so the machine's load falls on both alike;
printed: each checkout's median and lowest milliseconds per page, and the median of the turns'
ratios (this checkout ÷ ``--before``). The garbage collector's older generations are frozen
after the answers are made, as a server's warmed worker has them out of its passes.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import other_code

ROOT = Path(__file__).resolve().parent.parent


def _pages(home: Path, collection: Path) -> None:
    """The child: answers the searches once, then one pass of page building per line read."""
    from flask import render_template, request

    from bench.scale_http import halves, search_urls
    from bench.scale_in_process import load_requests
    from indexer import Settings
    from webapp import create_app
    from webapp.params import request_from_args
    from webapp.search_pages import page_extra, search_data

    app = create_app(Settings.from_env(home=home))
    app.extensions["kb_engine"].warm(["en"])
    _, measured = halves(load_requests(collection))
    answered: list[tuple[str, Any, dict[str, Any]]] = []
    for url in search_urls("", measured, "/search"):
        with app.test_request_context(url):
            req = request_from_args(request.args)
            answered.append((url, req, search_data(req, "search.search")))

    def per_page(build: bool) -> float:
        started = time.process_time()
        for url, req, data in answered:
            with app.test_request_context(url):
                if build:
                    shown = {**data, **page_extra(req, data)}
                    render_template("search.html", data=shown, **shown)
        return (time.process_time() - started) * 1000 / len(answered)

    per_page(True)  # templates compiled, translations read
    gc.collect()
    gc.freeze()
    print("ready", flush=True)
    for _ in sys.stdin:
        print(f"{per_page(True) - per_page(False):.4f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--size", type=int, default=3000)
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--turns", type=int, default=8)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    collection = args.work / f"c{args.size}"
    if args.child is not None:
        _pages(args.child, collection)
        return
    home = args.work / f"home-after-{args.size}"
    codes = {"before": args.before, "after": ROOT}
    children = {}
    for name, code in codes.items():
        arguments = ["--work", str(args.work), "--size", str(args.size), "--before", str(code)]
        children[name] = subprocess.Popen(
            other_code.command("bench.page_work", [*arguments, "--child", str(home)]),
            env=other_code.environment(code),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
    for child in children.values():
        assert child.stdin is not None and child.stdout is not None
        if child.stdout.readline().strip() != "ready":
            raise SystemExit("a checkout could not build the pages")
    ms: dict[str, list[float]] = {name: [] for name in codes}
    for turn in range(args.turns):
        for name in codes if turn % 2 == 0 else reversed(codes):
            child = children[name]
            assert child.stdin is not None and child.stdout is not None
            child.stdin.write("go\n")
            child.stdin.flush()
            ms[name].append(float(child.stdout.readline()))
    for child in children.values():
        assert child.stdin is not None
        child.stdin.close()
        child.wait()
    for name, values in ms.items():
        print(
            f"{name}: {statistics.median(values):.2f} ms per page (lowest {min(values):.2f};"
            f" turns {', '.join(f'{v:.2f}' for v in values)})"
        )
    ratios = [a / b for a, b in zip(ms["after"], ms["before"], strict=True)]
    spread = f"{min(ratios):.3f}–{max(ratios):.3f}"
    print(f"after ÷ before: {statistics.median(ratios):.3f} (turns {spread})")
    print("load average:", " ".join(Path("/proc/loadavg").read_text().split()[:3]))


if __name__ == "__main__":
    main()
