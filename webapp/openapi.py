"""The OpenAPI description of the JSON API, served at ``/api/openapi.json``.

It is written out here rather than generated from the routes: it is the contract outside tools
rely on, so a change to it should be a deliberate edit. The shapes of results come from the
engine (`indexer.components`); this module adds the parameters, the paths and what the web layer
adds to a hit.
"""

from __future__ import annotations

from typing import Any

from indexer import FACET_FIELDS, MAX_PER_PAGE, SORTS, components

from .i18n import LANGUAGES

STRING = {"type": "string"}
ERROR = {"$ref": "#/components/responses/Error"}


def _param(
    name: str, description: str, schema: dict[str, Any], array: bool = False
) -> dict[str, Any]:
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


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    """A response whose body is JSON of ``schema``."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}


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


def _lang_param() -> dict[str, Any]:
    return _param("lang", "Language of labels.", {"type": "string", "enum": list(LANGUAGES)})


def _search_params() -> list[dict[str, Any]]:
    """``/api/search``'s parameters: the query, one per facet, order, paging and modes."""
    facet_params = [
        _param(
            f,
            f"Only documents with this {f}; repeat for any of several values (OR)."
            + (
                " A year (2021), a range (2021-2023, 2021-, -2023) or 'undated'."
                if f == "year"
                else ""
            ),
            STRING,
            array=True,
        )
        for f in FACET_FIELDS
    ]
    facet_params += [
        _param("year_from", "Only documents of this year or later.", {"type": "integer"}),
        _param("year_to", "Only documents of this year or earlier.", {"type": "integer"}),
    ]
    return [
        _param(
            "q",
            'Query: words (all must match), "phrases", OR, NOT, -word, field:value, '
            "prefix*, fuzzy~. Codes such as ESF+ or COM(2021) 778 are understood; "
            "punctuation around words is not syntax; numbers match in any style (125 000, "
            "125,000, 125.000).",
            STRING,
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
        _lang_param(),
    ]


def _document_paths() -> dict[str, Any]:
    """The list of documents, one document, and one page of a PDF."""
    path_id = {"name": "id", "in": "path", "required": True, "schema": STRING}
    return {
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
                    _lang_param(),
                ],
                "responses": {
                    "200": _json({"$ref": "#/components/schemas/DocumentList"}),
                    "400": ERROR,
                },
            }
        },
        "/api/documents/{id}": {
            "get": {
                "summary": "One document: metadata with sources, hits of q per page, page text",
                "operationId": "getDocument",
                "parameters": [
                    path_id,
                    _param("q", "Show where this query matches, page by page.", STRING),
                    _param(
                        "page", "Page whose text to include.", {"type": "integer", "minimum": 1}
                    ),
                    _lang_param(),
                ],
                "responses": {
                    "200": _json({"$ref": "#/components/schemas/DocumentPage"}),
                    "400": ERROR,
                    "404": ERROR,
                },
            }
        },
        "/api/documents/{id}/pages/{number}": {
            "get": {
                "summary": "One page of a PDF: its picture and the boxes of the words of q "
                "on it (left, top, width, height in percent of the page), and its text",
                "operationId": "getPageView",
                "parameters": [
                    path_id,
                    {
                        "name": "number",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 1},
                    },
                    _param("q", "Mark the words of this query.", STRING),
                    _lang_param(),
                ],
                "responses": {
                    "200": _json(
                        {"type": "object", "required": ["id", "title", "page", "image", "marks"]}
                    ),
                    "400": ERROR,
                    "404": ERROR,
                },
            }
        },
    }


def _health_path() -> dict[str, Any]:
    up = {
        "type": "object",
        "required": ["status", "documents"],
        "properties": {
            "status": {"enum": ["ok", "empty"]},
            "documents": {"type": "integer"},
            "failed": {"type": "integer"},
            "index_version": {"type": ["string", "null"]},
        },
    }
    down = {
        "type": "object",
        "required": ["status"],
        "properties": {"status": {"enum": ["down", "outdated"]}},
    }
    return {
        "/healthz": {
            "get": {
                "summary": "Liveness and index state",
                "operationId": "health",
                "responses": {
                    "200": _json(up),
                    "503": _json(
                        down,
                        "Down: the data folder cannot be read, or the index is in an earlier "
                        "version's layout and must be rebuilt (kb index)",
                    ),
                },
            }
        }
    }


def openapi_document() -> dict[str, Any]:
    facet_values = {
        "type": "object",
        "required": ["facets"],
        "properties": {
            "facets": {
                "type": "object",
                "additionalProperties": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/FacetValue"},
                },
            }
        },
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
                    "parameters": _search_params(),
                    "responses": {
                        "200": _json({"$ref": "#/components/schemas/SearchResult"}),
                        "400": ERROR,
                    },
                }
            },
            **_document_paths(),
            "/api/facets": {
                "get": {
                    "summary": "Facet values with counts over the whole knowledge base",
                    "operationId": "facets",
                    "parameters": [_lang_param()],
                    "responses": {"200": _json(facet_values)},
                }
            },
            "/api/suggest": {
                "get": {
                    "summary": "Autocomplete of index words and titles",
                    "operationId": "suggest",
                    "parameters": [_param("q", "What has been typed so far.", STRING)],
                    "responses": {"200": _json({"type": "object", "required": ["suggestions"]})},
                }
            },
            **_health_path(),
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
                            "properties": {"code": STRING, "message": STRING},
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
