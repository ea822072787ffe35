"""The folder watcher: files still being written are waited for; renames stay renames."""

from __future__ import annotations

import os
import threading
import time

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.ingest.watch import follow, wait_until_settled
from indexer.store.catalog import Catalog
from indexer.store.runlog import runs
from tests.factories import TEXTS, make_pdf, make_text


def test_a_file_still_being_written_is_waited_for(tmp_path):
    path = tmp_path / "growing.txt"
    path.write_text("start")

    def grow() -> None:
        for _ in range(6):
            time.sleep(0.1)
            with path.open("a") as fh:
                fh.write(" more")

    writer = threading.Thread(target=grow)
    start = time.monotonic()
    writer.start()
    settled = wait_until_settled([str(path)], interval=0.25)
    # What the watcher would read the moment it goes on: the whole file, written to the end.
    written_when_settled = path.read_text().count("more")
    waited = time.monotonic() - start
    writer.join()
    assert settled
    assert written_when_settled == 6
    assert waited >= 0.6 + 0.25  # the last write, then one quiet look


def test_the_watcher_indexes_new_and_renamed_files(settings):
    make_pdf(settings.corpus / "first.pdf", [TEXTS["en"]])
    stop = threading.Event()
    results = []
    thread = threading.Thread(
        target=follow,
        args=(settings,),
        kwargs={"stop": stop, "workers": 1, "on_run": results.append, "debounce_ms": 300},
    )
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not results and time.monotonic() < deadline:
            time.sleep(0.1)
        assert results[0].added == 1
        (settings.corpus / "first.pdf").rename(settings.corpus / "renamed.pdf")
        while len(results) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert results[1].renamed == 1 and results[1].added == 0
    finally:
        stop.set()
        thread.join(30)
    with Catalog(settings.catalog_path) as catalog:
        assert {r["source"] for r in runs(catalog)} == {"watcher"}


def test_export_manifest_command(settings, tmp_path):
    make_pdf(settings.corpus / "a_report.pdf", [TEXTS["en"]])
    env = {"KB_HOME": str(settings.home), "KB_CORPUS": str(settings.corpus)}
    runner = CliRunner()
    assert runner.invoke(main, ["index"], env=env).exit_code == 0
    result = runner.invoke(main, ["export-manifest"], env=env)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith('"path","title","country"')
    assert lines[1].startswith('"a_report.pdf",')
    out = tmp_path / "m.csv"
    assert runner.invoke(main, ["export-manifest", "-o", str(out)], env=env).exit_code == 0
    assert out.read_text().splitlines() == lines


def _watchers(home) -> list[int]:
    """Processes watching the folders of the data folder ``home``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                args = fh.read().decode(errors="replace").split("\0")
            with open(f"/proc/{entry}/stat") as fh:
                if fh.read().rsplit(")", 1)[1].split()[0] == "Z":  # ended, not yet reaped
                    continue
        except OSError:
            continue
        if "indexer.cli" in args and "watch" in args and str(home) in args:
            found.append(int(entry))
    return found


def _wait_for(condition, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.slow
def test_a_killed_servers_watcher_ends_and_a_restart_has_one(settings):
    """Before: `kb serve --watch` killed with SIGKILL left its watcher running, and each
    restart added one more."""
    import signal
    import subprocess
    import sys

    from tests.webapp.test_server import free_port

    make_text(settings.corpus / "note.txt", "A first note about cooperatives.")
    env = {
        **os.environ,
        "KB_HOME": str(settings.home),
        "KB_CORPUS": str(settings.corpus),
        "KB_WORKERS": "1",
    }

    def serve() -> subprocess.Popen:
        command = ["serve", "--watch", "--port", str(free_port()), "--workers", "1"]
        return subprocess.Popen(
            [sys.executable, "-m", "indexer.cli", *command],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    first = serve()
    try:
        assert _wait_for(lambda: len(_watchers(settings.home)) == 1)
        (watcher,) = _watchers(settings.home)
        first.send_signal(signal.SIGKILL)  # no chance to stop its watcher
        first.wait(30)
        assert _wait_for(lambda: not _watchers(settings.home), 30), "the watcher outlived it"
        second = serve()
        try:
            assert _wait_for(lambda: len(_watchers(settings.home)) == 1)
            time.sleep(3)  # a second watcher, if one were started, would be there by now
            assert len(_watchers(settings.home)) == 1
        finally:
            second.terminate()
            second.wait(60)
    finally:
        for pid in _watchers(settings.home):
            os.kill(pid, signal.SIGKILL)
        if first.poll() is None:
            first.kill()
    assert watcher not in _watchers(settings.home)


def test_a_second_watcher_of_one_data_folder_is_refused(settings, monkeypatch):
    from indexer.ingest import watch
    from indexer.ingest.watch import AlreadyWatched

    monkeypatch.setattr(watch, "LOCK_WAIT", 0.5)  # not the ten seconds a restart may need

    stop = threading.Event()
    thread = threading.Thread(
        target=follow, args=(settings,), kwargs={"stop": stop, "workers": 1, "debounce_ms": 200}
    )
    thread.start()
    try:
        assert _wait_for(lambda: (settings.home / "watch.lock").is_file(), 30)
        time.sleep(0.5)
        with pytest.raises(AlreadyWatched, match="already watched by process"):
            follow(settings, stop=threading.Event(), workers=1)
    finally:
        stop.set()
        thread.join(30)
