"""Pages as pictures and the boxes of their characters, from real PDFs made here."""

import pytest
from fpdf import FPDF

from indexer.errors import EncryptedDocument, ExtractionError
from indexer.ingest.rendering import MAX_PIXELS, has_images, image_dpi, layout, open_pdf, render
from tests.factories import TEXTS, encrypt_pdf, make_image_pdf, make_pdf, make_text


def test_character_boxes_follow_the_text_on_the_page(tmp_path):
    path = make_pdf(tmp_path / "doc.pdf", [TEXTS["bg"]])
    document = open_pdf(path)
    found = layout(document[0])
    assert found.text.startswith("Социалните иновации")
    assert len(found.boxes) == len(found.text)
    first, second = found.boxes[0], found.boxes[1]
    assert first is not None and second is not None
    assert 0 < first[0] < first[2] <= second[0] + 0.001 < 1  # left to right
    assert 0 < first[1] < first[3] < 0.2  # near the top of the page
    line_break = found.text.index("\n")
    assert found.boxes[line_break] is None
    below = found.boxes[line_break + 1]
    assert below is not None and below[1] > first[3]  # the next line is lower
    assert type(found).from_dict(found.to_dict()) == found
    document.close()


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
