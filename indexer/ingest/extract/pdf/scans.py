"""OCR of the pages of a PDF that are pictures (scans), within the file's OCR time budget, and
the error for a PDF in which no page has text, saying why there is none (OCR off, not
installed, out of time, or no words in the pictures).

`pages` tells which pages are scans while reading the text layer; a page with a text layer is
never read by OCR.
"""

from __future__ import annotations

from typing import Any, NoReturn

from ....errors import EmptyDocument, ExtractionError, NeedsOcr
from ....models import ExtractOptions
from .. import ocr
from ..ocr_run import OcrRun
from . import rendering
from .headings import scan_heading
from .pages import Pages

#: Scans are rendered for OCR at their own resolution, kept within these bounds (dpi).
_OCR_DPI = (200.0, 300.0)


def _ocr_pages(document: Any, pages: Pages, options: ExtractOptions) -> dict[str, Any] | None:
    """Read the image-only pages with Tesseract, within the file's OCR time budget (see
    `OcrRun`: the first page's script and language choose the packs for the rest); the first
    page's heading as its word boxes show it."""
    run = OcrRun(options)
    heading = None
    for index in pages.image_pages:
        if run.time_left() <= 1:
            run.skipped += 1
            continue
        page = document[index]
        try:
            dpi = rendering.image_dpi(page) or _OCR_DPI[1]
            image = rendering.render(
                page, dpi=min(max(dpi, _OCR_DPI[0]), _OCR_DPI[1]), grayscale=True
            )
            try:
                result = run.page(index + 1, image)
            except ocr.OcrUnavailable:
                raise
            except Exception as err:  # Tesseract failing on one picture costs that page
                pages.warnings.append(f"page {index + 1}: OCR failed ({err})"[:300])
                continue
        finally:
            page.close()
        if result is not None and result.words:
            stamp = pages.texts[index].strip()  # a scanner's stamp, kept as it is
            pages.texts[index] = f"{stamp}\n\n{result.text}" if stamp else result.text
            if index == 0:
                heading = scan_heading(result.boxes)
    pages.ocr_skipped = run.skipped
    if run.skipped:
        pages.warnings.append(
            f"OCR stopped after {options.ocr_seconds:g} s: {run.skipped} scanned page(s) not read"
        )
    if not run.read:
        return None
    found: dict[str, Any] = {"heading": heading} if heading else {}
    return found | run.record()


def read_scans(
    document: Any, pages: Pages, options: ExtractOptions, text_info: dict[str, Any]
) -> str:
    """OCR of the pages that are pictures, if it can be done; why not, when it cannot."""
    if not options.ocr:
        return "OCR is turned off (KB_OCR=0)"
    if ocr.engine_version() is None:
        return ocr.INSTALL_HINT
    try:
        found = _ocr_pages(document, pages, options)
    except ocr.OcrUnavailable as err:
        return str(err)
    if found:
        text_info["ocr"] = found
        pages.image_pages = [i for i in pages.image_pages if i + 1 not in found["pages"]]
    return ""


def no_text(pages: Pages, read_by_ocr: bool, options: ExtractOptions, ocr_reason: str) -> NoReturn:
    """The error for a PDF without a page of text, saying why there is none."""
    texts = pages.texts
    unread = len(pages.image_pages)
    if unread:
        if pages.ocr_skipped:
            raise ExtractionError(
                f"no text layer, and OCR of its {unread} scanned pages did not finish within "
                f"{options.ocr_seconds:g} s; raise KB_FILE_TIMEOUT or split the scan"
            )
        if read_by_ocr or (options.ocr and not ocr_reason):
            raise EmptyDocument(
                f"no text: {unread} of {len(texts)} pages are images in which OCR found no words"
            )
        raise NeedsOcr(
            f"no text layer: {unread} of {len(texts)} pages are images only "
            f"(a scan?); needs OCR before it can be searched: {ocr_reason}"
        )
    if pages.failed:
        raise ExtractionError(f"damaged PDF: text extraction failed on all {pages.failed} pages")
    raise EmptyDocument("the PDF contains no text")
