"""Search latency: p50/p95 of /api/search over HTTP with 8 concurrent clients on loopback,
against in-process search of the same queries, on the bundled corpus; and of autocomplete.

    python -m bench.search_http [--requests 800] [--clients 8]

The server is the production one (`kb serve`, waitress) in its own process; the clients are
threads in this process. Queries come from corpus/queries.csv, with and without facet filters.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from indexer.config import Settings
from indexer.ingest.run import run_index
from indexer.search import SearchEngine, SearchRequest

ROOT = Path(__file__).resolve().parent.parent


def load_requests(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as fh:
        queries = [row["query"] for row in csv.DictReader(fh)]
    requests: list[dict[str, object]] = []
    for i, q in enumerate(queries):
        requests.append({"q": q})
        if i % 3 == 0:
            requests.append({"q": q, "country": ["BG", "EU"]})
        if i % 5 == 0:
            requests.append({"q": q, "type": ["report"], "sort": "newest"})
    return requests


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


def http_run(
    base: str,
    requests: list[dict[str, object]],
    total: int,
    clients: int,
    path: str = "/api/search",
) -> list[float]:
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(total))

    def client() -> None:
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            params = requests[n % len(requests)]
            url = f"{base}{path}?{urllib.parse.urlencode(params, doseq=True)}"
            started = time.perf_counter()
            with urllib.request.urlopen(url, timeout=30) as response:
                json.loads(response.read())
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies


def in_process(engine: SearchEngine, requests: list[dict[str, object]], total: int) -> list[float]:
    latencies = []
    for n in range(total):
        params = dict(requests[n % len(requests)])
        filters = {k: v for k, v in params.items() if isinstance(v, list)}
        started = time.perf_counter()
        engine.search(
            SearchRequest(
                q=str(params["q"]),
                filters=filters,  # type: ignore[arg-type]  # lists of strings, read from JSON
                sort=str(params.get("sort", "relevance")),
            )
        )
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def report(name: str, values: list[float]) -> str:
    return (
        f"{name:38s} p50 {percentile(values, 50):7.1f} ms   p95 {percentile(values, 95):7.1f} ms"
        f"   mean {statistics.mean(values):7.1f} ms   n={len(values)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--requests", type=int, default=800)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    requests = load_requests(args.corpus / "queries.csv")
    with tempfile.TemporaryDirectory() as home:
        settings = Settings(home=Path(home), corpus=args.corpus)
        summary = run_index(settings)
        print(
            f"indexed {summary.added} documents ({summary.pages} pages); "
            f"{len(requests)} distinct requests; {os.cpu_count()} cores"
        )
        port = free_port()
        env = {**os.environ, "KB_HOME": home, "KB_CORPUS": str(args.corpus)}
        server = subprocess.Popen(
            [sys.executable, "-m", "indexer.cli", "serve", "--port", str(port), "--threads", "8"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_ready(base)
            engine = SearchEngine(settings)
            # Warm both sides (lemma tables, searchers, facet columns) before measuring.
            http_run(base, requests, len(requests), args.clients)
            in_process(engine, requests, len(requests))
            http: list[float] = []
            local: list[float] = []
            single: list[float] = []
            busy = 0.0
            for _ in range(2):  # alternate, so all see the same machine load
                started = time.perf_counter()
                http += http_run(base, requests, args.requests // 2, args.clients)
                busy += time.perf_counter() - started
                local += in_process(engine, requests, args.requests // 2)
                single += http_run(base, requests, args.requests // 2, 1)
            prefixes = [
                {"q": p}
                for p in (
                    "soc",
                    "иннов",
                    "ино",
                    "κοινων",
                    "inova",
                    "compet",
                    "scal",
                    "управл",
                    "ESF",
                    "Ευρωπ",
                )
            ]
            suggest_http = http_run(base, prefixes, 200, args.clients, "/api/suggest")
            suggest_local = []
            for n in range(200):
                started = time.perf_counter()
                engine.autocomplete(str(prefixes[n % len(prefixes)]["q"]))
                suggest_local.append((time.perf_counter() - started) * 1000)
        finally:
            server.terminate()  # the server finishes requests in flight, then stops
            try:
                server.wait(60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    print(report(f"/api/search over HTTP, {args.clients} clients", http))
    print(report("/api/search over HTTP, 1 client", single))
    print(report("search in process, 1 caller", local))
    print(
        f"{'ratio HTTP / in-process':38s} p50 {percentile(http, 50) / percentile(local, 50):7.2f} x"
        f"      p95 {percentile(http, 95) / percentile(local, 95):7.2f} x"
        f"   ({args.clients} clients)"
    )
    print(
        f"{'ratio HTTP / in-process':38s} p50 "
        f"{percentile(single, 50) / percentile(local, 50):7.2f} x      p95 "
        f"{percentile(single, 95) / percentile(local, 95):7.2f} x   (1 client)"
    )
    print(
        f"{'throughput':38s} {len(http) / busy:.1f} searches/s over HTTP with "
        f"{args.clients} clients; {1000 / statistics.mean(local):.1f} searches/s in process"
    )
    print(report(f"/api/suggest over HTTP, {args.clients} clients", suggest_http))
    print(report("autocomplete in process", suggest_local))


if __name__ == "__main__":
    main()
