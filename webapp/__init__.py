"""The web app: faceted search over the knowledge base, document pages, a JSON API and an admin
area for uploads and reindexing.

``create_app(config)`` builds an app from a `Settings` value (or a mapping of Flask settings for
tests); nothing runs at import time. Every page is built from one dict that is rendered either
as HTML or — at the matching ``/api/`` address or with ``?format=json`` — as JSON.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from flask import Flask

from indexer.config import Settings
from indexer.search import SearchEngine

from . import errors, i18n
from .jobs import IndexingJobs
from .security import csrf_token


def _secret_key(settings: Settings) -> str:
    """``KB_SECRET_KEY``, else a random key kept in the data folder (sessions survive restarts)."""
    if os.environ.get("KB_SECRET_KEY"):
        return os.environ["KB_SECRET_KEY"]
    path = settings.home / "secret_key"
    try:
        return path.read_text("utf-8").strip()
    except FileNotFoundError:
        settings.home.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(key)
        return key


def replace_arg(args: Mapping[str, Any], key: str, value: str) -> str:
    """The current query string with one parameter set (links that keep the page's state)."""
    pairs = [(k, v) for k, v in args.items(multi=True) if k != key]  # type: ignore[call-arg]
    return urlencode([*pairs, (key, value)])


def create_app(config: Settings | Mapping[str, Any] | None = None) -> Flask:
    overrides: dict[str, Any] = {}
    if isinstance(config, Settings):
        settings = config
    else:
        overrides = dict(config or {})
        settings = overrides.pop("KB_SETTINGS", None) or Settings.from_env()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=_secret_key(settings),
        MAX_CONTENT_LENGTH=settings.max_upload_mb * 1024 * 1024,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=os.environ.get("KB_SECURE_COOKIES", "") == "1",
        KB_ADMIN_PASSWORD=os.environ.get("KB_ADMIN_PASSWORD") or None,
        JSON_SORT_KEYS=False,
    )
    app.config.update(overrides)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["kb_settings"] = settings
    app.extensions["kb_engine"] = SearchEngine(settings)
    app.extensions["kb_jobs"] = IndexingJobs(settings)
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.filters["replace_arg"] = replace_arg
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    i18n.init_app(app)
    errors.init_app(app)

    from .views import admin, api, documents, previews, search

    for module in (search, documents, previews, api, admin):
        app.register_blueprint(module.bp)
    return app


__all__ = ["create_app"]
