"""JSON bodies written by orjson: the same documents Flask's own encoder writes, in a fraction
of its time.

A search answer is some 25 kB of JSON (ten hits with their snippets, seven facet lists), and
the standard library's encoder took about half a millisecond of a worker's processor per
``/api/search`` request, a few per cent of the request. orjson writes the same JSON text for
everything the API sends — strings (``Markup`` included), numbers, lists and dicts with string
keys — in a tenth of that. Only response bodies are written this way (``dumps``, which templates'
``tojson`` uses, is Flask's own). What Flask encodes its own way is left to Flask: dates (an
HTTP date in Flask, ISO 8601 in orjson) and dataclasses go through Flask's ``default``;
anything orjson refuses (a dict with non-string keys, an integer beyond 64 bits) and pretty
printing (debug mode) are written by Flask's encoder as before.
"""

from __future__ import annotations

from typing import Any, cast

import orjson
from flask import Flask
from flask import Response as BodyResponse
from flask.json.provider import DefaultJSONProvider
from werkzeug.sansio.response import Response

#: Dates and dataclasses are handed to Flask's ``default``, as its own encoder does.
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


class FastJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider with orjson writing the plain cases (see the module's text)."""

    ensure_ascii = False
    sort_keys = False

    def response(self, *args: Any, **kwargs: Any) -> Response:
        """As Flask's ``response`` (a compact body, or an indented one in debug mode)."""
        obj = self._prepare_response_obj(args, kwargs)
        pretty = self.compact is False or (self.compact is None and self._app.debug)
        written = None if pretty or self.ensure_ascii else self._fast(obj)
        if written is None:
            return super().response(obj)
        # The app's response class takes a body of bytes (Flask types it by its base class).
        make = cast(type[BodyResponse], self._app.response_class)
        return make(written + b"\n", mimetype=self.mimetype)

    def _fast(self, obj: Any) -> bytes | None:
        """The JSON of ``obj`` as UTF-8, or None where only the standard encoder can write it
        as Flask does."""
        option = _OPTIONS | (orjson.OPT_SORT_KEYS if self.sort_keys else 0)
        try:
            return orjson.dumps(obj, default=self.default, option=option)
        except (TypeError, orjson.JSONEncodeError):
            return None


def init_app(app: Flask) -> None:
    """The app's JSON written by orjson (``FastJSONProvider``)."""
    app.json = FastJSONProvider(app)


__all__ = ["FastJSONProvider", "init_app"]
