"""Editors' work on the write side: corrections that survive reindexing, the trash, the audit
log, the runs the catalog records, duplicates, and the manifest export."""

from __future__ import annotations

import csv
import io

import pytest

from indexer.editing import edits, trash
from indexer.ingest.describe.manifest_file import export_rows, write_csv
from indexer.ingest.run import run_index
from indexer.search import SearchEngine, SearchRequest
from indexer.status import status_dict
from indexer.store import audit, runlog
from indexer.store.catalog import Catalog
from tests.factories import TEXTS, make_pdf
from tests.knowledge_bases import Pristine, build_sample_kb


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return Pristine(tmp_path_factory.mktemp("editing"), build_sample_kb)


@pytest.fixture
def kb(built):
    """The sample knowledge base as its build left it, for each test to change."""
    return built.fresh()


def _titles(settings, q: str) -> list[str]:
    engine = SearchEngine(settings)
    try:
        return [h["title"] for h in engine.search(SearchRequest(q=q))["hits"]]
    finally:
        engine.close()


def _file(settings, path: str):
    with Catalog(settings.catalog_path) as catalog:
        return next(f for f in catalog.files(status="indexed") if f.path == path)


def test_a_correction_is_searchable_at_once_and_survives_a_full_rebuild(kb):
    doc = _file(kb, "ie/minutes.docx")
    saved = edits.save(kb, doc.id, {"title": "Quarterly board record", "year": "2020"}, "admin")
    assert saved.indexed and saved.changed == {"title": "Quarterly board record", "year": "2020"}
    assert _titles(kb, "quarterly board record") == ["Quarterly board record"]
    run_index(kb, full=True)
    assert _titles(kb, "quarterly board record") == ["Quarterly board record"]
    assert _file(kb, "ie/minutes.docx").value("year") == 2020
    # A plain run does not describe it again: the correction is part of its describe key.
    assert run_index(kb).redescribed == 0
    with Catalog(kb.catalog_path) as catalog:
        (entry,) = audit.entries(catalog)
    assert entry["who"] == "admin" and entry["action"] == "edit"
    assert entry["before"]["title"] == "Steering committee minutes"
    assert entry["after"]["title"] == "Quarterly board record"


def test_a_correction_follows_the_content_through_a_rename(kb):
    doc = _file(kb, "pt/brief_pt.txt")
    edits.save(kb, doc.id, {"organisation": "Portugal Inovação Social"}, "local")
    (kb.corpus / "pt/brief_pt.txt").rename(kb.corpus / "pt/resumo_pt.txt")
    summary = run_index(kb)
    assert summary.renamed == 1
    assert _file(kb, "pt/resumo_pt.txt").value("organisation") == ["Portugal Social Innovation"]


def test_corrections_are_checked_as_the_manifest_is(kb):
    doc = _file(kb, "ie/minutes.docx")
    saved = edits.save(kb, doc.id, {"country": "Atlantis", "year": "last year"}, "admin")
    assert {p.code for p in saved.problems} == {"unknown-value", "not-a-year"}
    assert _file(kb, "ie/minutes.docx").value("country") == ["IE"]
    # Nothing changed, nothing saved; an emptied field goes back to the manifest's value.
    assert edits.save(kb, doc.id, {"country": "IE"}, "admin").changed == {}
    edits.save(kb, doc.id, {"country": "BG"}, "admin")
    assert _file(kb, "ie/minutes.docx").value("country") == ["BG"]
    edits.save(kb, doc.id, {"country": ""}, "admin")
    assert _file(kb, "ie/minutes.docx").value("country") == ["IE"]


def test_delete_moves_to_the_trash_and_restore_brings_it_back(kb):
    doc = _file(kb, "ie/minutes.docx")
    assert _titles(kb, "steering committee")
    entry = trash.delete(kb, doc.id, "admin")
    assert not (kb.corpus / "ie/minutes.docx").exists()
    assert (kb.home / "trash").is_dir() and list((kb.home / "trash").rglob("minutes.docx"))
    assert _titles(kb, "steering committee") == []
    assert run_index(kb).removed == 0  # already out of index and catalog
    trash.restore(kb, entry.id, "admin")
    assert (kb.corpus / "ie/minutes.docx").is_file()
    assert run_index(kb).added == 1
    assert _titles(kb, "steering committee") == ["Steering committee minutes"]
    with Catalog(kb.catalog_path) as catalog:
        assert trash.entries(catalog) == []
        actions = [e["action"] for e in audit.entries(catalog)]
    assert actions == ["restore", "delete"]


def test_the_trash_is_emptied_after_thirty_days(kb):
    entry = trash.delete(kb, _file(kb, "ie/minutes.docx").id, "admin")
    assert trash.purge(kb) == 0
    assert trash.purge(kb, now=entry.deleted + 31 * 86400) == 1
    assert not list((kb.home / "trash").rglob("minutes.docx"))


def test_runs_and_their_outcomes_are_recorded(kb, tmp_path):
    make_pdf(kb.corpus / "en/new_en.pdf", [TEXTS["en"]])
    (kb.corpus / "en/broken.pdf").write_bytes(b"%PDF-1.4 not really")
    run_index(kb, source="watcher")
    with Catalog(kb.catalog_path) as catalog:
        latest, first = runlog.runs(catalog)[:2]
        events = runlog.events(catalog, latest["id"])
    assert latest["source"] == "watcher" and not latest["running"]
    assert latest["phase"] == "finished" and latest["done"] == latest["total"] == 2
    assert latest["summary"]["added"] == 1 and latest["summary"]["failed"] == 1
    assert first["source"] == "cli" and first["summary"]["added"] == 6
    kinds = {e["path"]: e["kind"] for e in events}
    assert kinds == {"en/new_en.pdf": "added", "en/broken.pdf": "failed"}


def test_only_the_latest_runs_keep_their_events(kb, monkeypatch):
    monkeypatch.setattr(runlog, "KEEP_RUNS", 2)
    for _ in range(3):
        run_index(kb)
    with Catalog(kb.catalog_path) as catalog:
        assert len(runlog.runs(catalog, limit=50)) == 2


def test_copies_are_reported_by_the_run_and_the_status(kb):
    (kb.corpus / "en/copy.pdf").write_bytes((kb.corpus / "en/pbr_en.pdf").read_bytes())
    summary = run_index(kb)
    assert summary.duplicates == 1
    assert summary.copies == [{"path": "en/copy.pdf", "copy_of": "en/pbr_en.pdf"}]
    status = status_dict(kb)
    assert status["duplicates"] == [{"path": "en/pbr_en.pdf", "copy_of": "en/copy.pdf"}] or status[
        "duplicates"
    ] == [{"path": "en/copy.pdf", "copy_of": "en/pbr_en.pdf"}]


def test_export_manifest_has_the_current_metadata(kb):
    edits.save(kb, _file(kb, "ie/minutes.docx").id, {"title": "Board record"}, "admin")
    with Catalog(kb.catalog_path) as catalog:
        rows = export_rows(catalog, kb.corpus.resolve())
    buffer = io.StringIO()
    write_csv(buffer, rows)
    read = {r["path"]: r for r in csv.DictReader(io.StringIO(buffer.getvalue()))}
    assert read["ie/minutes.docx"]["title"] == "Board record"
    assert read["en/pbr_en.pdf"]["topic"] == "payment-by-results; finance"
    assert read["bg/mapping_bg.pdf"]["year"] == "2022"
    assert len(read) == 6


def _manifest_events(settings) -> list[dict]:
    with Catalog(settings.catalog_path) as catalog:
        latest = runlog.runs(catalog)[0]
        return [e for e in runlog.events(catalog, latest["id"]) if e["kind"] == "manifest"]


def test_a_deleted_documents_manifest_row_is_told_once_and_is_no_problem(kb):
    """The sample manifest describes ie/minutes.docx; deleting it leaves its row behind."""
    trash.delete(kb, _file(kb, "ie/minutes.docx").id, "admin")
    first = run_index(kb)
    assert first.manifest_problems == 0 and first.problems == []
    assert [(e["path"], e["code"]) for e in _manifest_events(kb)] == [
        ("ie/minutes.docx", "deleted")
    ]
    status = status_dict(kb)
    assert status["counts"]["manifest_problems"] == 0 and status["manifest"] == []
    run_index(kb)
    assert _manifest_events(kb) == []  # told once
    # Emptied from the trash, the document is still one an editor deleted.
    with Catalog(kb.catalog_path) as catalog:
        trash.purge(kb, now=trash.entries(catalog)[0].deleted + 31 * 86400)
    assert run_index(kb).manifest_problems == 0
    # A row for a file that was never there is a problem as before.
    (kb.corpus / "manifest.csv").write_text(
        (kb.corpus / "manifest.csv").read_text() + "en/gone_en.pdf,Gone,IE,,,,,,\n"
    )
    summary = run_index(kb)
    assert [p["code"] for p in summary.problems] == ["no-file"]


def test_a_run_lists_the_manifest_problems_it_is_the_first_to_find(kb):
    (kb.corpus / "manifest.csv").write_text(
        (kb.corpus / "manifest.csv").read_text() + "en/missing_en.pdf,Missing,Atlantis,,,,,,\n"
    )
    first = run_index(kb)
    assert sorted(p["code"] for p in first.problems) == ["no-file", "unknown-value"]
    assert len(_manifest_events(kb)) == 2
    again = run_index(kb)
    assert again.manifest_problems == 2  # still counted: they are still there ...
    assert _manifest_events(kb) == []  # ... but a run's own list has only what is new
    (kb.corpus / "manifest.csv").write_text(
        (kb.corpus / "manifest.csv").read_text() + "en/another_en.pdf,Another,,,,,,,\n"
    )
    run_index(kb)
    assert [e["path"] for e in _manifest_events(kb)] == ["en/another_en.pdf"]


def test_corrected_values_are_labelled_as_corrections_not_as_the_manifests(kb):
    doc = _file(kb, "ie/minutes.docx")
    edits.save(kb, doc.id, {"year": "2020"}, "admin")
    corrected = _file(kb, "ie/minutes.docx")
    assert corrected.meta["year"].source == "correction"
    assert corrected.meta["country"].source == "manifest"  # the manifest's own value
    run_index(kb, full=True)  # and so after a rebuild, described from the catalog's row
    assert _file(kb, "ie/minutes.docx").meta["year"].source == "correction"
