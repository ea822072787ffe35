"""Signing in to and out of the administration pages (when a password is set)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, request, url_for
from flask_babel import gettext as _

from ..render import page
from ..security.access import admin_access
from ..security.csrf import check_csrf
from ..security.refused import Refused

bp = Blueprint("signin", __name__)


def _next_url(raw: str | None) -> str:
    """Where to go after signing in: a path on this site only (never another site)."""
    if raw and raw.startswith("/") and not raw.startswith(("//", "/\\")) and "\\" not in raw:
        return raw
    return url_for("admin.index")


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
