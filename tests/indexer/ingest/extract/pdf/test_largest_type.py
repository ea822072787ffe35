"""The first page's heading as PDFium's text layer tells it: the same heading pypdf's reading
of the page's fonts gave, on PDFs made here and on real-world ones, without that reading."""

import os
from pathlib import Path

import pytest

from indexer.ingest.extract.pdf import extract, rendering
from indexer.ingest.extract.pdf.info import _largest_text
from indexer.ingest.extract.pdf.pages import open_pypdf
from tests.factories import CORPUS, PDF_SAMPLES, TEXTS, make_pdf

SAMPLES = Path(os.environ.get("KB_PDF_SAMPLES", PDF_SAMPLES))


def both_readings(path: Path) -> tuple[str | None, str | None]:
    """The heading by pypdf's fonts, and by PDFium's text layer."""
    by_fonts = _largest_text(open_pypdf(path).pages[0])
    document = rendering.open_pdf(path)
    try:
        _, by_layer = rendering.page_text_and_heading(document[0])
    finally:
        document.close()
    return by_fonts, by_layer


def test_a_heading_over_one_or_two_lines_and_a_page_without_one(tmp_path):
    cases = {
        "one line": ("Mapping the Ecosystem", [TEXTS["en"] * 3]),
        "two lines": (
            "Социалната икономика в България: доклад за картографиране " * 2,
            [TEXTS["bg"]],
        ),
        "short page": ("Σύνοψη πολιτικής", ["Μία σύντομη γραμμή κειμένου κάτω από τον τίτλο."]),
        "none": (None, [TEXTS["pt"] * 3]),
    }
    for name, (heading, pages) in cases.items():
        path = make_pdf(tmp_path / f"{name}.pdf", pages, heading=heading)
        by_fonts, by_layer = both_readings(path)
        assert by_layer == by_fonts, name
        if heading:
            assert by_layer == " ".join(heading.split()), name
        else:
            assert by_layer is None


def test_the_heading_comes_with_the_text_and_the_file_s_properties(tmp_path):
    path = make_pdf(
        tmp_path / "meta.pdf", [TEXTS["en"]], title="Embedded Title", heading="Scaling Readiness"
    )
    meta = extract(path, 10).meta
    assert (meta["heading"], meta["title"]) == ("Scaling Readiness", "Embedded Title")


@pytest.mark.slow
def test_real_pdfs_get_the_heading_pypdf_gave():
    paths = sorted(p for p in CORPUS.rglob("*.pdf") if "sources" not in p.parts)
    if (SAMPLES / "files.json").is_file():
        paths += sorted(SAMPLES.rglob("*.pdf"))
    compared = 0
    for path in paths:
        try:
            pair = both_readings(path)
        except Exception:  # encrypted or damaged: no heading to compare
            continue
        assert pair[1] == pair[0], path
        compared += 1
    assert compared >= 25
