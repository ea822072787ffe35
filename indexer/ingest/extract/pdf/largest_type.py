"""The text of a first page set in the largest type — its title — as PDFium reads the page.

The first page's text layer is read anyway; the size PDFium gives each of its characters tells
the heading without a second reading of the page (pypdf reading its fonts took about as long as
reading the whole document's text). The rule is the one `info._largest_text` applies to pypdf's
pieces of text: the body's size is the one most characters are set in (a two-line heading over
a short first page is most of its lines but a fraction of its letters), a heading is at least a
fifth larger, and it is every character within half a point of the largest size, in reading
order. Spaces count as characters of the size they stand between, as in pypdf's pieces; line
ends count for nothing. Measured against pypdf's answer on the sample PDFs and a hundred others
from many tools: the same heading everywhere, except where pypdf misread the letters of a
Chinese title.
"""

from __future__ import annotations

from typing import Any

import pypdfium2.raw as pdfium_c

#: A heading is set at least this much larger than the body.
LARGER = 1.2
#: Characters this close to the largest size are the heading's.
NEAR = 0.5
_LINE_END = "\r\n"


def largest_type(textpage: Any, text: str) -> str | None:
    """The heading of a page: ``textpage`` (PDFium's) and ``text``, its text in full."""
    raw = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw)
    if len(text) != count:  # characters outside the BMP shift the indices: ask PDFium
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i)) for i in range(count))
    sizes = [round(pdfium_c.FPDFText_GetFontSize(raw, i), 1) for i in range(count)]
    body = sorted(size for ch, size in zip(text, sizes, strict=True) if ch not in _LINE_END)
    if len(body) < 2:
        return None
    largest, median = body[-1], body[len(body) // 2]
    if largest < median * LARGER:
        return None
    kept = "".join(
        ch if ch not in _LINE_END and size >= largest - NEAR else " "
        for ch, size in zip(text, sizes, strict=True)
    )
    title = " ".join(kept.split())
    return title if 3 <= len(title) <= 300 else None
