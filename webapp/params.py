"""Query-string parameters ⇄ search requests. The URL is the whole state of a search page, so
one function reads it and one writes it, for pages, API and links alike."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from werkzeug.datastructures import MultiDict

from indexer import FACET_FIELDS, QueryError, SearchRequest, as_mode, as_sort, covers

from .links import encode, encode_value

DEFAULT_PER_PAGE = 10


def int_arg(args: Mapping[str, str], name: str, default: int) -> int:
    raw = args.get(name, "")
    if raw in ("", None):
        return default
    try:
        return int(raw)
    except ValueError:
        raise QueryError(f"{name} must be a whole number, not {raw!r}") from None


def _flag(args: MultiDict[str, str], name: str, default: bool) -> bool:
    values = args.getlist(name)
    if not values:
        return default
    # A form sends a hidden "0" and, when the box is ticked, a "1" after it.
    return values[-1].lower() in ("1", "true", "yes", "on")


def year_range(args: Mapping[str, str]) -> str | None:
    """``year_from`` and ``year_to`` (the page's from–to form) as one year filter value."""
    first, last = (args.get(k, "").strip() for k in ("year_from", "year_to"))
    if not first and not last:
        return None
    if first == last:
        return first
    if first.isdigit() and last.isdigit() and int(first) > int(last):
        first, last = last, first  # the two boxes filled the other way round
    return f"{first}-{last}"


_REVERSED = re.compile(r"^\s*(\d{4})\s*(-|–|\.\.)\s*(\d{4})\s*$")


def _in_order(value: str) -> str:
    """A year range typed the other way round ("2023-2021") as the range it means."""
    m = _REVERSED.match(value)
    if m and int(m.group(1)) > int(m.group(3)):
        return f"{m.group(3)}-{m.group(1)}"
    return value


def request_from_args(args: MultiDict[str, str]) -> SearchRequest:
    filters = {
        f: [v.strip() for v in args.getlist(f) if v.strip()]
        for f in FACET_FIELDS
        if args.getlist(f)
    }
    if "year" in filters:
        filters["year"] = [_in_order(v) for v in filters["year"]]
    span = year_range(args)
    if span:
        filters["year"] = [*filters.get("year", []), span]
    filters = {f: v for f, v in filters.items() if v}
    mode = as_mode(args.get("mode", "all") or "all")
    page = int_arg(args, "page", 1)
    per_page = int_arg(args, "per_page", DEFAULT_PER_PAGE)
    expand, correct = _flag(args, "expand", True), _flag(args, "correct", True)
    return SearchRequest(
        q=args.get("q", "").strip(),
        filters=filters,
        sort=as_sort(args.get("sort", "relevance") or "relevance"),
        page=page,
        per_page=per_page,
        mode=mode,
        expand=expand,
        correct=correct,
    )


def args_for(request: SearchRequest, **changes: Any) -> list[tuple[str, str]]:
    """Query-string pairs for ``request`` with some values changed (defaults left out)."""
    values: dict[str, Any] = {
        "q": request.q,
        "sort": request.sort,
        "page": request.page,
        "per_page": request.per_page,
        "mode": request.mode,
        "expand": request.expand,
        "correct": request.correct,
        "filters": request.filters,
    }
    values.update(changes)
    pairs: list[tuple[str, str]] = []
    if values["q"]:
        pairs.append(("q", values["q"]))
    for facet in FACET_FIELDS:
        for value in values["filters"].get(facet, []):
            pairs.append((facet, str(value)))
    if values["sort"] != "relevance":
        pairs.append(("sort", values["sort"]))
    if values["mode"] != "all":
        pairs.append(("mode", values["mode"]))
    if not values["expand"]:
        pairs.append(("expand", "0"))
    if not values["correct"]:
        pairs.append(("correct", "0"))
    if values["per_page"] != DEFAULT_PER_PAGE:
        pairs.append(("per_page", str(values["per_page"])))
    if values["page"] != 1:
        pairs.append(("page", str(values["page"])))
    return pairs


def query_string(request: SearchRequest, **changes: Any) -> str:
    return encode(args_for(request, **changes))


def toggled(filters: dict[str, list[str]], facet: str, value: str) -> dict[str, list[str]]:
    """Filters with ``value`` added to or removed from ``facet``.

    A year inside a selected range is chosen alone: the range gives way to it.
    """
    out = {f: list(v) for f, v in filters.items()}
    out[facet] = toggled_values(filters.get(facet, []), facet, value)
    return {f: v for f, v in out.items() if v}


def toggled_values(current: list[str], facet: str, value: str) -> list[str]:
    """One facet's chosen values with ``value`` added or removed (see `toggled`)."""
    if value in current:
        out = list(current)
        out.remove(value)
        return out
    if facet == "year" and covers(set(current), value):
        return [value]
    return [*current, value]


def toggle_queries(request: SearchRequest, facet: str, values: list[str]) -> list[str]:
    """``query_string(request, filters=toggled(request.filters, facet, v), page=1)`` for each
    of ``values``: the query strings of a facet's toggle links, with what they share (the
    words, the other facets, the order) encoded once."""
    if facet not in FACET_FIELDS:  # not a filter of the query string: nothing toggles
        return [query_string(request, page=1)] * len(values)
    pairs = args_for(request, filters={}, page=1)
    words = encode(pairs[:1]) if request.q else ""
    tail = encode(pairs[1:] if request.q else pairs)
    at = FACET_FIELDS.index(facet)
    head = _joined(words, _chosen(request.filters, FACET_FIELDS[:at]))
    rest = _joined(_chosen(request.filters, FACET_FIELDS[at + 1 :]), tail)
    current = request.filters.get(facet, [])
    # A value added after those chosen: the same text before it and after it for each.
    start = _joined(head, _chosen(request.filters, (facet,)), encode([(facet, "")]))
    end = f"&{rest}" if rest else ""
    out = []
    for value in values:
        if value in current or (facet == "year" and current):  # removed, or a range gives way
            mine = encode([(facet, v) for v in toggled_values(current, facet, value)])
            out.append(_joined(head, mine, rest))
        else:
            out.append(f"{start}{encode_value(value)}{end}")
    return out


def _chosen(filters: dict[str, list[str]], facets: tuple[str, ...]) -> str:
    return encode([(f, v) for f in facets for v in filters.get(f, [])])


def _joined(*parts: str) -> str:
    return "&".join([part for part in parts if part])


#: The document pages' parameter that holds the search they were opened from.
BACK = "back"


def back_to(args: Mapping[str, str]) -> str | None:
    """The search a document page was opened from (query, filters, sort and page), as the
    query string of a search page, checked: anything that is not a valid search is dropped."""
    raw = args.get(BACK, "")
    if not raw:
        return None
    try:
        req = request_from_args(MultiDict(parse_qsl(raw, keep_blank_values=False)))
        req.validate()
    except QueryError:
        return None
    return query_string(req)
