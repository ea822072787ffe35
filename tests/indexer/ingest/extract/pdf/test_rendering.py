"""Pages as pictures and the boxes of their words, from real PDFs made here."""

import json

import pytest
from fpdf import FPDF

from indexer.errors import EncryptedDocument, ExtractionError
from indexer.ingest.extract.pdf.rendering import (
    MAX_LAYOUT_CHARS,
    MAX_PIXELS,
    has_images,
    image_dpi,
    layout,
    open_pdf,
    render,
)
from tests.factories import (
    TEXTS,
    encrypt_pdf,
    make_dense_pdf,
    make_image_pdf,
    make_pdf,
    make_text,
)


def test_word_boxes_follow_the_text_on_the_page(tmp_path):
    path = make_pdf(tmp_path / "doc.pdf", [TEXTS["bg"]])
    document = open_pdf(path)
    found = layout(document[0])
    assert found.text.startswith("Социалните иновации")
    first, second = found.words[0], found.words[1]
    assert found.text[first[0] : first[1]] == "Социалните"
    assert found.text[second[0] : second[1]] == "иновации"
    assert 0 < first[2] < first[4] <= second[2] + 0.001 < 1  # left to right
    assert 0 < first[3] < first[5] < 0.2  # near the top of the page
    line_break = found.text.index("\n")
    below = next(w for w in found.words if w[0] > line_break)
    assert below[3] > first[5]  # the next line is lower
    assert all(not found.text[w[0] : w[1]].isspace() for w in found.words)
    assert found.complete
    assert type(found).from_dict(found.to_dict()) == found
    document.close()


def test_a_page_of_microscopic_text_keeps_a_bounded_layout(tmp_path):
    path = make_dense_pdf(tmp_path / "dense.pdf")
    document = open_pdf(path)
    found = layout(document[0])
    document.close()
    assert len(found.text) == MAX_LAYOUT_CHARS and not found.complete
    assert len(found.words) < MAX_LAYOUT_CHARS / 3
    assert len(json.dumps(found.to_dict())) < 1_500_000


def test_render_by_width_and_never_above_the_pixel_cap(tmp_path):
    path = make_pdf(tmp_path / "doc.pdf", [TEXTS["en"]])
    document = open_pdf(path)
    picture = render(document[0], width=160)
    assert picture.size[0] == 160 and 220 <= picture.size[1] <= 232
    document.close()
    poster = FPDF(format=(2000, 2000))
    poster.add_page()
    poster.set_font("Helvetica", size=400)
    poster.text(100, 500, "Poster")
    poster.output(str(tmp_path / "poster.pdf"))
    document = open_pdf(tmp_path / "poster.pdf")
    picture = render(document[0], dpi=300)
    assert picture.size[0] * picture.size[1] <= MAX_PIXELS
    document.close()


def test_a_scan_is_told_from_a_text_page_with_its_resolution(tmp_path):
    scan = open_pdf(make_image_pdf(tmp_path / "scan.pdf", "Signed minutes"))
    assert has_images(scan[0])
    assert 140 < image_dpi(scan[0]) < 160  # 1240 pixels across 210 mm
    text = open_pdf(make_pdf(tmp_path / "text.pdf", [TEXTS["en"]]))
    assert not has_images(text[0]) and image_dpi(text[0]) is None


def test_open_errors_are_ours(tmp_path):
    plain = make_pdf(tmp_path / "p.pdf", [TEXTS["en"]])
    locked = encrypt_pdf(plain, tmp_path / "locked.pdf", user_password="s3cret")
    with pytest.raises(EncryptedDocument, match="password"):
        open_pdf(locked)
    with pytest.raises(ExtractionError, match="damaged"):
        open_pdf(make_text(tmp_path / "fake.pdf", "%PDF-1.4 nothing else"))
