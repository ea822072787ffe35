"""Extraction in worker processes, each file under a limit of processor time and of memory.

PDF parsers have a history of endless loops and runaway memory on hostile or broken files; a
worker that exceeds its limits is stopped, the file is recorded as failed with the reason, and a
fresh worker takes the next file. The main process never parses a document itself.

The time limit counts the worker's own processor time, never the time it waits: for a core on a
busy machine, or for the main process while that one analyses, commits or merges. A wall-clock
deadline fails healthy files exactly then (a file that extracts in 0.03 s was killed after
sitting behind a long commit). Three layers enforce the limit:

1. an interval timer on the process's CPU time (``ITIMER_PROF``) raises inside the extractor,
   which ends the file with a clean "timeout" failure;
2. ``RLIMIT_CPU`` a little above it ends the worker even when it is stuck inside C code, where
   no Python handler can run (the main process reports that as a timeout too);
3. a generous wall-clock backstop in the main process, which only advances while the main
   process is waiting for results, for a worker that hangs without using the processor.

Each worker has up to two files in hand, so it goes on with the next one while the main process
is busy with the last result.
"""

from __future__ import annotations

import math
import os
import queue
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

import indexer

from ..errors import ExtractionError
from ..text.detect import detect, detect_text
from ..text.normalize import normalise
from .extract import extract
from .models import Analysed, Extracted, ExtractOptions

#: Bump when extraction, normalisation or detection changes, so cached text is refreshed.
EXTRACT_VERSION = 3
#: Files sent to a worker before its first result is back: one in work, one waiting.
_DEPTH = 2


def process_file(
    path: Path, max_pages: int, max_chars: int = 0, options: ExtractOptions | None = None
) -> Analysed:
    """The whole per-file half of the pipeline: extract (with OCR) → bound → normalise → detect."""
    return detect(normalise(bound_text(extract(path, max_pages, options), max_chars)))


def bound_text(extracted: Extracted, max_chars: int) -> Extracted:
    """At most ``max_chars`` characters of text (0: no limit), cut at a page or a word.

    A document's text is analysed, indexed and highlighted as a whole; a 50 MB text file would
    take minutes and gigabytes for every later search that touches it. What is left out is
    said in a warning on the file.
    """
    total = sum(len(p) for p in extracted.pages)
    if max_chars <= 0 or total <= max_chars:
        return extracted
    kept: list[str] = []
    budget = max_chars
    for page in extracted.pages:
        if len(page) <= budget:
            kept.append(page)
            budget -= len(page)
            continue
        cut = page[:budget]
        space = max(cut.rfind(" "), cut.rfind("\n"))
        kept.append(cut[:space] if space > budget // 2 else cut)
        break
    while len(kept) > 1 and not kept[-1].strip():
        kept.pop()
    warning = (
        f"text longer than the limit of {max_chars:,} characters: the first "
        f"{sum(len(p) for p in kept):,} of {total:,} characters were indexed "
        f"(pages 1–{len(kept)} of {len(extracted.pages)})"
    )
    return replace(extracted, pages=kept, warnings=[*extracted.warnings, warning])


@dataclass(frozen=True)
class Failure:
    code: str
    reason: str


@dataclass(frozen=True)
class Limits:
    """What one file may cost a worker."""

    cpu_seconds: float
    memory_mb: int
    max_pages: int
    max_chars: int = 0
    options: ExtractOptions | None = None

    @property
    def hard_cpu_seconds(self) -> float:
        """Processor time after which the worker itself is ended (see the module's notes)."""
        return self.cpu_seconds + max(5.0, self.cpu_seconds / 2)

    @property
    def backstop_seconds(self) -> float:
        """Seconds of waiting for one worker's result after which it is taken for hung."""
        return 4 * self.cpu_seconds + 30.0

    def timeout_failure(self) -> Failure:
        return Failure(
            "timeout", f"reading took more than {self.cpu_seconds:g} s of processor time"
        )


class _TimeUp(BaseException):
    """Raised by the CPU timer; a BaseException so that no extractor's ``except`` swallows it."""


def _time_up(signum: int, frame: object) -> None:
    raise _TimeUp


def _cpu_used() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _limit_process(limits: Limits) -> None:
    if limits.memory_mb > 0:
        limit = limits.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a worker ended by RLIMIT_CPU leaves no core
    signal.signal(signal.SIGPROF, _time_up)
    # Ctrl+C reaches the whole process group: the main process stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


Handler = Callable[[Any, Limits], Any]


def extract_file(path: str, limits: Limits) -> Analysed:
    """The default work of a worker: a file's text (see `process_file`)."""
    return process_file(Path(path), limits.max_pages, limits.max_chars, limits.options)


def _run_one(task: Any, limits: Limits, handler: Handler) -> tuple[str, Any]:
    """Do one task under the CPU limits: ("ok", result) or (status, Failure)."""
    hard = math.ceil(_cpu_used() + limits.hard_cpu_seconds)
    _, hard_max = resource.getrlimit(resource.RLIMIT_CPU)
    if hard_max == resource.RLIM_INFINITY or hard <= hard_max:
        resource.setrlimit(resource.RLIMIT_CPU, (hard, hard_max))
    try:
        signal.setitimer(signal.ITIMER_PROF, limits.cpu_seconds)
        try:
            return "ok", handler(task, limits)
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
    except _TimeUp:
        return "timeout", limits.timeout_failure()
    except ExtractionError as err:
        return "fail", Failure(err.code, str(err))
    except MemoryError:
        return "fail", Failure("memory", f"needs more than the {limits.memory_mb} MB memory limit")
    except RecursionError:
        return "fail", Failure("damaged", "damaged file: structure nested too deeply to read")
    except Exception as err:  # any parser bug must cost one file, not the run
        return "fail", Failure("error", f"could not be read: {type(err).__name__}: {err}"[:500])


def _warm_up() -> None:
    """Load what the first file would otherwise load inside its time limit (the language
    profiles take about a third of a second)."""
    detect_text("A sentence that readies the language detector before the first file.")


class _Sender:
    """Sends a worker's results from a thread of their own.

    A document's result (its text and its encoded postings) is often larger than the socket's
    buffer, so sending it waits until the main process reads it; sent from the worker's own
    thread, that wait kept the worker from starting its next file whenever the main process was
    busy writing, and the two took turns instead of working side by side.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (item := self.queue.get()) is not None:
            try:
                self.conn.send(item)
            except OSError:  # the main process is gone
                return

    def send(self, item: Any) -> None:
        self.queue.put(item)

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()


def serve(fd: int) -> None:
    """A worker process's life: its limits and its handler first, then task after task."""
    conn = Connection(fd)
    limits, handler = conn.recv()
    _limit_process(limits)
    _warm_up()
    sender = _Sender(conn)
    try:
        while True:
            try:
                task = conn.recv()
            except (EOFError, OSError):
                return
            if task is None:
                return
            key, work = task
            status, payload = _run_one(work, limits, handler)
            sender.send((key, status, payload))
            if status == "timeout":
                # Interrupted code may have left a library half-way: the next file gets a new
                # process.
                return
    finally:
        sender.close()


class _Worker:
    """A worker process: a new interpreter (safe to start from a thread, as the web app does),
    talking over a socket pair. Without multiprocessing's fork server and resource tracker,
    the workers are the only other processes of a run."""

    def __init__(self, limits: Limits, handler: Handler) -> None:
        ours, theirs = socket.socketpair()
        # The package is found where this one was loaded from, installed or not.
        package_parent = str(Path(indexer.__file__).resolve().parent.parent)
        start = (
            f"import sys; sys.path.insert(0, {package_parent!r}); "
            f"from indexer.ingest.workers import serve; serve({theirs.fileno()})"
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", start],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
        )
        theirs.close()
        self.conn = Connection(ours.detach())
        self.conn.send((limits, handler))
        #: Tasks sent and not yet answered, oldest (the one in work) first.
        self.tasks: deque[tuple[Any, Any]] = deque()
        #: Seconds the main process has waited since this worker last answered.
        self.waited = 0.0

    def send(self, task: tuple[Any, Any]) -> None:
        if not self.tasks:
            self.waited = 0.0
        self.tasks.append(task)
        self.conn.send(task)

    def stop(self, kill: bool = False) -> None:
        if kill or self.process.poll() is not None:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.conn.close()

    def death(self, limits: Limits) -> Failure:
        """Why this worker ended without answering, for the file it had in work."""
        try:
            code = self.process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            code = None
        if code == -signal.SIGXCPU:
            return limits.timeout_failure()
        if code == -signal.SIGKILL:
            return Failure(
                "memory", "the reader process was stopped by the system (likely out of memory)"
            )
        return Failure("crashed", f"the reader process crashed (exit code {code}) on this file")


def _settle(w: _Worker, ready: bool, limits: Limits) -> tuple[tuple[Any, Any] | None, bool | None]:
    """A busy worker's result, if it has one or has run out of time, and whether to stop it
    (``None``: keep it; ``True``: kill it)."""
    if ready:
        try:
            key, status, payload = w.conn.recv()
        except (EOFError, OSError):
            return (w.tasks.popleft()[0], w.death(limits)), True
        w.tasks.popleft()
        w.waited = 0.0
        # The worker ends itself after a timeout.
        return (key, payload), (False if status == "timeout" else None)
    if w.waited >= limits.backstop_seconds:
        return (w.tasks.popleft()[0], limits.timeout_failure()), True
    return None, None


def run(  # noqa: PLR0913 - the limits of one run, each named by its caller
    tasks: Iterable[tuple[Any, Any]],
    workers: int,
    timeout: float,
    memory_mb: int,
    max_pages: int,
    max_chars: int = 0,
    handler: Handler = extract_file,
    options: ExtractOptions | None = None,
) -> Iterator[tuple[Any, Any]]:
    """Do ``(key, work)`` tasks in up to ``workers`` processes; yield ``(key, result)``.

    A worker calls ``handler(work, limits)`` (a module-level function): by default ``work``
    is a path and the result its text (`Analysed`); any failure is a `Failure`. ``timeout``
    is seconds of processor time per task.

    ``tasks`` is asked for its next task whenever a worker has room, so it may do other work
    in between, and an iterator with nothing to give for now may have more later (the caller
    may queue tasks while it handles results); workers start only once there is a task.
    """
    limits = Limits(timeout, memory_mb, max_pages, max_chars, options)
    source = iter(tasks)
    again: deque[tuple[Any, Any]] = deque()  # tasks of a stopped worker it never started
    pool: list[_Worker] = []

    def next_task() -> tuple[Any, Any] | None:
        if again:
            return again.popleft()
        return next(source, None)

    def retire(worker: _Worker, kill: bool) -> None:
        """Stop a worker whose file in work is settled; files it never started go again."""
        pool.remove(worker)
        again.extend(worker.tasks)
        worker.tasks.clear()
        worker.stop(kill=kill)

    try:
        while True:
            # Fill the workers there are; start another only for tasks they have no room for
            # (a run of two files needs one worker, not two interpreters starting up).
            for w in pool:
                while len(w.tasks) < _DEPTH and (task := next_task()) is not None:
                    w.send(task)
            while len(pool) < max(1, workers) and (task := next_task()) is not None:
                pool.append(_Worker(limits, handler))
                pool[-1].send(task)
                while len(pool[-1].tasks) < _DEPTH and (task := next_task()) is not None:
                    pool[-1].send(task)
            busy = [w for w in pool if w.tasks]
            if not busy:
                return
            patience = min(limits.backstop_seconds - w.waited for w in busy)
            started = time.monotonic()
            ready = set(wait([w.conn for w in busy], timeout=max(0.0, patience)))
            waited = time.monotonic() - started
            results: list[tuple[Any, Any]] = []
            for w in busy:
                w.waited += waited
                result, stop = _settle(w, w.conn in ready, limits)
                if result is not None:
                    results.append(result)
                if stop is not None:
                    retire(w, kill=stop)
            # Everything received is handed over only now: while the caller works on a result,
            # no other worker's readiness is judged on stale information.
            yield from results
    finally:
        for w in pool:
            w.stop(kill=bool(w.tasks))


def default_workers() -> int:
    return os.cpu_count() or 1
