"""How values are written on the pages, in the interface language: dates and times (never seconds
since 1970), and a query quoted inside a sentence that already quotes it.

Template filters only: the pages' JSON twins keep the values as they are (timestamps as
numbers, the query as typed).
"""

from __future__ import annotations

from datetime import UTC, datetime

from babel.dates import format_datetime
from flask import Flask

from .i18n import current_language

#: Quotation marks a reader may type around a phrase; inside a quoted query they become the
#: inner quotation marks, so the sentence's own quotes are never doubled.
_PHRASE_QUOTES = str.maketrans({'"': "‘", "“": "‘", "”": "’", "„": "‘", "«": "‘", "»": "’"})


def quoted_query(q: str) -> str:
    """The query as it reads inside the page's own quotation marks: a query that is one quoted
    phrase loses its quotes, other quotation marks become inner ones (‘…’)."""
    text = q.strip()
    if len(text) > 1 and text[0] in '"“„«' and text[-1] in '"”“»' and text.count('"') <= 2:
        inner = text[1:-1]
        if not any(mark in inner for mark in '"“”„«»'):
            return inner.strip()
    out = []
    opening = True
    for ch in text:
        if ch == '"':
            out.append("‘" if opening else "’")
            opening = not opening
        else:
            out.append(ch.translate(_PHRASE_QUOTES))
    return "".join(out)


#: The conventions of each interface language's dates; English as written in Ireland and
#: Britain (day before month, 24 hours), where the knowledge base's English readers are.
DATE_LOCALES = {"en": "en_IE", "bg": "bg", "el": "el", "pt": "pt_PT"}


def moment(seconds: float | int | None, style: str = "medium") -> str:
    """A time given as seconds since 1970, written in the interface language in the server's
    time zone."""
    if seconds is None:
        return ""
    at = datetime.fromtimestamp(float(seconds), UTC).astimezone()
    lang = current_language()
    return format_datetime(at, style, locale=DATE_LOCALES.get(lang, lang))


def iso_moment(seconds: float | int | None) -> str:
    """The same time for a ``<time datetime>`` attribute."""
    if seconds is None:
        return ""
    return datetime.fromtimestamp(float(seconds), UTC).astimezone().isoformat(timespec="seconds")


def init_app(app: Flask) -> None:
    app.jinja_env.filters["quoted_query"] = quoted_query
    app.jinja_env.filters["moment"] = moment
    app.jinja_env.filters["iso_moment"] = iso_moment
