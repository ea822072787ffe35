"""Home page, search page and exports of the current results."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator
from typing import Any

from flask import Blueprint, Response, request, stream_with_context, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from indexer.schema import FACET_FIELDS
from indexer.search import SORTS, SearchRequest
from indexer.search.contract import EXPORT_FIELDS
from indexer.taxonomy import Taxonomy

from ..i18n import current_language
from ..params import query_string, request_from_args, toggled
from ..pictures import picture
from ..render import engine, page, taxonomy

bp = Blueprint("search", __name__)

FACET_PREVIEW = 8  # values shown before "show more"


#: A cell starting with one of these is a formula to spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value: Any) -> Any:
    """A value as an export cell; text that a spreadsheet would run as a formula gets a
    leading apostrophe, which spreadsheets show as text and do not display."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(map(str, value))
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _url(req: SearchRequest, **changes: Any) -> str:
    qs = query_string(req, **changes)
    return url_for("search.search") + (f"?{qs}" if qs else "")


def decorate_hit(hit: dict[str, Any], tax: Taxonomy, lang: str, q: str) -> dict[str, Any]:
    """Labels and links a page needs next to the contract fields of a hit."""
    hit["labels"] = {
        "type": tax.label("type", hit["type"], lang),
        "country": [tax.label("country", c, lang) for c in hit["country"]],
        "topic": [tax.label("topic", t, lang) for t in hit["topic"]],
        "languages": [tax.label("language", x, lang) for x in hit["languages"]],
    }
    first = hit["pages"][0] if hit.get("pages") else None
    hit["url"] = url_for("documents.document", doc_id=hit["id"], q=q or None, page=first)
    hit["file_url"] = url_for("documents.download", doc_id=hit["id"])
    if hit.get("format") == "pdf":
        hit["thumbnail"] = picture(hit["id"], first or 1, hit["title"], q)
    for version in hit.get("versions", []):
        version["url"] = url_for("documents.document", doc_id=version["id"], q=q or None)
    for snippet in hit.get("snippets", []):
        snippet["url"] = (
            url_for("documents.document", doc_id=hit["id"], q=q or None, page=snippet["page"])
            + "#page-text"
        )
        if hit.get("format") == "pdf":
            snippet["file_url"] = f"{hit['file_url']}#page={snippet['page']}"
    return hit


def search_context(args: MultiDict) -> dict[str, Any]:
    """The search page's dict; /api/search returns exactly this."""
    req = request_from_args(args)
    lang = current_language()
    tax = taxonomy()
    result = engine().search(req, lang=lang)
    for facet, values in result["facets"].items():
        for value in values:
            value["toggle_url"] = _url(
                req, filters=toggled(req.filters, facet, value["value"]), page=1
            )
    result["chips"] = [
        {
            "facet": facet,
            "value": value,
            "label": tax.label(facet, value, lang),
            "remove_url": _url(req, filters=toggled(req.filters, facet, value), page=1),
        }
        for facet in FACET_FIELDS
        for value in req.filters.get(facet, [])
    ]
    result["clear_url"] = _url(req, filters={}, page=1)
    for hit in result["hits"]:
        decorate_hit(hit, tax, lang, req.q)
    pages = max(1, math.ceil(result["total"] / req.per_page))
    result["pagination"] = {
        "pages": pages,
        "prev_url": _url(req, page=req.page - 1) if req.page > 1 else None,
        "next_url": _url(req, page=req.page + 1) if req.page < pages else None,
        "links": [
            {"page": p, "url": _url(req, page=p), "current": p == req.page}
            for p in _page_window(req.page, pages)
        ],
    }
    result["sorts"] = [
        {"value": s, "url": _url(req, sort=s, page=1), "selected": s == req.sort} for s in SORTS
    ]
    if result.get("suggestion"):
        result["suggestion_url"] = _url(req, q=result["suggestion"], page=1)
    if result.get("fallback"):
        result["all_words_url"] = _url(req, mode="all", page=1)
    result["params"] = {
        "q": req.q,
        "filters": req.filters,
        "sort": req.sort,
        "page": req.page,
        "per_page": req.per_page,
        "mode": req.mode,
        "expand": req.expand,
    }
    result["export"] = {
        "csv": url_for("search.export", fmt="csv") + "?" + query_string(req, page=1),
        "json": url_for("search.export", fmt="json") + "?" + query_string(req, page=1),
    }
    return result


def _page_window(current: int, pages: int, width: int = 2) -> list[int]:
    shown = {1, pages, *range(max(1, current - width), min(pages, current + width) + 1)}
    return sorted(shown)


def home_context() -> dict[str, Any]:
    lang = current_language()
    tax = taxonomy()
    facets = engine().facets(lang=lang)
    for facet, values in facets.items():
        for value in values:
            value["url"] = url_for("search.search", **{facet: value["value"]})
    latest = engine().search(SearchRequest(sort="added", per_page=6), lang=lang)
    for hit in latest["hits"]:
        decorate_hit(hit, tax, lang, "")
    total = sum(v["count"] for v in facets.get("type", []))
    return {
        "facets": facets,
        "latest": latest["hits"],
        "documents": total,
        "notice": latest.get("notice"),
    }


@bp.get("/")
def home() -> Any:
    return page("home.html", home_context())


@bp.get("/search")
def search() -> Any:
    return page("search.html", search_context(request.args))


@bp.get("/search/export.<fmt>")
def export(fmt: str) -> Any:
    """Everything the filters select, streamed row by row (not limited to one page)."""
    if fmt not in ("csv", "json"):
        return page(
            "error.html",
            {"error": {"code": "not_found", "message": _("Unknown format.")}, "status": 404},
            404,
        )
    req = request_from_args(request.args)
    hits = engine().iter_hits(req, current_language())  # a bad query raises here, before any byte
    name = "knowledge-base-results"

    def rows_csv() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(EXPORT_FIELDS)
        yield "\ufeff" + buffer.getvalue()  # BOM: spreadsheets then read UTF-8 correctly
        for hit in hits:
            buffer.seek(0)
            buffer.truncate()
            writer.writerow([csv_cell(hit.get(c)) for c in EXPORT_FIELDS])
            yield buffer.getvalue()

    def rows_json() -> Iterator[str]:
        yield '{"query": ' + json.dumps(req.q, ensure_ascii=False) + ', "hits": ['
        for i, hit in enumerate(hits):
            yield (
                ("," if i else "")
                + "\n"
                + json.dumps({c: hit.get(c) for c in EXPORT_FIELDS}, ensure_ascii=False)
            )
        yield "\n]}\n"

    body, mimetype = (rows_csv, "text/csv") if fmt == "csv" else (rows_json, "application/json")
    return Response(
        stream_with_context(body()),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


@bp.get("/suggest")
def suggest() -> Any:
    from flask import jsonify

    return jsonify({"suggestions": engine().autocomplete(request.args.get("q", ""))})
