"""Runs as the catalog remembers them: who started each, how far it is, what happened to each file.

Every run records itself here, whoever started it (``kb index`` in a terminal, the web app, the
folder watcher): its row in ``runs`` (when, over which folders, whether a full rebuild, and its
summary once finished), its progress and its files' outcomes, so any process that reads the
catalog can follow a run live and list past ones. Writes are grouped: progress is stored at most
a few times a second and outcomes in batches, so a run over 100,000 files costs a few hundred
small transactions, not one per file. Files that stayed unchanged are counted in the run's
summary and not listed one by one. Only the latest `KEEP_RUNS` runs keep their events.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

from ..outcomes import Event, Phase, Progress
from .catalog import Catalog

#: Runs whose progress and file outcomes are kept.
KEEP_RUNS = 30
#: Seconds between two writes of a run's progress (outcomes are written with it).
FLUSH_SECONDS = 0.4
#: A run whose process has not written for this long, or has died, is no longer running.
STALE_SECONDS = 600
SOURCES = ("cli", "browser", "watcher")
#: Files done before the time left is estimated: the workers' first files end together, and
#: the pace is read from the files after them.
PACE_AFTER = 2


def start_run(catalog: Catalog, roots: list[str], full: bool) -> int:
    """A new run's row; its id is the run's id everywhere."""
    cur = catalog.db.execute(
        "INSERT INTO runs(started, full, roots) VALUES (?,?,?)",
        (time.time(), int(full), json.dumps(roots)),
    )
    return int(cur.lastrowid or 0)


def finish_run(catalog: Catalog, run_id: int, summary: dict[str, Any]) -> None:
    catalog.db.execute(
        "UPDATE runs SET finished = ?, summary = ? WHERE id = ?",
        (time.time(), json.dumps(summary), run_id),
    )


def rebuild_interrupted(catalog: Catalog) -> bool:
    """Whether the latest full rebuild never finished.

    Its batches marked files as indexed in the catalog while they went into the new index,
    which was then never swapped in: the active index may lack those files, and only
    another full rebuild makes catalog and index agree again.
    """
    row = catalog.db.execute(
        "SELECT finished FROM runs WHERE full = 1 ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return row is not None and row["finished"] is None


def last_run(catalog: Catalog) -> dict[str, Any] | None:
    row = catalog.db.execute(
        "SELECT * FROM runs WHERE finished IS NOT NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    return {
        "started": row["started"],
        "finished": row["finished"],
        "full": bool(row["full"]),
        "roots": json.loads(row["roots"]),
        **json.loads(row["summary"] or "{}"),
    }


class RunRecorder:
    """The observer of one run that writes its progress and outcomes to the catalog."""

    def __init__(self, catalog: Catalog, run_id: int, source: str) -> None:
        self.catalog = catalog
        self.run_id = run_id
        self.seq = 0
        self.pending: list[tuple[Any, ...]] = []
        self.progress = Progress("planning", 0, 0)
        self.flushed = 0.0
        self.first_done: float | None = None
        catalog.db.execute(
            "INSERT OR REPLACE INTO run_state VALUES (?,?,?,?,?,?,?,?,?)",
            (run_id, source, os.getpid(), "planning", 0, 0, "", time.time(), None),
        )
        _prune(catalog)

    def __call__(self, event: Event) -> None:
        if isinstance(event, Progress):
            # A new phase is written at once (readers learn the number of files to read as
            # soon as it is known); progress within a phase a few times a second.
            changed = event.phase != self.progress.phase
            self.progress = event
            if self.first_done is None and event.phase == "indexing" and event.done:
                self.first_done = time.time()
            final = event.phase != "indexing"
            if final or changed or time.monotonic() - self.flushed >= FLUSH_SECONDS:
                self.flush()
            return
        if (event.kind == "unchanged" and not event.redescribed) or event.repeated:
            return  # counted in the summary; a run lists what happened to it
        self.seq += 1
        self.pending.append(
            (
                self.run_id,
                self.seq,
                time.time(),
                event.kind,
                event.root,
                event.path,
                event.code,
                event.reason,
                event.detail,
            )
        )

    def flush(self, phase: Phase | None = None) -> None:
        p = self.progress
        with self.catalog.transaction():
            self.catalog.db.executemany(
                "INSERT OR REPLACE INTO run_events VALUES (?,?,?,?,?,?,?,?,?)", self.pending
            )
            self.catalog.db.execute(
                "UPDATE run_state SET phase = ?, done = ?, total = ?, current = ?, updated = ?, "
                "first_done = ? WHERE run_id = ?",
                (
                    phase or p.phase,
                    p.done,
                    p.total,
                    p.current,
                    time.time(),
                    self.first_done,
                    self.run_id,
                ),
            )
        self.pending = []
        self.flushed = time.monotonic()


def _prune(catalog: Catalog) -> None:
    with catalog.transaction():
        for table in ("run_events", "run_state"):
            catalog.db.execute(
                f"DELETE FROM {table} WHERE run_id NOT IN "
                "(SELECT run_id FROM run_state ORDER BY run_id DESC LIMIT ?)",
                (KEEP_RUNS,),
            )


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs (one of another user counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _run_dict(row: Any, now: float) -> dict[str, Any]:
    phase = row["phase"]
    running = phase not in ("finished", "stopped") and row["finished"] is None
    if running and (not process_alive(row["pid"]) or now - row["updated"] > STALE_SECONDS):
        phase, running = "stopped", False
    started = row["started"]
    end = row["finished"] or (now if running else row["updated"])
    elapsed = max(0.0, end - started)
    done, total = row["done"], row["total"]
    remaining = None
    first = dict(row).get("first_done")  # None in a catalog written before it was kept
    if running and phase == "indexing" and PACE_AFTER < done < total and first:
        # The pace since the first file was done: the time before it (looking at the folders,
        # starting the workers) is spent once, and counting it made the first estimates of a
        # short run many times too long.
        remaining = round(max(now - first, 0.0) / (done - 1) * (total - done), 1)
    summary = _summary(row["summary"])
    return {
        "id": row["run_id"],
        "source": row["source"],
        "running": running,
        "phase": phase,
        "done": done,
        "total": total,
        "current": row["current"],
        "started": started,
        "finished": row["finished"],
        "elapsed": round(elapsed, 1),
        "remaining": remaining,
        "full": bool(row["full"]),
        "summary": summary,
    }


def _summary(raw: str | None) -> dict[str, Any] | None:
    if not raw:
        return None
    data = json.loads(raw)
    keys = ("added", "updated", "renamed", "moved", "removed", "failed", "unchanged")
    return {k: data.get(k, 0) for k in (*keys, "duplicates", "pages", "seconds")}


_RUNS = """SELECT s.*, r.started, r.finished, r.full, r.summary FROM run_state s
           JOIN runs r ON r.id = s.run_id"""


def runs(catalog: Catalog, limit: int = 10) -> list[dict[str, Any]]:
    """The latest runs, newest first, each with its progress and (once done) its summary."""
    now = time.time()
    rows = catalog.db.execute(f"{_RUNS} ORDER BY s.run_id DESC LIMIT ?", (limit,)).fetchall()
    return [_run_dict(r, now) for r in rows]


def run(catalog: Catalog, run_id: int) -> dict[str, Any] | None:
    row = catalog.db.execute(f"{_RUNS} WHERE s.run_id = ?", (run_id,)).fetchone()
    return _run_dict(row, time.time()) if row else None


def events(catalog: Catalog, run_id: int, after: int = 0, limit: int = 200) -> list[dict[str, Any]]:
    """A run's file outcomes after the ``after``-th, in order (newest last)."""
    rows = catalog.db.execute(
        "SELECT seq, at, kind, root, path, code, reason, detail FROM run_events "
        "WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?",
        (run_id, after, limit),
    )
    return [{k: v for k, v in dict(r).items() if v != ""} for r in rows]


def latest_events(catalog: Catalog, run_id: int, limit: int = 50) -> list[dict[str, Any]]:
    """A run's last ``limit`` file outcomes, in order."""
    row = catalog.db.execute(
        "SELECT MAX(seq) FROM run_events WHERE run_id = ?", (run_id,)
    ).fetchone()
    last = int(row[0] or 0)
    return events(catalog, run_id, after=max(0, last - limit), limit=limit)
