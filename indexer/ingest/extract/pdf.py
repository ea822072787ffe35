"""PDF text per page (PDFium's text layer, OCR for pages that are pictures), and the document
information dictionary plus XMP (pypdf).

PDFium reads the text layer: measured on real PDFs from Debian's documentation packages against
poppler's pdftotext, it finds more of the words (0.98 against 0.96 before accent repair) at
about fifteen times pypdf's speed, and it marks line-end hyphens, which pypdf leaves
indistinguishable from real ones (see ``bench/pdf_text.py``). pypdf keeps the jobs it does well
— metadata, XMP, the first page's largest type for a title — and reads the text of a file
PDFium cannot open. Image-only pages go to OCR (``indexer.ingest.ocr``) when it is installed; a page
with a text layer never does.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from pypdf import PageObject, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PyPdfError

from ...errors import EmptyDocument, EncryptedDocument, ExtractionError, NeedsOcr
from .. import ocr, rendering
from ..models import Extracted, ExtractOptions

# pypdf logs every recoverable oddity of real-world files; those are not our users' concern.
logging.getLogger("pypdf").setLevel(logging.ERROR)

_MIN_TEXT_PER_PAGE = 5
#: A page covered this much by one picture, with less text than a stamp, is a scan.
_SCAN_COVERAGE = 0.6
_STAMP_TEXT = 40
#: Scans are rendered for OCR at their own resolution, kept within these bounds (dpi).
_OCR_DPI = (200.0, 300.0)


def _iso(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value) if value else ""


def _info(reader: PdfReader) -> dict[str, str]:
    meta: dict[str, str] = {}
    try:
        info = reader.metadata
    except Exception:  # unreadable info dictionaries are common; the text still matters
        info = None
    if info:
        for key, attr in (("title", "title"), ("author", "author"), ("subject", "subject")):
            try:
                value = getattr(info, attr)
            except Exception:
                value = None
            if value and str(value).strip():
                meta[key] = str(value).strip()
        for key, raw in (
            ("keywords", "/Keywords"),
            ("producer", "/Producer"),
            ("creator", "/Creator"),
        ):
            value = info.get(raw)
            if value and str(value).strip():
                meta[key] = str(value).strip()
        try:
            created = info.creation_date
        except Exception:
            created = None
        if created:
            meta["created"] = _iso(created)
    try:
        xmp = reader.xmp_metadata
    except Exception:
        xmp = None
    if xmp is not None:
        _merge_xmp(xmp, meta)
    return meta


def _merge_xmp(xmp: object, meta: dict[str, str]) -> None:
    def first(value: object) -> str:
        if isinstance(value, dict):
            value = value.get("x-default") or next(iter(value.values()), "")
        if isinstance(value, list | tuple):
            value = value[0] if value else ""
        return str(value).strip() if value else ""

    pairs = (
        ("title", "dc_title"),
        ("author", "dc_creator"),
        ("subject", "dc_description"),
        ("keywords", "dc_subject"),
        ("language", "dc_language"),
        ("created", "xmp_create_date"),
    )
    for key, attr in pairs:
        try:
            raw = getattr(xmp, attr)
        except Exception:
            continue
        if key == "keywords" and isinstance(raw, list):
            value = ", ".join(str(x) for x in raw)
        elif key == "created":
            value = _iso(raw)
        else:
            value = first(raw)
        if value and key not in meta:
            meta[key] = value


def _has_images(page: PageObject) -> bool:
    try:
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        for ref in xobjects.values():
            if ref.get_object().get("/Subtype") == "/Image":
                return True
        contents = page.get_contents()
        return bool(contents is not None and b"BI" in contents.get_data())
    except Exception:
        return False


def _largest_text(page: PageObject) -> str | None:
    """Text set in the largest font on a page: on a first page, that is the title."""
    pieces: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            scale = ((tm[2] ** 2 + tm[3] ** 2) ** 0.5) * ((cm[2] ** 2 + cm[3] ** 2) ** 0.5)
            pieces.append((round(size * (scale or 1.0), 1), text.strip()))

    try:
        page.extract_text(visitor_text=visit)
    except Exception:
        return None
    if len(pieces) < 2:
        return None
    sizes = sorted(s for s, _ in pieces)
    largest, median = sizes[-1], sizes[len(sizes) // 2]
    if largest < median * 1.2:
        return None
    title = " ".join(t for s, t in pieces if s >= largest - 0.5)
    title = " ".join(title.split())
    return title if 3 <= len(title) <= 300 else None


def _open_pypdf(path: Path) -> PdfReader:
    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise EncryptedDocument(
                        "encrypted PDF: it needs a password to open; save an unprotected copy"
                    )
            except (FileNotDecryptedError, NotImplementedError) as err:
                raise EncryptedDocument(f"encrypted PDF: {err}") from err
            except DependencyError as err:
                raise EncryptedDocument(f"encrypted PDF needing AES support: {err}") from err
        if len(reader.pages) == 0:
            raise EmptyDocument("the PDF has no pages")
        return reader
    except (EncryptedDocument, EmptyDocument):
        raise
    except FileNotDecryptedError as err:
        raise EncryptedDocument(f"encrypted PDF: {err}") from err
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise ExtractionError(f"damaged PDF, cannot be read: {err}") from err


class _Pages:
    """Text of each page, and which pages are pictures with no text (OCR candidates)."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.image_pages: list[int] = []  # 0-based
        self.failed = 0
        self.ocr_skipped = 0  # image pages OCR had no time left for
        self.warnings: list[str] = []


def _is_scan(text: str, page: Any) -> bool:
    """A page to read with OCR: a picture and no text, or a picture covering the page with no
    more text than a scanner's stamp ("Page 3", a file number) on it."""
    letters = len(text.strip())
    if letters < _MIN_TEXT_PER_PAGE:
        return rendering.has_images(page)
    return letters < _STAMP_TEXT and rendering.image_coverage(page) >= _SCAN_COVERAGE


def _pdfium_pages(document: Any, count: int) -> _Pages:
    out = _Pages()
    for index in range(count):
        try:
            page = document[index]
        except Exception as err:
            out.failed += 1
            out.warnings.append(f"page {index + 1}: cannot be read ({type(err).__name__})")
            out.texts.append("")
            continue
        try:
            text = rendering.page_text(page)
            if _is_scan(text, page):
                out.image_pages.append(index)
        except Exception as err:
            out.failed += 1
            out.warnings.append(f"page {index + 1}: text could not be extracted ({err})")
            text = ""
        finally:
            page.close()
        out.texts.append(text)
    return out


def _pypdf_pages(reader: PdfReader, count: int) -> _Pages:
    out = _Pages()
    for index, page in enumerate(reader.pages[:count]):
        try:
            text = page.extract_text() or ""
        except Exception as err:
            out.failed += 1
            out.warnings.append(
                f"page {index + 1}: text could not be extracted ({type(err).__name__})"
            )
            text = ""
        if len(text.strip()) < _MIN_TEXT_PER_PAGE and _has_images(page):
            out.image_pages.append(index)
        out.texts.append(text)
    return out


def _ocr_pages(document: Any, pages: _Pages, options: ExtractOptions) -> dict[str, Any] | None:
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
    return {
        "engine": f"Tesseract {ocr.engine_version()}",
        "pages": read,
        "confidence": round(sum(c * n for c, n in confidences) / max(words, 1), 1),
        "words": words,
        "languages": sorted({p for combo in used for p in combo.split("+")}),
        "seconds": round(time.monotonic() - started, 1),
    }


def _open(path: Path) -> tuple[Any, PdfReader | None, int, str]:
    """The document opened with PDFium, else (a damaged file PDFium refuses) with pypdf: the
    PDFium document or None, the pypdf reader or None, the page count, the text layer used."""
    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF" not in head:
        raise ExtractionError(
            "not a PDF file (no %PDF header); the file may be damaged or mis-named"
        )
    try:
        document = rendering.open_pdf(path)
        return document, None, len(document), "pdfium"
    except EncryptedDocument:
        raise
    except ExtractionError:
        reader = _open_pypdf(path)
        return None, reader, len(reader.pages), "pypdf"


def _read_scans(
    document: Any, pages: _Pages, options: ExtractOptions, text_info: dict[str, Any]
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


def _no_text(pages: _Pages, read_by_ocr: bool, options: ExtractOptions, ocr_reason: str) -> None:
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


def _metadata(path: Path, reader: PdfReader | None) -> dict[str, Any]:
    """The document information and the first page's heading (pypdf reads both)."""
    if reader is None:
        try:
            reader = _open_pypdf(path)
        except ExtractionError:
            return {}  # metadata is a bonus; the text is what matters
    meta: dict[str, Any] = _info(reader)
    heading = _largest_text(reader.pages[0])
    if heading:
        meta["heading"] = heading
    return meta


def extract(path: Path, max_pages: int, options: ExtractOptions | None = None) -> Extracted:
    options = options or ExtractOptions()
    document, reader, count, layer = _open(path)
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
            pages = _pdfium_pages(document, wanted)
        else:
            assert reader is not None
            pages = _pypdf_pages(reader, wanted)
        if pages.image_pages and document is not None:
            ocr_reason = _read_scans(document, pages, options, text_info)
    finally:
        if document is not None:
            document.close()
    warnings += pages.warnings
    if not any(len(t.strip()) >= _MIN_TEXT_PER_PAGE for t in pages.texts):
        _no_text(pages, "ocr" in text_info, options, ocr_reason)
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
    meta = _metadata(path, reader)
    meta["text"] = text_info
    return Extracted(format="pdf", pages=pages.texts, meta=meta, warnings=warnings)
