"""Processor time each thread has spent in the garbage collector's full passes.

A search's budget (``matching.Budget``) counts the processor time of its thread, to stop a
query whose own work is too costly. A full pass of Python's collector walks every container
object of the process — in a long-lived process holding a few million of them, a few tenths
of a second — and runs inside whichever thread happens to allocate when the pass is due. The
search that thread was serving then paid for objects it never made: in a process that had
not settled its objects (a one-off engine, a test run's worker), a single pass could use up a
whole budget, and the search returned an empty, "partial" answer for words it would have
matched in milliseconds. The budget leaves out the time measured here.

Only full passes (the oldest generation) are timed: the younger ones walk at most a few
thousand recent objects, run far more often, and cost a search next to nothing.
"""

from __future__ import annotations

import gc
import threading
import time

#: The collector's oldest generation: a pass over it walks every tracked object.
FULL_PASS = 2

_local = threading.local()


def spent() -> float:
    """Processor seconds this thread has spent in full passes of the collector so far."""
    total: float = getattr(_local, "spent", 0.0)
    return total


def _timed(phase: str, info: dict[str, int]) -> None:
    """The collector's callback: called in the collecting thread before and after each pass."""
    if info.get("generation") != FULL_PASS:
        return
    if phase == "start":
        _local.started = time.thread_time()
        return
    started: float | None = getattr(_local, "started", None)
    if started is not None:
        _local.spent = spent() + time.thread_time() - started
        _local.started = None


if _timed not in gc.callbacks:
    gc.callbacks.append(_timed)
