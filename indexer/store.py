"""Where the index lives, and the only ways to open, write and replace it.

``KB_HOME/index/CURRENT`` names the active index folder. Incremental runs write into it; a full
rebuild builds a fresh folder and then replaces ``CURRENT`` atomically, so a reader sees either
the old index or the new one, never a half-built one. The previous folder is kept until the next
swap because open readers may still be using its files.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import EmptyIndexError, FileIndex
from whoosh.writing import IndexWriter, LockError

from .config import Settings
from .errors import IndexBusy
from .schema import SCHEMA_VERSION, build_schema

_CURRENT = "CURRENT"
_SCHEMA_MARK = "kb-schema-version"
_OPEN_RETRIES = 5


def current_dir(settings: Settings) -> Path | None:
    pointer = settings.index_root / _CURRENT
    try:
        name = pointer.read_text("utf-8").strip()
    except FileNotFoundError:
        return None
    path = settings.index_root / name
    return path if path.is_dir() else None


def open_index(settings: Settings) -> FileIndex | None:
    """The active index, or None before the first run.

    A commit in another process can remove a table-of-contents file between listing and opening;
    trying again a moment later always finds the new one.
    """
    for attempt in range(_OPEN_RETRIES):
        path = current_dir(settings)
        if path is None:
            return None
        try:
            return whoosh_index.open_dir(str(path))
        except (FileNotFoundError, EmptyIndexError):
            if attempt == _OPEN_RETRIES - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    return None


def create_index(settings: Settings) -> tuple[Path, FileIndex]:
    """A new, empty index folder (not yet active)."""
    settings.index_root.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    path = settings.index_root / f"ix-{stamp}"
    path.mkdir()
    try:
        ix = whoosh_index.create_in(str(path), build_schema())
        (path / _SCHEMA_MARK).write_text(str(SCHEMA_VERSION), "utf-8")
    except BaseException:  # e.g. a full disk: leave no half-made folder behind
        shutil.rmtree(path, ignore_errors=True)
        raise
    return path, ix


def activate(settings: Settings, path: Path) -> None:
    """Make ``path`` the active index in one atomic step and drop folders older than the last."""
    previous = current_dir(settings)
    tmp = settings.index_root / f".{_CURRENT}.tmp"
    tmp.write_text(path.name, "utf-8")
    os.replace(tmp, settings.index_root / _CURRENT)
    keep = {path.name, previous.name if previous else ""}
    for child in settings.index_root.iterdir():
        if child.is_dir() and child.name.startswith("ix-") and child.name not in keep:
            shutil.rmtree(child, ignore_errors=True)


def needs_rebuild(settings: Settings) -> bool:
    """True before the first run and after an upgrade that changed the index's layout."""
    path = current_dir(settings)
    if path is None:
        return True
    try:
        return (path / _SCHEMA_MARK).read_text("utf-8").strip() != str(SCHEMA_VERSION)
    except FileNotFoundError:
        return True


@contextlib.contextmanager
def writer(ix: FileIndex, timeout: float = 5.0) -> Iterator[IndexWriter]:
    """Commit when the block succeeds, cancel when it raises; the original error propagates."""
    try:
        w = ix.writer(timeout=timeout, limitmb=256)
    except LockError as err:
        raise IndexBusy("the index is being written by another process; try again later") from err
    try:
        yield w
    except BaseException:
        w.cancel()
        raise
    w.commit()


@contextlib.contextmanager
def run_lock(settings: Settings) -> Iterator[None]:
    """One indexing run per data folder at a time (released by the OS if the process dies)."""
    settings.home.mkdir(parents=True, exist_ok=True)
    fh = settings.lock_path.open("a+")
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as err:
            raise IndexBusy(
                f"another indexing run is using {settings.home}; wait for it to finish"
            ) from err
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        yield
    finally:
        fh.close()


def index_size(settings: Settings) -> int:
    path = current_dir(settings)
    if path is None:
        return 0
    return sum(f.stat().st_size for f in path.iterdir() if f.is_file())
