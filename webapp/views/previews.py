"""Pictures of the pages of PDFs and of picture files: thumbnails for result lists and document
pages, and a page view with the searched words marked on the picture.

Pictures are made on demand by ``indexer.ingest.extract.pdf.previews`` (a separate, limited process;
cached in the data folder) and served only for documents the catalog lists as indexed. The
marks are boxes drawn in SVG over the picture, from the positions of the words in the page's
text layer; the page's text follows below, so the view reads without the picture and without
JavaScript.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, request, send_file, url_for
from werkzeug.datastructures import MultiDict

from indexer import (
    PICTURE_MIMETYPE,
    PICTURE_WIDTHS,
    PICTURED,
    THUMBNAIL,
    PreviewError,
    page_marks,
)

from ..hit_nav import hit_links
from ..params import back_to
from ..pictures import cache, picture
from ..render import engine, page
from .documents import document_data, document_extra, indexed_file

bp = Blueprint("previews", __name__)


@bp.get("/documents/<doc_id>/pages/<int:number>.webp")
def image(doc_id: str, number: int) -> Any:
    """A page of an indexed PDF or picture file as a picture, ``w`` pixels wide (one of the
    fixed widths)."""
    width = request.args.get("w", type=int) or THUMBNAIL
    if width not in PICTURE_WIDTHS:
        abort(404)
    row, path = indexed_file(doc_id)
    if row.format not in PICTURED or not 1 <= number <= (row.pages or 0):
        abort(404)
    try:
        found = cache().image(path, row.sha256, number, width)
    except PreviewError:
        abort(404)
    response = send_file(found, mimetype=PICTURE_MIMETYPE, conditional=True, max_age=86400)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _view_url(doc_id: str, number: int, q: str, back: str | None) -> str:
    return url_for("previews.page_view", doc_id=doc_id, number=number, q=q or None, back=back)


def page_view_context(doc_id: str, number: int, args: MultiDict[str, str]) -> dict[str, Any]:
    """The page view's dict; ``?format=json`` and /api/documents/<id>/pages/<n> return it."""
    row, path = indexed_file(doc_id)
    if not 1 <= number <= (row.pages or 0):  # nothing to render, nothing to remember
        abort(404)
    wanted = MultiDict(args)
    wanted["page"] = str(number)
    data = document_data(doc_id, wanted)
    doc = {**data, **document_extra(doc_id, wanted, data)}
    q = doc["q"]
    back = back_to(args)
    ocr_info = doc.get("text_source", {}).get("ocr") or {}
    view: dict[str, Any] = {
        "id": doc_id,
        "title": doc["title"],
        "q": q,
        "format": doc["format"],
        "page": data["page"],  # its picture is the view's own, larger (``image``)
        "page_nav": {
            **doc["page_nav"],
            "prev_url": _view_url(doc_id, number - 1, q, back) if number > 1 else None,
            "next_url": _view_url(doc_id, number + 1, q, back)
            if number < doc["page_nav"]["count"]
            else None,
            **hit_links(doc["page_hits"], number, lambda n: _view_url(doc_id, n, q, back)),
        },
        "document_url": url_for(
            "documents.document", doc_id=doc_id, q=q or None, page=number, back=back
        ),
        "ocr": number in ocr_info.get("pages", []),
        "image": None,
        "marks": [],
    }
    if row.format not in PICTURED:
        return view
    image = picture(doc_id, number, doc["title"], q, large=True, back=back)
    # A scanned page's words are read again (once, then cached) only when there is a query.
    packs = "+".join(ocr_info.get("languages", [])) if view["ocr"] and q else None
    try:
        layout = cache().layout(path, row.sha256, number, packs or None)
    except PreviewError:
        layout = None
    if layout is not None:
        image["height"] = round(image["width"] * layout.height / max(layout.width, 1.0))
        if q:
            expand = args.get("expand", "1") not in ("0", "false")
            repair = doc.get("text_source", {}).get("encoding_repair") or {}
            marker = engine().highlighter(q, expand)
            view["marks"] = page_marks(layout, marker.spans, repair.get("codepage"))
    view["image"] = image
    return view


@bp.get("/documents/<doc_id>/pages/<int:number>")
def page_view(doc_id: str, number: int) -> Any:
    return page("page.html", page_view_context(doc_id, number, request.args))


@bp.get("/api/documents/<doc_id>/pages/<int:number>")
def page_view_json(doc_id: str, number: int) -> Any:
    return page("page.html", page_view_context(doc_id, number, request.args))
