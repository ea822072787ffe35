"""Extraction in worker processes, each file under a limit of processor time and of memory.

PDF parsers have a history of endless loops and runaway memory on hostile or broken files; a
worker that exceeds its limits is stopped, the file is recorded as failed with the reason, and a
fresh worker takes the next file. The main process never parses a document itself: this module
is its side of the pool (starting workers, handing out tasks, judging their ends), and
`worker_process` the workers' side.

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

import contextlib
import signal
import socket
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import import_module
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from ...config import Settings, environment_with_module_path
from ...models import ExtractOptions
from ..extract import options_from
from . import siblings

#: Bump when extraction, normalisation or detection changes, so cached text is refreshed.
EXTRACT_VERSION = 5
#: Files sent to a worker before its first result is back: one in work, one waiting.
_DEPTH = 2


@dataclass(frozen=True)
class Failure:
    """Why a task failed: a short code (``timeout``, ``memory`` …) and the reason in words."""

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

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        """The limits a run's settings set for every file."""
        return cls(
            settings.file_timeout,
            settings.worker_memory_mb,
            settings.max_pages,
            settings.max_document_chars,
            options_from(settings),
        )

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


#: What a worker does with a task: ``handler(work, limits)`` gives its result. A module-level
#: function, so that it reaches the worker by name, or a `Named` one.
Handler = Callable[[Any, Limits], Any]


@dataclass(frozen=True)
class Named:
    """A handler by its module's and its function's names, which the worker imports: a run
    starts its first worker as soon as it knows a file is coming, and importing the handler
    (the analysis, the index's schema, numpy: a fifth of a second of processor time) would
    come first in the run's process; named, it is imported there while the worker starts."""

    module: str
    function: str

    def __call__(self, work: Any, limits: Limits) -> Any:
        return self.resolve()(work, limits)

    def resolve(self) -> Handler:
        """The function itself (its module imported)."""
        found: Handler = getattr(import_module(self.module), self.function)
        return found


#: The default handler: a file's text (`file_text.extract_file`).
EXTRACT_FILE = Named("indexer.ingest.preparing.file_text", "extract_file")


def _worker_environment() -> dict[str, str]:
    """The folder this package was loaded from first on the workers' module path: a worker
    runs the same code as its run, installed or not."""
    return environment_with_module_path(str(Path(__file__).resolve().parents[3]))


class _Worker:
    """A worker process: a new interpreter (safe to start from a thread, as the web app does),
    talking over a socket pair. Without multiprocessing's fork server and resource tracker,
    the workers are the only other processes of a run.

    ``forks`` more workers are forked from it once it has loaded its tables (`siblings`):
    they are in `self.siblings`, the run's children as it is."""

    process: subprocess.Popen[bytes] | siblings.Forked

    def __init__(self, limits: Limits, handler: Handler, forks: int = 0) -> None:
        ours, theirs = socket.socketpair()
        pairs = [socket.socketpair() for _ in range(forks if siblings.expect(forks) else 0)]
        fds = [theirs.fileno(), *(t.fileno() for _, t in pairs)]
        start = (
            f"from indexer.ingest.preparing.worker_process import serve; serve({theirs.fileno()})"
        )
        try:
            self.process = subprocess.Popen(
                # -P: the folder it starts in is not searched for modules first.
                [sys.executable, "-P", "-c", start],
                pass_fds=fds,
                stdin=subprocess.DEVNULL,
                env=_worker_environment(),
            )
        finally:
            for sock in [theirs, *(t for _, t in pairs)]:
                sock.close()
        self.conn = Connection(ours.detach())
        self.conn.send((limits, handler, fds[1:]))
        self.siblings = [_Sibling(Connection(o.detach())) for o, _ in pairs]
        #: Tasks sent and not yet answered, oldest (the one in work) first.
        self.tasks: deque[tuple[Any, Any]] = deque()
        #: Seconds the main process has waited since this worker last answered.
        self.waited = 0.0

    def send(self, task: tuple[Any, Any]) -> None:
        """Hand over a task. A worker that has ended (or a sibling that was never forked)
        refuses it: the task stays in `tasks`, and the run settles it as it settles the
        worker's end, which waiting on the closed connection reports at once."""
        if not self.tasks:
            self.waited = 0.0
        self.tasks.append(task)
        with contextlib.suppress(OSError):
            self.conn.send(task)

    def began(self) -> bool:
        """Whether the process may have started on a task (an interpreter: once it exists)."""
        return True

    def stop(self, kill: bool = False) -> None:
        self.ask_to_stop(kill)
        self.reap()

    def ask_to_stop(self, kill: bool = False) -> None:
        """End the process (``kill``: at once; else once it has sent what it has)."""
        if kill or self.process.poll() is not None:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                self.process.kill()

    def reap(self) -> None:
        """Wait for the process to end (killed if it does not), and close the connection."""
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.conn.close()

    def greeted(self, message: Any) -> bool:
        """Whether a message is a forked sibling's first (see `_Sibling`)."""
        return False

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


class _Sibling(_Worker):
    """A worker forked from another (see `siblings`), its connection made by the run: its
    process is known once its first message says it was adopted."""

    def __init__(self, conn: Connection) -> None:
        self.process = siblings.Forked()
        self.siblings = []
        self.conn = conn
        self.tasks = deque()
        self.waited = 0.0

    def began(self) -> bool:
        # A sibling says it was adopted before it takes its first task.
        return self.process.pid is not None

    def greeted(self, message: Any) -> bool:
        if isinstance(message, tuple) and len(message) == 3 and message[1] == siblings.STARTED:
            assert isinstance(self.process, siblings.Forked)
            self.process.adopted(message[2])
            return True
        return False

    def reap(self) -> None:
        # One that has not said it was adopted yet says so first, or its connection closes
        # (its first worker ended before forking it: there is no process to wait for).
        assert isinstance(self.process, siblings.Forked)
        while self.process.pid is None:
            try:
                if not self.conn.poll(5) or not self.greeted(self.conn.recv()):
                    break
            except (EOFError, OSError):
                break
        self.process.settled()
        if self.process.pid is None:
            self.conn.close()
            return
        super().reap()


def _settle(w: _Worker, ready: bool, limits: Limits) -> tuple[tuple[Any, Any] | None, bool | None]:
    """A busy worker's result, if it has one or has run out of time, and whether to stop it
    (``None``: keep it; ``True``: kill it)."""
    if ready:
        try:
            message = w.conn.recv()
        except (EOFError, OSError):
            if not w.began():
                # Its first worker ended before forking it: none of its tasks was started, and
                # all of them go to another worker.
                return None, True
            return (w.tasks.popleft()[0], w.death(limits)), True
        if w.greeted(message):
            return None, None
        key, status, payload = message
        w.tasks.popleft()
        w.waited = 0.0
        # The worker ends itself after a timeout.
        return (key, payload), (False if status == "timeout" else None)
    if w.waited >= limits.backstop_seconds:
        return (w.tasks.popleft()[0], limits.timeout_failure()), True
    return None, None


def start(limits: Limits, handler: Handler, count: int = 1) -> list[_Worker]:
    """``count`` workers starting now, for `run` to use (its ``early``): a caller that knows a
    file is coming starts them while it is still finding the others, so the interpreter's start
    and the tables' loading overlap with that. One interpreter starts; the others are forked
    from it once its tables are loaded (`siblings`), where the system allows."""
    first = _Worker(limits, handler, forks=count - 1)
    return [first, *first.siblings]


def run(
    tasks: Iterable[tuple[Any, Any]],
    limits: Limits,
    *,
    workers: int,
    handler: Handler = EXTRACT_FILE,
    started: Callable[[], None] | None = None,
    early: Iterable[_Worker] = (),
) -> Iterator[tuple[Any, Any]]:
    """Do ``(key, work)`` tasks in up to ``workers`` processes; yield ``(key, result)``.

    A worker calls ``handler(work, limits)`` (a module-level function): by default ``work``
    is a path and the result its text (`Analysed`); any failure is a `Failure`. Each task is
    held to ``limits``.

    ``tasks`` is asked for its next task whenever a worker has room, so it may do other work
    in between, and an iterator with nothing to give for now may have more later (the caller
    may queue tasks while it handles results); workers start only once there is a task.
    ``started()`` is called once the first workers are starting, before their first result is
    awaited: the caller readies its own side meanwhile. ``early``: workers the caller started
    (`start`) with the same limits and handler, used first; they are stopped with the others.
    Workers started together are one interpreter and siblings forked from it (`siblings`).
    """
    source = iter(tasks)
    again: deque[tuple[Any, Any]] = deque()  # tasks of a stopped worker it never started
    pool: list[_Worker] = []
    spare: list[_Worker] = list(early)  # started, no task sent yet

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
                pool.append(_idle(spare, max(1, workers) - len(pool), limits, handler))
                pool[-1].send(task)
                while len(pool[-1].tasks) < _DEPTH and (task := next_task()) is not None:
                    pool[-1].send(task)
            busy = [w for w in pool if w.tasks]
            if not busy:
                return
            if started is not None:
                started()
                started = None
            patience = min(limits.backstop_seconds - w.waited for w in busy)
            since = time.monotonic()
            ready = set(wait([w.conn for w in busy], timeout=max(0.0, patience)))
            waited = time.monotonic() - since
            results: list[tuple[Any, Any]] = []
            for w in busy:
                # A sibling not yet forked is working on nothing: its first worker forks it
                # after its own first file, which may take long, and answers for itself.
                if w.began():
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
        _stop_all(pool + spare)


def _idle(spare: list[_Worker], wanted: int, limits: Limits, handler: Handler) -> _Worker:
    """An idle worker: one started already, else a new one, with siblings forked from it for
    the others the pool wants."""
    if not spare:
        new = _Worker(limits, handler, forks=wanted - 1)
        spare.extend([new, *new.siblings])
    return spare.pop(0)


def _stop_all(pool: list[_Worker]) -> None:
    """Every worker told first, then waited for: they end side by side, and the caller's last
    commit follows without waiting for one after the other."""
    for w in pool:
        w.ask_to_stop(kill=bool(w.tasks))
    for w in pool:
        w.reap()
