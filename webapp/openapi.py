"""The OpenAPI description of the JSON API, served at ``/api/openapi.json``, and the check of
every API request against it.

The answers' shapes are generated from the typed contract (`indexer.search.contract`), closed:
an answer with a key its shape does not declare is wrong, so a field added to an answer is
declared there first (as ``NotRequired`` when not every answer has it). The parameters are declared
here once, per route, with their real limits and enums: the same declarations describe the API
and check each request (`check_request`), so what the description allows is what the API
accepts, and nothing else.
"""

from __future__ import annotations

import functools
from typing import Any

import jsonschema
from flask import Flask, request
from werkzeug.datastructures import MultiDict

from indexer import FACET_FIELDS, MAX_PER_PAGE, MODES, SORTS, QueryError, components

from .i18n import LANGUAGES

STRING = {"type": "string"}
ERROR = {"$ref": "#/components/responses/Error"}
#: Deepest page of search results (`SearchRequest`: page × per_page ≤ 100,000).
MAX_SEARCH_PAGE = 100_000 // MAX_PER_PAGE
#: Documents per page of ``/api/documents``.
MAX_DOCUMENTS_PER_PAGE = 1000
#: A year filter: a year, a range (open on one side or not), or undated.
YEAR_PATTERN = r"^(undated|[0-9]{4}|[0-9]{4}-|-[0-9]{4}|[0-9]{4}-[0-9]{4})$"
YEAR = {"type": "integer", "minimum": 1000, "maximum": 9999}
YEAR_HELP = " A year (2021), a range (2021-2023, 2021-, -2023) or 'undated'."


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


def _json(ref: str, description: str = "OK") -> dict[str, Any]:
    """A response whose body is JSON of the shape ``ref``."""
    schema = {"$ref": f"#/components/schemas/{ref}"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


LANG = _param("lang", "Language of labels.", {"type": "string", "enum": list(LANGUAGES)})
PAGE = {"type": "integer", "minimum": 1}


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
            {"type": "string", "pattern": YEAR_PATTERN} if f == "year" else STRING,
            array=True,
        )
        for f in FACET_FIELDS
    ]
    facet_params += [
        _param("year_from", "Only documents of this year or later.", YEAR),
        _param("year_to", "Only documents of this year or earlier.", YEAR),
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
        _param(
            "page",
            "Page of results, from 1.",
            {**PAGE, "maximum": MAX_SEARCH_PAGE, "default": 1},
        ),
        _param(
            "per_page",
            "Results per page.",
            {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 10},
        ),
        _param(
            "mode",
            "all: every word must match; any: at least one.",
            {"type": "string", "enum": list(MODES), "default": "all"},
        ),
        _param(
            "expand",
            "1: also search the glossary terms of the query's concepts in the other languages.",
            {"type": "string", "enum": ["0", "1"], "default": "1"},
        ),
        _param(
            "correct",
            "1: when the words find nothing and one correction of them is far more likely, "
            "answer for the correction (fallback 'corrected'); 0: the words exactly as typed.",
            {"type": "string", "enum": ["0", "1"], "default": "1"},
        ),
        LANG,
    ]


PATH_ID = {"name": "id", "in": "path", "required": True, "schema": STRING}
PATH_NUMBER = {"name": "number", "in": "path", "required": True, "schema": PAGE}

#: Each API route's query parameters, by its endpoint: what the description says and what
#: `check_request` holds requests to.
PARAMETERS: dict[str, list[dict[str, Any]]] = {
    "api.search": _search_params(),
    "api.documents": [
        _param("page", "Page, from 1.", PAGE),
        _param(
            "per_page",
            "Documents per page.",
            {"type": "integer", "minimum": 1, "maximum": MAX_DOCUMENTS_PER_PAGE},
        ),
        LANG,
    ],
    "api.document": [
        _param("q", "Show where this query matches, page by page.", STRING),
        _param("page", "Page whose text to include (404 past the last).", PAGE),
        LANG,
    ],
    "previews.page_view_json": [_param("q", "Mark the words of this query.", STRING), LANG],
    "api.facets": [LANG],
    "api.suggest": [_param("q", "What has been typed so far.", STRING)],
    "api.healthz": [],
}


def _operation(
    endpoint: str,
    summary: str,
    operation_id: str,
    answer: str,
    errors: tuple[str, ...] = ("400",),
    path_params: tuple[dict[str, Any], ...] = (),
) -> dict[str, Any]:
    responses: dict[str, Any] = {"200": _json(answer)}
    responses.update({status: ERROR for status in errors})
    return {
        "get": {
            "summary": summary,
            "operationId": operation_id,
            "parameters": [*path_params, *PARAMETERS[endpoint]],
            "responses": responses,
        }
    }


def _paths() -> dict[str, Any]:
    health = _operation("api.healthz", "Liveness and index state", "health", "Health", ())
    health["get"]["responses"]["503"] = _json(
        "Health",
        "Down: the data folder cannot be read, or the index is in an earlier version's layout "
        "and must be rebuilt (kb index)",
    )
    return {
        "/api/search": _operation("api.search", "Search documents", "search", "SearchResult"),
        "/api/documents": _operation(
            "api.documents", "List every document", "listDocuments", "DocumentList"
        ),
        "/api/documents/{id}": _operation(
            "api.document",
            "One document: metadata with sources, hits of q per page, page text",
            "getDocument",
            "DocumentPage",
            ("400", "404"),
            (PATH_ID,),
        ),
        "/api/documents/{id}/pages/{number}": _operation(
            "previews.page_view_json",
            "One page of a PDF: its picture and the boxes of the words of q on it (left, top, "
            "width, height in percent of the page), and its text",
            "getPageView",
            "PageView",
            ("400", "404"),
            (PATH_ID, PATH_NUMBER),
        ),
        "/api/facets": _operation(
            "api.facets",
            "Facet values with counts over the whole knowledge base",
            "facets",
            "Facets",
        ),
        "/api/suggest": _operation(
            "api.suggest", "Autocomplete of index words and titles", "suggest", "Suggestions"
        ),
        "/healthz": health,
    }


def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Knowledge base of the national competence centres for social innovation",
            "version": "1",
            "description": "Full-text search with facets over reports and working documents in "
            "Bulgarian, English, Greek and Portuguese.",
        },
        "paths": _paths(),
        "components": {
            "schemas": components(),
            "responses": {
                "Error": {
                    "description": "The request cannot be answered as asked (a parameter "
                    "outside its limits, a query that cannot be understood, no such document)",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                }
            },
        },
    }


def _value(spec: dict[str, Any], raw: str) -> Any:
    kind = spec["schema"].get("items", spec["schema"]).get("type")
    if kind == "integer":
        try:
            return int(raw)
        except ValueError:
            raise QueryError(f"{spec['name']} must be a whole number, not {raw[:40]!r}") from None
    return raw


def check_params(endpoint: str, args: MultiDict[str, str]) -> None:
    """Refuse (`QueryError`, 400) a request whose query parameters the description does not
    allow: a value outside its limits or enum, a second value of a single parameter."""
    for spec in PARAMETERS.get(endpoint, ()):
        name, schema = spec["name"], spec["schema"]
        raws = args.getlist(name)
        if not raws:
            continue
        if schema.get("type") == "array":
            value: Any = [_value(spec, raw) for raw in raws]
        elif len(raws) > 1:
            raise QueryError(f"{name} may be given once")
        else:
            value = _value(spec, raws[0])
        error = jsonschema.exceptions.best_match(_checker(endpoint, name).iter_errors(value))
        if error is not None:
            allowed = _allowed(schema.get("items", schema))
            raise QueryError(f"{name}: {str(value)[:40]!r} is not allowed; {allowed}") from error


@functools.cache
def _checker(endpoint: str, name: str) -> Any:
    """The validator of a parameter's schema, made once: checking the schema itself against
    the JSON Schema specification, as ``jsonschema.validate`` does on every call, cost more
    than the rest of an API request's checks and links together."""
    schema = next(s["schema"] for s in PARAMETERS[endpoint] if s["name"] == name)
    kind = jsonschema.validators.validator_for(schema)
    kind.check_schema(schema)
    return kind(schema)


def _allowed(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return "one of " + ", ".join(map(str, schema["enum"]))
    if "pattern" in schema:
        return "a year (2021), a range (2021-2023, 2021-, -2023) or undated"
    low, high = schema.get("minimum"), schema.get("maximum")
    return f"a whole number from {low}" + (f" to {high}" if high is not None else "")


def init_app(app: Flask) -> None:
    """Every API request is checked against the description before its view runs."""

    @app.before_request
    def check_request() -> None:
        if request.endpoint in PARAMETERS:
            check_params(request.endpoint, request.args)
