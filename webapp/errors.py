"""Every failure becomes a page or a JSON error with a message a person can act on — never a
bare 500 for anything a user typed. Server paths and tracebacks never reach the browser."""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from flask import Flask, Response, make_response
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from indexer import (
    DataFolderError,
    DiskFull,
    IndexBusy,
    IndexOutdated,
    KbError,
    NotFound,
    PageNotFound,
    QueryError,
    storage_error,
)

from .render import page, settings
from .security.refused import Refused

log = logging.getLogger(__name__)


def error_page(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    data = {"error": {"code": code, "message": message}, "status": status}
    response = make_response(page("error.html", data, status))
    response.headers.update(headers or {})
    return response


def init_app(app: Flask) -> None:
    @app.errorhandler(QueryError)
    def bad_query(err: QueryError) -> Any:
        return error_page(400, err.code, str(err))

    @app.errorhandler(NotFound)
    def not_found(err: NotFound) -> Any:
        if isinstance(err, PageNotFound):
            return error_page(404, err.code, str(err))
        return error_page(404, err.code, _("There is no such document in the knowledge base."))

    @app.errorhandler(IndexBusy)
    def busy(err: IndexBusy) -> Any:
        return error_page(409, err.code, str(err))

    @app.errorhandler(Refused)
    def refused(err: Refused) -> Any:
        return error_page(err.status, err.code, err.message, err.headers)

    @app.errorhandler(IndexOutdated)
    def outdated(err: IndexOutdated) -> Any:
        log.error("index: %s", err)
        return error_page(
            503,
            err.code,
            _(
                "The index was made by an earlier version and is being rebuilt, or must be: "
                "an administrator runs “kb index”. Please try again later."
            ),
        )

    @app.errorhandler(DataFolderError)
    def unavailable(err: DataFolderError) -> Any:
        log.error("data folder: %s", err)
        return error_page(503, err.code, _("The knowledge base is not available just now."))

    @app.errorhandler(KbError)
    def kb_error(err: KbError) -> Any:
        return error_page(400, err.code, str(err))

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException) -> Any:
        messages = {
            404: _("This page does not exist."),
            405: _("This address does not accept that kind of request."),
            413: _("The upload is too large."),
        }
        message = messages.get(err.code or 0) or err.description or err.name
        # A 405 says which methods the address does accept (RFC 9110).
        allow = {k: v for k, v in err.get_headers() if k == "Allow"}
        code = (err.name or "error").lower().replace(" ", "_")
        return error_page(err.code or 500, code, message, allow)

    @app.errorhandler(OSError)
    @app.errorhandler(sqlite3.Error)
    def storage(err: Exception) -> Any:
        """A full or read-only data folder, met while saving (an upload, a correction, a
        deletion): said as `kb index` says it, without the server's folders."""
        problem = storage_error(err, settings().home)
        if problem is None:
            return unexpected(err)
        log.error("data folder: %s", problem)
        if isinstance(problem, DiskFull):
            message = _(
                "Nothing was changed: the disk holding the knowledge base's data folder is "
                "full. The administrator frees some space; then try again."
            )
            return error_page(507, problem.code, message)
        message = _(
            "Nothing was changed: the knowledge base's data folder cannot be written "
            "(read-only file system)."
        )
        return error_page(503, problem.code, message)

    @app.errorhandler(Exception)
    def unexpected(err: Exception) -> Any:
        log.exception("unexpected error")
        return error_page(500, "internal", _("Something went wrong on our side. Please try again."))
