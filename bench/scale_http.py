"""The scale benchmark over HTTP: ``kb serve`` started in its own process tree, its search and
autocomplete answered for one and for several concurrent clients, and the server's peak memory.

This is what a reader waits for (workers, JSON, the network stack included) and what the
server holds in memory, so it is measured on the real server process rather than in process.
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
from bench.scale_measure import PeakMemory, percentile


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
    """p50/p95 of ``/api/search`` with 1 and ``clients`` clients and of ``/api/suggest`` with
    ``clients``, and the server's peak memory in MB."""
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
