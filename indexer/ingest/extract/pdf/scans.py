"""OCR of the pages of a PDF that are pictures (scans), within the file's OCR time budget, and
the error for a PDF in which no page has text, saying why there is none (OCR off, not
installed, out of time, or no words in the pictures).

`pages` tells which pages are scans while reading the text layer; a page with a text layer is
never read by OCR.
"""

from __future__ import annotations

import time
from typing import Any, NoReturn

from ....errors import EmptyDocument, ExtractionError, NeedsOcr
from ... import ocr, rendering
from ...models import ExtractOptions
from .headings import scan_heading
from .pages import Pages

#: Scans are rendered for OCR at their own resolution, kept within these bounds (dpi).
_OCR_DPI = (200.0, 300.0)


def _ocr_pages(document: Any, pages: Pages, options: ExtractOptions) -> dict[str, Any] | None:
    """Read the image-only pages with Tesseract, within the file's OCR time budget.

    The first page is read with every configured language pack; the script and language
    found there choose the packs for the rest (fewer packs: faster and fewer look-alike
    letters taken from the wrong alphabet)."""
    started = time.monotonic()
    languages = list(options.ocr_languages)
    packs = ocr.packs_for(languages)
    read: list[int] = []
    confidences: list[tuple[float, int]] = []
    used: set[str] = set()
    skipped = 0
    heading = None
    for index in pages.image_pages:
        left = options.ocr_seconds - (time.monotonic() - started)
        if left <= 1:
            skipped += 1
            continue
        page = document[index]
        try:
            dpi = rendering.image_dpi(page) or _OCR_DPI[1]
            image = rendering.render(
                page, dpi=min(max(dpi, _OCR_DPI[0]), _OCR_DPI[1]), grayscale=True
            )
            try:
                result = ocr.read(image, packs, timeout=left)
            except ocr.OcrUnavailable:
                raise
            except RuntimeError as err:  # pytesseract's timeout
                if "timeout" not in str(err).lower():
                    raise
                skipped += 1
                continue
            except Exception as err:  # Tesseract failing on one picture costs that page
                pages.warnings.append(f"page {index + 1}: OCR failed ({err})"[:300])
                continue
        finally:
            page.close()
        used.add(result.packs)
        if result.words:
            stamp = pages.texts[index].strip()  # a scanner's stamp, kept as it is
            pages.texts[index] = f"{stamp}\n\n{result.text}" if stamp else result.text
            read.append(index + 1)
            confidences.append((result.confidence, result.words))
            if index == 0:
                heading = scan_heading(result.boxes)
            if len(read) == 1:
                packs = ocr.packs_for(ocr.languages_of(result.text, languages))
    pages.ocr_skipped = skipped
    if skipped:
        pages.warnings.append(
            f"OCR stopped after {options.ocr_seconds:g} s: {skipped} scanned page(s) not read"
        )
    if not read:
        return None
    words = sum(n for _, n in confidences)
    found: dict[str, Any] = {"heading": heading} if heading else {}
    return found | {
        "engine": f"Tesseract {ocr.engine_version()}",
        "pages": read,
        "confidence": round(sum(c * n for c, n in confidences) / max(words, 1), 1),
        "words": words,
        "languages": sorted({p for combo in used for p in combo.split("+")}),
        "seconds": round(time.monotonic() - started, 1),
    }


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
