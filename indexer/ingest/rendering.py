"""Pages of a PDF as pictures, and where each character of their text layer sits (PDFium).

One place for what OCR and page previews both need from PDFium: opening a file with our own
error messages, rendering a page to an image of bounded size, telling an image-only page from
one with text, and the text layer's characters with their boxes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..errors import EncryptedDocument, ExtractionError
from ..text.normalize import DOTLESS, SPACING_ACCENTS

if TYPE_CHECKING:
    from PIL import Image

#: No rendered page is larger than this many pixels (a poster-sized page is scaled down).
MAX_PIXELS = 12_000_000
_IMAGE = pdfium_c.FPDF_PAGEOBJ_IMAGE
_FORM = pdfium_c.FPDF_PAGEOBJ_FORM


def open_pdf(path: Path, password: str | None = None) -> pdfium.PdfDocument:
    """Open a PDF with PDFium, turning its errors into ours."""
    try:
        return pdfium.PdfDocument(str(path), password=password)
    except pdfium.PdfiumError as err:
        if "password" in str(err).lower():
            raise EncryptedDocument(
                "encrypted PDF: it needs a password to open; save an unprotected copy"
            ) from err
        raise ExtractionError(f"damaged PDF, cannot be read: {err}") from err


def page_text(page: pdfium.PdfPage) -> str:
    """The text layer of a page, in PDFium's reading order, accents drawn as glyphs of their
    own put on the letter they sit over."""
    textpage = page.get_textpage()
    try:
        text: str = textpage.get_text_range()
        if any(ch in SPACING_ACCENTS for ch in text):
            text = _join_accents(textpage, text)
        return text
    finally:
        textpage.close()


def _join_accents(textpage: pdfium.PdfTextPage, text: str) -> str:
    """Each spacing accent that overlaps a neighbouring letter becomes that letter's combining
    mark (composed later, with NFC), whichever side of it the accent came out on.

    Older TeX fonts draw an accent as its own glyph over the letter; in text order it lands
    before or after the letter depending on the producer, so only the boxes tell which letter
    it belongs to — as poppler decides it.
    """
    if len(text) != textpage.count_chars():
        return text  # characters outside the BMP shift the indices; leave it to normalise

    def box(i: int) -> tuple[float, float] | None:
        if not 0 <= i < len(text) or not text[i].isalpha():
            return None
        try:
            left, _bottom, right, _top = textpage.get_charbox(i)
        except Exception:
            return None
        return (left, right) if right > left else None

    out = list(text)
    for i, ch in enumerate(text):
        mark = SPACING_ACCENTS.get(ch)
        if mark is None:
            continue
        try:
            left, _b, right, _t = textpage.get_charbox(i)
        except Exception:
            continue
        best, best_overlap = None, 0.0
        for j in (i + 1, i - 1):  # the letter after first: TeX's \accent sets it before
            neighbour = box(j)
            if neighbour and out[j] == text[j]:
                overlap = min(right, neighbour[1]) - max(left, neighbour[0])
                if overlap > best_overlap:
                    best, best_overlap = j, overlap
        if best is not None:
            base = DOTLESS.get(text[best], text[best])
            out[best] = base + mark
            out[i] = ""
    return "".join(out)


def image_dpi(page: pdfium.PdfPage) -> float | None:
    """Resolution of the largest picture on the page (a scan's own resolution), if any."""
    best: tuple[float, float] | None = None  # (area on the page, dpi)
    try:
        for obj in page.get_objects(filter=[_IMAGE], max_depth=2):
            left, bottom, right, top = obj.get_bounds()
            width_pt = abs(right - left)
            if width_pt < 36:  # smaller than half an inch: an icon, not a scan
                continue
            try:
                pixels_wide = obj.get_px_size()[0]
            except Exception:
                continue
            area = width_pt * abs(top - bottom)
            dpi = pixels_wide / (width_pt / 72)
            if best is None or area > best[0]:
                best = (area, dpi)
    except Exception:
        return None
    return best[1] if best else None


def image_coverage(page: pdfium.PdfPage) -> float:
    """Share of the page covered by its largest picture (a scan covers nearly all of it)."""
    width, height = page.get_size()
    largest = 0.0
    try:
        for obj in page.get_objects(filter=[_IMAGE], max_depth=2):
            left, bottom, right, top = obj.get_bounds()
            largest = max(largest, abs(right - left) * abs(top - bottom))
    except Exception:
        return 0.0
    return min(1.0, largest / max(float(width * height), 1.0))


def has_images(page: pdfium.PdfPage) -> bool:
    try:
        return any(True for _ in page.get_objects(filter=[_IMAGE], max_depth=2))
    except Exception:
        return False


def render(
    page: pdfium.PdfPage,
    *,
    dpi: float | None = None,
    width: int | None = None,
    grayscale: bool = False,
) -> Image.Image:
    """The page as a picture, at ``dpi`` or ``width`` pixels wide, never above MAX_PIXELS."""
    page_w, page_h = page.get_size()
    scale = width / max(page_w, 1.0) if width else (dpi or 150) / 72
    pixels = page_w * page_h * scale * scale
    if pixels > MAX_PIXELS:
        scale *= (MAX_PIXELS / pixels) ** 0.5 * 0.999  # pixels are rounded up
    bitmap = page.render(scale=scale, grayscale=grayscale, limit_image_cache=True)
    try:
        image: Image.Image = bitmap.to_pil()
        return image
    finally:
        bitmap.close()


@dataclass
class PageLayout:
    """A page's text layer and the box of each of its characters, as fractions of the page
    (0–1, origin top left), so they fit an image of the page at any size."""

    text: str
    boxes: list[tuple[float, float, float, float] | None]
    width: float  # page size in points
    height: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "boxes": [list(b) if b else None for b in self.boxes],
            "width": self.width,
            "height": self.height,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PageLayout:
        return cls(
            data["text"],
            [(b[0], b[1], b[2], b[3]) if b else None for b in data["boxes"]],
            data["width"],
            data["height"],
        )


def layout(page: pdfium.PdfPage) -> PageLayout:
    """Characters of the text layer with their boxes (generated characters — line breaks and
    spaces PDFium inserts — have none)."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count) if count else ""
        boxes: list[tuple[float, float, float, float] | None] = []
        for i in range(len(text)):
            if i >= count or text[i] in "\r\n":
                boxes.append(None)
                continue
            try:
                left, bottom, right, top = textpage.get_charbox(i, loose=True)
            except Exception:
                boxes.append(None)
                continue
            if right <= left or top <= bottom:
                boxes.append(None)
                continue
            boxes.append(
                (
                    round(left / width, 4),
                    round(1 - top / height, 4),
                    round(right / width, 4),
                    round(1 - bottom / height, 4),
                )
            )
    finally:
        textpage.close()
    return PageLayout(text, boxes, width, height)


__all__ = [
    "MAX_PIXELS",
    "PageLayout",
    "has_images",
    "image_coverage",
    "image_dpi",
    "layout",
    "open_pdf",
    "page_text",
    "render",
]
