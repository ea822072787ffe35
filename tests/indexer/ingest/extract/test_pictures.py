"""Pictures of pages (.png, .jpg, .tiff) become searchable through OCR: a page per picture or
TIFF frame, phone photos turned upright, and a clear reason when a picture cannot be read."""

import os
import textwrap

import pytest

from indexer.errors import EmptyDocument, ExtractionError, NeedsOcr
from indexer.ingest.extract import extract, ocr
from indexer.models import ExtractOptions
from tests.factories import TEXTS, make_picture, make_text

needs_tesseract = pytest.mark.skipif(
    ocr.engine_version() is None and os.environ.get("KB_REQUIRE_OCR") != "1",
    reason="Tesseract is not installed (apt-get install tesseract-ocr); set KB_REQUIRE_OCR=1",
)


def lines(lang: str) -> str:
    return "\n".join(textwrap.wrap(TEXTS[lang], 50))


@needs_tesseract
@pytest.mark.parametrize("name", ["photo.jpg", "scan.png"])
def test_a_picture_of_a_page_is_read_by_ocr(tmp_path, name):
    path = make_picture(tmp_path / name, lines("pt"))
    result = extract(path, 10)
    assert result.format == {"photo.jpg": "jpeg", "scan.png": "png"}[name]
    assert len(result.pages) == 1 and "investidores" in result.pages[0]
    info = result.meta["text"]["ocr"]
    assert info["pages"] == [1] and info["confidence"] > 70
    assert any("read by OCR" in w for w in result.warnings)


@needs_tesseract
def test_a_multi_page_tiff_is_a_page_per_frame_and_a_small_photo_is_read_upright(tmp_path):
    path = make_picture(tmp_path / "minutes.tiff", [lines("bg"), "Втора страница\n" + lines("bg")])
    result = extract(path, 10)
    assert result.format == "tiff" and len(result.pages) == 2
    assert "инвеститорите" in result.pages[0] and "Втора страница" in result.pages[1]
    assert len(extract(path, 1).pages) == 1
    assert "only the first 1 of 2 pages" in extract(path, 1).warnings[0]
    turned = make_picture(tmp_path / "phone.jpg", lines("en"), width=900, turned=True)
    assert "ecosystems" in extract(turned, 10).pages[0]


@needs_tesseract
def test_a_picture_without_words_is_empty_not_invented(tmp_path):
    with pytest.raises(EmptyDocument, match="OCR found no words"):
        extract(make_picture(tmp_path / "blank.png", ""), 10)


def test_a_picture_says_why_it_cannot_be_read(tmp_path):
    path = make_picture(tmp_path / "scan.png", "Minutes of the meeting")
    with pytest.raises(NeedsOcr, match=r"needs OCR.*KB_OCR=0"):
        extract(path, 10, ExtractOptions(ocr=False))
    with pytest.raises(ExtractionError, match="damaged or not a picture"):
        extract(make_text(tmp_path / "fake.jpg", "not a picture at all"), 10)
    whole = path.read_bytes()
    (tmp_path / "cut.png").write_bytes(whole[: len(whole) // 3])
    with pytest.raises(ExtractionError, match="damaged"):
        extract(tmp_path / "cut.png", 10)
