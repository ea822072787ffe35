"""Robustness on real-world PDFs (the py-pdf sample files, read where they are kept).

Every file must end up either indexed with the page count its producer reports, or listed as
failed with a reason — the password-protected one as encrypted."""

import json
import os
from pathlib import Path

import pytest

from indexer.config import Settings
from indexer.ingest.run import run_index
from indexer.store.catalog import Catalog
from tests.factories import PDF_SAMPLES

SAMPLES = Path(os.environ.get("KB_PDF_SAMPLES", PDF_SAMPLES))

pytestmark = pytest.mark.skipif(
    not (SAMPLES / "files.json").is_file(),
    reason=f"py-pdf sample files not found at {SAMPLES} (set KB_PDF_SAMPLES)",
)


@pytest.mark.slow
def test_every_sample_is_indexed_or_failed_with_a_reason(tmp_path):
    expected = {e["path"]: e for e in json.loads((SAMPLES / "files.json").read_text())["data"]}
    settings = Settings(home=tmp_path / "home", corpus=SAMPLES, workers=2, file_timeout=120)
    summary = run_index(settings)
    with Catalog(settings.catalog_path) as catalog:
        rows = {r.path: r for r in catalog.files() if r.path.endswith(".pdf")}
    assert set(rows) == {p for p in expected if (SAMPLES / p).exists()}
    indexed = 0
    for path, row in rows.items():
        if row.status == "indexed":
            indexed += 1
            assert row.pages == expected[path]["pages"], path
        else:
            assert row.status == "failed" and row.reason, path
    assert rows["005-libreoffice-writer-password/libreoffice-writer-password.pdf"].reason_code == (
        "encrypted"
    )
    assert indexed >= len(rows) * 0.6
    assert summary.failed == sum(1 for r in catalog_rows(settings) if r.status == "failed")


def catalog_rows(settings):
    with Catalog(settings.catalog_path) as catalog:
        return catalog.files()
