"""Running headers, footers and page numbers: the document is found by them, but they are no
page's evidence and open no snippet."""

import pytest

from indexer.config import Settings
from indexer.ingest.run import run_index
from indexer.search import SearchEngine, SearchRequest
from tests.factories import make_pdf

BODIES = [
    "Social enterprises in Sofia employ people far from the labour market.",
    "The centre mapped forty organisations and their sources of income.",
    "Each innovation in the services was tested with the municipality first.",
    "Investors take the risk of the programme and are repaid on success.",
    "A network of mentors helps the founders during their first year.",
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    root = tmp_path_factory.mktemp("running-heads")
    pages = [
        f"Social Innovation Report 2024\n{body}\nPágina {n} / {len(BODIES)}"
        for n, body in enumerate(BODIES, start=1)
    ]
    make_pdf(root / "docs" / "report.pdf", pages)
    settings = Settings(home=root / "home", corpus=root / "docs", workers=1)
    run_index(settings)
    eng = SearchEngine(settings)
    yield eng
    eng.close()


def test_a_word_of_the_running_title_counts_only_where_the_body_has_it(engine):
    hit = engine.search(SearchRequest(q="innovation", expand=False))["hits"][0]
    assert hit["pages"] == [3]
    assert hit["best_page"] == 3
    assert [s["page"] for s in hit["snippets"]] == [3]
    html = hit["snippets"][0]["html"]
    assert "<mark>innovation</mark>" in html
    assert "Report" not in html and "Página" not in html


def test_snippets_leave_out_the_headers_and_footers(engine):
    hit = engine.search(SearchRequest(q="mentors", expand=False))["hits"][0]
    assert hit["pages"] == [5]
    html = hit["snippets"][0]["html"]
    assert html.startswith("A network of <mark>mentors</mark>")
    assert "Página" not in html and "Social Innovation" not in html


def test_the_document_stays_findable_by_its_running_title(engine):
    result = engine.search(SearchRequest(q="report 2024", expand=False))
    assert result["total"] == 1
    assert result["hits"][0]["pages"]  # found only there: its pages are still shown


def test_the_document_page_lists_only_body_pages(engine):
    doc_id = engine.search(SearchRequest(q="innovation", expand=False))["hits"][0]["id"]
    page = engine.document(doc_id, q="innovation")
    assert [p["page"] for p in page["page_hits"]] == [3]
    assert page["best_page"] == 3
