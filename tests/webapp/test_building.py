"""The site while its first index is being built: pages, their JSON twins and the health check
say so, with the run's live progress, until the first documents can be found."""

from __future__ import annotations

import threading

from indexer.ingest.run import run_index
from indexer.outcomes import Progress
from tests.factories import TEXTS, make_text
from tests.knowledge_bases import make_app


def test_pages_say_the_knowledge_base_is_being_built_until_documents_land(tmp_path):
    app = make_app(tmp_path)
    settings = app.extensions["kb_settings"]
    for n in range(3):
        make_text(settings.corpus / f"note-{n}.txt", f"{TEXTS['en']} Harbour{n} report.")
    client = app.test_client()
    assert "building" not in client.get("/api/search").get_json()  # no run: simply empty
    assert client.get("/healthz").get_json()["status"] == "empty"

    reached, release = threading.Event(), threading.Event()
    seen: list[Progress] = []

    def hold(event: object) -> None:
        """The run stops as its reading begins, before anything is committed (a run's first
        document is committed as soon as it is read; the run log already says what an
        observer is being told)."""
        if isinstance(event, Progress) and event.phase == "indexing":
            seen.append(event)
            if len(seen) == 1:
                reached.set()
                release.wait(60)

    run = threading.Thread(target=run_index, args=(settings,), kwargs={"observers": [hold]})
    run.start()
    try:
        assert reached.wait(60)
        data = client.get("/api/search?q=harbour*").get_json()
        assert data["building"]["total"] == 3 and data["building"]["phase"] == "indexing"
        assert data["total"] == 0
        page = client.get("/search?q=harbour*").get_data(as_text=True)
        assert "The knowledge base is being built" in page and "0 of 3 files read" in page
        assert 'http-equiv="refresh"' in page  # it looks again by itself
        assert "being built" in client.get("/").get_data(as_text=True)
        health = client.get("/healthz")
        assert health.status_code == 200
        assert health.get_json()["status"] == "building"
        assert health.get_json()["progress"] == {"phase": "indexing", "done": 0, "total": 3}
        assert health.get_json()["documents"] == 0
    finally:
        release.set()
        run.join(120)
    data = client.get("/api/search?q=harbour*").get_json()
    assert data["total"] == 3 and "building" not in data
    assert "being built" not in client.get("/search?q=harbour*").get_data(as_text=True)
    assert client.get("/healthz").get_json()["status"] == "ok"
