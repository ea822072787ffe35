"""The text layer of each page of a PDF, and which pages are scans (pictures with no text, OCR's
work in `scans`).

The file is opened with PDFium, else — a damaged file PDFium refuses — with pypdf, whose reader
also serves `info`. An encrypted file that opens without a password is read; one that needs a
password is refused with a sentence saying so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pypdf import PageObject, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PyPdfError

from ....errors import EmptyDocument, EncryptedDocument, ExtractionError
from . import rendering

#: A page with fewer characters than this has no text.
MIN_TEXT_PER_PAGE = 5
#: A page covered this much by one picture, with less text than a stamp, is a scan.
_SCAN_COVERAGE = 0.6
_STAMP_TEXT = 40


class Pages:
    """Text of each page, and which pages are pictures with no text (OCR candidates)."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.image_pages: list[int] = []  # 0-based
        self.failed = 0
        self.ocr_skipped = 0  # image pages OCR had no time left for
        self.warnings: list[str] = []
        #: The first page's text in the largest type (read with PDFium's text layer).
        self.heading: str | None = None


def open_pypdf(path: Path) -> PdfReader:
    """The file opened with pypdf, decrypted when it needs no password."""
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


def open_document(path: Path) -> tuple[Any, PdfReader | None, int, str]:
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
        reader = open_pypdf(path)
        return None, reader, len(reader.pages), "pypdf"


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


def _is_scan(text: str, page: Any) -> bool:
    """A page to read with OCR: a picture and no text, or a picture covering the page with no
    more text than a scanner's stamp ("Page 3", a file number) on it."""
    letters = len(text.strip())
    if letters < MIN_TEXT_PER_PAGE:
        return rendering.has_images(page)
    return letters < _STAMP_TEXT and rendering.image_coverage(page) >= _SCAN_COVERAGE


def pdfium_pages(document: Any, count: int) -> Pages:
    """The first ``count`` pages as PDFium reads them; a page that fails costs that page."""
    out = Pages()
    for index in range(count):
        try:
            page = document[index]
        except Exception as err:
            out.failed += 1
            out.warnings.append(f"page {index + 1}: cannot be read ({type(err).__name__})")
            out.texts.append("")
            continue
        try:
            if index == 0:
                text, out.heading = rendering.page_text_and_heading(page)
            else:
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


def pypdf_pages(reader: PdfReader, count: int) -> Pages:
    """The first ``count`` pages as pypdf reads them (for files PDFium refuses)."""
    out = Pages()
    for index, page in enumerate(reader.pages[:count]):
        try:
            text = page.extract_text() or ""
        except Exception as err:
            out.failed += 1
            out.warnings.append(
                f"page {index + 1}: text could not be extracted ({type(err).__name__})"
            )
            text = ""
        if len(text.strip()) < MIN_TEXT_PER_PAGE and _has_images(page):
            out.image_pages.append(index)
        out.texts.append(text)
    return out
