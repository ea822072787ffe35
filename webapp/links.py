"""The addresses of a page's many links, built cheaply and exactly as ``url_for`` builds them.

A search page links every facet value, every other page, sort and filter, and each hit's pages:
well over a hundred addresses. Each made by Flask's ``url_for`` (a walk through the URL map)
and ``urlencode`` (every value quoted again) took a fifth of a search's processor time over
HTTP. An endpoint's path depends only on its values and the app's script root, and a page's links
share most of their values (the words searched, the filters): here each path is built once per
app and script root, and each value quoted once per process. ``tests/webapp/test_links.py``
holds the addresses to the ones ``url_for`` and ``urlencode`` give. The templates' own
``url_for`` reads the kept paths too (`kept_url_for`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any
from urllib.parse import quote_plus

from flask import Flask, Request, current_app, has_request_context, url_for
from werkzeug.routing import UnicodeConverter

from .per_request import PerRequest

#: What werkzeug leaves unquoted in the query arguments ``url_for`` appends.
_URL_FOR_SAFE = "!$'()*,/:;?@"


@lru_cache(maxsize=16_384)
def _quoted(value: str, safe: str = "") -> str:
    return quote_plus(value, safe=safe)


def encode(pairs: Iterable[tuple[str, Any]]) -> str:
    """``urllib.parse.urlencode(pairs)``."""
    return "&".join(f"{_quoted(str(k))}={_quoted(str(v))}" for k, v in pairs)


def encode_value(value: Any) -> str:
    """One value as `encode` writes it."""
    return _quoted(str(value))


def path(endpoint: str, **values: Any) -> str:
    """``url_for(endpoint, **values)`` (the values those of the route), built once per app and
    script root."""
    return paths()(endpoint, **values)


#: `path` for one request (see `paths`).
Paths = Callable[..., str]


def paths() -> Paths:
    """`path` with the request's kept paths looked up once: for a page part that links many
    documents."""
    kept = _kept_paths()

    def path_of(endpoint: str, **values: Any) -> str:
        key = (endpoint, tuple(values.items()))
        found = kept.get(key)
        if found is None:
            if len(kept) >= KEPT_PATHS:
                kept.clear()
            found = kept[key] = _built(kept, endpoint, values)
        return found

    return path_of


#: A value a path holds as it is: no character of it is ever quoted.
_UNQUOTED = re.compile(r"[A-Za-z0-9_.~-]+")
#: What stands for the value in an endpoint's shape (`_built`).
_MARKER = "kb0value0marker"


def _built(kept: dict[tuple[str, Any], str], endpoint: str, values: dict[str, Any]) -> str:
    """``url_for(endpoint, **values)``; for an endpoint of one plain text value (a document's
    page, its file) whose value needs no quoting, the endpoint's shape with the value put in.

    A search page links some thirty documents, most of them new to the process, and Flask's
    ``url_for`` walks the URL map for each. The shape (the path built once, with a marker for
    the value) is kept beside the paths, under the endpoint and the value's name; it is only
    used for a rule that takes the value as plain text, where a value of letters, digits and
    ``_.~-`` goes into the path unchanged."""
    if len(values) == 1:
        ((name, value),) = values.items()
        if type(value) is str and _UNQUOTED.fullmatch(value):
            shape_key = (endpoint, name)  # a paths' key has the values' pairs instead
            shape = kept.get(shape_key)
            if shape is None:
                shape = kept[shape_key] = _shape(endpoint, name)
            if shape:
                head, _, tail = shape.partition(_MARKER)
                return head + value + tail
    return url_for(endpoint, **values)


def _shape(endpoint: str, name: str) -> str:
    """The path of ``endpoint`` with `_MARKER` as its value ``name``, when the endpoint has
    one rule taking that value, and only it, as plain text; else "" (no shape: each path is
    built by ``url_for``)."""
    rules = list(current_app.url_map.iter_rules(endpoint))
    if len(rules) != 1 or rules[0].arguments != {name}:
        return ""
    converter = getattr(rules[0], "_converters", {}).get(name)
    if type(converter) is not UnicodeConverter:
        return ""
    marked: dict[str, Any] = {name: _MARKER}
    shape = url_for(endpoint, **marked)
    return shape if shape.count(_MARKER) == 1 else ""


def kept_url_for(endpoint: str, **values: Any) -> str:
    """The templates' ``url_for``: an address within the app from `path` (kept) when its
    values are text, whole numbers or None; any other (external, with an anchor, relative to
    a blueprint, outside a request, other values) from ``url_for``."""
    if (
        endpoint[0] != "."
        and has_request_context()
        and all(k[0] != "_" and (v is None or type(v) in _PLAIN) for k, v in values.items())
    ):
        return path(endpoint, **values)
    return url_for(endpoint, **values)


#: The values a kept path may have (``True`` and ``1`` are one key, but two addresses).
_PLAIN = (str, int)


#: Paths an app keeps between requests for one script root (a search page links some thirty
#: documents' paths), and script roots it keeps paths for.
KEPT_PATHS = 16_384
KEPT_ROOTS = 16


def _paths_of(now: Request) -> dict[tuple[str, Any], str]:
    """The paths the app keeps for the request's script root (`_kept_paths`). A path depends
    on nothing else, as the app sets no URL defaults and serves no subdomains."""
    roots: dict[str, Any] = current_app.extensions.setdefault("kb_paths", {})
    root = now.script_root
    kept: dict[tuple[str, Any], str] | None = roots.get(root)
    if kept is None:
        if len(roots) >= KEPT_ROOTS:
            roots.clear()
        kept = roots[root] = {}
    return kept


#: The paths the app keeps for the request's script root, found once per request.
_paths = PerRequest("kb_paths", _paths_of)
_kept_paths = _paths.get


def init_app(app: Flask) -> None:
    _paths.init_app(app)


def with_arguments(base: str, pairs: Iterable[tuple[str, Any]]) -> str:
    """``base`` (a path from ``path``) with query arguments as ``url_for`` appends them: in
    their order, None left out."""
    query = "&".join(
        f"{_quoted(str(k), _URL_FOR_SAFE)}={_quoted(str(v), _URL_FOR_SAFE)}"
        for k, v in pairs
        if v is not None
    )
    return f"{base}?{query}" if query else base


def numbered(
    base: str, before: list[tuple[str, Any]], name: str, after: list[tuple[str, Any]]
) -> Callable[[int], str]:
    """``with_arguments(base, [*before, (name, n), *after])`` for any whole number ``n``, the
    rest quoted once: the links to a document's pages, a dozen per hit."""
    head, tail = _around(tuple(before), name, tuple(after))
    return lambda n: f"{base}?{head}{n}{tail}"


@lru_cache(maxsize=1024)
def _around(
    before: tuple[tuple[str, Any], ...], name: str, after: tuple[tuple[str, Any], ...]
) -> tuple[str, str]:
    """The query arguments before a number's value and after it, as `numbered` joins them:
    the same for every hit of a page (its words, the search to return to)."""
    head = with_arguments("", [*before, (name, 0)])[1:-1]  # after "?", up to "<name>="
    tail = with_arguments("", after)
    return head, f"&{tail[1:]}" if tail else ""
