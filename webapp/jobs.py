"""Indexing started from the web app: one background run at a time, the next one queued.

Uploads must become searchable at once, but an upload request must not wait for extraction.
A run happens in a thread of the server process (extraction itself still goes to worker
processes); a request that arrives during a run marks another run as wanted, so files uploaded
meanwhile are never missed.
"""

from __future__ import annotations

import threading
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

from indexer import Event, IndexBusy, KbError, Progress, Settings, run_index


@dataclass
class JobState:
    state: str = "idle"  # idle | running | failed
    started: float | None = None
    finished: float | None = None
    full: bool = False
    summary: dict[str, Any] | None = None
    error: str | None = None
    queued: bool = False
    runs: int = 0
    #: The running run's progress: phase, files done of total, the file just settled.
    progress: dict[str, Any] | None = None
    history: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "history"} | {
            "history": self.history[-5:]
        }


class IndexingJobs:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.state = JobState()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._want_full = False
        self._retry = False

    def start(self, full: bool = False, retry_failed: bool = False) -> bool:
        """Start a run now, or queue one after the current run. True if a run started."""
        with self._lock:
            self._retry = self._retry or retry_failed
            if self._thread is not None and self._thread.is_alive():
                self.state.queued = True
                self._want_full = self._want_full or full
                return False
            self._thread = threading.Thread(
                target=self._loop, args=(full,), daemon=True, name="kb-indexing"
            )
            self.state.state = "running"
            self.state.started = time.time()
            self.state.full = full
            self._thread.start()
            return True

    def wait(self, timeout: float | None = None) -> None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _loop(self, full: bool) -> None:
        while True:
            self._run(full)
            with self._lock:
                if not self.state.queued:
                    self._thread = None
                    return
                self.state.queued = False
                full, self._want_full = self._want_full, False
                self.state.state = "running"
                self.state.started = time.time()
                self.state.full = full

    def _observe(self, event: Event) -> None:
        if isinstance(event, Progress):
            self.state.progress = {
                "phase": event.phase,
                "done": event.done,
                "total": event.total,
                "current": event.current,
            }

    def _run(self, full: bool) -> None:
        self.state.progress = None
        try:
            retry, self._retry = self._retry, False
            summary = run_index(
                self.settings,
                full=full,
                retry_failed=retry,
                observers=[self._observe],
                source="browser",
            )
        except IndexBusy as err:
            # A `kb index` from the command line is running; try again once it has finished.
            self._finish("failed", error=str(err))
            self.state.queued = True
            self._retry = self._retry or retry  # the run asked for still happens as asked
            time.sleep(2)
            return
        except KbError as err:
            self._finish("failed", error=str(err))
            return
        except Exception as err:  # keep the server alive whatever happens in a run
            traceback.print_exc()
            self._finish("failed", error=f"{type(err).__name__}: {err}")
            return
        self._finish("idle", summary=summary.to_dict())

    def _finish(
        self, state: str, summary: dict[str, Any] | None = None, error: str | None = None
    ) -> None:
        self.state.state = state
        self.state.finished = time.time()
        self.state.summary = summary
        self.state.error = error
        self.state.runs += 1
        self.state.history.append(
            {
                "finished": self.state.finished,
                "full": self.state.full,
                "error": error,
                "summary": summary,
            }
        )
