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
- over HTTP: ``kb serve`` in its own process tree, ``/api/search`` with 1 and 8 concurrent
  clients and ``/api/suggest`` with 8, the server's peak resident memory (all its processes, and
  the largest one);
- side by side: a plain Whoosh application over the same files (one text field with the standard
  analyzer, facets counted by Whoosh's grouping), and Recoll (``recollq``, a process per query)
  where it is installed.

``--large`` adds the 10,000-document collection. Figures go to stdout as tables and to
``DIR/scale-results-TAG.json`` (or ``--out``); ``--plot`` draws p95 latency against size (needs
matplotlib), with ``--before`` the figures of another checkout beside (run this benchmark with
that checkout first on ``PYTHONPATH`` and ``--out``); ``--plot-only`` redraws from saved figures.
The machine is shared: CPU time is printed beside wall time so a busy machine can be told apart
from a slow search.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))  # after PYTHONPATH, so another checkout can be measured

from bench.generate import generate  # noqa: E402
from indexer.config import Settings  # noqa: E402
from indexer.search import SearchEngine, SearchRequest  # noqa: E402

KINDS = ("word", "multi", "phrase", "filtered", "sorted", "deep", "fuzzy", "suggest")
FACETS = ("country", "topic", "language", "type", "year", "organisation")


# Measuring -----------------------------------------------------------------------------------
def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def _smaps(pid: int) -> dict[str, int]:
    """Rss, Pss and private memory of one process in bytes (Linux's smaps_rollup)."""
    out = {"rss": 0, "pss": 0, "private": 0}
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                name, _, rest = line.partition(":")
                if name in ("Rss", "Pss", "Private_Clean", "Private_Dirty"):
                    value = int(rest.split()[0]) * 1024
                    key = {"Rss": "rss", "Pss": "pss"}.get(name, "private")
                    out[key] += value
    except (OSError, ValueError):
        pass
    return out


def tree_memory(pid: int) -> dict[str, int]:
    """Memory of a process and its descendants: resident in all, proportional (shared pages
    split between the processes mapping them: the real total), and the largest process's
    resident and private memory."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                parents[int(entry.name)] = int(fh.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    members = {pid}
    grew = True
    while grew:
        grew = False
        for child, parent in parents.items():
            if parent in members and child not in members:
                members.add(child)
                grew = True
    each = [_smaps(m) for m in members]
    return {
        "rss": sum(m["rss"] for m in each),
        "pss": sum(m["pss"] for m in each),
        "largest_rss": max((m["rss"] for m in each), default=0),
        "largest_private": max((m["private"] for m in each), default=0),
    }


class PeakMemory:
    """Samples a process tree's memory in a thread until stopped; keeps each figure's peak."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        self.pid, self.every = pid, every
        self.peak: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            for key, value in tree_memory(self.pid).items():
                self.peak[key] = max(self.peak.get(key, 0), value)
            self._stop.wait(self.every)

    def stop(self) -> dict[str, int]:
        self._stop.set()
        self._thread.join()
        return {k: round(v / 2**20) for k, v in self.peak.items()}


def timed(fn: Callable[[], Any]) -> tuple[float, float]:
    """Wall and CPU milliseconds of one call."""
    wall, cpu = time.perf_counter(), time.thread_time()
    fn()
    return (time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000


# Collections and indexes ---------------------------------------------------------------------
def prepare(work: Path, size: int, tag: str) -> tuple[Path, Path, dict[str, Any]]:
    """The generated collection and its indexed data folder (built once, then reused)."""
    collection = work / f"c{size}"
    if not (collection / "manifest.csv").is_file():
        print(f"generating {size} documents in {collection} …", flush=True)
        generate(collection, size)
    home = work / f"home-{tag}-{size}"
    figures: dict[str, Any] = {}
    marker = home / "bench-index.json"
    if marker.is_file():
        return collection, home, json.loads(marker.read_text("utf-8"))
    print(f"indexing {size} documents …", flush=True)
    env = {**os.environ, "KB_HOME": str(home)}
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen(
        [sys.executable, "-m", "indexer.cli", "index", str(collection), "--json"],
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


# In process ----------------------------------------------------------------------------------
def in_process(home: Path, requests: dict[str, list], repeat: int) -> dict[str, dict[str, float]]:
    settings = Settings.from_env(home=home)
    runs: dict[str, list[tuple[float, float, float, float]]] = {k: [] for k in KINDS}
    for _ in range(repeat):
        engine = SearchEngine(settings)
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


# Over HTTP -----------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"kb serve exited with status {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("kb serve did not answer")


def url_for(base: str, path: str, params: dict[str, Any]) -> str:
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        for v in value if isinstance(value, list) else [value]:
            pairs.append((key, str(v)))
    return f"{base}{path}?{urllib.parse.urlencode(pairs)}"


def load(urls: list[str], clients: int, seconds_cap: float = 300) -> list[float]:
    """Milliseconds per request, ``clients`` threads taking URLs from one list."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    todo = list(reversed(urls))
    stop_at = time.monotonic() + seconds_cap

    def client() -> None:
        while time.monotonic() < stop_at:
            with lock:
                if not todo:
                    return
                url = todo.pop()
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=60) as resp:
                    resp.read()
            except urllib.error.HTTPError as err:
                if err.code >= 500:
                    errors.append(f"{err.code} {url}")
            except OSError as err:
                errors.append(f"{err} {url}")
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print(f"  {len(errors)} failed requests, e.g. {errors[0]}", flush=True)
    return latencies


def over_http(home: Path, requests: dict[str, list], clients: int) -> dict[str, Any]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "KB_HOME": str(home)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "indexer.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_ready(f"{base}/healthz", proc)
        peak = PeakMemory(proc.pid)
        search_urls = [
            url_for(base, "/api/search", p)
            for kind in KINDS
            if kind != "suggest"
            for p in requests.get(kind, [])
        ]
        suggest_urls = [url_for(base, "/api/suggest", p) for p in requests.get("suggest", [])]
        load(search_urls[:20], 2)  # warm up every worker
        out: dict[str, Any] = {}
        for label, urls, n in (
            ("search_1", search_urls, 1),
            (f"search_{clients}", search_urls * 2, clients),
            (f"suggest_{clients}", suggest_urls * 5, clients),
        ):
            ms = load(urls, n)
            out[label] = {"p50": round(percentile(ms, 50), 1), "p95": round(percentile(ms, 95), 1)}
        memory = peak.stop()
        out["server_rss_mb"] = memory.get("rss", 0)
        out["server_pss_mb"] = memory.get("pss", 0)
        out["server_largest_process_mb"] = memory.get("largest_rss", 0)
        out["server_largest_private_mb"] = memory.get("largest_private", 0)
        return out
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)


# Baselines -----------------------------------------------------------------------------------
class PlainWhoosh:
    """What a first Whoosh application would do: one text field with the standard analyzer,
    facets as sortable keyword columns counted by Whoosh's grouping, ten hits per page."""

    def __init__(self, collection: Path, folder: Path) -> None:
        import csv

        from whoosh import index as whoosh_index
        from whoosh.analysis import StandardAnalyzer
        from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema

        if whoosh_index.exists_in(str(folder)):
            self.ix = whoosh_index.open_dir(str(folder))
        else:
            folder.mkdir(parents=True, exist_ok=True)
            schema = Schema(
                path=ID(stored=True, unique=True),
                title=TEXT(stored=True),
                content=TEXT(analyzer=StandardAnalyzer()),
                year=NUMERIC(int, stored=True, sortable=True),
                **{
                    f: KEYWORD(stored=True, sortable=True, commas=True)
                    for f in ("country", "topic", "language", "type", "organisation")
                },
            )
            self.ix = whoosh_index.create_in(str(folder), schema)
            with (collection / "manifest.csv").open(encoding="utf-8") as fh:
                rows = list(csv.DictReader(fh))
            with self.ix.writer(limitmb=256) as w:
                for row in rows:
                    text = (collection / row["path"]).read_text("utf-8")
                    w.add_document(
                        path=row["path"],
                        title=row["title"],
                        content=text,
                        year=int(row["year"]),
                        **{
                            f: ",".join(v.strip() for v in row[f].split(";") if v.strip())
                            for f in ("country", "topic", "language", "type", "organisation")
                        },
                    )
        from whoosh import sorting
        from whoosh.qparser import QueryParser

        self.sorting = sorting
        self.parser = QueryParser("content", self.ix.schema)
        self.parser.add_plugin(__import__("whoosh.qparser", fromlist=["x"]).FuzzyTermPlugin())

    def search(self, searcher: Any, params: dict[str, Any]) -> None:
        from whoosh import query as wq

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
                self.sorting.FieldFacet(f, allow_overlap=True, maptype=self.sorting.Count)
                for f in ("country", "topic", "language", "type", "year")
            ],
        )

    def measure(self, requests: dict[str, list], repeat: int) -> dict[str, dict[str, float]]:
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
    if not shutil.which("recollindex") or not shutil.which("recollq"):
        return None
    folder.mkdir(parents=True, exist_ok=True)
    figures: dict[str, Any] = {}
    if not (folder / "xapiandb").exists():
        (folder / "recoll.conf").write_text(
            f"topdirs = {collection.resolve()}\n"
            "skippedNames+ = manifest.csv .queries.json\n"
            "indexstemminglanguages = english portuguese russian\n"
            "noaspell = 1\nloglevel = 1\n"
        )
        started = time.perf_counter()
        subprocess.run(
            ["recollindex", "-c", str(folder)],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=7200,
        )
        figures["index_wall_s"] = round(time.perf_counter() - started, 1)
    for kind in ("word", "multi", "phrase"):
        ms = []
        for params in requests.get(kind, []):
            started = time.perf_counter()
            subprocess.run(
                ["recollq", "-c", str(folder), "-n", "0-10", "-b", params["q"]],
                capture_output=True,
                timeout=120,
            )
            ms.append((time.perf_counter() - started) * 1000)
        figures[kind] = {"p50": round(percentile(ms, 50), 1), "p95": round(percentile(ms, 95), 1)}
    return figures


# Report --------------------------------------------------------------------------------------
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
        print("\n| over HTTP | p50 ms | p95 ms |")
        print("|---|---|---|")
        for label, f in http.items():
            if isinstance(f, dict):
                print(f"| {label} | {f['p50']} | {f['p95']} |")
        print(
            f"\nserver peak memory: {http['server_rss_mb']} MB resident in all processes "
            f"({http.get('server_pss_mb')} MB counting shared pages once); the largest process "
            f"{http['server_largest_process_mb']} MB resident, "
            f"{http.get('server_largest_private_mb')} MB of it its own"
        )


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
            lambda r, k=key: (r.get("http") or {}).get(k, {}).get("p95"),
            label,
            style,
        )
    for name, label in (("plain_whoosh", "plain Whoosh"), ("recoll", "Recoll")):
        line(
            right,
            results,
            lambda r, n=name: r.get(n, {}).get("word", {}).get("p95"),
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
    args = parser.parse_args()
    before = _figures(args.before) if args.before else None
    if args.plot_only:
        plot(_figures(args.plot_only), args.plot or Path("scaling.png"), args.clients, before)
        return
    sizes = sorted(set(args.sizes + ([10_000] if args.large else [])))
    args.work.mkdir(parents=True, exist_ok=True)
    results: dict[int, dict[str, Any]] = {}
    for size in sizes:
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
        results[size] = result
        print_size(size, result)
    out = args.out or args.work / f"scale-results-{args.tag}.json"
    out.write_text(json.dumps(results, indent=1), "utf-8")
    print(f"\nfigures written to {out}")
    if args.plot:
        plot(results, args.plot, args.clients, before)


def _figures(path: Path) -> dict[int, dict[str, Any]]:
    return {int(size): figures for size, figures in json.loads(path.read_text("utf-8")).items()}


if __name__ == "__main__":
    main()
