import json
import sqlite3

from indexer.models import Analysed, Page
from indexer.store.catalog import Catalog


def test_pages_keep_their_running_headers_and_footers(tmp_path):
    pages = [Page(1, "Report\nBody text.\n1", "en", ["en"], [(0, 6), (18, 19)])]
    with Catalog(tmp_path / "catalog.sqlite3") as catalog:
        catalog.store_extraction("a" * 64, 1, Analysed("pdf", pages, "en", ["en"]))
        assert catalog.pages("a" * 64) == pages
        assert catalog.cached("a" * 64, 1).pages[0].furniture == [(0, 6), (18, 19)]


def test_a_catalog_from_before_gains_the_furniture_column(tmp_path):
    path = tmp_path / "catalog.sqlite3"
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE pages (sha256 TEXT NOT NULL, number INTEGER NOT NULL, text TEXT NOT NULL,"
        " language TEXT NOT NULL, languages TEXT NOT NULL, PRIMARY KEY (sha256, number))"
        " WITHOUT ROWID"
    )
    db.execute(
        "INSERT INTO pages VALUES (?, 1, 'Old text', 'en', ?)", ("b" * 64, json.dumps(["en"]))
    )
    db.commit()
    db.close()
    with Catalog(path) as catalog:
        assert catalog.pages("b" * 64) == [Page(1, "Old text", "en", ["en"], [])]
