"""The JSON API: the same dicts the pages are built from, at stable addresses, plus its OpenAPI
description. Errors are ``{"error": {"code", "message"}}`` with a 4xx status."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request, url_for

from indexer.schema import FACET_FIELDS
from indexer.search import MAX_PER_PAGE, SORTS
from indexer.status import status_dict

from ..i18n import LANGUAGES, current_language
from ..params import int_arg
from ..render import engine
from .documents import document_context
from .search import search_context

bp = Blueprint("api", __name__)


@bp.get("/api/search")
def search() -> Any:
    return jsonify(search_context(request.args))


@bp.get("/api/documents")
def documents() -> Any:
    page = int_arg(request.args, "page", 1)
    per_page = min(max(int_arg(request.args, "per_page", 100), 1), 1000)
    docs = engine().documents(lang=current_language())
    start = (max(page, 1) - 1) * per_page
    for doc in docs[start : start + per_page]:
        doc["url"] = url_for("documents.document", doc_id=doc["id"], _external=False)
    return jsonify(
        {
            "total": len(docs),
            "page": page,
            "per_page": per_page,
            "documents": docs[start : start + per_page],
        }
    )


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
    from flask import current_app

    status = status_dict(current_app.extensions["kb_settings"])
    ok = bool(status["index"])
    # Public: the run's figures without the server's folders.
    last_run = {k: v for k, v in (status["last_run"] or {}).items() if k != "roots"} or None
    body = {
        "status": "ok" if ok else "empty",
        "documents": status["documents"],
        "failed": status["counts"]["failed"],
        "last_run": last_run,
    }
    return jsonify(body), 200


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


def openapi_document() -> dict[str, Any]:
    string = {"type": "string"}
    error = {"$ref": "#/components/responses/Error"}
    facet_params = [
        _param(
            f,
            f"Only documents with this {f}; repeat for any of several values (OR).",
            {"type": "integer"} if f == "year" else string,
            array=True,
        )
        for f in FACET_FIELDS
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
    facet_value = {
        "type": "object",
        "required": ["value", "label", "count", "selected"],
        "properties": {
            "value": string,
            "label": string,
            "count": {"type": "integer"},
            "selected": {"type": "boolean"},
            "toggle_url": string,
        },
    }
    hit = {
        "type": "object",
        "required": [
            "id",
            "path",
            "title",
            "score",
            "language",
            "languages",
            "country",
            "topic",
            "type",
            "year",
            "pages",
            "snippets",
        ],
        "properties": {
            "id": string,
            "path": string,
            "title": string,
            "score": {"type": "number"},
            "language": string,
            "languages": {"type": "array", "items": string},
            "country": {"type": "array", "items": string},
            "topic": {"type": "array", "items": string},
            "type": string,
            "year": {"type": ["integer", "null"]},
            "organisation": {"type": "array", "items": string},
            "pages": {"type": "array", "items": {"type": "integer"}},
            "snippets": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["page", "html"],
                    "properties": {"page": {"type": "integer"}, "html": string},
                },
            },
            "why": {"type": "object"},
            "thumbnail": {
                "description": "A picture of the first page with a hit (PDFs only), linking to "
                "the page view.",
                "type": "object",
                "required": ["url", "srcset", "width", "height", "alt", "page_url"],
                "properties": {
                    "url": string,
                    "srcset": string,
                    "width": {"type": "integer"},
                    "height": {"type": "integer"},
                    "alt": string,
                    "page_url": string,
                },
            },
            "versions": {
                "description": "The document's other language versions (same work).",
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "title", "language"],
                    "properties": {"id": string, "title": string, "language": string},
                },
            },
        },
    }
    search_result = {
        "type": "object",
        "required": [
            "query",
            "total",
            "page",
            "per_page",
            "took_ms",
            "hits",
            "facets",
            "suggestion",
        ],
        "properties": {
            "query": string,
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "took_ms": {"type": "number"},
            "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
            "facets": {
                "type": "object",
                "additionalProperties": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/FacetValue"},
                },
            },
            "suggestion": {"type": ["string", "null"]},
            "fallback": {"type": ["string", "null"]},
            "understood": {"type": "object"},
        },
    }
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
                        "200": {
                            "description": "OK",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["total", "documents"],
                                        "properties": {
                                            "total": {"type": "integer"},
                                            "documents": {
                                                "type": "array",
                                                "items": {"type": "object"},
                                            },
                                        },
                                    }
                                }
                            },
                        },
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
                        "200": {
                            "description": "OK",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["id", "title", "metadata"],
                                    }
                                }
                            },
                        },
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
                                    "schema": {"type": "object", "required": ["facets"]}
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
                                    }
                                }
                            },
                        }
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "SearchResult": search_result,
                "Hit": hit,
                "FacetValue": facet_value,
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
