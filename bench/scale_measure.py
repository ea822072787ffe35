"""How the scale benchmark measures: percentiles, wall and CPU time of one call, the CPU time
and the peak memory of a process tree (a server and its workers).

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

_TICKS = os.sysconf("SC_CLK_TCK")


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


def _stats() -> dict[int, tuple[int, float]]:
    """Parent and CPU seconds (user + system) of every live process."""
    out: dict[int, tuple[int, float]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            out[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICKS)
        except (OSError, IndexError, ValueError):
            continue
    return out


def _tree(pid: int, stats: dict[int, tuple[int, float]]) -> set[int]:
    """A process and all its descendants."""
    members = {pid}
    grew = True
    while grew:
        grew = False
        for child, (parent, _) in stats.items():
            if parent in members and child not in members:
                members.add(child)
                grew = True
    return members


def tree_cpu(pid: int) -> float:
    """CPU seconds used so far by a process and its live descendants (a server's master and
    workers): the difference over a run of requests is what the server spent on them."""
    stats = _stats()
    return sum(stats[m][1] for m in _tree(pid, stats) if m in stats)


def wait_idle(pid: int, quiet: float = 0.03, every: float = 0.5, limit: float = 120) -> None:
    """Returns once a process tree has used less than ``quiet`` CPU seconds over ``every``
    seconds: a server that has started and finished whatever it does before its first request."""
    deadline = time.monotonic() + limit
    last = tree_cpu(pid)
    while time.monotonic() < deadline:
        time.sleep(every)
        now = tree_cpu(pid)
        if now - last < quiet:
            return
        last = now


def tree_memory(pid: int) -> dict[str, int]:
    """Memory of a process and its descendants: resident in all, proportional (shared pages
    split between the processes mapping them: the real total), and the largest process's
    resident and private memory."""
    members = _tree(pid, _stats())
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
