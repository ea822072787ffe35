"""The production server: several worker processes, each serving requests on a few threads.

Searching is CPU-bound Python, and the threads of one process take turns on one core; a
prefork server (gunicorn) runs one process per core instead. The processes share the index
through the operating system's page cache (the index files are memory-mapped, never copied), so
memory grows with the number of processes only by what each process keeps for itself, and not
at all with the number of threads.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

from indexer import Settings

from .i18n import LANGUAGES
from .warm import warm_pages

log = logging.getLogger(__name__)

#: Threads per worker process: enough to keep a process busy while others wait on the network.
DEFAULT_THREADS = 4


def default_workers() -> int:
    """One process per core the server may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class _Server(BaseApplication):  # type: ignore[misc]  # gunicorn is untyped: its base is Any
    def __init__(self, settings: Settings, options: dict[str, Any]) -> None:
        self.settings = settings
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        # Each worker builds its own app after the fork: no searcher, thread or database
        # connection is ever shared across processes.
        from . import create_app

        return create_app(self.settings)


def _warm(worker: Any) -> None:
    """Before a worker takes its first request: open the index and make what every request
    needs (see ``SearchEngine.warm``), and compile the pages' templates and read their
    translations (``warm.warm_pages``), instead of the first requests each paying for a part.

    A worker that cannot (no index yet, one in an older layout being rebuilt) serves all the
    same: its requests say what is wrong, as they would have without this."""
    warm_pages(worker.wsgi)
    try:
        # The short beginnings of autocomplete are completed behind the first requests.
        worker.wsgi.extensions["kb_engine"].warm(LANGUAGES, beginnings_now=False)
    except Exception as err:  # reported by the requests themselves
        log.info("the search index could not be opened ahead of requests: %s", err)


def serve(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 5000,
    workers: int | None = None,
    threads: int = DEFAULT_THREADS,
) -> None:
    """Serve until stopped (Ctrl+C or SIGTERM end the workers gracefully)."""
    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers or default_workers(),
        "threads": threads,
        "worker_class": "gthread",
        # A worker that stops answering for this long is replaced.
        "timeout": 120,
        "graceful_timeout": 30,
        "keepalive": 5,
        # Workers are renewed now and then, so no slow growth of memory can accumulate.
        "max_requests": 20_000,
        "max_requests_jitter": 2_000,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "kb",
        "post_worker_init": _warm,
    }
    if options["workers"] == 1:  # nothing to share
        _Server(settings, options).run()
        return
    # The workers share what one of them found for a request's words through a file of this
    # server's own, gone when it stops (``store/shared_memory.py``). Removed by the
    # server's main process only: a worker leaving (renewed, stopped) unwinds this frame too.
    shared = Path(tempfile.mkdtemp(prefix="kb-serve-"))
    owner = os.getpid()
    try:
        _Server(settings.with_(shared_memory=shared / "found.sqlite3"), options).run()
    finally:
        if os.getpid() == owner:
            shutil.rmtree(shared, ignore_errors=True)
