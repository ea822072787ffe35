"""Wall time, CPU time and peak memory of a command and every process it starts.

Indexing runs in several processes (the main one, a fork server, extraction workers), so the
resources of the main process alone say little. This samples ``/proc`` while the command runs:
the resident memory of the whole process tree at each sample (its peak is the figure that
matters on a small server), and each process's CPU time as last seen. Linux only.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

_PAGE = os.sysconf("SC_PAGE_SIZE")
_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Measured:
    """What one command cost. Memory in MB (10^6 bytes), times in seconds."""

    wall: float
    cpu: float  # all processes
    main_cpu: float  # the command's own process
    peak_tree_mb: float  # sum of the processes' resident memory
    peak_main_mb: float
    #: Sum of proportional set sizes: memory shared by several processes counted once.
    peak_tree_pss_mb: float
    #: The main process's own memory (anonymous: heap, not pages of files it maps, such as an
    #: index read through mmap, which the kernel can drop and read again at any time).
    peak_main_anon_mb: float
    returncode: int
    stdout: str = ""
    stderr: str = ""
    processes: int = 0
    samples: list[tuple[float, float]] = field(default_factory=list)  # (seconds, tree MB)


def _stat(pid: int) -> tuple[int, float] | None:
    """Parent pid and CPU seconds (user + system) of a live process."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return None
    # The command name may contain spaces or parentheses: fields start after the last ')'.
    fields = raw[raw.rindex(b")") + 2 :].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICKS


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _kilobytes(path: str, field: str) -> int:
    """Bytes of one ``Field:  N kB`` line of a /proc file (0 when the process is gone)."""
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _anonymous(pid: int) -> int:
    return _kilobytes(f"/proc/{pid}/status", "RssAnon:")


def _pss(pid: int) -> int:
    return _kilobytes(f"/proc/{pid}/smaps_rollup", "Pss:")


def _tree(root: int) -> dict[int, float]:
    """CPU seconds of ``root`` and all its live descendants."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            found = _stat(int(entry.name))
            if found is not None:
                parents[int(entry.name)], cpu[int(entry.name)] = found
    members = {root}
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in members and pid not in members:
                members.add(pid)
                grew = True
    return {pid: cpu[pid] for pid in members if pid in cpu}


def measure(
    command: Sequence[str],
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    interval: float = 0.1,
) -> Measured:
    """Run ``command`` to its end, sampling its process tree every ``interval`` seconds."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        list(command),
        env=dict(env) if env is not None else None,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    last_cpu: dict[int, float] = {}
    peak_tree = peak_main = peak_pss = peak_anon = 0
    samples: list[tuple[float, float]] = []
    out_chunks: list[str] = []
    err_chunks: list[str] = []

    def drain(stream: IO[str], into: list[str]) -> None:
        for line in stream:
            into.append(line)

    readers = [
        threading.Thread(target=drain, args=(proc.stdout, out_chunks), daemon=True),
        threading.Thread(target=drain, args=(proc.stderr, err_chunks), daemon=True),
    ]
    for reader in readers:
        reader.start()
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        cpu = _tree(proc.pid)
        last_cpu.update(cpu)
        tree = sum(_rss(pid) for pid in cpu)
        main = _rss(proc.pid)
        peak_tree, peak_main = max(peak_tree, tree), max(peak_main, main)
        peak_anon = max(peak_anon, _anonymous(proc.pid))
        peak_pss = max(peak_pss, sum(_pss(pid) for pid in cpu))
        samples.append((time.perf_counter() - started, tree / 1e6))
        time.sleep(interval)
    wall = time.perf_counter() - started
    for reader in readers:
        reader.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    # The figure of the main process with the children it waited for is exact; the sampled sum
    # also holds processes nobody waits for (and misses at most one interval per process).
    waited = usage.ru_utime + usage.ru_stime
    return Measured(
        wall=wall,
        cpu=max(sum(last_cpu.values()), waited),
        main_cpu=last_cpu.get(proc.pid, 0.0),
        peak_tree_mb=peak_tree / 1e6,
        peak_main_mb=peak_main / 1e6,
        peak_tree_pss_mb=peak_pss / 1e6,
        peak_main_anon_mb=peak_anon / 1e6,
        returncode=proc.returncode,
        stdout="".join(out_chunks),
        stderr="".join(err_chunks),
        processes=len(last_cpu),
        samples=samples,
    )
