"""Pages whose picture or layout could not be made, remembered beside the cache.

A hostile or damaged page fails the same way every time, and rendering it again for every
visitor would only spend the renderer's time: such a failure is kept for good (until the file's
content changes, which changes where its pictures are kept). A failure for a passing reason —
the renderer ran out of its wall-clock time on a busy machine, or was killed — is tried again
after a while, waiting twice as long each time, and given up only after `RETRIES` of them.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

#: Seconds before a passing failure is tried again (doubled after each further failure).
RETRY_SECONDS = 60.0
#: Passing failures of one page after which it is no longer tried.
RETRIES = 3


def remember(failed: Path, reason: str, passing: bool, now: float | None = None) -> None:
    """Record a failure in ``failed`` (counting passing ones)."""
    count = 1
    if passing:
        before = _read(failed)
        if before is not None and before.get("passing"):
            count = int(before.get("count", 0)) + 1
    record = {
        "reason": reason,
        "passing": passing,
        "count": count,
        "at": time.time() if now is None else now,
    }
    failed.write_text(json.dumps(record), "utf-8")


def holding(failed: Path, now: float | None = None) -> str | None:
    """The reason of a remembered failure that still holds (None: try to render)."""
    if not failed.is_file():
        return None
    record = _read(failed)
    if record is None:  # written by an earlier version: a reason in plain text, kept for good
        try:
            return failed.read_text("utf-8")
        except OSError:
            return None
    reason = str(record.get("reason", ""))
    if not record.get("passing"):
        return reason
    count = int(record.get("count", 1))
    if count >= RETRIES:
        return reason
    due = float(record.get("at", 0)) + RETRY_SECONDS * 2 ** (count - 1)
    return reason if (time.time() if now is None else now) < due else None


def _read(failed: Path) -> dict[str, Any] | None:
    try:
        record = json.loads(failed.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None
