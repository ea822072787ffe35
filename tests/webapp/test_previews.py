"""Pictures of pages: thumbnails in results and on document pages, the page view with the
searched words marked, reflowed page text — rendered for real by PDFium in a child process."""

import io
import json
import os

import pytest
from PIL import Image

from indexer.config import Settings
from indexer.ingest.extract import ocr
from indexer.ingest.run import run_index
from indexer.store.catalog import Catalog
from tests.factories import TEXTS, make_image_pdf, make_legacy_pdf, make_pdf
from tests.webapp.page_context import given_to_template
from webapp import create_app


def _first_pdf_hit(client, q):
    hits = given_to_template(client, f"/search?q={q}")["hits"]
    return next(h for h in hits if h["format"] == "pdf")


def test_pdf_hits_have_a_thumbnail_that_is_a_picture_of_the_page(client):
    hit = _first_pdf_hit(client, "outcomes")
    thumb = hit["thumbnail"]
    assert thumb["width"] == 160 and "Picture of page" in thumb["alt"]
    response = client.get(thumb["url"])
    assert response.status_code == 200 and response.mimetype == "image/webp"
    picture = Image.open(io.BytesIO(response.data))
    assert picture.size[0] == 160 and 200 < picture.size[1] < 240  # A4 proportions
    assert picture.convert("L").getextrema()[0] < 128  # something dark is drawn: text
    again = client.get(thumb["url"], headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_only_files_with_pages_get_pictures(client):
    hits = given_to_template(client, "/search?q=steering")["hits"]
    docx = next(h for h in hits if h["path"].endswith(".docx"))
    assert "thumbnail" not in docx
    assert client.get(f"/documents/{docx['id']}/pages/1.webp").status_code == 404
    hit = _first_pdf_hit(client, "outcomes")
    assert client.get(f"/documents/{hit['id']}/pages/99.webp").status_code == 404
    assert client.get(f"/documents/{hit['id']}/pages/1.webp?w=4000").status_code == 404
    assert client.get("/documents/000000000000/pages/1.webp").status_code == 404


def test_page_view_marks_the_searched_words_on_the_picture(client):
    hit = _first_pdf_hit(client, "outcomes")
    view = client.get(hit["thumbnail"]["page_url"] + "&format=json").get_json()
    assert view["page"]["number"] == 1 and view["image"]["width"] == 800
    marks = view["marks"]
    assert len(marks) == 3 and {m["text"] for m in marks} == {"outcomes"}
    for m in marks:
        assert 0 <= m["left"] < 100 and 0 <= m["top"] < 100
        assert 0 < m["width"] < 30 and 0 < m["height"] < 5
    assert client.get(f"/api/documents/{hit['id']}/pages/1?q=outcomes").get_json() == view
    html = client.get(hit["thumbnail"]["page_url"]).get_data(as_text=True)
    assert html.count("<rect ") == 3
    assert 'alt="Picture of page 1 of' in html
    assert "Marked on the page: outcomes" in html
    assert client.get(view["image"]["url"]).status_code == 200


def test_a_stemmed_match_is_marked_too(client):
    hit = _first_pdf_hit(client, "outcome")
    view = client.get(f"/api/documents/{hit['id']}/pages/2?q=outcome").get_json()
    assert [m["text"] for m in view["marks"]] == ["outcome"]
    view = client.get(f"/api/documents/{hit['id']}/pages/1?q=outcome").get_json()
    assert {m["text"] for m in view["marks"]} == {"outcomes"}


def test_document_page_shows_the_page_picture_and_how_the_text_was_read(client):
    hit = _first_pdf_hit(client, "outcomes")
    doc = given_to_template(client, f"/documents/{hit['id']}?q=outcomes&page=1")
    assert doc["page"]["image"]["page_url"].startswith(f"/documents/{hit['id']}/pages/1")
    assert doc["text_source"]["layer"] == "pdfium"
    assert doc["text_source"]["languages"][0]["language"] == "en"
    html = client.get(f"/documents/{hit['id']}?q=outcomes").get_data(as_text=True)
    assert 'class="pagepic"' in html and 'loading="lazy"' in html


def test_page_text_is_reflowed_with_marks_kept(tmp_path):
    paragraph = " ".join([TEXTS["en"]] * 3)
    make_pdf(
        tmp_path / "docs" / "long.pdf",
        [paragraph + "\n- the first item of a list\n- the second item of the list"],
    )
    settings = Settings(home=tmp_path / "home", corpus=tmp_path / "docs", workers=1)
    run_index(settings)
    client = create_app(settings).test_client()
    doc_id = client.get("/api/documents").get_json()["documents"][0]["id"]
    doc = client.get(f"/api/documents/{doc_id}?q=investors").get_json()
    assert doc["page"]["text"].count("\n") > 4  # the PDF has hard line ends
    html = doc["page"]["html"]
    assert html.count("\n") == 2  # only the breaks before the list items remain
    assert html.count("<mark>investors</mark>") == 3
    assert "ESF+.\n- the first item of a list\n- the second item" in html


def test_a_word_broken_at_a_line_end_and_legacy_text_are_marked_on_the_picture(tmp_path):
    make_legacy_pdf(
        tmp_path / "docs" / "broken.pdf",
        "The centre tested each social inno-\nvation with the city and its partners.",
        "cp1252",
    )
    make_legacy_pdf(tmp_path / "docs" / "old.pdf", [TEXTS["bg"], TEXTS["bg"]], "cp1251")
    settings = Settings(home=tmp_path / "home", corpus=tmp_path / "docs", workers=1)
    run_index(settings)
    client = create_app(settings).test_client()
    ids = {d["path"]: d["id"] for d in client.get("/api/documents").get_json()["documents"]}
    view = client.get(f"/api/documents/{ids['broken.pdf']}/pages/1?q=innovation").get_json()
    marks = view["marks"]
    assert [m["text"] for m in marks] == ["innovation", "innovation"]  # one box on each line
    assert marks[1]["top"] > marks[0]["top"]
    view = client.get(f"/api/documents/{ids['old.pdf']}/pages/1?q=иновации").get_json()
    assert view["marks"] and {m["text"] for m in view["marks"]} <= {"иновации", "иновациите"}


def test_a_file_that_cannot_be_rendered_is_a_404_and_not_tried_again(tmp_path):
    pdf = make_pdf(tmp_path / "docs" / "ok.pdf", [TEXTS["en"]])
    settings = Settings(home=tmp_path / "home", corpus=tmp_path / "docs", workers=1)
    run_index(settings)
    pdf.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 200)  # replaced after indexing
    client = create_app(settings).test_client()
    doc_id = client.get("/api/documents").get_json()["documents"][0]["id"]
    assert client.get(f"/documents/{doc_id}/pages/1.webp").status_code == 404
    failed = list((settings.home / "previews").rglob("*.failed"))
    assert len(failed) == 1 and "render" in failed[0].read_text()
    assert client.get(f"/documents/{doc_id}/pages/1.webp").status_code == 404


def test_the_picture_cache_stays_within_its_size(tmp_path):
    make_pdf(tmp_path / "docs" / "many.pdf", [f"Page {n}. " + TEXTS["en"] for n in range(6)])
    settings = Settings(
        home=tmp_path / "home", corpus=tmp_path / "docs", workers=1, preview_cache_mb=1
    )
    run_index(settings)
    client = create_app(settings).test_client()
    doc_id = client.get("/api/documents").get_json()["documents"][0]["id"]
    for number in range(1, 7):
        assert client.get(f"/documents/{doc_id}/pages/{number}.webp?w=1200").status_code == 200
    size = sum(p.stat().st_size for p in (settings.home / "previews").rglob("*") if p.is_file())
    assert 0 < size <= 1024 * 1024


@pytest.mark.skipif(
    ocr.engine_version() is None and os.environ.get("KB_REQUIRE_OCR") != "1",
    reason="Tesseract is not installed",
)
def test_words_are_marked_on_a_scanned_page_where_ocr_read_them(tmp_path):
    import textwrap

    make_image_pdf(tmp_path / "docs" / "scan.pdf", "\n".join(textwrap.wrap(TEXTS["en"], 55)))
    settings = Settings(home=tmp_path / "home", corpus=tmp_path / "docs", workers=1)
    run_index(settings)
    client = create_app(settings).test_client()
    doc_id = client.get("/api/documents").get_json()["documents"][0]["id"]
    view = client.get(f"/api/documents/{doc_id}/pages/1?q=investors").get_json()
    assert view["ocr"] is True
    assert [m["text"] for m in view["marks"]] == ["investors"]
    mark = view["marks"][0]
    assert 0 < mark["left"] < 60 and 0 < mark["top"] < 30  # in the text block at the top left
    html = client.get(f"/documents/{doc_id}/pages/1?q=investors").get_data(as_text=True)
    assert "positions as read by OCR" in html and html.count("<rect ") == 1


def test_a_picture_file_is_its_own_page_picture_with_the_words_marked(tmp_path):
    """A photographed page is indexed by OCR, shown upright as its thumbnail and page view,
    and the searched word is marked where OCR read it."""
    import textwrap

    from tests.factories import make_picture

    text = "\n".join(textwrap.wrap(TEXTS["en"], 50))
    make_picture(tmp_path / "docs" / "photo.jpg", text, width=900, turned=True)
    settings = Settings(home=tmp_path / "home", corpus=tmp_path / "docs", workers=1)
    assert run_index(settings).added == 1
    client = create_app(settings).test_client()
    [hit] = given_to_template(client, "/search?q=investors")["hits"]
    assert hit["format"] == "jpeg" and hit["best_page"] == 1
    response = client.get(hit["thumbnail"]["url"])
    assert response.status_code == 200 and response.mimetype == "image/webp"
    shown = Image.open(io.BytesIO(response.data))
    assert shown.size[0] == 160 and shown.size[1] > 200  # upright, as the camera recorded
    view = client.get(f"/api/documents/{hit['id']}/pages/1?q=investors").get_json()
    assert view["ocr"] is True and view["image"]["height"] > view["image"]["width"]
    assert [m["text"] for m in view["marks"]] == ["investors"]
    assert 0 < view["marks"][0]["left"] < 60 and 0 < view["marks"][0]["top"] < 40
    doc = given_to_template(client, f"/documents/{hit['id']}?q=investors")
    assert doc["page"]["image"]["url"] == f"/documents/{hit['id']}/pages/1.webp?w=160"
    assert client.get(f"/documents/{hit['id']}/pages/2.webp").status_code == 404


@pytest.mark.slow
def test_a_page_of_microscopic_text_is_shown_with_bounded_memory(tmp_path):
    """A 14 KB page holding 2.5 million characters (before: an 85 MB layout, and 440 MB held by
    the server for each view of it)."""
    import tracemalloc

    from indexer.ingest.extract.pdf.previews import MAX_MARKS
    from indexer.ingest.extract.pdf.rendering import MAX_LAYOUT_CHARS
    from tests.factories import make_dense_pdf

    make_dense_pdf(tmp_path / "docs" / "dense.pdf")
    settings = Settings(
        home=tmp_path / "home", corpus=tmp_path / "docs", workers=1, max_document_chars=100_000
    )
    run_index(settings)
    client = create_app(settings).test_client()
    doc_id = client.get("/api/documents").get_json()["documents"][0]["id"]
    tracemalloc.start()
    try:
        view = client.get(f"/api/documents/{doc_id}/pages/1?q=verification").get_json()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert 100 < len(view["marks"]) <= MAX_MARKS
    assert {m["text"] for m in view["marks"]} == {"verification"}
    assert peak < 40 * 1024 * 1024, f"{peak / 1e6:.0f} MB"
    (stored,) = (settings.home / "previews").rglob("1.words.json")
    assert stored.stat().st_size < 1_500_000
    assert len(json.loads(stored.read_text())["text"]) == MAX_LAYOUT_CHARS


def test_a_page_that_does_not_exist_is_a_404_and_nothing_is_remembered(tmp_path):
    make_pdf(tmp_path / "docs" / "two.pdf", [TEXTS["en"], TEXTS["en"]])
    settings = Settings(home=tmp_path / "home", corpus=tmp_path / "docs", workers=1)
    run_index(settings)
    client = create_app(settings).test_client()
    doc_id = client.get("/api/documents").get_json()["documents"][0]["id"]
    for number in (0, 3, 10**6):
        assert client.get(f"/documents/{doc_id}/pages/{number}").status_code == 404
        assert client.get(f"/api/documents/{doc_id}/pages/{number}").status_code == 404
    assert not list((settings.home / "previews").rglob("*.failed"))
    assert client.get(f"/api/documents/{doc_id}/pages/2?q=investors").status_code == 200


def test_a_picture_that_failed_for_a_passing_reason_is_tried_again(tmp_path, monkeypatch):
    from indexer.ingest.extract.pdf import preview_failures, previews

    # A renderer that ends while it draws (killed by the system, say) is a passing failure.
    renderer = previews._Renderer()
    renderer.process.kill()
    renderer.process.wait()
    with pytest.raises(previews.PreviewError) as ended:
        renderer.run({"file": "any.pdf", "page": 1, "image": 160, "out": "x.webp"})
    assert ended.value.passing

    make_pdf(tmp_path / "docs" / "one.pdf", [TEXTS["en"]])
    settings = Settings(home=tmp_path / "home", corpus=tmp_path / "docs", workers=1)
    run_index(settings)
    client = create_app(settings).test_client()
    doc = client.get("/api/documents").get_json()["documents"][0]
    url = f"/documents/{doc['id']}/pages/1.webp"
    # That failure, remembered as the cache remembers it, a moment ago:
    with Catalog(settings.catalog_path) as catalog:
        sha = catalog.file(doc["id"]).sha256
    failed = settings.home / "previews" / sha[:2] / sha / "1-160.webp.failed"
    failed.parent.mkdir(parents=True)
    preview_failures.remember(failed, str(ended.value), passing=True)
    assert client.get(url).status_code == 404  # not tried again at once …
    # … but once the wait is over, the page is rendered (before: it failed for good).
    monkeypatch.setattr(preview_failures, "RETRY_SECONDS", 0.0)
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "image/webp"
    assert not failed.exists()


def test_passing_failures_are_given_up_after_some_tries(tmp_path):
    from indexer.ingest.extract.pdf import preview_failures

    failed = tmp_path / "1-160.webp.failed"
    for n in range(preview_failures.RETRIES):
        assert preview_failures.holding(failed, now=10_000.0 * n) is None
        preview_failures.remember(failed, "rendering took too long", True, now=10_000.0 * n)
        assert preview_failures.holding(failed, now=10_000.0 * n + 1) is not None
    assert preview_failures.holding(failed, now=10**9) == "rendering took too long"
    preview_failures.remember(failed, "damaged page", False)
    assert preview_failures.holding(failed, now=10**9) == "damaged page"


def test_a_page_200_inches_long_gets_a_scaled_picture(tmp_path):
    """Before: no picture at all (WebP holds at most 16,383 pixels a side)."""
    from fpdf import FPDF

    pdf = FPDF(format=(35.3, 5080))  # 100 × 14,400 points, the longest page PDF allows
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.text(5, 20, "Scroll")
    pdf.text(5, 5000, "Bottom")
    (tmp_path / "docs").mkdir()
    pdf.output(str(tmp_path / "docs" / "scroll.pdf"))
    settings = Settings(home=tmp_path / "home", corpus=tmp_path / "docs", workers=1)
    run_index(settings)
    client = create_app(settings).test_client()
    doc_id = client.get("/api/documents").get_json()["documents"][0]["id"]
    for width in (160, 320, 800, 1200):
        response = client.get(f"/documents/{doc_id}/pages/1.webp?w={width}")
        assert response.status_code == 200, width
        picture = Image.open(io.BytesIO(response.data))
        assert max(picture.size) <= 16_383 and picture.size[1] > 20 * picture.size[0]
