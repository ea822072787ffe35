"""The scale benchmark over HTTP: ``kb serve`` started in its own process tree, its search
(API and HTML page) and autocomplete answered for one and for several concurrent clients, on
fresh and on warm servers, with the server's CPU time per request and its peak memory.

This is what a reader waits for (workers, JSON, the network stack included) and what the
server holds in memory, so it is measured on the real server process rather than in process.
The server's processor time per request is the figure to compare on a shared machine: with
``clients`` requests in flight on ``cores`` cores, no request waits less than CPU × clients /
cores on average (the floor printed beside p50 and p95).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from bench.scale_in_process import KINDS
from bench.scale_measure import PeakMemory, percentile, tree_cpu, wait_idle

#: Cores of this machine: the floor of a server's latency under load is CPU × clients / cores.
CORES = os.cpu_count() or 1


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


def halves(requests: dict[str, list]) -> tuple[dict[str, list], dict[str, list]]:
    """The requests of each kind split in two: one half warms a server, the other is measured.

    A server keeps the answers of recent requests, so a request measured after the same
    request was answered would measure that memory, not a search."""
    first = {kind: r[0::2] for kind, r in requests.items()}
    second = {kind: r[1::2] for kind, r in requests.items()}
    return first, second


def search_urls(base: str, requests: dict[str, list], path: str = "/api/search") -> list[str]:
    kinds = [kind for kind in KINDS if kind != "suggest"]
    return [url_for(base, path, p) for kind in kinds for p in requests.get(kind, [])]


class Server:
    """``kb serve`` in its own process tree, started for a block of measurements."""

    def __init__(self, home: Path, code: Path | None = None) -> None:
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "KB_HOME": str(home)}
        if code is not None:  # another checkout's server
            env["PYTHONPATH"] = str(code.resolve())
        self.proc = subprocess.Popen(
            [sys.executable, "-P", "-m", "indexer.cli", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def __enter__(self) -> Server:
        wait_ready(f"{self.base}/healthz", self.proc)
        # Whatever the server does once when it starts is not a request's cost.
        wait_idle(self.proc.pid)
        return self

    def __exit__(self, *exc: object) -> None:
        os.killpg(self.proc.pid, 15)
        self.proc.wait(timeout=30)

    def measure(self, urls: list[str], clients: int) -> dict[str, float]:
        """p50/p95 wall milliseconds, the server's CPU milliseconds per request (all its
        processes) and the floor: the p50 no queue can beat, CPU × clients / cores."""
        before = tree_cpu(self.proc.pid)
        ms = load(urls, clients)
        cpu = (tree_cpu(self.proc.pid) - before) * 1000 / max(1, len(ms))
        return {
            "p50": round(percentile(ms, 50), 1),
            "p95": round(percentile(ms, 95), 1),
            "cpu_ms": round(cpu, 1),
            "floor": round(cpu * max(1.0, clients / CORES), 1),
        }


#: The servers ``over_http`` starts, each for one block of measurements: ``/api/search`` on a
#: fresh server and on a warm one (with ``/api/suggest`` and the peak memory), the HTML page on
#: a warm one, and ``/api/search`` with one client on a warm one.
SERVERS = ("fresh", "warm", "html", "single")


def over_http(
    home: Path, requests: dict[str, list], clients: int, servers: tuple[str, ...] = SERVERS
) -> dict[str, Any]:
    """``/api/search`` with ``clients`` clients on a freshly started server and on a warm one
    (one that has answered other requests), the HTML ``/search`` page and ``/api/search`` with
    one client on warm servers, and ``/api/suggest``; each with the server's CPU per request
    and the floor; and the server's peak memory in MB. ``servers``: which of these blocks
    (``SERVERS``) to measure — a few of them make a short round, so a comparison can take
    turns between two checkouts often.

    Each measurement of searches gets a server of its own, so no search is measured after the
    same search was answered (a server keeps recent answers): the warm servers are warmed with
    the other half of the requests."""
    warm_up, measured = halves(requests)
    cold: dict[str, Any] = {}
    warm: dict[str, Any] = {}
    memory: dict[str, int] = {}
    if "fresh" in servers:
        with Server(home) as fresh:
            cold[f"search_{clients}"] = fresh.measure(search_urls(fresh.base, measured), clients)
    if "warm" in servers:
        with Server(home) as server:
            peak = PeakMemory(server.proc.pid)
            load(search_urls(server.base, warm_up), 2)
            warm[f"search_{clients}"] = server.measure(search_urls(server.base, measured), clients)
            suggest = [url_for(server.base, "/api/suggest", p) for p in requests.get("suggest", [])]
            warm[f"suggest_{clients}"] = server.measure(suggest * 3, clients)
            memory = peak.stop()
    blocks = (
        ("html", f"html_{clients}", "/search", clients),
        ("single", "search_1", "/api/search", 1),
    )
    for block, label, path, n in blocks:
        if block not in servers:
            continue
        with Server(home) as server:
            load(search_urls(server.base, warm_up), 2)
            warm[label] = server.measure(search_urls(server.base, measured, path), n)
    return {
        "fresh": cold,
        "warm": warm,
        "server_rss_mb": memory.get("rss", 0),
        "server_pss_mb": memory.get("pss", 0),
        "server_largest_process_mb": memory.get("largest_rss", 0),
        "server_largest_private_mb": memory.get("largest_private", 0),
    }
