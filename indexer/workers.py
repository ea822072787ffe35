"""Extraction in worker processes, each file under a time and memory limit.

PDF parsers have a history of endless loops and runaway memory on hostile or broken files; a
worker that exceeds its limits is killed and replaced, and the file is recorded as failed with
the reason. The parent process never parses a document itself.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from .errors import ExtractionError
from .extract import extract
from .language import detect
from .models import Analysed, ExtractOptions
from .normalize import normalise

#: Bump when extraction, normalisation or detection changes, so cached text is refreshed.
EXTRACT_VERSION = 2


def process_file(path: Path, max_pages: int, options: ExtractOptions | None = None) -> Analysed:
    """The whole per-file half of the pipeline: extract (with OCR) → normalise → detect."""
    return detect(normalise(extract(path, max_pages, options)))


@dataclass(frozen=True)
class Failure:
    code: str
    reason: str


def _limit_memory(megabytes: int) -> None:
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _run_one(
    path: str, max_pages: int, memory_mb: int, options: ExtractOptions | None = None
) -> tuple[str, Any]:
    try:
        return "ok", process_file(Path(path), max_pages, options)
    except ExtractionError as err:
        return "fail", Failure(err.code, str(err))
    except MemoryError:
        return "fail", Failure("memory", f"needs more than the {memory_mb} MB memory limit")
    except RecursionError:
        return "fail", Failure("damaged", "damaged file: structure nested too deeply to read")
    except Exception as err:  # any parser bug must cost one file, not the run
        return "fail", Failure("error", f"could not be read: {type(err).__name__}: {err}"[:500])


def _worker_main(
    conn: Connection, max_pages: int, memory_mb: int, options: ExtractOptions | None = None
) -> None:
    _limit_memory(memory_mb)
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        key, path = task
        conn.send((key, *_run_one(path, max_pages, memory_mb, options)))


class _Worker:
    def __init__(
        self, ctx: Any, max_pages: int, memory_mb: int, options: ExtractOptions | None = None
    ) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_worker_main, args=(child, max_pages, memory_mb, options), daemon=True
        )
        self.process.start()
        child.close()
        self.task: tuple[Any, str] | None = None
        self.deadline = 0.0

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except (BrokenPipeError, OSError):
                self.process.kill()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _context() -> Any:
    # forkserver starts workers from a clean process: safe even when the caller runs threads
    # (the web app reindexes in a background thread).
    method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
    ctx = mp.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(["indexer.workers"])
    return ctx


def run(
    tasks: Iterable[tuple[Any, str]],
    workers: int,
    timeout: float,
    memory_mb: int,
    max_pages: int,
    options: ExtractOptions | None = None,
) -> Iterator[tuple[Any, Analysed | Failure]]:
    """Process ``(key, path)`` tasks in ``workers`` processes; yield ``(key, result)`` as done."""
    queue = deque(tasks)
    if not queue:
        return
    ctx = _context()
    pool = [
        _Worker(ctx, max_pages, memory_mb, options) for _ in range(max(1, min(workers, len(queue))))
    ]
    try:
        while queue or any(w.task for w in pool):
            for w in pool:
                if w.task is None and queue:
                    w.task = queue.popleft()
                    w.deadline = time.monotonic() + timeout
                    w.conn.send(w.task)
            busy = [w for w in pool if w.task is not None]
            wait_for = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready = set(wait([w.conn for w in busy], timeout=wait_for))
            for i, w in enumerate(pool):
                if w.task is None:
                    continue
                if w.conn in ready:
                    try:
                        key, _status, payload = w.conn.recv()
                    except (EOFError, OSError):
                        code = w.process.exitcode
                        w.process.join(timeout=1)
                        code = w.process.exitcode if code is None else code
                        yield (
                            w.task[0],
                            Failure(
                                "crashed",
                                f"the reader process crashed (exit code {code}) on this file",
                            ),
                        )
                        w.stop(kill=True)
                        pool[i] = _Worker(ctx, max_pages, memory_mb, options)
                        continue
                    w.task = None
                    yield key, payload
                elif time.monotonic() >= w.deadline:
                    yield (
                        w.task[0],
                        Failure(
                            "timeout", f"reading took longer than {timeout:g} s and was stopped"
                        ),
                    )
                    w.stop(kill=True)
                    pool[i] = _Worker(ctx, max_pages, memory_mb, options)
    finally:
        for w in pool:
            w.stop(kill=w.task is not None)


def default_workers() -> int:
    return os.cpu_count() or 1
