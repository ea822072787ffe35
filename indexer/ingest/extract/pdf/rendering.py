"""Pages of a PDF as pictures, and where each word of their text layer sits (PDFium).

One place for what OCR and page previews both need from PDFium: opening a file with our own
error messages, rendering a page to an image of bounded size, telling an image-only page from
one with text, and the text layer's words with their boxes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ....errors import EncryptedDocument, ExtractionError
from ....text.normalize import DOTLESS, SPACING_ACCENTS
from .largest_type import largest_type

if TYPE_CHECKING:
    from PIL import Image

#: No rendered page is larger than this many pixels (a poster-sized page is scaled down).
MAX_PIXELS = 12_000_000
#: … nor longer than this on either side: WebP holds at most 16,383 pixels a side, and a page
#: may be 200 inches (14,400 points) long.
MAX_SIDE = 16_000
_IMAGE = pdfium_c.FPDF_PAGEOBJ_IMAGE
#: Whether a text holds no spacing accent: one set operation in C per page, where asking
#: of each character in Python was a tenth of reading the text layer.
_NO_ACCENT = SPACING_ACCENTS.keys().isdisjoint
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
    return page_text_and_heading(page, heading=False)[0]


def page_text_and_heading(page: pdfium.PdfPage, heading: bool = True) -> tuple[str, str | None]:
    """A page's text (`page_text`) and, from the same reading, the text set in its largest
    type (`largest_type`): a first page's title."""
    textpage = page.get_textpage()
    try:
        text: str = textpage.get_text_range()
        found = largest_type(textpage, text) if heading else None
        if not _NO_ACCENT(text):
            text = _join_accents(textpage, text)
        return text, found
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
    """The page as a picture, at ``dpi`` or ``width`` pixels wide, never above MAX_PIXELS nor
    longer than MAX_SIDE (a very long page comes out narrower than asked)."""
    page_w, page_h = page.get_size()
    scale = width / max(page_w, 1.0) if width else (dpi or 150) / 72
    pixels = page_w * page_h * scale * scale
    if pixels > MAX_PIXELS:
        scale *= (MAX_PIXELS / pixels) ** 0.5 * 0.999  # pixels are rounded up
    longest = max(page_w, page_h) * scale
    if longest > MAX_SIDE:
        scale *= MAX_SIDE / longest * 0.999
    bitmap = page.render(scale=scale, grayscale=grayscale, limit_image_cache=True)
    try:
        image: Image.Image = bitmap.to_pil()
        return image
    finally:
        bitmap.close()


#: Characters of a page's text layer whose places are kept. The densest real pages hold about
#: 10,000; a page of microscopic text can hold millions, and its layout would take gigabytes
#: in every process that shows it. Words after this many characters are not marked.
MAX_LAYOUT_CHARS = 50_000

#: A word's place: the offsets of its characters in the text (start, end) and its box as
#: fractions of the page (left, top, right, bottom; 0–1, origin top left).
Word = tuple[int, int, float, float, float, float]


@dataclass
class PageLayout:
    """A page's text layer (at most MAX_LAYOUT_CHARS characters) and the box of each word, so
    that words found in the text can be marked on a picture of the page at any size. One box
    per word, not per character: a page's layout stays small whatever the page holds."""

    text: str
    words: list[Word]
    width: float  # page size in points
    height: float
    #: False when the page held more text than MAX_LAYOUT_CHARS.
    complete: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "words": [list(w) for w in self.words],
            "width": self.width,
            "height": self.height,
            "complete": self.complete,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PageLayout:
        return cls(
            data["text"],
            [(int(w[0]), int(w[1]), w[2], w[3], w[4], w[5]) for w in data["words"]],
            data["width"],
            data["height"],
            bool(data.get("complete", True)),
        )


class _Words:
    """Characters with their boxes gathered into words: a word ends at a space or where the
    next character starts another line."""

    def __init__(self) -> None:
        self.words: list[Word] = []
        self._current: list[float] | None = None  # start, end, left, top, right, bottom

    def add(self, i: int, box: tuple[float, float, float, float] | None) -> None:
        current = self._current
        if box is None:
            self.end()
            return
        left, top, right, bottom = box
        if current is not None and top < current[5] and bottom > current[3]:
            current[1] = i + 1
            current[2], current[3] = min(current[2], left), min(current[3], top)
            current[4], current[5] = max(current[4], right), max(current[5], bottom)
            return
        self.end()
        self._current = [i, i + 1, left, top, right, bottom]

    def end(self) -> None:
        c = self._current
        if c is not None:
            box = (round(c[2], 4), round(c[3], 4), round(c[4], 4), round(c[5], 4))
            self.words.append((int(c[0]), int(c[1]), *box))
            self._current = None


def layout(page: pdfium.PdfPage) -> PageLayout:
    """The words of the text layer with their boxes (spaces and the line breaks PDFium
    inserts separate words), for the first MAX_LAYOUT_CHARS characters."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        kept = min(count, MAX_LAYOUT_CHARS)
        text = textpage.get_text_range(0, kept) if kept else ""
        words = _Words()
        for i, ch in enumerate(text):
            box = None if i >= kept or ch.isspace() else _charbox(textpage, i, width, height)
            words.add(i, box)
        words.end()
    finally:
        textpage.close()
    return PageLayout(text, words.words, width, height, complete=count <= MAX_LAYOUT_CHARS)


def _charbox(
    textpage: pdfium.PdfTextPage, i: int, width: float, height: float
) -> tuple[float, float, float, float] | None:
    try:
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
    except Exception:
        return None
    if right <= left or top <= bottom:
        return None
    return (left / width, 1 - top / height, right / width, 1 - bottom / height)


__all__ = [
    "MAX_LAYOUT_CHARS",
    "MAX_PIXELS",
    "MAX_SIDE",
    "PageLayout",
    "Word",
    "has_images",
    "image_coverage",
    "image_dpi",
    "layout",
    "open_pdf",
    "page_text",
    "page_text_and_heading",
    "render",
]
