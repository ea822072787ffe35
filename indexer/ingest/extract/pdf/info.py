"""What a PDF says about itself: the document information dictionary, XMP, and (for a file only
pypdf can read) the heading of its first page, the text set in the largest type; all with pypdf.

Metadata is a bonus to the text: an unreadable dictionary or XMP packet costs only the values it
would have given.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pypdf import PageObject, PdfReader


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
    # The body's size is the one most characters are set in: a two-line heading over a short
    # first page is two pieces of three, but a fraction of its letters.
    sizes = sorted(s for s, text in pieces for _ in text)
    largest, median = sizes[-1], sizes[len(sizes) // 2]
    if largest < median * 1.2:
        return None
    title = " ".join(t for s, t in pieces if s >= largest - 0.5)
    title = " ".join(title.split())
    return title if 3 <= len(title) <= 300 else None


def document_info(reader: PdfReader, heading: bool = True) -> dict[str, Any]:
    """The document information and (``heading``) the first page's heading."""
    meta: dict[str, Any] = _info(reader)
    found = _largest_text(reader.pages[0]) if heading else None
    if found:
        meta["heading"] = found
    return meta
