"""The web app: faceted search over the knowledge base, document pages, a JSON API and an admin
area for uploads and reindexing.

``create_app(settings)`` builds an app from a `Settings` value (from the environment when none
is given); nothing runs at import time. Every page is built from one dict that is rendered either
as HTML or — at the matching ``/api/`` address or with ``?format=json`` — as JSON.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from flask import Flask
from werkzeug.datastructures import MultiDict

from indexer import (
    SearchEngine,
    Settings,
    use_lemma_cache,
)

from . import (
    cors,
    display,
    errors,
    hit_nav,
    i18n,
    json_encoding,
    links,
    openapi,
    search_html,
    security,
)
from .jobs import IndexingJobs
from .templating import PageEnvironment

log = logging.getLogger(__name__)


def secret_key(settings: Settings) -> str:
    """``KB_SECRET_KEY``, else a random key kept in the data folder (sessions survive restarts).

    A data folder the server may not write gets a key for this process only: sessions then end
    with a restart and differ between server processes, so such setups set ``KB_SECRET_KEY``.
    """
    if settings.secret_key:
        return settings.secret_key
    path = settings.home / "secret_key"
    try:
        return path.read_text("utf-8").strip()
    except FileNotFoundError:
        pass
    except OSError as err:
        log.warning("cannot read %s (%s)", path, err.strerror)
    key = secrets.token_hex(32)
    try:
        settings.home.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another server process made it a moment ago
        return path.read_text("utf-8").strip()
    except OSError as err:
        return _key_for_this_process(key, path, err)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(key)
    except OSError as err:  # a full disk: no half-written key for the next start to read
        path.unlink(missing_ok=True)
        return _key_for_this_process(key, path, err)
    return key


def _key_for_this_process(key: str, path: Path, err: OSError) -> str:
    log.warning(
        "%s cannot be written (%s): sessions last until this process ends; set KB_SECRET_KEY "
        "to keep them",
        path,
        err.strerror,
    )
    return key


def replace_arg(args: MultiDict[str, str], key: str, value: str) -> str:
    """The current query string with one parameter set (links that keep the page's state)."""
    pairs = [(k, v) for k, v in args.items(multi=True) if k != key]
    return links.encode([*pairs, (key, value)])  # urlencode's text, each part quoted once


def create_app(settings: Settings | None = None) -> Flask:
    """The web app for ``settings`` (default: from the environment, as the CLI reads it)."""
    settings = Settings.from_env() if settings is None else settings
    use_lemma_cache(settings.cache)
    app = Flask(__name__)
    app.jinja_environment = PageEnvironment
    app.config.update(
        SECRET_KEY=secret_key(settings),
        MAX_CONTENT_LENGTH=settings.max_upload_mb * 1024 * 1024,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=settings.secure_cookies,
    )
    json_encoding.init_app(app)  # UTF-8, keys in the order the contract has them
    security.init_app(app, settings)
    cors.init_app(app, settings)
    # The plain password stays out of everything the app keeps.
    settings = settings.with_(
        admin_password=None, admin_password_hash=app.extensions["kb_admin"].password_hash
    )
    app.extensions["kb_settings"] = settings
    app.extensions["kb_engine"] = SearchEngine(settings)
    app.extensions["kb_jobs"] = IndexingJobs(settings)
    app.jinja_env.filters["replace_arg"] = replace_arg
    app.jinja_env.globals["url_for"] = links.kept_url_for
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    i18n.init_app(app)
    links.init_app(app)
    display.init_app(app)
    search_html.init_app(app)
    hit_nav.init_app(app)
    errors.init_app(app)
    openapi.init_app(app)

    from .views import admin, api, documents, manage, previews, search, signin

    for module in (search, documents, previews, api, admin, manage, signin):
        app.register_blueprint(module.bp)
    return app


__all__ = ["create_app", "secret_key"]
