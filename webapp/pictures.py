"""Links to pictures of PDF pages, and the picture cache of the running app."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext as _

from indexer import (
    PAGE_VIEW,
    PAGE_VIEW_2X,
    THUMBNAIL,
    THUMBNAIL_2X,
    PreviewCache,
)

from . import links
from .render import settings

#: Height of a page picture before it loads, as a share of its width (A4).
A4 = 297 / 210


def cache() -> PreviewCache:
    app = current_app
    found: PreviewCache | None = app.extensions.get("kb_previews")
    if found is None:
        found = app.extensions["kb_previews"] = PreviewCache(settings())
    return found


def _image_url(doc_id: str, number: int, width: int, path: links.Paths) -> str:
    page = path("previews.image", doc_id=doc_id, number=number)
    return links.with_arguments(page, [("w", width)])


def picture(
    doc_id: str,
    number: int,
    title: str,
    q: str = "",
    large: bool = False,
    back: str | None = None,
    path: links.Paths | None = None,
) -> dict[str, Any]:
    """What a template needs to show a page picture that links to the page view (``path``:
    the request's `links.paths`, when the caller has it)."""
    width, double = (PAGE_VIEW, PAGE_VIEW_2X) if large else (THUMBNAIL, THUMBNAIL_2X)
    path = path or links.paths()
    url = _image_url(doc_id, number, width, path)
    return {
        "url": url,
        "srcset": f"{url} {width}w, {_image_url(doc_id, number, double, path)} {double}w",
        "width": width,
        "height": round(width * A4),
        "alt": _("Picture of page %(n)d of “%(title)s”", n=number, title=title),
        "page_url": links.with_arguments(
            path("previews.page_view", doc_id=doc_id, number=number),
            [("q", q or None), ("back", back)],
        ),
    }
