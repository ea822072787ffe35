"""What a run decides for each file: renames, moves and copies taken over without reading them
again, links and hidden files refused, manifests read and their problems reported."""

import os
import shutil
import time

import pytest

from indexer.ingest.run import run_index
from indexer.status import status_dict
from indexer.store.catalog import Catalog
from tests.factories import TEXTS, make_pdf, make_text
from tests.knowledge_bases import hit_paths, search


@pytest.mark.slow
def test_renamed_file_is_not_extracted_again(indexed):
    settings, three_docs = indexed, indexed.corpus
    with Catalog(settings.catalog_path) as catalog:
        created = catalog.db.execute("SELECT created FROM extractions").fetchall()
    (three_docs / "reports" / "centres_en.pdf").rename(three_docs / "reports" / "renamed_en.pdf")
    summary = run_index(settings)
    assert (summary.renamed, summary.added, summary.removed) == (1, 0, 0)
    assert hit_paths(search(settings, "competence")) == ["reports/renamed_en.pdf"]
    with Catalog(settings.catalog_path) as catalog:
        assert catalog.db.execute("SELECT created FROM extractions").fetchall() == created


@pytest.mark.slow
def test_manifest_change_redescribes_without_reextracting(indexed):
    settings, three_docs = indexed, indexed.corpus
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


def test_copies_are_extracted_once_and_both_indexed(settings, docs):
    make_pdf(docs / "a" / "report.pdf", [TEXTS["en"]])
    (docs / "b").mkdir()
    (docs / "b" / "report.pdf").write_bytes((docs / "a" / "report.pdf").read_bytes())
    assert run_index(settings).added == 2
    with Catalog(settings.catalog_path) as catalog:
        assert catalog.db.execute("SELECT COUNT(*) FROM extractions").fetchone()[0] == 1
    assert hit_paths(search(settings, "competence")) == ["a/report.pdf", "b/report.pdf"]


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
    assert hit_paths(search(settings, "competence")) == ["report-link.txt", "report.txt"]
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


def test_a_moved_documents_folder_does_not_double_the_documents(indexed, tmp_path):
    settings, three_docs = indexed, indexed.corpus
    with Catalog(settings.catalog_path) as catalog:
        created = catalog.db.execute("SELECT sha256, created FROM extractions").fetchall()
    moved = tmp_path / "knowledge-base"
    three_docs.rename(moved)
    summary = run_index(settings.with_(corpus=moved))
    assert search(settings, "")["total"] == 3
    assert (summary.moved, summary.added, summary.removed, summary.failed) == (3, 0, 0, 0)
    assert hit_paths(search(settings, "competence")) == ["reports/centres_en.pdf"]
    with Catalog(settings.catalog_path) as catalog:
        assert catalog.counts() == {"indexed": 3, "removed": 3}
        assert {r.root for r in catalog.files(status="indexed")} == {str(moved)}
        # Not extracted again.
        assert catalog.db.execute("SELECT sha256, created FROM extractions").fetchall() == created


def test_a_copied_documents_folder_replaces_the_old_one(indexed, tmp_path):
    settings, three_docs = indexed, indexed.corpus
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


def test_a_new_timestamp_alone_is_remembered_without_reindexing(indexed):
    settings, three_docs = indexed, indexed.corpus
    target = three_docs / "portugal" / "noticia.html"
    later = time.time() + 100
    os.utime(target, (later, later))
    summary = run_index(settings)
    assert (summary.updated, summary.unchanged) == (0, 3)
    with Catalog(settings.catalog_path) as catalog:
        row = catalog.file_at(str(three_docs.resolve()), "portugal/noticia.html")
    assert row is not None and row.mtime_ns == target.stat().st_mtime_ns
