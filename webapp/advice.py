"""What to change when a search found nothing, said in the interface language.

The engine says which changes would find documents (``indexer``'s ``Advice``: the kind, the
words, the count); here each gets its sentence from the translation catalogues and, where the
change is one click, the address of the search with it made. Only the page shows them: the
JSON twin gives the engine's advice as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from indexer import Taxonomy

#: The search page's address with some of its parameters changed.
Link = Callable[..., str]


def said(
    result: dict[str, Any], suggestion_url: str | None, link: Link, tax: Taxonomy, lang: str
) -> list[dict[str, Any]]:
    """A copy of each piece of advice of ``result`` for the page, given its ``message`` and, if
    any, its ``url`` (the search for the suggested spelling is ``suggestion_url``)."""
    out = []
    for item in result.get("advice", []):
        message, url = _said(item, suggestion_url, link, tax, lang)
        out.append({**item, "message": message, **({"url": url} if url else {})})
    return out


def _said(
    item: dict[str, Any], suggestion_url: str | None, link: Link, tax: Taxonomy, lang: str
) -> tuple[str, str | None]:
    kind, words, found = item["kind"], item["words"], item["found"] or 0
    listed = ", ".join(words)
    if kind == "filters":
        return ngettext(
            "Remove the filters: %(num)d document matches without them.",
            "Remove the filters: %(num)d documents match without them.",
            found,
        ), link(filters={}, page=1)
    if kind == "spelling":
        return ngettext(
            "No document has the word %(words)s: check its spelling.",
            "No document has the words %(words)s: check their spelling.",
            len(words),
            words=listed,
        ), suggestion_url
    if kind == "fewer_words" and words:
        return ngettext(
            "Search with fewer words: the word %(words)s finds documents on its own.",
            "Search with fewer words: the words %(words)s find documents on their own.",
            len(words),
            words=listed,
        ), link(q=" ".join(words), page=1)
    if kind == "fewer_words":
        return _("Use fewer or more general words."), None
    if found:
        return ngettext(
            "Search all languages: %(num)d document in another language matches.",
            "Search all languages: %(num)d documents in other languages match.",
            found,
        ), link(expand=True, page=1)
    names = ", ".join(tax.label("language", code, lang) for code in item["languages"])
    return _(
        "The documents are written in %(languages)s: try the words in one of these languages.",
        languages=names,
    ), None
