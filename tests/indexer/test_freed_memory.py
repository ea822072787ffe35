"""Freed memory goes back to the system even when a live object stands above it in the heap."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from indexer.freed_memory import give_back


def _resident_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads /proc")
def test_freed_pages_leave_the_resident_memory() -> None:
    if not give_back():
        pytest.skip("this C library gives nothing back")
    before = _resident_mb()
    # 60 MB of objects too large for Python's own small-object allocator, then one that
    # outlives them, allocated after them: the heap cannot shrink from its top.
    freed = [bytes(2_000) + bytes([n % 256]) for n in range(30_000)]
    kept = bytes(3_000) + b"kept"
    grown = _resident_mb()
    assert grown - before > 40
    del freed
    assert give_back()
    after = _resident_mb()
    assert grown - after > 40
    assert kept.endswith(b"kept")
