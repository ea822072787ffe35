"""One dict per page, rendered as HTML or as its JSON twin (without what only the page shows);
and what pages are built from — the settings, the search engine and the indexing jobs
`create_app` keeps in the app's ``extensions``, read back here with their types."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify, render_template, request

from indexer import SearchEngine, Settings, Taxonomy

from .jobs import IndexingJobs


def wants_json() -> bool:
    path = request.path
    return path.startswith("/api/") or path == "/healthz" or request.args.get("format") == "json"


def page(
    template: str, data: dict[str, Any], status: int = 200, extra: dict[str, Any] | None = None
) -> tuple[Response | str, int]:
    """A page's ``data`` as its JSON twin, or rendered as HTML with ``extra`` beside it: what
    only the page shows (labels, links, pictures), never part of the twin. A key of ``extra``
    stands for the same key of ``data`` on the page (its values decorated for it)."""
    if wants_json():
        return jsonify(data), status
    shown = {**data, **extra} if extra else data
    return render_template(template, data=shown, **shown), status


def settings() -> Settings:
    kept: Settings = current_app.extensions["kb_settings"]
    return kept


def engine() -> SearchEngine:
    kept: SearchEngine = current_app.extensions["kb_engine"]
    return kept


def jobs() -> IndexingJobs:
    kept: IndexingJobs = current_app.extensions["kb_jobs"]
    return kept


def taxonomy() -> Taxonomy:
    return engine().taxonomy
