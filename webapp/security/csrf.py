"""CSRF tokens: forms that change something carry a token bound to the session (Flask has none of
its own). Requests authenticated with HTTP Basic need none, as browsers never get a Basic
challenge from this app and so never send such credentials on their own."""

from __future__ import annotations

import hmac
import secrets

from flask import request, session
from flask_babel import gettext as _

from .refused import Refused

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
        raise Refused(
            400,
            "csrf",
            _("The form expired or did not come from this site; reload the page."),
        )


def forget_csrf_token() -> None:
    """Drop the session's token (signing out); the next form gets a fresh one."""
    session.pop(_CSRF_KEY, None)
