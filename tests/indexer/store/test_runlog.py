"""The runs the catalog records: the time left, as a run in progress shows it."""

from __future__ import annotations

import math
from types import SimpleNamespace

from indexer.outcomes import Outcome, Progress
from indexer.store import runlog
from indexer.store.catalog import Catalog


def test_the_time_left_follows_the_pace_once_files_are_done(tmp_path, monkeypatch):
    """Two workers, twenty files of half a second each, after three seconds of looking at the
    folders and starting the workers: the estimates stay near the truth from the first one."""
    clock = SimpleNamespace(now=0.0)
    monkeypatch.setattr(
        runlog, "time", SimpleNamespace(time=lambda: clock.now, monotonic=lambda: clock.now)
    )
    total, start, each = 20, 3.0, 0.5
    finished = [start + each * math.ceil(i / 2) + (0.01 if i % 2 == 0 else 0) for i in range(1, 21)]
    with Catalog(tmp_path / "catalog.db", readonly=False) as catalog:
        run_id = runlog.start_run(catalog, [str(tmp_path)], full=False)
        recorder = runlog.RunRecorder(catalog, run_id, "cli")
        recorder(Progress("indexing", 0, total))
        estimates = {}
        for done, at in enumerate(finished, start=1):
            clock.now = at
            recorder(Outcome("added", f"file_{done}.txt", str(tmp_path)))
            recorder(Progress("indexing", done, total, f"file_{done}.txt"))
            recorder.flush()
            estimates[done] = runlog.run(catalog, run_id)["remaining"]
    assert estimates[1] is None and estimates[2] is None  # no pace yet
    for done in range(3, total):
        truth = finished[-1] - finished[done - 1]
        # Within four tenths of the truth, or of one file's time near the end.
        assert abs(estimates[done] - truth) <= max(0.4 * truth, each), (done, estimates[done])
