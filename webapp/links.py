"""The addresses of a page's many links, built cheaply and exactly as ``url_for`` builds them.

A search page links every facet value, every other page, sort and filter, and each hit's pages:
well over a hundred addresses. Each made by Flask's ``url_for`` (a walk through the URL map)
and ``urlencode`` (every value quoted again) took a fifth of a search's processor time over
HTTP. Within a request an endpoint's path does not change, and a page's links share most of
their values (the words searched, the filters): here each path is built once per request and
each value quoted once per process. ``tests/webapp/test_links.py`` holds the addresses to the
ones ``url_for`` and ``urlencode`` give.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any
from urllib.parse import quote, quote_plus

from flask import current_app, g, url_for
from werkzeug.routing import UnicodeConverter

#: What werkzeug leaves unquoted in the query arguments ``url_for`` appends.
_URL_FOR_SAFE = "!$'()*,/:;?@"


@lru_cache(maxsize=16_384)
def _quoted(value: str, safe: str = "") -> str:
    return quote_plus(value, safe=safe)


def encode(pairs: Iterable[tuple[str, Any]]) -> str:
    """``urllib.parse.urlencode(pairs)``."""
    return "&".join(f"{_quoted(str(k))}={_quoted(str(v))}" for k, v in pairs)


def path(endpoint: str, **values: Any) -> str:
    """``url_for(endpoint, **values)`` (the values those of the route), built once per request.

    A route of one text argument (a document's address: a dozen per hit, a different
    document each) is built once per request with a placeholder, which each value then takes
    quoted as the route's converter quotes it."""
    known: dict[tuple[str, tuple[tuple[str, Any], ...]], str] = g.setdefault("_kb_paths", {})
    key = (endpoint, tuple(values.items()))
    found = known.get(key)
    if found is None:
        found = known[key] = _one_text_argument(known, endpoint, values) or url_for(
            endpoint, **values
        )
    return found


#: Stands for a route's argument in its path: quoting leaves it as it is.
_SLOT = "kb0argument0slot"
#: What a route's text argument keeps unquoted in its path (werkzeug's ``BaseConverter.to_url``).
_PATH_SAFE = "!$&'()*+,/:;=@"


def _one_text_argument(known: dict[Any, str], endpoint: str, values: dict[str, Any]) -> str | None:
    """The path of a route whose only argument is text, from its form with a placeholder;
    None for any other route."""
    if len(values) != 1:
        return None
    ((name, value),) = values.items()
    if type(value) is not str or not value:
        return None
    form_key = (endpoint, ((name, None),))
    form = known.get(form_key)
    if form is None:
        # The routes' converters are not public: without them, every path is url_for's.
        rules = getattr(current_app.url_map, "_rules_by_endpoint", {}).get(endpoint, [])
        text = bool(rules) and all(
            type(getattr(r, "_converters", {}).get(name)) is UnicodeConverter for r in rules
        )
        slot: dict[str, Any] = {name: _SLOT}
        form = known[form_key] = url_for(endpoint, **slot) if text else ""
    if form.count(_SLOT) != 1:
        return None
    before, _, after = form.partition(_SLOT)
    return before + quote(value, safe=_PATH_SAFE) + after


def with_arguments(base: str, pairs: Iterable[tuple[str, Any]]) -> str:
    """``base`` (a path from ``path``) with query arguments as ``url_for`` appends them: in
    their order, None left out."""
    query = "&".join(
        f"{_quoted(str(k), _URL_FOR_SAFE)}={_quoted(str(v), _URL_FOR_SAFE)}"
        for k, v in pairs
        if v is not None
    )
    return f"{base}?{query}" if query else base
