"""The JSON contract of the read side, declared once.

Search results, hits, facet values and document pages are plain dicts (the CLI prints them, the
web app renders them or returns them as JSON); their shapes are declared here as TypedDicts.
The OpenAPI document is generated from these declarations, and the CLI's listing, the exports'
columns and the tests take their keys from them, so a field added here reaches every consumer.
"""

# No "from __future__ import annotations" here: TypedDict reads NotRequired[...] from
# evaluated annotations only (Python 3.11), and the schemas below depend on which keys are
# required.
import types
from typing import Any, NotRequired, TypedDict, Union, get_args, get_origin, get_type_hints


class Snippet(TypedDict):
    page: int
    html: str  #: escaped text with the matched words in <mark>
    language: str  #: of the page the snippet is from ("und" when not known)


class PageHit(TypedDict):
    page: int
    hits: int


class Version(TypedDict):
    """Another language version of a document (the same work)."""

    id: str
    title: str
    language: str


class Expansion(TypedDict):
    concept: str
    label: str
    languages: list[str]


class Why(TypedDict):
    """Why a document matched: the languages, exact forms, codes, concepts in other languages."""

    languages: list[str]
    typed: bool
    exact: bool
    codes: bool
    expansions: list[Expansion]
    version_of: NotRequired[Version]


class DocumentSummary(TypedDict):
    """A document as lists show it (``kb list``, ``/api/documents``, exports)."""

    id: str
    path: str
    title: str
    language: str
    languages: list[str]
    country: list[str]
    topic: list[str]
    type: str
    year: int | None
    organisation: list[str]
    place: list[str]  #: towns and regions the document names where it says what it is about
    format: str | None
    page_count: int
    work: str | None
    added: int | None  #: when it was added to the knowledge base (seconds since 1970, UTC)


class Hit(DocumentSummary):
    score: float | None
    pages: list[int]  #: the pages the query matched on
    page_hits: list[PageHit]
    best_page: int | None  #: the page that answers the query best; its snippet comes first
    snippets: list[Snippet]  #: of the best pages, best first
    why: NotRequired[Why]
    versions: NotRequired[list[Version]]


class Transliteration(TypedDict):
    """A typed word also searched as it reads in another alphabet."""

    typed: str
    reading: str
    language: str  #: "bg" or "el" for Latin letters read as Bulgarian or Greek; else "latin"


class FacetValue(TypedDict):
    value: str
    label: str
    count: int
    selected: bool


class PageLink(TypedDict):
    page: int
    url: str
    current: bool


class Pagination(TypedDict):
    """Links to other pages of results, at the address that was asked (page or API)."""

    pages: int
    prev_url: str | None
    next_url: str | None
    links: list[PageLink]


class SearchResult(TypedDict):
    query: str
    total: int
    page: int
    per_page: int
    took_ms: float
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    suggestion: str | None
    sort: str
    mode: str
    fallback: str | None  #: "any" when no document had all the words
    understood: dict[str, Any]
    expand: bool
    #: the words were also searched in another alphabet (they found few documents as typed)
    transliterated: list[Transliteration]
    notice: NotRequired[str]  #: said to the reader: empty index, or a search cut short
    partial: NotRequired[bool]  #: the search hit its time budget; results may be incomplete
    pagination: NotRequired[Pagination]  #: added by the web app
    feed_url: NotRequired[str]  #: added by the web app: an Atom feed of the newest matches


class PageText(TypedDict):
    number: int
    text: str
    language: str
    html: str | None


class Related(TypedDict):
    id: str
    title: str
    language: str


class DocumentPage(DocumentSummary):
    metadata: dict[str, Any]
    page_languages: list[str]
    size: int
    warnings: list[str]
    page_hits: list[PageHit]
    best_page: int | None  #: the page that answers the query best; shown when no page is asked
    snippets: list[Snippet]  #: of the pages with hits, best first
    understood: dict[str, Any]
    why: NotRequired[Why]
    page: PageText
    versions: list[Version]
    related: list[Related]


class DocumentList(TypedDict):
    total: int
    page: int
    per_page: int
    documents: list[DocumentSummary]
    prev_url: NotRequired[str | None]  #: added by the web app: the previous page of the list
    next_url: NotRequired[str | None]  #: the next page (also in the response's Link header)


#: Columns of the CSV and JSON exports of a result list, in order.
EXPORT_FIELDS: tuple[str, ...] = (
    "id",
    "path",
    "title",
    "type",
    "year",
    "language",
    "languages",
    "country",
    "topic",
    "organisation",
    "place",
    "page_count",
    "score",
)
#: ``kb list``: the listing's fields, with the page count under the contract's name "pages".
LIST_FIELDS: tuple[str, ...] = tuple(
    k for k in DocumentSummary.__annotations__ if k not in ("work", "added")
)


def fields(shape: type) -> tuple[str, ...]:
    """Every key a shape declares, in order."""
    return tuple(get_type_hints(shape))


def required(shape: type) -> tuple[str, ...]:
    keys = shape.__required_keys__  # type: ignore[attr-defined]  # a TypedDict's, not on `type`
    return tuple(k for k in fields(shape) if k in keys)


SHAPES: tuple[type, ...] = (
    Snippet,
    PageHit,
    Version,
    Expansion,
    Why,
    DocumentSummary,
    Hit,
    FacetValue,
    Transliteration,
    PageLink,
    Pagination,
    SearchResult,
    PageText,
    Related,
    DocumentPage,
    DocumentList,
)


def json_schema(tp: Any) -> dict[str, Any]:
    """The JSON Schema of a declared type; shapes are referenced as OpenAPI components."""
    if tp in SHAPES:
        return {"$ref": f"#/components/schemas/{tp.__name__}"}
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        options = [json_schema(a) for a in get_args(tp) if a is not type(None)]
        nullable = type(None) in get_args(tp)
        if len(options) == 1 and "type" in options[0] and nullable:
            return {**options[0], "type": [options[0]["type"], "null"]}
        return {"anyOf": options + ([{"type": "null"}] if nullable else [])}
    if origin is list:
        return {"type": "array", "items": json_schema(get_args(tp)[0])}
    if origin is dict:
        return {"type": "object", "additionalProperties": json_schema(get_args(tp)[1])}
    simple = {str: "string", int: "integer", float: "number", bool: "boolean"}
    if tp in simple:
        return {"type": simple[tp]}
    return {}  # Any


def component(shape: type) -> dict[str, Any]:
    hints = get_type_hints(shape)
    return {
        "type": "object",
        "required": list(required(shape)),
        "properties": {name: json_schema(tp) for name, tp in hints.items()},
    }


def components() -> dict[str, dict[str, Any]]:
    """Every shape as an OpenAPI schema component."""
    return {shape.__name__: component(shape) for shape in SHAPES}
