"""Searches over HTTP while `kb index --full` rebuilds the index in another process: every search
answers, with the same results before, during and after the swap. Bounded: four clients for as
long as the rebuild takes (at most two minutes); prints the latency figures."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

import pytest

from tests.servers import serving
from webapp import create_app

pytestmark = pytest.mark.slow

REQUESTS = [
    {"q": "social innovation"},
    {"q": "социални иновации"},
    {"q": "κοινωνική καινοτομία", "sort": "newest"},
    {"q": "inovação social", "country": "PT"},
    {"q": "competence centre", "country": ["BG", "IE"], "page": "1"},
    {"q": "payment by results", "type": "report"},
    {"q": "", "language": "bg"},
    {"q": "ESF+"},
]
CLIENTS = 4
LIMIT = 120.0


def fetch(base: str, params: dict) -> tuple[int, dict | None, float]:
    url = f"{base}/api/search?{urllib.parse.urlencode(params, doseq=True)}"
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            body = json.loads(response.read())
            return response.status, body, time.perf_counter() - started
    except urllib.error.HTTPError as err:
        return err.code, None, time.perf_counter() - started
    except OSError:
        return 0, None, time.perf_counter() - started


def test_searches_during_a_full_reindex(tmp_path, corpus_settings, capsys):
    # A copy of the bundled corpus's data folder: the rebuild must not disturb other tests.
    home = tmp_path / "home"
    shutil.copytree(corpus_settings.home, home)
    settings = corpus_settings.with_(home=home, host="127.0.0.1")
    with serving(create_app(settings), threads=CLIENTS) as base:
        expected = {}
        for n, params in enumerate(REQUESTS):
            status, body, _ = fetch(base, params)
            assert status == 200 and body["total"] > 0, params
            expected[n] = body["total"]
        old_version = json.loads(urllib.request.urlopen(base + "/healthz").read())["index_version"]

        env = {
            **os.environ,
            "KB_HOME": str(home),
            "KB_CORPUS": str(settings.corpus),
            "KB_WORKERS": "1",
        }
        rebuild = subprocess.Popen(
            [sys.executable, "-m", "indexer.cli", "index", "--full"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started = time.monotonic()
        latencies: list[float] = []
        failures: list[str] = []
        lock = threading.Lock()

        def client(offset: int) -> None:
            n = offset
            while rebuild.poll() is None and time.monotonic() - started < LIMIT:
                which = n % len(REQUESTS)
                status, body, seconds = fetch(base, REQUESTS[which])
                with lock:
                    latencies.append(seconds)
                    if status != 200 or body is None:
                        failures.append(f"{REQUESTS[which]}: HTTP {status}")
                    elif body["total"] != expected[which]:
                        failures.append(f"{REQUESTS[which]}: {body['total']} != {expected[which]}")
                n += 1

        clients = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join()
        rebuild_seconds = time.monotonic() - started
        out, err = rebuild.communicate(timeout=LIMIT)

        assert rebuild.returncode == 0, err
        assert "full rebuild" in out
        new_version = json.loads(urllib.request.urlopen(base + "/healthz").read())["index_version"]
    assert new_version != old_version  # the searches really ran across the swap
    assert failures == []
    assert len(latencies) >= 20
    p50, p95 = statistics.median(latencies), statistics.quantiles(latencies, n=20)[18]
    with capsys.disabled():
        print(
            f"\n{len(latencies)} searches by {CLIENTS} clients during a full reindex of "
            f"{rebuild_seconds:.1f} s: 0 failures, p50 {p50 * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms"
        )


def test_the_engine_labels_an_index_by_the_folder_it_opened(settings, docs, monkeypatch):
    """The cause of a rare 500 under this load: a swap between reading CURRENT and opening the
    index labelled the new index with the old folder's name; with equal generations, results
    cached for one index were then used with the other's document numbers."""
    from indexer.ingest.run import run_index
    from indexer.search import SearchEngine, SearchRequest
    from indexer.store import index as store
    from tests.factories import TEXTS, make_text

    make_text(docs / "a_en.txt", TEXTS["en"])
    run_index(settings)
    old = store.current_dir(settings)
    run_index(settings, full=True)
    new = store.current_dir(settings)
    assert new != old
    real = store.current_dir
    stale = iter([old])  # the first look at CURRENT happens just before the swap
    monkeypatch.setattr(store, "current_dir", lambda s: next(stale, None) or real(s))
    engine = SearchEngine(settings)
    assert engine.search(SearchRequest(q="centres"))["total"] == 1
    assert engine.version().split("/")[0] == new.name
    engine.close()
