"""Editors' pages without a browser: duplicates refused, JSON twins, checked corrections."""

from __future__ import annotations

import io
import queue
import random
import re
import threading

import pytest

from tests.factories import make_pdf
from tests.knowledge_bases import build_sample_kb
from webapp import create_app


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    settings = build_sample_kb(tmp_path_factory.mktemp("manage"))
    app = create_app(settings.with_(host="127.0.0.1"))
    app.config.update(TESTING=True)
    return app


def _token(client) -> str:
    html = client.get("/admin").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_an_upload_of_an_indexed_document_is_refused_with_a_link(app):
    client = app.test_client()
    settings = app.extensions["kb_settings"]
    data = (settings.corpus / "en/pbr_en.pdf").read_bytes()
    form = {"csrf_token": _token(client), "files": [(io.BytesIO(data), "copy.pdf")]}
    html = client.post(
        "/admin/upload", data=form, content_type="multipart/form-data", follow_redirects=True
    ).get_data(as_text=True)
    assert "Already in the knowledge base as" in html
    assert "Payment by Results in Social Services</a>" in html
    assert 'name="include"' not in html  # nothing to add
    # Scripts that add at once are told the same.
    form = {"csrf_token": _token(client), "files": [(io.BytesIO(data), "copy.pdf")], "confirm": "1"}
    html = client.post(
        "/admin/upload", data=form, content_type="multipart/form-data", follow_redirects=True
    ).get_data(as_text=True)
    assert "copy.pdf is already in the knowledge base as Payment by Results" in html


def test_every_admin_page_has_its_json_twin(app):
    client = app.test_client()
    runs = client.get("/api/admin/runs").get_json()
    assert runs["shown"]["source"] == "cli" and runs["shown"]["summary"]["added"] == 6
    assert client.get("/api/admin/tasks").get_json() == {"failures": []}
    assert client.get("/api/admin/trash").get_json()["days"] == 30
    assert "entries" in client.get("/api/admin/audit").get_json()
    doc_id = client.get("/api/search?q=steering").get_json()["hits"][0]["id"]
    values = client.get(f"/api/admin/documents/{doc_id}").get_json()["values"]
    assert values["title"] == "Steering committee minutes" and values["country"] == "IE"


def test_a_wrong_correction_is_explained_and_nothing_changes(app):
    client = app.test_client()
    doc_id = client.get("/api/search?q=steering").get_json()["hits"][0]["id"]
    form = {"csrf_token": _token(client), "title": "New", "year": "someday", "country": ["IE"]}
    response = client.post(f"/admin/documents/{doc_id}/edit", data=form)
    assert response.status_code == 422
    assert "is not a year" in response.get_data(as_text=True)
    assert client.get("/api/search?q=steering").get_json()["hits"][0]["title"] == (
        "Steering committee minutes"
    )


def test_a_failed_file_is_shown_by_name_with_a_human_reason(app, tmp_path):
    client = app.test_client()
    settings = app.extensions["kb_settings"]
    (settings.corpus / "en/broken.pdf").write_bytes(b"%PDF-1.4 this is not a PDF")
    client.post("/admin/reindex", data={"csrf_token": _token(client)})
    app.extensions["kb_jobs"].wait(60)
    (failure,) = client.get("/api/admin/tasks").get_json()["failures"]
    assert failure["name"] == "en/broken.pdf"
    assert failure["reason"] == "The file is damaged or is not a valid document of its kind."
    assert failure["detail"]
    download = client.get(f"/admin/tasks/{failure['id']}/file")
    assert download.data.startswith(b"%PDF-1.4 this")
    make_pdf(settings.corpus / "en/broken.pdf", ["Now a readable page about cooperatives."])
    client.post(f"/admin/tasks/{failure['id']}/retry", data={"csrf_token": _token(client)})
    app.extensions["kb_jobs"].wait(60)
    assert client.get("/api/admin/tasks").get_json() == {"failures": []}


@pytest.mark.slow
def test_corrections_in_a_row_from_the_servers_threads_are_each_searchable_at_once(tmp_path):
    """Corrections one after another, each arriving on another thread of one app (as a threaded
    server hands out requests): every one is answered 200, re-indexed at once, and found."""

    settings = build_sample_kb(tmp_path / "kb")
    app = create_app(settings.with_(host="127.0.0.1"))  # not TESTING: errors answer 500
    client = app.test_client()
    token = _token(client)
    ids = [d["id"] for d in client.get("/api/documents").get_json()["documents"]]
    rng = random.Random(25)
    answers: queue.Queue[tuple[int, object]] = queue.Queue()
    inboxes: list[queue.Queue[tuple[str, str] | None]] = [queue.Queue() for _ in range(4)]

    def serve(inbox: queue.Queue[tuple[str, str] | None]) -> None:
        while (job := inbox.get()) is not None:
            doc_id, word = job
            response = client.post(
                f"/admin/documents/{doc_id}/edit?format=json",
                data={"csrf_token": token, "title": f"Corrected {word}"},
            )
            answers.put((response.status_code, (response.get_json() or {}).get("indexed")))

    # Four threads alive together, as a server's: each correction goes to the next one.
    threads = [threading.Thread(target=serve, args=(inbox,)) for inbox in inboxes]
    for thread in threads:
        thread.start()
    try:
        for n in range(8):
            doc_id = ids[n % len(ids)]
            word = "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(9))
            inboxes[n % len(inboxes)].put((doc_id, word))
            assert answers.get(timeout=60) == (200, True), n
            hits = client.get(f"/api/search?q={word}").get_json()["hits"]
            assert hits and hits[0]["id"] == doc_id and hits[0]["title"] == f"Corrected {word}"
    finally:
        for inbox in inboxes:
            inbox.put(None)
        for thread in threads:
            thread.join(60)


def test_restoring_a_trash_entry_that_cannot_exist_is_a_404(app):
    """Before: 500 (OverflowError) for a number larger than SQLite's integers."""
    client = app.test_client()
    token = _token(client)
    for entry in ("99999999999999999999999999", str(2**63), str(2**63 - 1), "0"):
        response = client.post(f"/admin/trash/{entry}/restore", data={"csrf_token": token})
        assert response.status_code == 404, entry


def test_a_run_just_started_here_is_shown_before_its_first_line_not_the_run_before(app):
    """Between a click that starts a run and the run's first line in the catalog, the runs part
    shows the new run as starting; the run before is listed among the earlier ones, so its
    counts are never read as the new run's."""
    import time

    from webapp.jobs import JobState
    from webapp.runs import runs_context

    settings = app.extensions["kb_settings"]
    with app.test_request_context("/admin"):
        before = runs_context(settings, JobState())
        # The latest run, finished, with its counts (the module's earlier tests ran some).
        latest = max(r["id"] for r in [before["shown"], *before["past"]])
        assert before["shown"]["id"] == latest and not before["shown"]["running"]
        assert before["shown"]["summary"] is not None and before["live"] is None
        clicked = JobState(state="running", started=time.time())
        starting = runs_context(settings, clicked)
        shown = starting["shown"]
        assert shown["running"] and shown["id"] is None and shown["summary"] is None
        assert (shown["phase"], shown["done"], shown["total"]) == ("planning", 0, 0)
        assert starting["live"] is shown and starting["outcomes"] == []
        assert before["shown"]["id"] in [r["id"] for r in starting["past"]]
        assert starting["queued"] is False
        # Once the run has written its line (started after the click), it is the one shown.
        earlier = JobState(state="running", started=before["shown"]["started"] - 60)
        assert runs_context(settings, earlier)["shown"]["id"] == before["shown"]["id"]
