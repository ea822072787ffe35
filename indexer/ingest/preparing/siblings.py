"""Workers forked from a warmed worker: one interpreter loads the tables, its siblings share them.

A worker's start is mostly loading — the interpreter's imports, langdetect's profiles,
the dates' patterns, the taxonomy's matchers, the PDF readers —, about a second of processor
time that is the same in every worker, and tens of megabytes in each. The first worker of a run
reads its first file (the run's first document is found sooner so), then loads the rest once
and forks the others: they start with everything loaded, and share its memory until they write
to it.

A forked worker must still be a child of the run's process: the pool tells how a worker ended
(its processor limit, the system stopping it for memory) by its exit status, which only its
parent receives. So the run's process adopts them (Linux's "child subreaper"): the first worker
forks a short-lived middle process, which forks the sibling and exits at once, and the orphaned
sibling goes to the nearest subreaper up its line — the run's process — instead of to init. The
sibling says it is there (`STARTED`, with its process id) once it has been adopted. The run's
process is a subreaper only while siblings are on their way (an orphan of its other descendants
in that window would be its own to collect); where the system has no such thing, every worker
is an interpreter of its own.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from multiprocessing.connection import Connection

#: A forked sibling's first message, ``(None, STARTED, pid)``, once the run's process adopted it.
STARTED = "started"

_PR_SET_CHILD_SUBREAPER = 36
#: How long a sibling waits to be adopted before it goes on anyway (its middle process exits
#: at once; only a run's process that has died leaves it waiting).
_ADOPTION_SECONDS = 2.0
_lock = threading.Lock()
_awaited = 0


def _subreaper(on: bool) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(_PR_SET_CHILD_SUBREAPER, int(on), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def expect(count: int) -> bool:
    """Get ready to adopt ``count`` siblings; False when this system cannot (start each worker
    as an interpreter of its own then)."""
    global _awaited
    if count <= 0:
        return False
    with _lock:
        if _awaited == 0 and not _subreaper(True):
            return False
        _awaited += count
    return True


def _arrived() -> None:
    """One awaited sibling adopted, or never coming: the last one ends the adopting."""
    global _awaited
    with _lock:
        _awaited -= 1
        if _awaited == 0:
            _subreaper(False)


class Forked:
    """A forked sibling as the pool handles a worker process (`subprocess.Popen`'s ``poll``,
    ``wait`` and ``kill``): its process id is known once it said it was adopted."""

    def __init__(self) -> None:
        self.pid: int | None = None
        self.returncode: int | None = None
        self._counted = False

    def adopted(self, pid: int) -> None:
        self.pid = pid
        self.settled()

    def settled(self) -> None:
        """The sibling is adopted, or will never be (its first worker died before forking)."""
        if not self._counted:
            self._counted = True
            _arrived()

    def poll(self) -> int | None:
        if self.returncode is None and self.pid is not None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # collected already, or never adopted: nothing to tell
                self.returncode = 255
            else:
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while (code := self.poll()) is None:
            if self.pid is None or (deadline is not None and time.monotonic() >= deadline):
                raise subprocess.TimeoutExpired("worker", timeout or 0.0)
            time.sleep(0.005)
        return code

    def kill(self) -> None:
        if self.pid is not None and self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)


# The worker's side -----------------------------------------------------------------------------
def fork(fd: int, close: Iterable[int], life: Callable[[Connection], None]) -> None:
    """Fork a sibling that lives ``life`` on the connection ``fd`` (see the module's notes),
    after closing the descriptors ``close`` (its first worker's and the other siblings'). In this
    process ``fd`` is closed, and the call returns once the middle process is gone.

    Only a process with no other thread may call it: a fork copies one thread, and a lock
    another held would stay held in the sibling.
    """
    run = os.getppid()
    middle = os.fork()
    if middle == 0:
        code = 0
        try:
            if os.fork() == 0:
                code = 1  # the sibling: an error before it ends on its own is a crash
                for other in close:
                    with contextlib.suppress(OSError):
                        os.close(other)
                deadline = time.monotonic() + _ADOPTION_SECONDS
                while os.getppid() != run and time.monotonic() < deadline:
                    time.sleep(0.0005)
                conn = Connection(fd)
                conn.send((None, STARTED, os.getpid()))
                life(conn)
        finally:
            os._exit(code)
    os.waitpid(middle, 0)
    os.close(fd)
