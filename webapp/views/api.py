"""The JSON API: the data the pages are built from (without what only a page shows beside it),
at stable addresses, plus its OpenAPI description (`webapp.openapi`) and the health check.
Errors are ``{"error": {"code", "message"}}`` with a 4xx status."""

from __future__ import annotations

import logging
import math
from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for

from indexer import Catalog, Settings, building, index_outdated, latest_key

from ..i18n import current_language
from ..openapi import MAX_DOCUMENTS_PER_PAGE, openapi_document
from ..params import int_arg, request_from_args
from ..render import engine, settings
from ..search_pages import search_data
from .documents import document_data

bp = Blueprint("api", __name__)
DEFAULT_DOCUMENTS_PER_PAGE = 100
log = logging.getLogger(__name__)


@bp.get("/api/search")
def search() -> Any:
    """A search's answer as the contract has it, its pages' links pointing at this API (what
    only the search page shows beside it is not part of it)."""
    result = search_data(request_from_args(request.args), "api.search")
    response = jsonify(result)
    _link_header(response, result["pagination"].get("prev_url"), result["pagination"]["next_url"])
    return response


@bp.get("/api/documents")
def documents() -> Any:
    """Every document, a page at a time, ordered by path (stable across pages), with links to
    the previous and next pages (in the body and in a Link header)."""
    page = max(int_arg(request.args, "page", 1), 1)
    per_page = int_arg(request.args, "per_page", DEFAULT_DOCUMENTS_PER_PAGE)
    per_page = min(max(per_page, 1), MAX_DOCUMENTS_PER_PAGE)
    listing: dict[str, Any] = dict(engine().documents_page(page, per_page))
    for doc in listing["documents"]:
        doc["url"] = url_for("documents.document", doc_id=doc["id"], _external=False)
    pages = max(1, math.ceil(listing["total"] / per_page))
    keep: dict[str, Any] = {} if per_page == DEFAULT_DOCUMENTS_PER_PAGE else {"per_page": per_page}
    listing["prev_url"] = (
        url_for("api.documents", page=min(page, pages + 1) - 1, **keep) if page > 1 else None
    )
    listing["next_url"] = url_for("api.documents", page=page + 1, **keep) if page < pages else None
    response = jsonify(listing)
    _link_header(response, listing["prev_url"], listing["next_url"])
    return response


def _link_header(response: Response, prev_url: str | None, next_url: str | None) -> None:
    """Pagination links as RFC 8288 says (clients that page through anything read these)."""
    links = [
        f'<{url}>; rel="{rel}"' for rel, url in (("prev", prev_url), ("next", next_url)) if url
    ]
    if links:
        response.headers["Link"] = ", ".join(links)


@bp.get("/api/documents/<doc_id>")
def document(doc_id: str) -> Any:
    return jsonify(document_data(doc_id, request.args))


@bp.get("/api/facets")
def facets() -> Any:
    return jsonify({"facets": engine().facets(lang=current_language())})


@bp.get("/api/suggest")
def suggest() -> Any:
    return jsonify({"suggestions": engine().autocomplete(request.args.get("q", ""))})


@bp.get("/healthz")
def healthz() -> Any:
    """Public: up or down, counts and the index version — never reasons, paths or errors."""
    config = settings()
    try:
        counts: dict[str, int] = {}
        if config.catalog_path.exists():  # else nothing has been indexed yet
            with Catalog(config.catalog_path, readonly=True) as catalog:
                counts = catalog.counts()
        version = index_version(config)
        outdated = index_outdated(config)
        progress = building(config)
    except Exception:  # whatever breaks, monitoring needs "down", the log gets the details
        log.exception("health check failed")
        return jsonify({"status": "down"}), 503
    if progress is not None:  # up, and building the first index: nothing to find yet
        body = {"status": "building", "documents": 0, "failed": counts.get("failed", 0)}
        body["progress"] = {k: progress[k] for k in ("phase", "done", "total")}
        return jsonify(body), 200
    if outdated:  # searches are refused until a run rebuilds it
        return jsonify({"status": "outdated"}), 503
    body = {
        "status": "ok" if version else "empty",
        "documents": counts.get("indexed", 0),
        "failed": counts.get("failed", 0),
        "index_version": version,
    }
    return jsonify(body), 200


def index_version(settings: Settings) -> str | None:
    """The active index and its commit, e.g. ``ix-20250301T101500123456.7``; None when empty."""
    key = latest_key(settings)
    return f"{key[0]}.{key[1]}" if key else None


@bp.get("/api/openapi.json")
def openapi() -> Any:
    return jsonify(openapi_document())
