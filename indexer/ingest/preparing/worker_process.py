"""The life of one extraction worker process: task after task, each under the CPU limits.

The main process (`workers`) starts this module in a new interpreter and sends it its `Limits`
and its handler first, then ``(key, work)`` tasks. Here the first two layers of the time limit
are enforced (see `workers`): an interval timer on the process's own processor time, which ends
a file with a clean "timeout" failure, and ``RLIMIT_CPU`` a little above it, which ends the
process even inside C code. The memory limit is the process's address space. Any error of a
reader costs one file, never the worker; a timeout ends the worker, since interrupted code may
have left a library half-way.
"""

from __future__ import annotations

import gc
import math
import os
import queue
import resource
import signal
import sys
import threading
from collections.abc import Callable
from importlib import import_module
from multiprocessing.connection import Connection
from typing import Any

from ...errors import ExtractionError
from ...freed_memory import give_back
from ...text.detect import detect_text
from ...text.taxonomy import load_taxonomy
from ..describe.dates import warm as warm_dates
from . import siblings
from .workers import Failure, Handler, Limits, Named


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


def _warm_up(conn: Connection, *, everything: bool = False) -> None:
    """Load what files would otherwise load inside their time limit, then set what was loaded
    aside from the garbage collector: a full collection over those objects costs tens of
    milliseconds of processor time, and would otherwise fall inside whichever file's limit
    happened to trigger it. Siblings forked afterwards (`siblings`) start with all of it,
    shared.

    Every file needs the language profiles (about a tenth of a second from their copy) and the
    taxonomy's matchers: those are always loaded. The PDF readers and the dates' patterns
    (together about half a second) only some files need: they are loaded only while no task
    is waiting (``everything``: whatever waits). With its first file already there a worker
    starts on it, and loads either at its first use, if ever (a Markdown file never needs the
    PDF readers). A worker with siblings to fork loads them all after that first file and
    before the fork (`serve`): loaded once before the fork they are shared, while every
    sibling would load them again after it (side by side with PDFs, two workers used more
    processor time per page that way)."""
    detect_text("A sentence that readies the language detector before the first file.")
    taxonomy = load_taxonomy()
    for matcher in ("topic_matcher", "type_matcher", "cue_matcher", "country_matcher"):
        getattr(taxonomy, matcher)
    for step in _LOADED_WHILE_IDLE:
        if not everything and conn.poll(0):
            break
        step()
    gc.collect()
    gc.freeze()


def _load_pdf_readers() -> None:
    import_module("indexer.ingest.extract.pdf")


#: What some files need, loaded before the first file only while the worker waits for it.
_LOADED_WHILE_IDLE: tuple[Callable[[], None], ...] = (_load_pdf_readers, warm_dates)


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
    """A worker process's life: its limits and its handler first, then task after task.

    Once its last result is sent the process ends at once (`os._exit`): an interpreter's
    orderly exit frees every object it made, a word cache of tens of thousands of entries
    among them, a few tenths of a second in which the run's last commit would wait for it.
    Nothing is left to write: a worker only reads (its catalog read-only) and sends.
    """
    conn = Connection(fd)
    limits, handler, forks = conn.recv()
    if isinstance(handler, Named):
        handler = handler.resolve()  # imported now, before the tables are loaded and shared
    _limit_process(limits)
    _warm_up(conn)
    first = None
    if forks:
        # The run's first file comes before the siblings' start: it is the first one found.
        # A PDF needs all that is left to load (the PDF readers, the dates' patterns) anyway:
        # loaded, the siblings are forked before it is read, and read files beside it. Any
        # other file is read first, and the siblings' start (what is left to load, the fork)
        # follows it. Its result is sent from this thread: a fork must find no other.
        first = _receive(conn)
        if first is None:
            os._exit(0)  # told to stop: no sibling is forked (see `workers`)
        if not _reads_pdf(first[1]):
            if not _serve(first, limits, handler, conn.send):
                os._exit(0)  # out of time: no sibling is forked (see `workers`)
            first = None
        _warm_up(conn, everything=True)

    def life(conn: Connection, first: tuple[Any, Any] | None = None) -> None:
        sender = _Sender(conn)
        try:
            if first is None or _serve(first, limits, handler, sender.send):
                _serve_tasks(conn, limits, handler, sender)
        finally:
            sender.close()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)

    # Forked before this process has a second thread (its sender's).
    for n, sibling in enumerate(forks):
        siblings.fork(sibling, [fd, *forks[n + 1 :]], life)
    life(conn, first)


def _reads_pdf(work: Any) -> bool:
    """Whether a task is a PDF's: its work is the file's path, or a job with its source."""
    source = getattr(work, "source", work)
    path = getattr(source, "path", source)
    return isinstance(path, str | os.PathLike) and os.fspath(path).lower().endswith(".pdf")


def _receive(conn: Connection) -> tuple[Any, Any] | None:
    """The next task, or None when told to stop or when the main process is gone."""
    try:
        task: tuple[Any, Any] | None = conn.recv()
    except (EOFError, OSError):
        return None
    return task


def _serve(
    task: tuple[Any, Any], limits: Limits, handler: Handler, send: Callable[[Any], None]
) -> bool:
    """Do one task and ``send`` its result. Returns whether the worker goes on: not when the
    main process is gone, nor after a timeout (interrupted code may have left a library
    half-way: the next file gets a new process, and no sibling is forked from this one;
    their tasks go to new workers, as when a first worker dies)."""
    key, work = task
    status, payload = _run_one(work, limits, handler)
    try:
        send((key, status, payload))
    except OSError:  # the main process is gone
        return False
    return status != "timeout"


def _serve_tasks(conn: Connection, limits: Limits, handler: Handler, sender: _Sender) -> None:
    while (task := _receive(conn)) is not None and _serve(task, limits, handler, sender.send):
        # What the last file needed (its text, its terms) is free now: its pages go back to
        # the system, or a worker's resident memory keeps growing with the files it read.
        give_back()
