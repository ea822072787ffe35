"""PDF text per page and the document information dictionary plus XMP, with pypdf."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PyPdfError

from ..errors import EmptyDocument, EncryptedDocument, ExtractionError, NeedsOcr
from ..models import Extracted

# pypdf logs every recoverable oddity of real-world files; those are not our users' concern.
logging.getLogger("pypdf").setLevel(logging.ERROR)

_MIN_TEXT_PER_PAGE = 5


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


def _has_images(page: object) -> bool:
    try:
        resources = page.get("/Resources") or {}  # type: ignore[attr-defined]
        xobjects = resources.get("/XObject") or {}
        for ref in xobjects.values():
            if ref.get_object().get("/Subtype") == "/Image":
                return True
        contents = page.get_contents()  # type: ignore[attr-defined]
        return bool(contents is not None and b"BI" in contents.get_data())
    except Exception:
        return False


def _largest_text(page: object) -> str | None:
    """Text set in the largest font on a page: on a first page, that is the title."""
    pieces: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            scale = ((tm[2] ** 2 + tm[3] ** 2) ** 0.5) * ((cm[2] ** 2 + cm[3] ** 2) ** 0.5)
            pieces.append((round(size * (scale or 1.0), 1), text.strip()))

    try:
        page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
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


def extract(path: Path, max_pages: int) -> Extracted:
    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF" not in head:
        raise ExtractionError(
            "not a PDF file (no %PDF header); the file may be damaged or mis-named"
        )
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
        pages = reader.pages
        count = len(pages)
    except (EncryptedDocument, ExtractionError):
        raise
    except FileNotDecryptedError as err:
        raise EncryptedDocument(f"encrypted PDF: {err}") from err
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise ExtractionError(f"damaged PDF, cannot be read: {err}") from err
    if count == 0:
        raise EmptyDocument("the PDF has no pages")

    warnings: list[str] = []
    texts: list[str] = []
    image_pages = 0
    failed_pages = 0
    for number, page in enumerate(pages, start=1):
        if number > max_pages:
            warnings.append(f"only the first {max_pages} of {count} pages were read")
            break
        try:
            text = page.extract_text() or ""
        except Exception as err:
            failed_pages += 1
            warnings.append(f"page {number}: text could not be extracted ({type(err).__name__})")
            text = ""
        if len(text.strip()) < _MIN_TEXT_PER_PAGE and _has_images(page):
            image_pages += 1
        texts.append(text)

    if not any(len(t.strip()) >= _MIN_TEXT_PER_PAGE for t in texts):
        if image_pages:
            raise NeedsOcr(
                f"no text layer: {image_pages} of {len(texts)} pages are images only "
                "(a scan?); needs OCR before it can be searched"
            )
        if failed_pages:
            raise ExtractionError(
                f"damaged PDF: text extraction failed on all {failed_pages} pages"
            )
        raise EmptyDocument("the PDF contains no text")
    if image_pages:
        warnings.append(f"{image_pages} page(s) are images without text; OCR would add them")
    meta = _info(reader)
    heading = _largest_text(pages[0])
    if heading:
        meta["heading"] = heading
    return Extracted(format="pdf", pages=texts, meta=meta, warnings=warnings)
