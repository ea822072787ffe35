"""Signing in to and out of the administration pages (when a password is set)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from ..render import page
from ..security.access import admin_access
from ..security.csrf import check_csrf
from ..security.refused import Refused

bp = Blueprint("signin", __name__)


def _next_url(raw: str | None) -> str:
    """Where to go after signing in: a page of this app, as its own links write it — plain
    printable ASCII, a path one of its routes answers — and never another site. (A tab or a
    line break would be dropped or refused on the way to the ``Location`` header: ``/\t/x``
    would become ``//x``, another site.)"""
    fallback = url_for("admin.index")
    if not raw or not all("!" <= ch <= "~" for ch in raw) or "\\" in raw:
        return fallback
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or raw.startswith("//"):
        return fallback
    try:
        current_app.url_map.bind("localhost").match(parts.path, method="GET")
    except (HTTPException, RequestRedirect):
        return fallback
    return parts.path + (f"?{parts.query}" if parts.query else "")


@bp.route("/admin/sign-in", methods=["GET", "POST"])
def sign_in() -> Any:
    access = admin_access()
    if access.mode == "closed":
        raise Refused(403, "admin_closed", access.closed_reason())
    target = _next_url(request.values.get("next"))
    if access.mode == "local" or access.signed_in():
        return redirect(target)
    data: dict[str, Any] = {"next": target, "error": None, "message": None}
    if request.method == "POST":
        check_csrf()
        if access.attempt(request.form.get("password", ""), "sign-in form"):
            access.sign_in()
            return redirect(target)
        data["error"] = _("Wrong password.")
        return page("signin.html", data, 401)
    return page("signin.html", data)


@bp.post("/admin/sign-out")
def sign_out() -> Any:
    check_csrf()
    admin_access().sign_out()
    return redirect(url_for("search.home"))
