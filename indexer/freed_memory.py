"""Memory a process has freed, given back to the system.

Python hands freed memory back to the C allocator, which keeps it for later use: a long
indexing run frees the whole of each document (a worker) or of each batch (the writer), but the
pages stay counted in the process's resident memory wherever one live object keeps the heap
from shrinking. A worker's word caches fill in among the documents' short-lived objects, so
after a few thousand documents its resident memory had grown by tens of megabytes that held
nothing. glibc's ``malloc_trim`` returns every whole free page to the system (microseconds
when there is little to return); elsewhere there is nothing to call and nothing is done.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from functools import cache


@cache
def _trim() -> Callable[[int], int] | None:
    try:  # the C library the interpreter is linked with, already loaded
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):  # not glibc
        return None
    return trim


def give_back() -> bool:
    """Return the pages the process freed to the system; whether the system allows it."""
    trim = _trim()
    if trim is None:
        return False
    trim(0)
    return True
