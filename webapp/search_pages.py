"""The dicts of the home and search pages. A search's answer (`search_data`, the contract that
``/api/search`` returns) is built apart from what only the page shows beside it (`page_extra`:
labels, facet toggles, chips, sorts, the year form, the feed and export addresses, the hits'
links and pictures); the page is given both, the JSON twin the answer alone. The feed decorates
its hits as the page does, so they all build on the functions here.
"""

from __future__ import annotations

import functools
import math
from typing import Any
from urllib.parse import urlencode

from flask import url_for
from werkzeug.datastructures import MultiDict

from indexer import (
    FACET_FIELDS,
    PICTURED,
    SORTS,
    Hit,
    QueryError,
    SearchRequest,
    Taxonomy,
    building,
    year_span,
)
from indexer import value_label as facets_label

from . import advice, links
from .i18n import current_language
from .params import (
    DEFAULT_PER_PAGE,
    args_for,
    query_string,
    request_from_args,
    toggle_queries,
    toggled,
)
from .pictures import picture
from .render import engine, settings, taxonomy

MORE_PAGES = 15  # other pages with hits linked under a result
DOCUMENT = "documents.document"  # the endpoint of a document's page


def _url(req: SearchRequest, endpoint: str = "search.search", **changes: Any) -> str:
    return _at(links.path(endpoint), req, **changes)


def _at(base: str, req: SearchRequest, **changes: Any) -> str:
    """``base`` (an endpoint's path) with the query string of ``req`` changed by ``changes``."""
    qs = query_string(req, **changes)
    return base + (f"?{qs}" if qs else "")


def _opened_at(base: str, q: str, back: str | None, **params: Any) -> str:
    """``base`` (a document's path) opened from the search ``q`` (and ``back``)."""
    return links.with_arguments(base, [("q", q or None), *params.items(), ("back", back)])


def decorate_hit(
    found: Hit,
    tax: Taxonomy,
    lang: str,
    q: str,
    back: str | None = None,
    path: links.Paths | None = None,
) -> dict[str, Any]:
    """A hit as pages show it: a copy of its contract fields and, next to them, the labels and
    links a page needs (the hit itself is left as the contract has it). Links open the document
    at its best page; ``back`` (the search's query string) lets it return here. ``path`` is
    the request's `links.paths`, for a page that decorates many hits."""
    path = path or links.paths()
    hit: dict[str, Any] = dict(found)
    hit["labels"] = {
        "type": tax.label("type", hit["type"], lang),
        "country": [tax.label("country", c, lang) for c in hit["country"]],
        "topic": [tax.label("topic", t, lang) for t in hit["topic"]],
        "languages": [tax.label("language", x, lang) for x in hit["languages"]],
    }
    best = hit.get("best_page") or (hit["pages"][0] if hit.get("pages") else None)
    # The document's path once for all its links (a hit has a dozen).
    document = path(DOCUMENT, doc_id=hit["id"])
    at_page = links.numbered(document, [("q", q or None)], "page", [("back", back)])
    # A hit with a best page opens the document at that page's text, not at its top.
    hit["url"] = f"{at_page(best)}#page-text" if best else _opened_at(document, q, back)
    hit["file_url"] = path("documents.download", doc_id=hit["id"])
    if hit.get("format") in PICTURED:
        hit["thumbnail"] = picture(hit["id"], best or 1, hit["title"], q, path=path)
    if "versions" in hit:
        hit["versions"] = [
            {**version, "url": _opened_at(path(DOCUMENT, doc_id=version["id"]), q, None)}
            for version in hit["versions"]
        ]
    snippets = hit["snippets"] = [dict(snippet) for snippet in hit.get("snippets", [])]
    for snippet in snippets:
        snippet["url"] = f"{at_page(snippet['page'])}#page-text"
        if hit.get("format") == "pdf":
            snippet["file_url"] = f"{hit['file_url']}#page={snippet['page']}"
    shown = {s["page"] for s in snippets}
    more = [p for p in hit.get("pages", []) if p not in shown][:MORE_PAGES]
    hit["more_pages"] = [{"page": p, "url": f"{at_page(p)}#page-text"} for p in more]
    return hit


def search_data(req: SearchRequest, endpoint: str) -> dict[str, Any]:
    """A search's answer as the contract has it (``SearchResult``): the engine's result, and
    the links to its other pages at the address that was asked (``endpoint``), so a client
    pages through results where it asked for them. ``/api/search`` returns exactly this."""
    result: dict[str, Any] = dict(engine().search(req, lang=current_language()))
    paging = functools.partial(_url, req, endpoint)
    pages = max(1, math.ceil(result["total"] / req.per_page))
    result["pagination"] = {
        "pages": pages,
        "prev_url": paging(page=req.page - 1) if req.page > 1 else None,
        "next_url": paging(page=req.page + 1) if req.page < pages else None,
        "links": [
            {"page": p, "url": paging(page=p), "current": p == req.page}
            for p in _page_window(req.page, pages)
        ],
    }
    # A run's progress is for a reader of an index that cannot be searched yet: an answer with
    # hits came from a searchable one, and asks no file of the data folder again.
    progress = None if result["hits"] else building(settings())
    if progress is not None:
        result["building"] = progress
    return result


def page_extra(req: SearchRequest, data: dict[str, Any]) -> dict[str, Any]:
    """What only the search page shows beside a search's answer ``data``: labels in the
    reader's language, the links of its facets, chips, sorts and forms, the hits with their
    pictures. Nested values are copies, so ``data`` stays the contract; the page renders
    ``{**data, **page_extra(...)}``."""
    lang = current_language()
    tax = taxonomy()
    # The page's own path once for its hundred links (its facet values, chips, sorts).
    here = links.path("search.search")
    link = functools.partial(_at, here, req)
    extra: dict[str, Any] = {"facets": {}}
    for facet, values in data["facets"].items():
        queries = toggle_queries(req, facet, [value["value"] for value in values])
        extra["facets"][facet] = [
            {**value, "toggle_url": f"{here}?{query}" if query else here}
            for value, query in zip(values, queries, strict=True)
        ]
    extra["chips"] = [
        {
            "facet": facet,
            "value": value,
            "label": chip_label(tax, facet, value, lang),
            "remove_url": link(filters=toggled(req.filters, facet, value), page=1),
        }
        for facet in FACET_FIELDS
        for value in req.filters.get(facet, [])
    ]
    extra["clear_url"] = link(filters={}, page=1)
    back = query_string(req)
    # Results of a correction open their documents with the corrected words marked.
    marked = data["suggestion"] if data.get("fallback") == "corrected" else req.q
    path = links.paths()
    extra["hits"] = [decorate_hit(hit, tax, lang, marked, back, path) for hit in data["hits"]]
    extra["sorts"] = [
        {"value": s, "url": link(sort=s, page=1), "selected": s == req.sort} for s in SORTS
    ]
    if data.get("suggestion"):
        extra["suggestion_url"] = link(q=data["suggestion"], correct=True, page=1)
    if data.get("fallback") == "any":
        extra["all_words_url"] = link(mode="all", page=1)
    elif data.get("fallback") == "corrected":
        extra["as_typed_url"] = link(correct=False, page=1)
    extra["advice"] = advice.said(data, extra.get("suggestion_url"), link, tax, lang)
    extra["year_form"] = year_form(req)
    years = [int(v["value"]) for v in data["facets"]["year"] if v["value"].isdigit()]
    extra["year_form"].update(oldest=min(years, default=None), newest=max(years, default=None))
    kept = query_suffix(feed_args(req))
    extra["feed_url"] = links.path("search.feed") + kept
    extra["follow_url"] = links.path("search.follow") + kept
    extra["params"] = {
        "q": req.q,
        "filters": req.filters,
        "sort": req.sort,
        "page": req.page,
        "per_page": req.per_page,
        "mode": req.mode,
        "expand": req.expand,
    }
    everything = query_string(req, page=1)
    extra["export"] = {
        fmt: f"{links.path('search.export', fmt=fmt)}?{everything}" for fmt in ("csv", "json")
    }
    return extra


def search_context(args: MultiDict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The search page's data (its JSON twin) and what the page alone shows beside it."""
    req = request_from_args(args)
    data = search_data(req, "search.search")
    return data, page_extra(req, data)


def query_suffix(pairs: list[tuple[str, str]]) -> str:
    """``?`` and the pairs as a query string; nothing at all when there are none."""
    return "?" + urlencode(pairs) if pairs else ""


def described(req: SearchRequest, tax: Taxonomy, lang: str) -> list[str]:
    """A search in a few words, as its feed's title and its follow page name it: the words,
    then each filter's label."""
    said = [req.q] if req.q else []
    return said + filter_labels(req, tax, lang)


def filter_labels(req: SearchRequest, tax: Taxonomy, lang: str) -> list[str]:
    """Each chosen filter value by its label, in facet order."""
    return [chip_label(tax, f, v, lang) for f in FACET_FIELDS for v in req.filters.get(f, [])]


def follow_context(args: MultiDict[str, str]) -> dict[str, Any]:
    """The page that explains following a search: what a feed is, and its address to copy
    (the feed itself stays at its own address, for feed readers)."""
    req = request_from_args(args)
    keep = query_suffix(feed_args(req))
    return {
        "query": req.q,
        "filters": filter_labels(req, taxonomy(), current_language()),
        "feed_url": url_for("search.feed", _external=True) + keep,
        "search_url": url_for("search.search") + keep,
    }


def chip_label(tax: Taxonomy, facet: str, value: str, lang: str) -> str:
    """A chosen filter value as chips and feed titles name it (year ranges with an en dash)."""
    if facet == "year" and not value.isdigit():
        return facets_label(tax, facet, value, lang).replace("-", "–")
    return tax.label(facet, value, lang)


def year_form(req: SearchRequest) -> dict[str, Any]:
    """The from–to form of the year facet: where it goes, the state it keeps (everything but
    the years and the page), and the range now chosen."""
    keep = args_for(req, filters=_without(req.filters, "year"), page=1)
    spans = [s for s in (_span(v) for v in req.filters.get("year", [])) if s]
    first = min((a for a, _ in spans), default=None)
    last = max((b for _, b in spans), default=None)
    return {
        "action": links.path("search.search"),
        "hidden": keep,
        "from": first if first and first > 0 else None,
        "to": last if last and last < 9999 else None,
    }


def _span(value: str) -> tuple[int, int] | None:
    try:
        return year_span(value)
    except QueryError:
        return None


def _without(filters: dict[str, list[str]], facet: str) -> dict[str, list[str]]:
    return {f: v for f, v in filters.items() if f != facet}


def feed_args(req: SearchRequest) -> list[tuple[str, str]]:
    """What a feed of the search keeps: its words and filters, not its order or page."""
    return args_for(req, sort="relevance", page=1, per_page=DEFAULT_PER_PAGE)


def _page_window(current: int, pages: int, width: int = 2) -> list[int]:
    shown = {1, pages, *range(max(1, current - width), min(pages, current + width) + 1)}
    return sorted(shown)


def home_context() -> tuple[dict[str, Any], dict[str, Any]]:
    """The home page's data (its JSON twin: the facets, the newest documents, how many there
    are) and what the page alone shows beside it: each facet value's search, the newest
    documents' labels and links."""
    lang = current_language()
    tax = taxonomy()
    facets = engine().facets(lang=lang)
    latest = engine().search(SearchRequest(sort="added", per_page=6), lang=lang)
    data: dict[str, Any] = {
        "facets": facets,
        "latest": latest["hits"],
        "documents": sum(v["count"] for v in facets.get("type", [])),
        "notice": latest.get("notice"),
    }
    progress = building(settings())
    if progress is not None:
        data["building"] = progress
    extra = {
        "facets": {
            facet: [{**v, "url": _facet_search(facet, v["value"])} for v in values]
            for facet, values in facets.items()
        },
        "latest": [decorate_hit(hit, tax, lang, "") for hit in latest["hits"]],
    }
    return data, extra


def _facet_search(facet: str, value: str) -> str:
    """The search for one facet value alone."""
    chosen: dict[str, Any] = {facet: value}
    return url_for("search.search", **chosen)
