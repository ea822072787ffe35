"""How soon indexed documents can be found: while a run adds to an index, and when `kb serve`
starts on a data folder that was never indexed. Used by `bench/indexing.py` (``--steps
visible serve``); each figure is wall time from the start of the command, the index read by a
separate process (a search engine here, HTTP for the server), as a reader would.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from bench.proctree import Measured, measure

#: Seconds between two looks.
POLL = 0.05


def kb_command(checkout: Path, *args: str) -> list[str]:
    return [sys.executable, "-c", "from indexer.cli import main; main()", *args]


def environment(checkout: Path, home: Path, corpus: Path) -> dict[str, str]:
    return {
        **os.environ,
        "KB_HOME": str(home),
        "KB_CORPUS": str(corpus),
        "PYTHONPATH": str(checkout),
    }


def count_documents(checkout: Path, home: Path, corpus: Path) -> subprocess.Popen[str]:
    """A process that prints the number of searchable documents every POLL seconds."""
    script = (
        "import sys, time\n"
        "from indexer import SearchEngine, SearchRequest, Settings\n"
        "engine = SearchEngine(Settings.from_env())\n"
        "while True:\n"
        "    try: n = engine.search(SearchRequest())['total']\n"
        "    except Exception: n = -1\n"
        "    print(time.monotonic(), n, flush=True)\n"
        f"    time.sleep({POLL})\n"
    )
    return subprocess.Popen(
        [sys.executable, "-c", script],
        env=environment(checkout, home, corpus),
        cwd=checkout,  # `python -c` puts the working folder first on the path
        stdout=subprocess.PIPE,
        text=True,
    )


def _cpu_seconds(pid: int) -> float:
    """Processor seconds (user + system) a live process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def added_visible(checkout: Path, work: Path, home: Path, before: int, after: int) -> str:
    """Seconds from the start of `kb index` (``before`` documents indexed, ``after`` in the
    folder) until the first new document is found, and until all are; with the processor time
    of the run (all its processes, and its main one) and of the reader meanwhile."""
    watcher = count_documents(checkout, home, work)
    assert watcher.stdout is not None
    while int(watcher.stdout.readline().split()[1]) != before:
        pass
    reader_before = _cpu_seconds(watcher.pid)
    started = time.monotonic()
    measured: list[Measured] = []
    run = threading.Thread(
        target=lambda: measured.append(
            measure(
                kb_command(checkout, "index", str(work), "--json"),
                env=environment(checkout, home, work),
                cwd=checkout,
            )
        )
    )
    run.start()
    first = every = None
    for line in watcher.stdout:
        at, n = float(line.split()[0]), int(line.split()[1])
        if first is None and n > before:
            first = at - started
        if n >= after:
            every = at - started
            break
    reader = _cpu_seconds(watcher.pid) - reader_before
    run.join()
    ended = time.monotonic() - started
    watcher.kill()
    watcher.wait()
    m = measured[0]
    summary = json.loads(m.stdout)
    return (
        f"first new document found after {first:.2f} s, all {after - before} after "
        f"{every:.2f} s (the run: {ended:.2f} s wall, {m.cpu:.1f} s CPU of which "
        f"{m.main_cpu:.1f} s its main process, {summary['added']} added, "
        f"{summary['updated']} updated; the reader meanwhile {reader:.1f} s CPU)"
    )


def serve_first(checkout: Path, corpus: Path, home: Path, query: str) -> str:
    """Seconds from `kb serve` on a never-indexed data folder to its first page, and to the
    first results for ``query``."""
    shutil.rmtree(home, ignore_errors=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.monotonic()
    server = subprocess.Popen(
        kb_command(checkout, "serve", "--port", str(port)),
        env=environment(checkout, home, corpus),
        cwd=checkout,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    page = results = None
    try:
        while time.monotonic() - started < 600 and results is None:
            try:
                url = f"http://127.0.0.1:{port}/api/search?q={query}"
                with urllib.request.urlopen(url, timeout=30) as response:
                    total = json.loads(response.read())["total"]
                page = page or time.monotonic() - started
                if total:
                    results = time.monotonic() - started
            except OSError:
                pass
            time.sleep(POLL)
    finally:
        os.killpg(server.pid, 15)
        server.wait(60)
    shown = f"{results:.2f} s" if results else "none within 600 s"
    return f"first page after {page:.2f} s, first results for {query!r} after {shown}"
