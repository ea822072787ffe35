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

import fcntl
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from watchfiles import Change, DefaultFilter, watch

from ..config import Settings
from ..errors import IndexBusy, KbError
from ..outcomes import RunSummary
from ..store.catalog import Catalog
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
#: Seconds a new watcher waits for one still ending (it notices its server gone within about
#: two seconds) before it leaves the folders to it.
LOCK_WAIT = 10.0


class AlreadyWatched(KbError):
    """Another watcher follows the data folder's folders."""

    code = "already_watched"


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


@contextmanager
def _only_watcher(settings: Settings, wait: float) -> Iterator[None]:
    """Hold the data folder's watcher lock: one watcher per data folder. A watcher still
    ending (its server was killed a moment ago) is waited for up to ``wait`` seconds."""
    settings.home.mkdir(parents=True, exist_ok=True)
    with (settings.home / "watch.lock").open("a+") as fh:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    fh.seek(0)
                    holder = fh.read().strip() or "?"
                    raise AlreadyWatched(
                        f"the folders of {settings.home} are already watched by process {holder}"
                    ) from None
                time.sleep(0.2)
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        yield


def follow(  # noqa: PLR0913 - the watcher's settings, each with its default
    settings: Settings,
    roots: list[Path] | None = None,
    *,
    stop: threading.Event | None = None,
    debounce_ms: int = DEBOUNCE_MS,
    settle: float = SETTLE_SECONDS,
    workers: int | None = None,
    on_run: Callable[[RunSummary], None] | None = None,
    parent: int | None = None,
) -> None:
    """Index ``roots`` (default: the documents and uploads folders) now and after each change,
    until ``stop`` is set (or Ctrl+C) — or, given the ``parent`` process it was started by
    (`kb serve --watch`), until that process is gone, however it ended.

    Raises `AlreadyWatched` when another watcher follows the data folder's folders.
    """
    folders = [Path(r).expanduser().resolve() for r in (roots or settings.default_roots())]
    stop = stop or threading.Event()
    with _only_watcher(settings, wait=LOCK_WAIT):
        _follow(settings, folders, stop, debounce_ms, settle, workers, on_run, parent)


def _follow(  # noqa: PLR0913 - `follow`'s values, passed on
    settings: Settings,
    folders: list[Path],
    stop: threading.Event,
    debounce_ms: int,
    settle: float,
    workers: int | None,
    on_run: Callable[[RunSummary], None] | None,
    parent: int | None,
) -> None:
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
            if stop.is_set() or (parent is not None and os.getppid() != parent):
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
