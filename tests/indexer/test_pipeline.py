import os
import time

import pytest

from indexer import store
from indexer.catalog import Catalog
from indexer.errors import IndexBusy, KbError
from indexer.pipeline import run_index
from indexer.search import SearchEngine, SearchRequest
from indexer.workers import run as run_workers
from tests.factories import TEXTS, encrypt_pdf, make_docx, make_html, make_pdf, make_text, truncate


def search(settings, q, **kw):
    engine = SearchEngine(settings)
    try:
        return engine.search(SearchRequest(q=q, **kw))
    finally:
        engine.close()


def paths(result):
    return sorted(h["path"] for h in result["hits"])


@pytest.fixture
def three_docs(docs):
    make_pdf(docs / "reports" / "centres_en.pdf", [TEXTS["en"], "Annex about Ireland."])
    make_docx(docs / "bulgaria" / "konsultacia.docx", [[TEXTS["bg"]]], title="Консултация")
    make_html(docs / "portugal" / "noticia.html", "Notícia", TEXTS["pt"], lang="pt")
    return docs


def test_first_run_indexes_everything(settings, three_docs):
    summary = run_index(settings)
    assert (summary.added, summary.failed, summary.removed) == (3, 0, 0)
    assert summary.pages == 4
    assert paths(search(settings, "competence")) == ["reports/centres_en.pdf"]
    assert paths(search(settings, "предприятията")) == ["bulgaria/konsultacia.docx"]


def test_nothing_changed_is_a_no_op(settings, three_docs):
    run_index(settings)
    before = store.current_dir(settings)
    summary = run_index(settings)
    assert (summary.added, summary.updated, summary.removed, summary.unchanged) == (0, 0, 0, 3)
    assert store.current_dir(settings) == before


def test_changed_file_is_updated_by_content_hash(settings, three_docs):
    run_index(settings)
    target = three_docs / "portugal" / "noticia.html"
    make_html(
        target, "Notícia", TEXTS["pt"] + " Lisboa recebeu o encontro transnacional.", lang="pt"
    )
    summary = run_index(settings)
    assert (summary.added, summary.updated) == (0, 1)
    assert paths(search(settings, "transnacional")) == ["portugal/noticia.html"]
    # Same bytes, new timestamp: no update, just a new stat.
    os.utime(target, (time.time() + 10, time.time() + 10))
    summary = run_index(settings)
    assert (summary.updated, summary.unchanged) == (0, 3)


def test_deleted_file_is_removed(settings, three_docs):
    run_index(settings)
    (three_docs / "bulgaria" / "konsultacia.docx").unlink()
    summary = run_index(settings)
    assert summary.removed == 1
    assert search(settings, "предприятията")["total"] == 0
    with Catalog(settings.catalog_path) as catalog:
        assert catalog.counts() == {"indexed": 2, "removed": 1}


def test_renamed_file_is_not_extracted_again(settings, three_docs):
    run_index(settings)
    with Catalog(settings.catalog_path) as catalog:
        created = catalog.db.execute("SELECT created FROM extractions").fetchall()
    (three_docs / "reports" / "centres_en.pdf").rename(three_docs / "reports" / "renamed_en.pdf")
    summary = run_index(settings)
    assert (summary.renamed, summary.added, summary.removed) == (1, 0, 0)
    assert paths(search(settings, "competence")) == ["reports/renamed_en.pdf"]
    with Catalog(settings.catalog_path) as catalog:
        assert catalog.db.execute("SELECT created FROM extractions").fetchall() == created


def test_broken_files_are_recorded_and_the_run_goes_on(settings, three_docs):
    run_index(settings)
    good = make_pdf(three_docs / "tmp.pdf", [TEXTS["en"]])
    encrypt_pdf(good, three_docs / "locked.pdf", user_password="x")
    truncate(good, three_docs / "broken.pdf", keep=0.3)
    good.unlink()
    make_text(three_docs / "empty.txt", "")
    make_text(three_docs / "notes.rtf", "{\\rtf1}")
    summary = run_index(settings)
    assert summary.failed == 4 and summary.added == 0
    reasons = {f["path"]: f["reason"] for f in summary.failures}
    assert "password" in reasons["locked.pdf"]
    assert "empty" in reasons["empty.txt"]
    assert "RTF" in reasons["notes.rtf"]
    assert reasons["broken.pdf"]
    # Nothing already indexed was lost.
    assert search(settings, "")["total"] == 3
    with Catalog(settings.catalog_path) as catalog:
        failed = {r.path: r.reason_code for r in catalog.files(status="failed")}
    assert failed["locked.pdf"] == "encrypted"
    # A failed file is not retried while unchanged …
    assert run_index(settings).failed == 0
    # … but is when asked to.
    assert run_index(settings, retry_failed=True).failed == 4


def test_full_rebuild_swaps_in_a_new_index(settings, three_docs):
    run_index(settings)
    old = store.current_dir(settings)
    summary = run_index(settings, full=True)
    new = store.current_dir(settings)
    assert summary.full and new != old
    assert search(settings, "")["total"] == 3
    with Catalog(settings.catalog_path) as catalog:
        assert catalog.counts() == {"indexed": 3}


def test_searcher_sees_new_documents_without_reopening(settings, three_docs):
    run_index(settings)
    engine = SearchEngine(settings)
    try:
        assert engine.search(SearchRequest(q="Nicosia"))["total"] == 0
        make_text(three_docs / "cyprus" / "nicosia.txt", TEXTS["el"] + " Nicosia meeting.")
        run_index(settings)
        assert engine.search(SearchRequest(q="Nicosia"))["total"] == 1
        run_index(settings, full=True)
        assert engine.search(SearchRequest(q="Nicosia"))["total"] == 1
    finally:
        engine.close()


def test_a_crash_mid_run_leaves_the_last_index_working(settings, three_docs):
    run_index(settings)
    make_text(three_docs / "new.txt", TEXTS["en"] + " Freshly added.")
    settings_bad = settings.with_(workers=1)
    # A root that does not exist aborts the run before any change is committed.
    with pytest.raises(KbError):
        run_index(settings_bad, [three_docs, three_docs / "missing"])
    assert search(settings, "")["total"] == 3
    assert run_index(settings).added == 1


def test_only_one_run_at_a_time(settings, three_docs):
    with store.run_lock(settings), pytest.raises(IndexBusy):
        run_index(settings)


def test_manifest_change_redescribes_without_reextracting(settings, three_docs):
    run_index(settings)
    (three_docs / "manifest.csv").write_text(
        "path,title,country\nportugal/noticia.html,Encontro,PT\n"
    )
    summary = run_index(settings)
    assert (summary.added, summary.updated, summary.unchanged) == (0, 0, 3)
    result = search(settings, "", filters={"country": ["PT"]})
    assert [h["title"] for h in result["hits"]] == ["Encontro"]


def test_ignored_hidden_and_temporary_files(settings, docs):
    make_text(docs / "keep.txt", TEXTS["en"])
    make_text(docs / ".hidden.txt", TEXTS["en"])
    make_text(docs / "~$lock.docx", "x")
    make_text(docs / "drafts" / "a.txt", TEXTS["en"])
    make_text(docs / ".kbignore", "drafts/\n# comment\n*.log\n")
    make_text(docs / "run.log", "log")
    assert run_index(settings).added == 1


def test_workers_stop_a_file_that_takes_too_long(tmp_path):
    path = make_pdf(tmp_path / "long.pdf", [TEXTS["en"] * 20] * 60)
    results = dict(
        run_workers([("long", str(path))], workers=1, timeout=0.05, memory_mb=0, max_pages=1000)
    )
    assert results["long"].code == "timeout"


def test_workers_survive_a_file_that_needs_too_much_memory(tmp_path):
    path = make_pdf(tmp_path / "big.pdf", [TEXTS["en"] * 20] * 30)
    ok = make_text(tmp_path / "ok.txt", TEXTS["en"])
    tasks = [("big", str(path)), ("ok", str(ok))]
    results = dict(run_workers(tasks, workers=1, timeout=60, memory_mb=1, max_pages=1000))
    # The file that needs memory fails with a reason; the pool goes on to the next file.
    assert results["big"].code in ("memory", "crashed", "error")
    assert results["big"].reason
    assert set(results) == {"big", "ok"}
    results = dict(run_workers(tasks, workers=1, timeout=60, memory_mb=2048, max_pages=1000))
    assert len(results["big"].pages) == 30
    assert results["ok"].pages[0].text.startswith("Social innovation")


def test_copies_are_extracted_once_and_both_indexed(settings, docs):
    make_pdf(docs / "a" / "report.pdf", [TEXTS["en"]])
    (docs / "b").mkdir()
    (docs / "b" / "report.pdf").write_bytes((docs / "a" / "report.pdf").read_bytes())
    assert run_index(settings).added == 2
    with Catalog(settings.catalog_path) as catalog:
        assert catalog.db.execute("SELECT COUNT(*) FROM extractions").fetchone()[0] == 1
    assert paths(search(settings, "competence")) == ["a/report.pdf", "b/report.pdf"]


def test_an_interrupted_full_rebuild_is_finished_by_the_next_run(settings, three_docs, monkeypatch):
    from indexer import pipeline

    run_index(settings)
    make_text(three_docs / "new.txt", TEXTS["en"] + " Freshly added.")
    monkeypatch.setattr(pipeline, "_BATCH_DOCS", 1)  # commit after every document

    def interrupt_at_the_end(done, total, path):
        if done == total:
            raise KeyboardInterrupt

    # Every document is committed to the new index (and so to the catalog), but the run stops
    # before the new index replaces the old one.
    with pytest.raises(KeyboardInterrupt):
        run_index(settings, full=True, progress=interrupt_at_the_end)
    assert search(settings, "freshly")["total"] == 0  # still the old index
    summary = run_index(settings)
    assert summary.full
    assert paths(search(settings, "freshly")) == ["new.txt"]
    assert search(settings, "")["total"] == 4


def test_an_undated_first_file_then_a_dated_one(settings, docs):
    make_text(docs / "undated.txt", "Notes on the competence centre, with no date anywhere.\n")
    run_index(settings)
    make_pdf(docs / "dated.pdf", [TEXTS["en"] + " Adopted in March 2022."])
    run_index(settings)  # a second segment, the first having no year at all
    by_sort = {s: search(settings, "", sort=s) for s in ("newest", "oldest", "title")}
    assert [h["path"] for h in by_sort["newest"]["hits"]] == ["dated.pdf", "undated.txt"]
    assert [h["path"] for h in by_sort["oldest"]["hits"]] == ["dated.pdf", "undated.txt"]
    assert [v["value"] for v in by_sort["title"]["facets"]["year"]] == ["2022"]


def test_markdown_pages_that_start_with_a_heading_are_kept(settings, docs):
    parts = [
        f"## Part {n}\n\nThe centre reviewed the {word} of this part."
        for n, word in enumerate(["budget", "timeline", "outreach", "evaluation"], start=1)
    ]
    make_text(docs / "plan.md", "# Work plan\n\n" + "\n\f".join(parts))
    summary = run_index(settings)
    assert summary.pages == 4
    hit = search(settings, "outreach")["hits"][0]
    assert hit["pages"] == [3]
