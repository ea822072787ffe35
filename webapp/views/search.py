"""Home page, search page, exports of the current results and their Atom feed.

The pages' dicts are built in `webapp.search_pages`, the export rows in `webapp.export`.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request, stream_with_context, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from .. import feed as atom_feed
from ..export import csv_rows, json_rows
from ..i18n import current_language
from ..params import request_from_args
from ..render import engine, page, taxonomy
from ..search_pages import (
    decorate_hit,
    described,
    feed_args,
    follow_context,
    home_context,
    query_suffix,
    search_context,
)

bp = Blueprint("search", __name__)


@bp.get("/")
def home() -> Any:
    data, extra = home_context()
    return page("home.html", data, extra=extra)


@bp.get("/search")
def search() -> Any:
    data, extra = search_context(request.args)
    return page("search.html", data, extra=extra)


@bp.get("/search/export.<fmt>")
def export(fmt: str) -> Any:
    """Everything the filters select, streamed row by row (not limited to one page)."""
    if fmt not in ("csv", "json"):
        return page(
            "error.html",
            {"error": {"code": "not_found", "message": _("Unknown format.")}, "status": 404},
            404,
        )
    req = request_from_args(request.args)
    hits = engine().iter_hits(req, current_language())  # a bad query raises here, before any byte
    name = "knowledge-base-results"
    if fmt == "csv":
        body, mimetype = csv_rows(hits), "text/csv"
    else:
        body, mimetype = json_rows(req.q, hits), "application/json"
    return Response(
        stream_with_context(body),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


@bp.get("/search/feed.atom")
def feed() -> Any:
    """The newest documents matching the search (its words and filters), as an Atom feed."""
    req = request_from_args(request.args)
    req.sort, req.page, req.per_page = "added", 1, atom_feed.ENTRIES
    lang = current_language()
    tax = taxonomy()
    result = engine().search(req, lang=lang)
    keep = feed_args(req)
    title = _("Social Innovation Knowledge Base")
    if said := described(req, tax, lang):
        title += ": " + ", ".join(said)
    entries = []
    for found in result["hits"]:
        hit = decorate_hit(found, tax, lang, req.q)
        facts = [hit["labels"]["type"], *hit["labels"]["country"], *hit["labels"]["languages"]]
        if hit["year"]:
            facts.insert(1, str(hit["year"]))
        snippet = hit["snippets"][0]["html"] if hit["snippets"] else ""
        text = Markup(snippet).striptags()
        entries.append(
            {
                "url": url_for("documents.document", doc_id=hit["id"], _external=True),
                "title": hit["title"],
                "added": hit["added"],
                "language": hit["language"],
                "summary": " · ".join(facts) + (f" — {text}" if text else ""),
                "categories": hit["labels"]["topic"],
            }
        )
    body = atom_feed.atom(
        title=title,
        subtitle=_("The newest documents matching this search"),
        self_url=url_for("search.feed", _external=True) + query_suffix(keep),
        page_url=url_for("search.search", _external=True) + query_suffix(keep),
        author=_("Social Innovation Knowledge Base"),
        lang=lang,
        entries=entries,
    )
    return Response(body, mimetype="application/atom+xml")


@bp.get("/search/follow")
def follow() -> Any:
    """What following a search means, and the address of its feed to copy."""
    return page("follow.html", follow_context(request.args))


@bp.get("/suggest")
def suggest() -> Any:
    return jsonify({"suggestions": engine().autocomplete(request.args.get("q", ""))})
