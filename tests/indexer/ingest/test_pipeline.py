import os
import shutil
import time

import pytest

from indexer.errors import IndexBusy, KbError
from indexer.ingest.outcomes import Outcome, Progress
from indexer.ingest.run import run_index
from indexer.ingest.workers import Limits
from indexer.ingest.workers import run as run_workers
from indexer.search import SearchEngine, SearchRequest
from indexer.store import index as store
from indexer.store.catalog import Catalog
from indexer.store.status import status_dict
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
def test_workers_stop_a_file_that_takes_too_long(tmp_path):
    path = make_pdf(tmp_path / "long.pdf", [TEXTS["en"] * 20] * 60)
    results = dict(
        run_workers(
            [("long", str(path))], Limits(cpu_seconds=0.05, memory_mb=0, max_pages=1000), workers=1
        )
    )
    assert results["long"].code == "timeout"


def test_workers_survive_a_file_that_needs_too_much_memory(tmp_path):
    path = make_pdf(tmp_path / "big.pdf", [TEXTS["en"] * 20] * 30)
    ok = make_text(tmp_path / "ok.txt", TEXTS["en"])
    tasks = [("big", str(path)), ("ok", str(ok))]
    results = dict(
        run_workers(tasks, Limits(cpu_seconds=60, memory_mb=1, max_pages=1000), workers=1)
    )
    # The file that needs memory fails with a reason; the pool goes on to the next file.
    assert results["big"].code in ("memory", "crashed", "error")
    assert results["big"].reason
    assert set(results) == {"big", "ok"}
    results = dict(
        run_workers(tasks, Limits(cpu_seconds=60, memory_mb=2048, max_pages=1000), workers=1)
    )
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


@pytest.mark.slow
def test_an_interrupted_full_rebuild_is_finished_by_the_next_run(settings, three_docs, monkeypatch):
    from indexer.ingest import run as pipeline

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
    assert [v["value"] for v in by_sort["title"]["facets"]["year"]] == ["2022", "undated"]


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


def test_links_that_leave_the_documents_folder_are_not_indexed(settings, docs, tmp_path):
    outside = tmp_path / "private"
    make_text(outside / "salaries.txt", "Confidential salaries of the board members.")
    make_text(docs / "report.txt", TEXTS["en"])
    (docs / "salaries.txt").symlink_to(outside / "salaries.txt")
    (docs / "private").symlink_to(outside, target_is_directory=True)
    (docs / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (docs / "report-link.txt").symlink_to(docs / "report.txt")  # inside: a copy, indexed
    summary = run_index(settings)
    assert search(settings, "salaries")["total"] == 0
    reasons = {f["path"]: f["reason"] for f in summary.failures}
    assert set(reasons) == {"salaries.txt", "private/", "gone.txt"}
    assert "outside the documents folder" in reasons["salaries.txt"]
    assert "outside the documents folder" in reasons["private/"]
    assert "does not exist" in reasons["gone.txt"]
    assert paths(search(settings, "competence")) == ["report-link.txt", "report.txt"]
    with Catalog(settings.catalog_path) as catalog:
        assert {r.path: r.reason_code for r in catalog.files(status="failed")} == {
            "salaries.txt": "outside",
            "private/": "outside",
            "gone.txt": "broken-link",
        }


def test_a_link_indexed_before_leaves_the_index(settings, docs, tmp_path):
    make_text(tmp_path / "elsewhere" / "note.txt", "Internal memo about the pilot budget.")
    (docs / "note.txt").symlink_to(tmp_path / "elsewhere" / "note.txt")
    make_text(docs / "report.txt", TEXTS["en"])
    run_index(settings)
    assert search(settings, "memo")["total"] == 0
    assert search(settings, "")["total"] == 1


def test_a_moved_documents_folder_does_not_double_the_documents(settings, three_docs, tmp_path):
    run_index(settings)
    with Catalog(settings.catalog_path) as catalog:
        created = catalog.db.execute("SELECT sha256, created FROM extractions").fetchall()
    moved = tmp_path / "knowledge-base"
    three_docs.rename(moved)
    summary = run_index(settings.with_(corpus=moved))
    assert search(settings, "")["total"] == 3
    assert (summary.moved, summary.added, summary.removed, summary.failed) == (3, 0, 0, 0)
    assert paths(search(settings, "competence")) == ["reports/centres_en.pdf"]
    with Catalog(settings.catalog_path) as catalog:
        assert catalog.counts() == {"indexed": 3, "removed": 3}
        assert {r.root for r in catalog.files(status="indexed")} == {str(moved)}
        # Not extracted again.
        assert catalog.db.execute("SELECT sha256, created FROM extractions").fetchall() == created


def test_a_copied_documents_folder_replaces_the_old_one(settings, three_docs, tmp_path):
    run_index(settings)
    copy = tmp_path / "copy" / "docs"  # the same folder name elsewhere: the same document ids
    shutil.copytree(three_docs, copy)
    (copy / "portugal" / "noticia.html").unlink()
    summary = run_index(settings.with_(corpus=copy))
    assert sorted(h["path"] for h in search(settings, "")["hits"]) == [
        "bulgaria/konsultacia.docx",
        "reports/centres_en.pdf",
    ]
    assert summary.moved == 2 and summary.added == 0
    assert summary.removed == 1  # the file missing from the copy, left behind in the old folder


def test_a_folder_that_is_gone_leaves_the_index(settings, three_docs, tmp_path):
    other = tmp_path / "other"
    make_text(other / "extra.txt", TEXTS["pt"] + " Reunião em Lisboa.")
    run_index(settings, [three_docs, other])
    assert search(settings, "Lisboa")["total"] == 1
    run_index(settings)  # the other folder is not part of this run, but still there: kept
    assert search(settings, "Lisboa")["total"] == 1
    shutil.rmtree(other)
    summary = run_index(settings)
    assert summary.removed == 1
    assert search(settings, "Lisboa")["total"] == 0


def test_manifest_problems_are_outcomes_of_the_run_and_in_the_status(settings, docs):
    make_text(docs / "a.txt", TEXTS["en"])
    make_text(docs / "b.txt", TEXTS["pt"])
    make_text(
        docs / "manifest.csv",
        "path,country,topic,year\n"
        "a.txt,Atlantis,policy,2021\n"
        "b.txt,PT,,soon\n"
        "a.txt,IE,,\n"
        "missing.pdf,PT,,\n",
    )
    events = []
    summary = run_index(settings, observers=[events.append])
    problems = {(p["path"], p["line"], p["code"]) for p in summary.problems}
    assert problems == {
        ("a.txt", 2, "unknown-value"),
        ("b.txt", 3, "not-a-year"),
        ("a.txt", 4, "listed-twice"),
        ("missing.pdf", 5, "no-file"),
    }
    assert summary.manifest_problems == 4
    assert sum(1 for e in events if getattr(e, "kind", "") == "manifest") == 4
    status = status_dict(settings)
    assert status["counts"]["manifest_problems"] == 4
    assert {(m["path"], m["code"]) for m in status["manifest"]} == {
        (path, code) for path, _, code in problems
    }
    assert "Atlantis" in next(m["problem"] for m in status["manifest"] if m["line"] == 2)
    # Fixed by the editor: the next run finds none, and the status says so.
    make_text(docs / "manifest.csv", "path,country\na.txt,IE\nb.txt,PT\n")
    assert run_index(settings).manifest_problems == 0
    assert status_dict(settings)["manifest"] == []


def test_every_file_has_one_outcome_and_progress_is_observable(settings, three_docs):
    run_index(settings)
    (three_docs / "bulgaria" / "konsultacia.docx").unlink()
    make_text(three_docs / "new.txt", TEXTS["en"] + " A new note.")
    make_text(three_docs / "broken.pdf", "not a pdf at all")
    (three_docs / "copy.txt").write_bytes((three_docs / "new.txt").read_bytes())
    events = []
    summary = run_index(settings, observers=[events.append])
    outcomes = {(e.kind, e.path) for e in events if isinstance(e, Outcome)}
    assert outcomes == {
        ("removed", "bulgaria/konsultacia.docx"),
        ("added", "new.txt"),
        ("added", "copy.txt"),
        ("duplicate", "new.txt"),  # copy.txt comes first
        ("failed", "broken.pdf"),
        ("unchanged", "reports/centres_en.pdf"),
        ("unchanged", "portugal/noticia.html"),
    }
    progress = [e for e in events if isinstance(e, Progress) and e.phase == "indexing"]
    assert [(p.done, p.total) for p in progress if p.current] == [(1, 3), (2, 3), (3, 3)]
    assert {p.current for p in progress if p.current} == {"new.txt", "copy.txt", "broken.pdf"}
    assert isinstance(events[-1], Progress) and events[-1].phase == "finished"
    assert (summary.added, summary.removed, summary.failed, summary.duplicates) == (2, 1, 1, 1)


@pytest.mark.slow
def test_commits_follow_the_amount_written_not_the_clock(settings, docs):
    make_text(docs / "first.txt", TEXTS["en"])
    run_index(settings)
    generation = store.open_index(settings).latest_generation()
    for n in range(13):
        make_text(docs / f"note-{n}.txt", f"{TEXTS['pt']} Nota {n}.")
    # A slow machine: every file takes two seconds to settle.
    summary = run_index(settings, progress=lambda done, total, path: time.sleep(2.0))
    assert summary.added == 13
    assert store.open_index(settings).latest_generation() == generation + 1  # one commit


def test_a_new_timestamp_alone_is_remembered_without_reindexing(settings, three_docs):
    run_index(settings)
    target = three_docs / "portugal" / "noticia.html"
    later = time.time() + 100
    os.utime(target, (later, later))
    summary = run_index(settings)
    assert (summary.updated, summary.unchanged) == (0, 3)
    with Catalog(settings.catalog_path) as catalog:
        row = catalog.file_at(str(three_docs.resolve()), "portugal/noticia.html")
    assert row is not None and row.mtime_ns == target.stat().st_mtime_ns
