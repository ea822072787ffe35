"""Protection for the pages that change the knowledge base (uploads, reindexing).

Flask has no CSRF protection of its own: every form that changes something carries a random
token bound to the session. The admin pages need the password from ``KB_ADMIN_PASSWORD``
(HTTP Basic); without one configured they answer only on the local machine.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Response, abort, current_app, request, session

_CSRF_KEY = "_csrf"


def csrf_token() -> str:
    token = session.get(_CSRF_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        session[_CSRF_KEY] = token
    return token


def check_csrf() -> None:
    sent = request.form.get("csrf_token", "") or request.headers.get("X-CSRF-Token", "")
    expected = session.get(_CSRF_KEY, "")
    if not expected or not hmac.compare_digest(sent, expected):
        abort(400, description="The form expired or did not come from this site; reload the page.")


def _is_local(address: str | None) -> bool:
    try:
        return ipaddress.ip_address(address or "").is_loopback
    except ValueError:
        return False


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        password = current_app.config.get("KB_ADMIN_PASSWORD")
        if password:
            auth = request.authorization
            given = auth.password if auth and auth.password else ""
            if not hmac.compare_digest(given.encode(), str(password).encode()):
                return Response(
                    "Administrator password required.",
                    401,
                    {"WWW-Authenticate": 'Basic realm="Knowledge base administration"'},
                )
        elif not _is_local(request.remote_addr):
            abort(
                403,
                description="Administration is open only on this computer unless "
                "KB_ADMIN_PASSWORD is set.",
            )
        if request.method == "POST":
            check_csrf()
        return view(*args, **kwargs)

    return wrapper
