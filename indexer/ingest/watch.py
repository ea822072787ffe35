"""Following the documents folders: files dropped, changed, renamed or deleted are indexed by
themselves, as soon as they have settled.

Changes come from the operating system through ``watchfiles`` (inotify on Linux). They are
gathered until the folders have been quiet for a moment (``debounce``), then the files that
changed are watched until their size and time stop changing (a large copy still being written
is waited for), and one ordinary incremental run follows: the planner tells renames and moves
from new files by their content, so a renamed file is a rename, never a delete and an add.
While another run holds the data folder (``kb index``, the web app) the changes wait and the
run happens once it is free. The watcher records itself in the catalog, so the administration
page can say that the folders are followed.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from watchfiles import Change, DefaultFilter, watch

from ..config import Settings
from ..errors import IndexBusy
from ..store.catalog import Catalog
from .outcomes import RunSummary
from .run import run_index

log = logging.getLogger("indexer.watch")

#: Milliseconds of quiet after a change before the folders are looked at.
DEBOUNCE_MS = 800
#: Seconds between two looks at a file still being written; it has settled when two agree.
SETTLE_SECONDS = 0.5
#: A file still growing after this long is indexed as it is (the next change indexes it again).
SETTLE_LIMIT = 600.0
_PARTIAL = (".part", ".crdownload", ".tmp", ".download", "~", ".swp")
WATCHER_KEY = "watcher"


class _Filter(DefaultFilter):
    """Changes worth a run: not hidden files, editors' temporary files or partial downloads."""

    def __call__(self, change: Change, path: str) -> bool:
        name = os.path.basename(path)
        if name.startswith((".", "~$")) or name.lower().endswith(_PARTIAL):
            return False
        return super().__call__(change, path)


def _stats(paths: Iterable[str]) -> dict[str, tuple[int, int] | None]:
    found: dict[str, tuple[int, int] | None] = {}
    for path in paths:
        try:
            st = os.stat(path)
            found[path] = (st.st_size, st.st_mtime_ns)
        except OSError:
            found[path] = None
    return found


def wait_until_settled(
    paths: Iterable[str], interval: float = SETTLE_SECONDS, limit: float = SETTLE_LIMIT
) -> bool:
    """Wait until none of ``paths`` changes size or time between two looks ``interval`` apart.

    False if one still changed after ``limit`` seconds.
    """
    paths = list(paths)
    deadline = time.monotonic() + limit
    before = _stats(paths)
    while True:
        time.sleep(interval)
        after = _stats(paths)
        if after == before:
            return True
        if time.monotonic() > deadline:
            return False
        before = after


def _announce(settings: Settings, roots: list[Path], stopped: bool = False) -> None:
    with Catalog(settings.catalog_path, readonly=False) as catalog:
        value = {"pid": os.getpid(), "roots": [str(r) for r in roots], "since": time.time()}
        catalog.set_setting(WATCHER_KEY, json.dumps({**value, "stopped": stopped}))


def watcher_state(catalog: Catalog) -> dict[str, object] | None:
    """The folders a live watcher follows (None when none does)."""
    raw = catalog.get_setting(WATCHER_KEY)
    if not raw:
        return None
    state: dict[str, Any] = json.loads(raw)
    if state.get("stopped"):
        return None
    try:
        os.kill(int(state["pid"]), 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return state


def follow(
    settings: Settings,
    roots: list[Path] | None = None,
    *,
    stop: threading.Event | None = None,
    debounce_ms: int = DEBOUNCE_MS,
    settle: float = SETTLE_SECONDS,
    workers: int | None = None,
    on_run: Callable[[RunSummary], None] | None = None,
) -> None:
    """Index ``roots`` (default: the documents and uploads folders) now and after each change,
    until ``stop`` is set (or Ctrl+C)."""
    folders = [Path(r).expanduser().resolve() for r in (roots or settings.default_roots())]
    stop = stop or threading.Event()
    _announce(settings, folders)
    try:
        pending = True  # a first run catches up with what changed while nobody watched
        for changes in watch(
            *folders,
            watch_filter=_Filter(),
            debounce=debounce_ms,
            stop_event=stop,
            yield_on_timeout=True,
            rust_timeout=max(debounce_ms * 2, 1000),
            raise_interrupt=False,
        ):
            if stop.is_set():
                break
            if changes:
                changed = {path for _, path in changes}
                log.info("%d change(s) in the watched folders", len(changed))
                wait_until_settled(changed, settle)
                pending = True
            if pending:
                pending = not _run(settings, folders, workers, on_run)
    finally:
        _announce(settings, folders, stopped=True)


def _run(
    settings: Settings,
    folders: list[Path],
    workers: int | None,
    on_run: Callable[[RunSummary], None] | None,
) -> bool:
    """One run over the folders; False if it must wait for another run to finish."""
    try:
        summary = run_index(settings, folders, workers_count=workers, source="watcher")
    except IndexBusy:
        log.info("another run is using the data folder; indexing after it")
        return False
    if on_run is not None:
        on_run(summary)
    return True
