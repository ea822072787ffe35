"""The bundled sample knowledge base: what the app serves on a fresh machine."""

import csv
import os
import re

import pytest

from indexer.ingest.extract import ocr
from indexer.search import SearchEngine, SearchRequest
from indexer.store.catalog import Catalog
from tests.factories import CORPUS


def test_every_document_is_indexed_except_the_locked_one(corpus_settings):
    with Catalog(corpus_settings.catalog_path) as catalog:
        failed = {r.path: r.reason_code for r in catalog.files(status="failed")}
        indexed = catalog.files(status="indexed")
        pages = catalog.page_total()
    expected = {"eu/internal-budget-review_en.pdf": "encrypted"}
    if ocr.engine_version() is None and os.environ.get("KB_REQUIRE_OCR") != "1":
        expected["cyprus/signed-minutes-scan.pdf"] = "needs_ocr"  # no Tesseract here
    assert failed == expected
    assert len(indexed) >= 39
    assert pages >= 300


@pytest.mark.skipif(
    ocr.engine_version() is None and os.environ.get("KB_REQUIRE_OCR") != "1",
    reason="Tesseract is not installed",
)
def test_the_scanned_minutes_are_read_by_ocr_and_found(corpus_settings):
    engine = SearchEngine(corpus_settings)
    try:
        for q in ("Λεμεσό", "εργαστηρίων", "Χριστοδούλου"):
            result = engine.search(SearchRequest(q=q, expand=False, per_page=100))
            paths = [h["path"] for h in result["hits"]]
            assert "cyprus/signed-minutes-scan.pdf" in paths, q
    finally:
        engine.close()
    with Catalog(corpus_settings.catalog_path) as catalog:
        row = catalog.file_at(str(CORPUS.resolve()), "cyprus/signed-minutes-scan.pdf")
    assert row is not None and row.status == "indexed" and row.language == "el"
    assert any("read by OCR" in w for w in row.warnings)


def test_facets_mean_something(corpus_settings):
    engine = SearchEngine(corpus_settings)
    facets = engine.facets()
    engine.close()
    values = {f: {v["value"] for v in vs} for f, vs in facets.items()}
    assert {"BG", "IE", "CY", "PT", "EU"} <= values["country"]
    assert len(values["topic"]) >= 6
    assert {"en", "bg", "el", "pt"} <= values["language"]
    assert len(values["type"]) >= 5 and len(values["year"]) >= 3


def test_mixed_language_document_has_both_languages(corpus_settings):
    engine = SearchEngine(corpus_settings)
    docs = {d["path"]: d for d in engine.documents()}
    engine.close()
    assert set(docs["bulgaria/study-visit-report_en-bg.pdf"]["languages"]) == {"en", "bg"}
    assert docs["bulgaria/partners-meeting-minutes-2022_bg.txt"]["language"] == "bg"  # cp1251


def test_manifest_lists_real_files_and_known_values(corpus_settings):
    rows = list(csv.DictReader((CORPUS / "manifest.csv").open(encoding="utf-8")))
    assert len(rows) >= 35
    for row in rows:
        assert (CORPUS / row["path"]).is_file(), row["path"]
    blanks = sum(1 for r in rows for k in ("title", "topic", "year", "country") if not r[k])
    assert blanks >= 10  # left blank on purpose, so inference is exercised


def test_readme_lists_every_document(corpus_settings):
    readme = (CORPUS / "README.md").read_text("utf-8")
    assert "sample content" in readme.lower()
    with Catalog(corpus_settings.catalog_path) as catalog:
        paths = [r.path for r in catalog.files() if r.status != "removed"]
    for path in paths:
        assert f"`{path}`" in readme, path
    assert re.search(r"\| \d+ \|", readme)


def test_documents_say_they_are_sample_content(corpus_settings):
    engine = SearchEngine(corpus_settings)
    for q in (
        "sample content",
        "примерно съдържание",
        "δείγμα περιεχομένου",
        "conteúdo de exemplo",
    ):
        result = engine.search(SearchRequest(q=f'"{q}"', per_page=100, expand=False))
        assert result["total"] >= 3, q
    engine.close()
