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
from typing import (
    Any,
    Literal,
    NotRequired,
    TypedDict,
    Union,
    get_args,
    get_origin,
    get_type_hints,
)

# The closed sets of words the contract uses, each declared once: requests are checked against
# these, the OpenAPI document lists them as enums, the command line offers them as choices.
Sort = Literal["relevance", "newest", "oldest", "title", "added"]
Mode = Literal["all", "any"]
#: "any": no document had all the words; "corrected": the results are those of the suggestion
Fallback = Literal["any", "corrected"]
AdviceKind = Literal["filters", "spelling", "fewer_words", "other_language"]
Phase = Literal["planning", "indexing", "committing"]
SuggestionKind = Literal["title", "term"]
HealthStatus = Literal["ok", "empty", "building", "down", "outdated"]


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
    url: NotRequired[str]  #: added by the web app: the document's page


class Picture(TypedDict):
    """A picture of a PDF page (added by the web app), linking to the page view."""

    url: str
    srcset: str
    width: int
    height: int
    alt: str
    page_url: str


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


class Advice(TypedDict):
    """A change that would find documents, given when a search found none."""

    kind: AdviceKind
    #: spelling: the words no document has; fewer_words: words that find documents alone
    words: list[str]
    languages: list[str]  #: other_language, all languages on: the documents' languages
    found: int | None  #: the documents the change finds, where counted


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


class Building(TypedDict):
    """The first index being built: the live run's progress, shown until documents land."""

    phase: Phase
    done: int  #: files read so far
    total: int  #: files to read
    elapsed: float  #: seconds since the run started
    remaining: float | None  #: estimated seconds left, once some files are done


class SearchResult(TypedDict):
    query: str
    total: int
    page: int
    per_page: int
    took_ms: float
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    suggestion: str | None
    sort: Sort
    mode: Mode
    #: "any" when no document had all the words; "corrected" when the words found nothing and
    #: the results are those of ``suggestion``, a correction far more likely than the rest
    fallback: Fallback | None
    understood: dict[str, Any]
    expand: bool
    #: the words were also searched in another alphabet (they found few documents as typed)
    transliterated: list[Transliteration]
    #: what to change, when nothing was found (empty otherwise)
    advice: list[Advice]
    notice: NotRequired[str]  #: said to the reader: empty index, or a search cut short
    partial: NotRequired[bool]  #: the search hit its time budget; results may be incomplete
    #: added by the web app: the other pages of results, at the address that was asked
    pagination: NotRequired[Pagination]
    #: added by the web app while the first index is being built and nothing can be found yet
    building: NotRequired[Building]


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
    #: added by the web app: how the text was read (text layer or OCR), as kept with it
    text_source: NotRequired[dict[str, Any]]


class Mark(TypedDict):
    """A box around a word of the query on a page's picture, in percent of the page."""

    left: float
    top: float
    width: float
    height: float
    text: str


class PageNav(TypedDict):
    """The way from a page to the pages around it and to the pages with hits."""

    prev_url: str | None
    next_url: str | None
    count: int  #: pages of the document
    hits_here: int  #: marks on this page
    prev_hit_url: str | None  #: the page with hits before this one, at its last hit
    next_hit_url: str | None  #: the page with hits after this one, at its first hit
    pages_with_hits: int


class PageView(TypedDict):
    """One page of a PDF: its picture with the query's words marked, and its text."""

    id: str
    title: str
    q: str
    format: str | None
    page: PageText
    page_nav: PageNav
    document_url: str
    ocr: bool
    image: Picture | None
    marks: list[Mark]


class Suggestion(TypedDict):
    kind: SuggestionKind  #: "title" (a document) or "term" (a word of the index)
    text: str
    id: NotRequired[str]  #: a title's document
    completion: NotRequired[str]  #: a term: what the box is completed with
    documents: NotRequired[int]  #: a term: how many documents hold it


class Suggestions(TypedDict):
    suggestions: list[Suggestion]


class Facets(TypedDict):
    facets: dict[str, list[FacetValue]]


class HealthProgress(TypedDict):
    """The first index's run, while nothing can be found yet."""

    phase: Phase
    done: int  #: files read so far
    total: int  #: files to read


class Health(TypedDict):
    #: "ok", "empty" or "building" (the first index on its way); "down" or "outdated" with 503
    status: HealthStatus
    documents: NotRequired[int]
    failed: NotRequired[int]
    index_version: NotRequired[str | None]
    progress: NotRequired[HealthProgress]  #: while the first index is being built


class ErrorDetail(TypedDict):
    code: str
    message: str


class Error(TypedDict):
    error: ErrorDetail
    status: int


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
    k for k in DocumentSummary.__annotations__ if k not in ("work", "added", "url")
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
    Picture,
    Hit,
    FacetValue,
    Transliteration,
    Advice,
    PageLink,
    Pagination,
    Building,
    SearchResult,
    PageText,
    Related,
    DocumentPage,
    DocumentList,
    Mark,
    PageNav,
    PageView,
    Suggestion,
    Suggestions,
    Facets,
    HealthProgress,
    Health,
    ErrorDetail,
    Error,
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
            one = {**options[0], "type": [options[0]["type"], "null"]}
            if "enum" in one:
                one["enum"] = [*one["enum"], None]
            return one
        return {"anyOf": options + ([{"type": "null"}] if nullable else [])}
    if origin is Literal:
        return {"type": "string", "enum": list(get_args(tp))}
    if origin is list:
        return {"type": "array", "items": json_schema(get_args(tp)[0])}
    if origin is dict:
        return {"type": "object", "additionalProperties": json_schema(get_args(tp)[1])}
    simple = {str: "string", int: "integer", float: "number", bool: "boolean"}
    if tp in simple:
        return {"type": simple[tp]}
    return {}  # Any


def component(shape: type) -> dict[str, Any]:
    """A shape's schema, closed: a key the shape does not declare is an error, so an answer
    and its contract cannot drift apart (see `webapp.openapi`)."""
    hints = get_type_hints(shape)
    return {
        "type": "object",
        "required": list(required(shape)),
        "properties": {name: json_schema(tp) for name, tp in hints.items()},
        "additionalProperties": False,
    }


def components() -> dict[str, dict[str, Any]]:
    """Every shape as an OpenAPI schema component."""
    return {shape.__name__: component(shape) for shape in SHAPES}
