"""The JSON API: the same dicts the pages are built from, at stable addresses, plus its OpenAPI
description. Errors are ``{"error": {"code", "message"}}`` with a 4xx status."""

from __future__ import annotations

import logging
import math
from typing import Any

from flask import Blueprint, current_app, jsonify, request, url_for

from indexer import FACET_FIELDS, MAX_PER_PAGE, SORTS, Catalog, components, latest_key

from ..i18n import LANGUAGES, current_language
from ..params import int_arg
from ..render import engine
from .documents import document_context
from .search import search_context

bp = Blueprint("api", __name__)
MAX_DOCUMENTS_PER_PAGE = 1000
DEFAULT_DOCUMENTS_PER_PAGE = 100
log = logging.getLogger(__name__)


@bp.get("/api/search")
def search() -> Any:
    """The search page's dict, its links (pages, sorts, filters) pointing at this API."""
    result = search_context(request.args, endpoint="api.search")
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
    keep = {} if per_page == DEFAULT_DOCUMENTS_PER_PAGE else {"per_page": per_page}
    listing["prev_url"] = (
        url_for("api.documents", page=min(page, pages + 1) - 1, **keep) if page > 1 else None
    )
    listing["next_url"] = url_for("api.documents", page=page + 1, **keep) if page < pages else None
    response = jsonify(listing)
    _link_header(response, listing["prev_url"], listing["next_url"])
    return response


def _link_header(response: Any, prev_url: str | None, next_url: str | None) -> None:
    """Pagination links as RFC 8288 says (clients that page through anything read these)."""
    links = [
        f'<{url}>; rel="{rel}"' for rel, url in (("prev", prev_url), ("next", next_url)) if url
    ]
    if links:
        response.headers["Link"] = ", ".join(links)


@bp.get("/api/documents/<doc_id>")
def document(doc_id: str) -> Any:
    return jsonify(document_context(doc_id, request.args))


@bp.get("/api/facets")
def facets() -> Any:
    return jsonify({"facets": engine().facets(lang=current_language())})


@bp.get("/api/suggest")
def suggest() -> Any:
    return jsonify({"suggestions": engine().autocomplete(request.args.get("q", ""))})


@bp.get("/healthz")
def healthz() -> Any:
    """Public: up or down, counts and the index version — never reasons, paths or errors."""
    settings = current_app.extensions["kb_settings"]
    try:
        counts: dict[str, int] = {}
        if settings.catalog_path.exists():  # else nothing has been indexed yet
            with Catalog(settings.catalog_path, readonly=True) as catalog:
                counts = catalog.counts()
        version = index_version(settings)
    except Exception:  # whatever breaks, monitoring needs "down", the log gets the details
        log.exception("health check failed")
        return jsonify({"status": "down"}), 503
    body = {
        "status": "ok" if version else "empty",
        "documents": counts.get("indexed", 0),
        "failed": counts.get("failed", 0),
        "index_version": version,
    }
    return jsonify(body), 200


def index_version(settings: Any) -> str | None:
    """The active index and its commit, e.g. ``ix-20250301T101500123456.7``; None when empty."""
    key = latest_key(settings)
    return f"{key[0]}.{key[1]}" if key else None


@bp.get("/api/openapi.json")
def openapi() -> Any:
    return jsonify(openapi_document())


def _param(name: str, description: str, schema: dict[str, Any], array: bool = False) -> dict:
    if array:
        schema = {"type": "array", "items": schema}
    spec = {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }
    if array:
        spec.update({"style": "form", "explode": True})
    return spec


def _with_web_fields(schemas: dict[str, Any]) -> dict[str, Any]:
    """The engine's shapes plus what the web layer adds to a hit: its page picture."""
    schemas["Hit"]["properties"]["thumbnail"] = {
        "description": "A picture of the first page with a hit (PDFs only), linking to the "
        "page view.",
        "type": "object",
        "required": ["url", "srcset", "width", "height", "alt", "page_url"],
        "properties": {
            "url": {"type": "string"},
            "srcset": {"type": "string"},
            "width": {"type": "integer"},
            "height": {"type": "integer"},
            "alt": {"type": "string"},
            "page_url": {"type": "string"},
        },
    }
    return schemas


def openapi_document() -> dict[str, Any]:
    string = {"type": "string"}
    error = {"$ref": "#/components/responses/Error"}
    facet_params = [
        _param(
            f,
            f"Only documents with this {f}; repeat for any of several values (OR)."
            + (
                " A year (2021), a range (2021-2023, 2021-, -2023) or 'undated'."
                if f == "year"
                else ""
            ),
            string,
            array=True,
        )
        for f in FACET_FIELDS
    ]
    facet_params += [
        _param("year_from", "Only documents of this year or later.", {"type": "integer"}),
        _param("year_to", "Only documents of this year or earlier.", {"type": "integer"}),
    ]
    lang_param = _param("lang", "Language of labels.", {"type": "string", "enum": list(LANGUAGES)})
    search_params = [
        _param(
            "q",
            'Query: words (all must match), "phrases", OR, NOT, -word, field:value, '
            "prefix*, fuzzy~. Codes such as ESF+ or COM(2021) 778 are understood.",
            string,
        ),
        *facet_params,
        _param(
            "sort",
            "Order of results.",
            {"type": "string", "enum": list(SORTS), "default": "relevance"},
        ),
        _param("page", "Page of results, from 1.", {"type": "integer", "minimum": 1, "default": 1}),
        _param(
            "per_page",
            "Results per page.",
            {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 10},
        ),
        _param(
            "mode",
            "all: every word must match; any: at least one.",
            {"type": "string", "enum": ["all", "any"], "default": "all"},
        ),
        _param(
            "expand",
            "1: also search the glossary terms of the query's concepts in the other languages.",
            {"type": "string", "enum": ["0", "1"], "default": "1"},
        ),
        lang_param,
    ]
    json_ok = lambda ref: {  # noqa: E731 - a small local shorthand
        "description": "OK",
        "content": {"application/json": {"schema": {"$ref": ref}}},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Knowledge base of the national competence centres for social innovation",
            "version": "1",
            "description": "Full-text search with facets over reports and working documents in "
            "Bulgarian, English, Greek and Portuguese.",
        },
        "paths": {
            "/api/search": {
                "get": {
                    "summary": "Search documents",
                    "operationId": "search",
                    "parameters": search_params,
                    "responses": {
                        "200": json_ok("#/components/schemas/SearchResult"),
                        "400": error,
                    },
                }
            },
            "/api/documents": {
                "get": {
                    "summary": "List every document",
                    "operationId": "listDocuments",
                    "parameters": [
                        _param("page", "Page, from 1.", {"type": "integer", "minimum": 1}),
                        _param(
                            "per_page",
                            "Documents per page.",
                            {"type": "integer", "minimum": 1, "maximum": 1000},
                        ),
                        lang_param,
                    ],
                    "responses": {
                        "200": json_ok("#/components/schemas/DocumentList"),
                        "400": error,
                    },
                }
            },
            "/api/documents/{id}": {
                "get": {
                    "summary": "One document: metadata with sources, hits of q per page, page text",
                    "operationId": "getDocument",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": string},
                        _param("q", "Show where this query matches, page by page.", string),
                        _param(
                            "page", "Page whose text to include.", {"type": "integer", "minimum": 1}
                        ),
                        lang_param,
                    ],
                    "responses": {
                        "200": json_ok("#/components/schemas/DocumentPage"),
                        "400": error,
                        "404": error,
                    },
                }
            },
            "/api/documents/{id}/pages/{number}": {
                "get": {
                    "summary": "One page of a PDF: its picture and the boxes of the words of q "
                    "on it (left, top, width, height in percent of the page), and its text",
                    "operationId": "getPageView",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": string},
                        {
                            "name": "number",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer", "minimum": 1},
                        },
                        _param("q", "Mark the words of this query.", string),
                        lang_param,
                    ],
                    "responses": {
                        "200": {
                            "description": "OK",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["id", "title", "page", "image", "marks"],
                                    }
                                }
                            },
                        },
                        "400": error,
                        "404": error,
                    },
                }
            },
            "/api/facets": {
                "get": {
                    "summary": "Facet values with counts over the whole knowledge base",
                    "operationId": "facets",
                    "parameters": [lang_param],
                    "responses": {
                        "200": {
                            "description": "OK",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["facets"],
                                        "properties": {
                                            "facets": {
                                                "type": "object",
                                                "additionalProperties": {
                                                    "type": "array",
                                                    "items": {
                                                        "$ref": "#/components/schemas/FacetValue"
                                                    },
                                                },
                                            }
                                        },
                                    }
                                }
                            },
                        }
                    },
                }
            },
            "/api/suggest": {
                "get": {
                    "summary": "Autocomplete of index words and titles",
                    "operationId": "suggest",
                    "parameters": [_param("q", "What has been typed so far.", string)],
                    "responses": {
                        "200": {
                            "description": "OK",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "object", "required": ["suggestions"]}
                                }
                            },
                        }
                    },
                }
            },
            "/healthz": {
                "get": {
                    "summary": "Liveness and index state",
                    "operationId": "health",
                    "responses": {
                        "200": {
                            "description": "OK",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["status", "documents"],
                                        "properties": {
                                            "status": {"enum": ["ok", "empty"]},
                                            "documents": {"type": "integer"},
                                            "failed": {"type": "integer"},
                                            "index_version": {"type": ["string", "null"]},
                                        },
                                    }
                                }
                            },
                        },
                        "503": {
                            "description": "Down: the data folder cannot be read",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["status"],
                                        "properties": {"status": {"const": "down"}},
                                    }
                                }
                            },
                        },
                    },
                }
            },
        },
        "components": {
            "schemas": {
                **_with_web_fields(components()),
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["code", "message"],
                            "properties": {"code": string, "message": string},
                        }
                    },
                },
            },
            "responses": {
                "Error": {
                    "description": "The request cannot be answered as asked",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                }
            },
        },
    }
