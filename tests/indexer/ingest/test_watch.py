"""The folder watcher: files still being written are waited for; renames stay renames."""

from __future__ import annotations

import threading
import time

from click.testing import CliRunner

from indexer.cli import main
from indexer.ingest.watch import follow, wait_until_settled
from indexer.store.catalog import Catalog
from indexer.store.runlog import runs
from tests.factories import TEXTS, make_pdf


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
    assert wait_until_settled([str(path)], interval=0.25)
    writer.join()
    assert time.monotonic() - start >= 0.6
    assert path.read_text().count("more") == 6


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
