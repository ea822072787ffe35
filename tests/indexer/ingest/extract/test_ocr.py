"""Scans become searchable: image-only pages read with Tesseract inside extraction, in each of
the knowledge base's four languages, through the real workers, catalog and index."""

import os
import textwrap

import pytest

from indexer.errors import EmptyDocument, NeedsOcr
from indexer.ingest.extract import extract, ocr
from indexer.ingest.preparing.file_text import process_file
from indexer.ingest.preparing.workers import EXTRACT_VERSION
from indexer.ingest.run import run_index
from indexer.search import SearchEngine, SearchRequest
from indexer.store.catalog import Catalog
from tests.factories import TEXTS, make_image_pdf

pytestmark = pytest.mark.skipif(
    ocr.engine_version() is None and os.environ.get("KB_REQUIRE_OCR") != "1",
    reason="Tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-bul "
    "tesseract-ocr-ell tesseract-ocr-por); set KB_REQUIRE_OCR=1 to fail instead",
)

#: A word of each sample text, as a reader would type it.
WORDS = {"en": "ecosystems", "bg": "инвеститорите", "el": "επιχειρήσεις", "pt": "investidores"}


def scan_text(lang: str) -> str:
    return "\n".join(textwrap.wrap(TEXTS[lang], 55))


def test_tesseract_and_the_four_language_packs_are_there():
    assert ocr.engine_version()
    assert {"eng", "bul", "ell", "por"} <= ocr.installed_packs()


@pytest.mark.slow
def test_a_scan_in_each_language_is_indexed_and_found(settings, docs):
    for lang in TEXTS:
        make_image_pdf(docs / f"scan_{lang}.pdf", scan_text(lang))
    summary = run_index(settings)
    assert summary.failed == 0 and summary.added == 4, summary.failures
    engine = SearchEngine(settings)
    try:
        for lang, word in WORDS.items():
            result = engine.search(SearchRequest(q=word, expand=False))
            assert [h["path"] for h in result["hits"]] == [f"scan_{lang}.pdf"], word
            assert result["hits"][0]["language"] == lang
    finally:
        engine.close()
    with Catalog(settings.catalog_path) as catalog:
        row = catalog.file_at(str(docs.resolve()), "scan_el.pdf")
        assert row is not None
        cached = catalog.cached(row.sha256, EXTRACT_VERSION)
    assert cached is not None
    info = cached.meta["text"]["ocr"]
    assert info["pages"] == [1]
    assert info["confidence"] > 70
    assert "ell" in info["languages"]
    assert any("read by OCR" in w for w in cached.warnings)


def test_only_pages_without_a_text_layer_are_read_by_ocr(tmp_path):
    path = make_image_pdf(
        tmp_path / "mixed.pdf",
        [scan_text("pt")],
        text_layer=[TEXTS["pt"] + " Página com texto."],
    )
    result = process_file(path, 10)
    assert result.meta["text"]["ocr"]["pages"] == [2]
    assert "Página com texto" in result.pages[0].text
    assert "investidores" in result.pages[1].text
    assert result.language == "pt"


def test_a_scan_with_a_stamp_of_real_text_is_still_read(tmp_path):
    path = make_image_pdf(tmp_path / "stamped.pdf", scan_text("en"), stamp="Scan 0042 p. 1")
    result = process_file(path, 10)
    assert result.meta["text"]["ocr"]["pages"] == [1]
    assert "ecosystems" in result.pages[0].text


def test_later_pages_use_the_packs_of_the_script_found(tmp_path):
    path = make_image_pdf(tmp_path / "bg.pdf", [scan_text("bg"), scan_text("bg")])
    info = process_file(path, 10).meta["text"]["ocr"]
    assert info["pages"] == [1, 2]
    assert set(info["languages"]) == {"bul", "ell", "eng", "por"}  # page 1: every pack
    assert info["words"] > 40


def test_without_tesseract_a_scan_says_what_to_install(tmp_path, monkeypatch):
    path = make_image_pdf(tmp_path / "scan.pdf", scan_text("en"))
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    ocr.engine_version.cache_clear()
    ocr.installed_packs.cache_clear()
    try:
        with pytest.raises(NeedsOcr, match=r"needs OCR.*apt-get install tesseract-ocr"):
            extract(path, 10)
    finally:
        ocr.engine_version.cache_clear()
        ocr.installed_packs.cache_clear()


def test_a_picture_without_words_is_not_invented_into_text(tmp_path):
    path = make_image_pdf(tmp_path / "blank.pdf", "")
    with pytest.raises(EmptyDocument, match=r"OCR found no words"):
        extract(path, 10)


def test_ocr_stops_at_its_time_budget_and_says_so(tmp_path):
    from indexer.errors import ExtractionError
    from indexer.models import ExtractOptions

    path = make_image_pdf(tmp_path / "long.pdf", [scan_text("en")] * 2)
    with pytest.raises(ExtractionError, match=r"did not finish within 0\.5 s"):
        extract(path, 10, ExtractOptions(ocr_seconds=0.5))


def test_a_later_page_in_another_script_is_read_again_with_every_pack(tmp_path):
    path = make_image_pdf(tmp_path / "bg_el.pdf", [scan_text("bg"), scan_text("el")])
    result = process_file(path, 10)
    info = result.meta["text"]["ocr"]
    assert info["pages"] == [1, 2]
    assert WORDS["bg"] in result.pages[0].text
    assert WORDS["el"] in result.pages[1].text
    assert info["confidence"] > 70


def test_processors_without_avx2_read_with_tesseracts_plain_arithmetic():
    with_avx2 = "tesseract 5.3.0\n leptonica-1.82.0\n Found AVX2\n Found AVX\n Found SSE4.1\n"
    sse_only = "tesseract 5.3.0\n leptonica-1.82.0\n Found AVX\n Found SSE4.1\n"
    elsewhere = "tesseract 5.3.0\n leptonica-1.82.0\n Found NEON\n"
    assert not ocr.needs_plain_arithmetic(with_avx2)
    assert ocr.needs_plain_arithmetic(sse_only)
    assert not ocr.needs_plain_arithmetic(elsewhere)
    assert "--psm 3" in ocr.engine_options()


def test_the_plain_arithmetic_reads_what_the_fast_one_reads(tmp_path):
    import pypdfium2
    import pytesseract

    from indexer.ingest.extract.pdf import rendering

    path = make_image_pdf(tmp_path / "el.pdf", scan_text("el"))
    document = pypdfium2.PdfDocument(str(path))
    picture = rendering.render(document[0], dpi=200, grayscale=True)
    fast = ocr.read(picture, "ell+eng")
    plain = pytesseract.image_to_string(
        picture, lang="ell+eng", config="--psm 3 -c dotproduct=generic"
    )
    assert WORDS["el"] in fast.text and WORDS["el"] in plain
    # ``read`` drops words it is unsure of; the plain reading keeps them, the rest agree.
    assert set(fast.text.split()) <= set(plain.split())
