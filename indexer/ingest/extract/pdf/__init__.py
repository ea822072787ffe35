"""PDF text per page (PDFium's text layer, OCR for pages that are pictures), and the document
information dictionary plus XMP (pypdf).

PDFium reads the text layer, and the first page's largest type for a title (`largest_type`):
measured on real PDFs from Debian's documentation packages against poppler's pdftotext, it finds
more of the words (0.98 against 0.96 before accent repair) at about fifteen times pypdf's speed,
and it marks line-end hyphens, which pypdf leaves indistinguishable from real ones (see
``bench/pdf_text.py``). pypdf keeps the jobs it does well — metadata, XMP — and reads the text
(and the largest type) of a file PDFium cannot open. Image-only pages go to OCR
(``indexer.ingest.extract.ocr``) when it is installed; a page with a text layer never does.

`extract` puts the steps together: `pages` opens the file and reads the text layer, `scans`
reads the pages that are pictures, `info` reads what the file says about itself.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from ....errors import EmptyDocument, ExtractionError
from ....models import Extracted, ExtractOptions
from .info import document_info
from .pages import MIN_TEXT_PER_PAGE, open_document, open_pypdf, pdfium_pages, pypdf_pages
from .scans import no_text, read_scans

# pypdf logs every recoverable oddity of real-world files; those are not our users' concern.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def _metadata(path: Path, reader: PdfReader | None, heading: str | None) -> dict[str, Any]:
    """The document information (pypdf reads it) and the first page's heading: the one PDFium
    found while reading the text layer, else (a file only pypdf could read) pypdf's."""
    opened = reader
    if opened is None:
        try:
            opened = open_pypdf(path)
        except ExtractionError:
            return {"heading": heading} if heading else {}  # metadata is a bonus
    if reader is not None:
        return document_info(opened)
    meta = document_info(opened, heading=False)
    if heading:
        meta["heading"] = heading
    return meta


def extract(path: Path, max_pages: int, options: ExtractOptions | None = None) -> Extracted:
    options = options or ExtractOptions()
    document, reader, count, layer = open_document(path)
    text_info: dict[str, Any] = {"layer": layer}
    ocr_reason = ""
    try:
        if count == 0:
            raise EmptyDocument("the PDF has no pages")
        warnings: list[str] = []
        if count > max_pages:
            warnings.append(f"only the first {max_pages} of {count} pages were read")
        wanted = min(count, max_pages)
        if document is not None:
            pages = pdfium_pages(document, wanted)
        else:
            assert reader is not None
            pages = pypdf_pages(reader, wanted)
        if pages.image_pages and document is not None:
            ocr_reason = read_scans(document, pages, options, text_info)
    finally:
        if document is not None:
            document.close()
    warnings += pages.warnings
    if not any(len(t.strip()) >= MIN_TEXT_PER_PAGE for t in pages.texts):
        no_text(pages, "ocr" in text_info, options, ocr_reason)
    unread = len(pages.image_pages)
    if unread:
        hint = f" ({ocr_reason})" if ocr_reason else ""
        warnings.append(f"{unread} page(s) are images without text; OCR would add them{hint}")
    if "ocr" in text_info:
        info = text_info["ocr"]
        warnings.append(
            f"text of {len(info['pages'])} scanned page(s) read by OCR "
            f"(mean confidence {info['confidence']:g} %)"
        )
    meta = _metadata(path, reader, pages.heading)
    heading = text_info.get("ocr", {}).pop("heading", None)
    if heading and "heading" not in meta:
        meta["heading"] = heading  # the first page is a scan: its tallest letters
    meta["text"] = text_info
    return Extracted(format="pdf", pages=pages.texts, meta=meta, warnings=warnings)
