"""How the scale benchmark measures: percentiles, wall and CPU time of one call, and the peak
memory of a process tree sampled while it runs.

Kept apart from what is measured (searches in process, over HTTP, the baselines) because all of
them report the same figures the same way. Memory is read from Linux's ``smaps_rollup``, which
gives proportional and private memory besides the resident size: a server's workers share most
of their pages, so their resident sizes added up overstate what the machine needs.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Any


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def timed(fn: Callable[[], Any]) -> tuple[float, float]:
    """Wall and CPU milliseconds of one call."""
    wall, cpu = time.perf_counter(), time.thread_time()
    fn()
    return (time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000


def _smaps(pid: int) -> dict[str, int]:
    """Rss, Pss and private memory of one process in bytes (Linux's smaps_rollup)."""
    out = {"rss": 0, "pss": 0, "private": 0}
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                name, _, rest = line.partition(":")
                if name in ("Rss", "Pss", "Private_Clean", "Private_Dirty"):
                    value = int(rest.split()[0]) * 1024
                    key = {"Rss": "rss", "Pss": "pss"}.get(name, "private")
                    out[key] += value
    except (OSError, ValueError):
        pass
    return out


def tree_memory(pid: int) -> dict[str, int]:
    """Memory of a process and its descendants: resident in all, proportional (shared pages
    split between the processes mapping them: the real total), and the largest process's
    resident and private memory."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                parents[int(entry.name)] = int(fh.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    members = {pid}
    grew = True
    while grew:
        grew = False
        for child, parent in parents.items():
            if parent in members and child not in members:
                members.add(child)
                grew = True
    each = [_smaps(m) for m in members]
    return {
        "rss": sum(m["rss"] for m in each),
        "pss": sum(m["pss"] for m in each),
        "largest_rss": max((m["rss"] for m in each), default=0),
        "largest_private": max((m["private"] for m in each), default=0),
    }


class PeakMemory:
    """Samples a process tree's memory in a thread until stopped; keeps each figure's peak."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        self.pid, self.every = pid, every
        self.peak: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            for key, value in tree_memory(self.pid).items():
                self.peak[key] = max(self.peak.get(key, 0), value)
            self._stop.wait(self.every)

    def stop(self) -> dict[str, int]:
        """The peaks in MB (2^20 bytes), rounded."""
        self._stop.set()
        self._thread.join()
        return {k: round(v / 2**20) for k, v in self.peak.items()}
