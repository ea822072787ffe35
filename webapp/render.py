"""One dict per page, rendered as HTML or as its JSON twin."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify, render_template, request

from indexer import SearchEngine, Taxonomy


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.args.get("format") == "json"


def page(template: str, data: dict[str, Any], status: int = 200) -> Response | tuple[Any, int]:
    if wants_json():
        return jsonify(data), status
    return render_template(template, data=data, **data), status


def engine() -> SearchEngine:
    return current_app.extensions["kb_engine"]


def taxonomy() -> Taxonomy:
    return engine().taxonomy
