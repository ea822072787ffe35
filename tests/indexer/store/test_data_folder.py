"""Unlucky data folders on real file systems: read-only (a read-only bind mount, or permissions
when not root) and full (a small tmpfs). Searching needs no writes; a run on a full disk stops
with one line, leaves nothing half-built, and the previous index keeps serving."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer.config import Settings
from indexer.ingest.run import run_index
from indexer.store.catalog import Catalog
from tests.factories import TEXTS, encrypt_pdf, make_pdf, make_text
from tests.knowledge_bases import NO_DICTIONARIES


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


def _umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


def kb(home: Path, corpus: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "KB_HOME": str(home), "KB_CORPUS": str(corpus), "KB_WORKERS": "1"}
    env["KB_DICTIONARIES"] = str(corpus.parent / NO_DICTIONARIES)  # the glossary alone crosses
    return subprocess.run(
        [sys.executable, "-m", "indexer.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kb: "), proc.stderr
    assert "Traceback" not in proc.stderr
    return lines[0]


def small_kb(root: Path) -> Settings:
    docs = root / "docs"
    make_text(docs / "centres_en.txt", TEXTS["en"])
    make_pdf(docs / "centre_bg.pdf", [TEXTS["bg"], "Втората страница."])
    plain = make_pdf(root / "plain.pdf", [TEXTS["pt"]])
    encrypt_pdf(plain, docs / "locked.pdf", user_password="pw")
    # The glossary alone crosses languages, whatever dictionaries the machine has (as ``kb``).
    settings = Settings(
        home=root / "home", corpus=docs, workers=1, dictionaries=root / NO_DICTIONARIES
    )
    run_index(settings)
    return settings


# Read-only ------------------------------------------------------------------------------------
@pytest.fixture
def read_only(tmp_path):
    """``make(folder)`` gives a path where ``folder`` can be read but not written."""
    mounted: list[Path] = []
    locked: list[Path] = []

    def make(folder: Path) -> Path:
        if os.geteuid() != 0:  # permissions bind everyone but root
            for path in [folder, *folder.rglob("*")]:
                path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
                locked.append(path)
            return folder
        view = tmp_path / f"read-only-{len(mounted)}"
        view.mkdir()
        if not (
            _mount("--bind", str(folder), str(view)) and _mount("-o", "remount,ro,bind", str(view))
        ):
            _umount(view)
            pytest.skip("root here may not mount: no way to make a folder read-only for root")
        mounted.append(view)
        return view

    yield make
    for view in mounted:
        _umount(view)
    for path in locked:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


def test_cli_searches_from_a_read_only_data_folder(tmp_path, read_only):
    """Before: kb search and kb status crashed with a traceback."""
    settings = small_kb(tmp_path)
    home = read_only(settings.home)
    found = json.loads(kb(home, settings.corpus, "search", "иновации", "--json").stdout)
    assert [h["path"] for h in found["hits"]] == ["centre_bg.pdf"]
    status = json.loads(kb(home, settings.corpus, "status", "--json").stdout)
    assert status["counts"] == {"indexed": 2, "failed": 1, "removed": 0, "manifest_problems": 0}
    listed = json.loads(kb(home, settings.corpus, "list", "--json").stdout)
    assert len(listed) == 2
    line = one_line_error(kb(home, settings.corpus, "index"))
    assert "cannot be written" in line and "previous index is unchanged" in line
    assert sorted(p.name for p in settings.home.iterdir()) == sorted(p.name for p in home.iterdir())


def test_web_app_serves_from_a_read_only_data_folder(tmp_path, read_only):
    """Before: a new server answered 500 on every page."""
    from webapp import create_app

    settings = small_kb(tmp_path)
    home = read_only(settings.home)
    app = create_app(settings.with_(home=home, host="127.0.0.1"))
    client = app.test_client()
    for url in ("/", "/search?q=centres", "/api/search?q=иновации", "/api/facets", "/admin"):
        assert client.get(url).status_code == 200, url
    doc = client.get("/api/search?q=иновации").get_json()["hits"][0]
    assert client.get(f"/documents/{doc['id']}?q=иновации").status_code == 200
    assert client.get(f"/documents/{doc['id']}/file").status_code == 200
    health = client.get("/healthz").get_json()
    assert health["status"] == "ok" and health["documents"] == 2
    client.get("/?lang=bg")  # a session works without a key file
    assert '<html lang="bg">' in client.get("/search?q=x").get_data(as_text=True)
    assert not (home / "secret_key").exists()


def test_read_only_catalog_sees_the_owners_next_run(tmp_path, read_only):
    """A server that may not write the folder still follows runs made by its owner."""
    settings = small_kb(tmp_path)
    view = read_only(settings.home)
    if view == settings.home:
        pytest.skip("the folder itself is read-only here, so its owner cannot index either")
    catalog = Catalog(view / "catalog.sqlite3")
    assert catalog.readonly and catalog.counts()["indexed"] == 2
    make_text(settings.corpus / "new_en.txt", "A new note about social innovation hubs.")
    run_index(settings)
    time.sleep(0.6)
    assert catalog.counts()["indexed"] == 3
    catalog.close()


def test_an_empty_read_only_folder_is_a_clear_error(tmp_path, read_only):
    empty = tmp_path / "empty"
    empty.mkdir()
    home = read_only(empty)
    line = one_line_error(kb(home, tmp_path, "search", "x"))
    assert "cannot be written" in line or "cannot be read" in line


# Full disk ------------------------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path):
    """A real 6 MB file system (tmpfs), so writes fail with 'No space left on device'."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=6m", "tmpfs", str(disk)):
        pytest.skip("needs root allowed to mount a tmpfs to fill a real disk")
    yield disk
    _umount(disk)


def fill(disk: Path, leave: int = 0) -> Path:
    """Fill the file system, then free ``leave`` bytes."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while os.write(fd, b"\0" * 65536):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    if leave:
        os.truncate(filler, max(filler.stat().st_size - leave, 0))
    return filler


@pytest.mark.slow
@pytest.mark.parametrize("leave", [0, 96 * 1024], ids=["no-byte-free", "some-room"])
def test_a_full_disk_stops_a_rebuild_cleanly_and_the_old_index_serves(tmp_path, small_disk, leave):
    """Before: a 25-line traceback and a half-built index folder left behind."""
    from webapp import create_app

    docs = tmp_path / "docs"
    for n in range(8):
        make_text(docs / f"note{n}_en.txt", f"Note {n}. " + TEXTS["en"] * 3)
    settings = Settings(home=small_disk / "home", corpus=docs, workers=1)
    assert kb(settings.home, docs, "index").returncode == 0
    index_root = settings.home / "index"
    before = sorted(p.name for p in index_root.iterdir())
    filler = fill(small_disk, leave)

    line = one_line_error(kb(settings.home, docs, "index", "--full"))
    assert "full" in line and "previous index is unchanged" in line
    assert sorted(p.name for p in index_root.iterdir()) == before  # nothing half-built

    found = json.loads(kb(settings.home, docs, "search", "innovation", "--json").stdout)
    assert found["total"] == 8
    client = create_app(settings).test_client()
    assert client.get("/api/search?q=innovation").get_json()["total"] == 8

    filler.unlink()  # space again: the next run does the job, nothing was lost
    make_text(docs / "late_en.txt", "A late note on payment by results.")
    assert kb(settings.home, docs, "index").returncode == 0
    found = json.loads(kb(settings.home, docs, "search", "payment", "--json").stdout)
    assert [h["path"] for h in found["hits"]] == ["late_en.txt"]


@pytest.mark.slow
def test_a_full_disk_fails_an_incremental_run_without_losing_anything(tmp_path, small_disk):
    docs = tmp_path / "docs"
    make_text(docs / "first_en.txt", TEXTS["en"])
    settings = Settings(home=small_disk / "home", corpus=docs, workers=1)
    assert kb(settings.home, docs, "index").returncode == 0
    for n in range(5):
        make_text(docs / f"more{n}_pt.txt", TEXTS["pt"] * 20)
    filler = fill(small_disk)
    one_line_error(kb(settings.home, docs, "index"))
    assert json.loads(kb(settings.home, docs, "search", "centres", "--json").stdout)["total"] == 1
    filler.unlink()
    assert kb(settings.home, docs, "index").returncode == 0
    status = json.loads(kb(settings.home, docs, "status", "--json").stdout)
    assert status["counts"]["indexed"] == 6


def test_a_reindex_from_the_web_on_a_full_disk_reports_one_line(tmp_path, small_disk, capfd):
    from webapp import create_app

    docs = tmp_path / "docs"
    make_text(docs / "first_en.txt", TEXTS["en"] * 5)
    settings = Settings(home=small_disk / "home", corpus=docs, workers=1, host="127.0.0.1")
    run_index(settings)
    app = create_app(settings)
    fill(small_disk)
    jobs = app.extensions["kb_jobs"]
    jobs.start(full=True)
    jobs.wait(120)
    assert jobs.state.state == "failed"
    assert "full" in jobs.state.error and "\n" not in jobs.state.error
    assert "Traceback" not in capfd.readouterr().err
    assert app.test_client().get("/api/search?q=centres").get_json()["total"] == 1
    shutil.rmtree(settings.home / "index" / "unused", ignore_errors=True)


def _admin_changes(client, doc_id: str) -> list:
    """An upload, a correction and a deletion from the admin pages: the answers."""
    import io
    import re

    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/admin").text).group(1)
    upload = client.post(
        "/admin/upload",
        data={"csrf_token": token, "files": [(io.BytesIO(b"A short new note."), "new.txt")]},
        content_type="multipart/form-data",
    )
    edit = client.post(
        f"/admin/documents/{doc_id}/edit", data={"csrf_token": token, "title": "Renamed"}
    )
    delete = client.post(f"/admin/documents/{doc_id}/delete", data={"csrf_token": token})
    return [upload, edit, delete]


def test_changes_from_the_web_on_a_read_only_data_folder_say_so(tmp_path, read_only):
    """Before: a bare 500 for each (nothing was lost)."""
    from webapp import create_app

    settings = small_kb(tmp_path)
    home = read_only(settings.home)
    app = create_app(settings.with_(home=home, host="127.0.0.1"))
    client = app.test_client()
    doc_id = client.get("/api/search?q=centres").get_json()["hits"][0]["id"]
    for answer in _admin_changes(client, doc_id):
        assert answer.status_code == 503, answer.request.path
        assert "cannot be written (read-only file system)" in answer.text
        assert str(home) not in answer.text
    assert client.get("/api/search?q=centres").get_json()["total"] == 1


def test_changes_from_the_web_on_a_full_disk_say_so(tmp_path, small_disk):
    from webapp import create_app

    docs = tmp_path / "docs"
    make_text(docs / "first_en.txt", TEXTS["en"] * 5)
    settings = Settings(home=small_disk / "home", corpus=docs, workers=1, host="127.0.0.1")
    run_index(settings)
    client = create_app(settings).test_client()
    doc_id = client.get("/api/search?q=centres").get_json()["hits"][0]["id"]
    client.get("/admin")  # the session's form token is made before the disk fills
    filler = fill(small_disk)
    for answer in _admin_changes(client, doc_id):
        assert answer.status_code == 507, answer.request.path
        assert "data folder is full" in answer.text
        assert "Traceback" not in answer.text and str(small_disk) not in answer.text
    filler.unlink()
    assert client.get("/api/search?q=centres").get_json()["total"] == 1
