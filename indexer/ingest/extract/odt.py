"""OpenDocument text (.odt) with odfpy: paragraphs, headings, lists and tables in reading order.

LibreOffice records where it broke pages (``text:soft-page-break``), so page numbers match what
the editor saw; explicit breaks come from paragraph styles and are honoured too.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.parsers.expat import ExpatError

from odf import teletype
from odf.namespaces import DCNS, METANS, STYLENS, TABLENS, TEXTNS
from odf.opendocument import OpenDocument, load

from ...errors import EmptyDocument, ExtractionError
from ...models import Extracted, ExtractOptions

_BLOCKS = {(TEXTNS, "p"), (TEXTNS, "h")}
_SOFT_BREAK = (TEXTNS, "soft-page-break")
_ROW = (TABLENS, "table-row")
_CELL = (TABLENS, "table-cell")


def _break_styles(doc: OpenDocument) -> set[str]:
    """Names of paragraph styles that start a new page."""
    names = set()
    for styles in (doc.automaticstyles, doc.styles):
        for style in styles.childNodes:
            name = style.getAttrNS(STYLENS, "name") if hasattr(style, "getAttrNS") else None
            for props in getattr(style, "childNodes", []):
                if getattr(props, "qname", None) == (STYLENS, "paragraph-properties"):
                    for attr, value in props.attributes.items():
                        if attr[1] == "break-before" and value == "page" and name:
                            names.add(name)
    return names


def properties(doc: OpenDocument) -> dict[str, str]:
    """The document's own properties (title, author, subject, …) of any OpenDocument file."""
    meta: dict[str, str] = {}
    for key, ns, name in (
        ("title", DCNS, "title"),
        ("author", DCNS, "creator"),
        ("author", METANS, "initial-creator"),
        ("subject", DCNS, "subject"),
        ("description", DCNS, "description"),
        ("language", DCNS, "language"),
        ("created", METANS, "creation-date"),
        ("keywords", METANS, "keyword"),
    ):
        values = [
            teletype.extractText(el).strip() for el in doc.meta.childNodes if el.qname == (ns, name)
        ]
        values = [v for v in values if v]
        if values and key not in meta:
            meta[key] = ", ".join(values)
    return meta


def extract(path: Path, max_pages: int, options: ExtractOptions | None = None) -> Extracted:
    try:
        doc = load(str(path))
    except (zipfile.BadZipFile, KeyError, ExpatError, ValueError) as err:
        raise ExtractionError(f"damaged or not an OpenDocument file: {err}") from err
    breaks = _break_styles(doc)
    pages: list[list[str]] = [[]]
    headings: list[str] = []

    def walk(node: object) -> None:
        for child in getattr(node, "childNodes", []):
            qname = getattr(child, "qname", None)
            if qname == _SOFT_BREAK:
                pages.append([])
            elif qname in _BLOCKS:
                style = child.getAttrNS(TEXTNS, "style-name")
                if style in breaks and any(pages[-1]):
                    pages.append([])
                if any(getattr(c, "qname", None) == _SOFT_BREAK for c in child.childNodes):
                    pages.append([])
                text = teletype.extractText(child)
                if qname == (TEXTNS, "h") and text.strip():
                    headings.append(text.strip())
                pages[-1].append(text)
            elif qname == _ROW:
                cells = [
                    teletype.extractText(c).strip()
                    for c in child.childNodes
                    if getattr(c, "qname", None) == _CELL
                ]
                pages[-1].append(" | ".join(cells))
            else:
                walk(child)

    walk(doc.text)
    texts = ["\n".join(lines).strip() for lines in pages]
    texts = [t for i, t in enumerate(texts) if t or i == 0]
    if not any(texts):
        raise EmptyDocument("the OpenDocument file contains no text")
    warnings = []
    if len(texts) > max_pages:
        warnings.append(f"only the first {max_pages} of {len(texts)} pages were read")
        texts = texts[:max_pages]

    meta = properties(doc)
    if headings:
        meta["heading"] = headings[0]
    return Extracted(format="odt", pages=texts, meta=meta, warnings=warnings)
