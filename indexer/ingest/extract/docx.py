"""Word (.docx) text in reading order, split into pages where the file records page breaks.

A .docx has no fixed pages, but Word stores where it last broke pages
(``w:lastRenderedPageBreak``); when present those give the same page numbers the reader sees in
Word. Otherwise explicit page breaks are used, and a document without any is one page.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.xmlchemy import BaseOxmlElement

from ...errors import EmptyDocument, ExtractionError
from ...models import Extracted, ExtractOptions

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TITLE_STYLES = {"Title", "Heading1", "Heading 1"}


def _paragraph_parts(p_el: BaseOxmlElement, rendered: bool) -> list[str | None]:
    """Text pieces of one paragraph; ``None`` marks a page break."""
    parts: list[str | None] = []
    ppr = p_el.find(f"{_W}pPr")
    if not rendered and ppr is not None and ppr.find(f"{_W}pageBreakBefore") is not None:
        parts.append(None)
    for el in p_el.iter():
        tag = el.tag
        if tag == f"{_W}t":
            parts.append(el.text or "")
        elif tag == f"{_W}tab":
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            if el.get(f"{_W}type") == "page":
                if not rendered:
                    parts.append(None)
            else:
                parts.append("\n")
        elif tag == f"{_W}lastRenderedPageBreak" and rendered:
            parts.append(None)
    return parts


def extract(path: Path, max_pages: int, options: ExtractOptions | None = None) -> Extracted:
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as err:
        raise ExtractionError(f"damaged or not a Word document: {err}") from err
    body = document.element.body
    rendered = any(True for _ in body.iter(f"{_W}lastRenderedPageBreak"))
    pages: list[list[str]] = [[]]
    heading = None
    for child in body.iterchildren():
        if child.tag == f"{_W}p":
            style = child.find(f"{_W}pPr/{_W}pStyle")
            if heading is None and style is not None and style.get(f"{_W}val") in _TITLE_STYLES:
                heading = "".join(t.text or "" for t in child.iter(f"{_W}t")).strip() or None
            line: list[str] = []
            for part in _paragraph_parts(child, rendered):
                if part is None:
                    pages[-1].append("".join(line))
                    line = []
                    pages.append([])
                else:
                    line.append(part)
            pages[-1].append("".join(line))
        elif child.tag == f"{_W}tbl":
            pages[-1].extend(_table_rows(child))
    texts = ["\n".join(lines).strip() for lines in pages]
    # A break as the very first or last element yields an empty page that the reader never sees.
    while len(texts) > 1 and not texts[-1]:
        texts.pop()
    while len(texts) > 1 and not texts[0]:
        texts.pop(0)
    if not any(texts):
        raise EmptyDocument("the Word document contains no text")
    warnings = []
    if len(texts) > max_pages:
        warnings.append(f"only the first {max_pages} of {len(texts)} pages were read")
        texts = texts[:max_pages]

    meta = _properties(document)
    if heading:
        meta["heading"] = heading
    return Extracted(format="docx", pages=texts, meta=meta, warnings=warnings)


def _table_rows(table: BaseOxmlElement) -> list[str]:
    """A table's rows as lines, cells separated by bars."""
    rows = []
    for row in table.iter(f"{_W}tr"):
        cells = [
            " ".join(t.text or "" for t in cell.iter(f"{_W}t")) for cell in row.iter(f"{_W}tc")
        ]
        rows.append(" | ".join(cells))
    return rows


def _properties(document: DocxDocument) -> dict[str, str]:
    """The document's own description: title, author, subject and the like."""
    props = document.core_properties
    meta: dict[str, str] = {}
    for key, value in (
        ("title", props.title),
        ("author", props.author),
        ("subject", props.subject),
        ("keywords", props.keywords),
        ("language", props.language),
        ("category", props.category),
        ("description", props.comments),
    ):
        if value and str(value).strip():
            meta[key] = str(value).strip()
    if props.created:
        meta["created"] = props.created.isoformat()
    return meta
