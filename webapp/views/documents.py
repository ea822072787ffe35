"""Document pages and downloads of the original files."""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, request, send_file, url_for

from indexer import (
    EXTRACT_VERSION,
    PICTURED,
    FileRow,
    NotFound,
    reflow_markup,
)

from ..hit_nav import hit_links, mark_count
from ..i18n import current_language
from ..params import back_to, int_arg
from ..pictures import picture
from ..render import engine, page, taxonomy

bp = Blueprint("documents", __name__)

#: Shown in the browser; everything else is downloaded (an HTML document served from this site
#: could run scripts in it).
INLINE = {".pdf", ".txt"}


def document_data(doc_id: str, args: Mapping[str, str]) -> dict[str, Any]:
    """A document's answer as the contract has it (``DocumentPage``); /api/documents/<id>
    returns exactly this."""
    q = args.get("q", "").strip()
    lang = current_language()
    expand = args.get("expand", "1") not in ("0", "false")
    doc: dict[str, Any] = dict(
        engine().document(
            doc_id, q=q, page=int_arg(args, "page", 0) or None, lang=lang, expand=expand
        )
    )
    # Hard line ends inside paragraphs become spaces (marks and offsets stay where they were);
    # the marks are numbered for going from hit to hit.
    doc["page"] = dict(doc["page"])
    doc["page"]["html"] = str(reflow_markup(doc["page"]["text"], doc["page"]["html"]))
    doc["text_source"] = text_source(doc_id, lang)
    if not doc["versions"]:
        doc["metadata"] = {k: v for k, v in doc["metadata"].items() if k != "work"}
    return doc


def document_extra(doc_id: str, args: Mapping[str, str], doc: dict[str, Any]) -> dict[str, Any]:
    """What only the document page shows beside its answer ``doc``: labels in the reader's
    language, the links of its pages, hits, versions and related documents, the picture of the
    page. Nested values are copies, so ``doc`` stays the contract."""
    q = args.get("q", "").strip()
    back = back_to(args)
    lang = current_language()
    wanted = doc["page"]["number"]
    tax = taxonomy()
    extra: dict[str, Any] = {
        "labels": {
            "type": tax.label("type", doc["type"], lang),
            "languages": [tax.label("language", x, lang) for x in doc["languages"]],
            "country": [tax.label("country", c, lang) for c in doc["country"]],
            "topic": [tax.label("topic", t, lang) for t in doc["topic"]],
        }
    }

    def address(number: int) -> str:
        return url_for("documents.document", doc_id=doc_id, q=q or None, page=number, back=back)

    def page_url(number: int) -> str:
        return address(number) + "#page-text"

    extra["page_hits"] = [{**hit, "url": page_url(hit["page"])} for hit in doc["page_hits"]]
    extra["snippets"] = [{**s, "url": page_url(s["page"])} for s in doc["snippets"]]
    count = max(doc["page_count"], 1)
    extra["page_nav"] = {
        "prev_url": page_url(wanted - 1) if wanted > 1 else None,
        "next_url": page_url(wanted + 1) if wanted < count else None,
        "count": count,
        "hits_here": mark_count(doc["page"]["html"]),
        **hit_links(extra["page_hits"], wanted, address),
    }
    extra["file_url"] = url_for("documents.download", doc_id=doc_id)
    if doc["format"] == "pdf":
        extra["file_page_url"] = f"{extra['file_url']}#page={wanted}"
    if doc["format"] in PICTURED:
        picture_of = picture(doc_id, wanted, doc["title"], q, back=back)
        extra["page"] = {**doc["page"], "image": picture_of}
    extra["versions"] = [
        {
            **version,
            "url": url_for("documents.document", doc_id=version["id"], q=q or None, back=back),
            "label": tax.label("language", version["language"], lang),
        }
        for version in doc["versions"]
    ]
    extra["related"] = [
        {**related, "url": url_for("documents.document", doc_id=related["id"])}
        for related in doc["related"]
    ]
    extra["q"] = q
    # Back to the search as it was: its words, filters, sort and page.
    if back is not None:
        extra["search_url"] = url_for("search.search") + (f"?{back}" if back else "")
    else:
        extra["search_url"] = url_for("search.search", q=q or None)
    return extra


def text_source(doc_id: str, lang: str) -> dict[str, Any]:
    """How the document's text was obtained — text layer or OCR (with its confidence), a
    repaired legacy encoding, the share of each language — as kept with its extraction."""
    catalog = engine().catalog()
    row = catalog.file(doc_id)
    cached = catalog.cached(row.sha256, EXTRACT_VERSION) if row else None
    info = dict((cached.meta.get("text") if cached else None) or {})
    shares = info.get("language_shares") or {}
    info["languages"] = [
        {"language": code, "label": taxonomy().label("language", code, lang), "share": share}
        for code, share in shares.items()
    ]
    return info


@bp.get("/documents/<doc_id>")
def document(doc_id: str) -> Any:
    data = document_data(doc_id, request.args)
    return page("document.html", data, extra=document_extra(doc_id, request.args, data))


def indexed_file(doc_id: str) -> tuple[FileRow, Path]:
    """A document's catalog row and file — only files the catalog lists as indexed, only
    inside their folder."""
    row = engine().catalog().file(doc_id)
    if row is None or row.status != "indexed":
        raise NotFound(doc_id)
    root = Path(row.root).resolve()
    path = (root / row.path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        abort(404)
    return row, path


@bp.get("/documents/<doc_id>/file")
def download(doc_id: str) -> Any:
    """The original file."""
    _row, path = indexed_file(doc_id)
    inline = path.suffix.lower() in INLINE
    mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    response = send_file(
        path, mimetype=mimetype, as_attachment=not inline, download_name=path.name, conditional=True
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"
    return response
