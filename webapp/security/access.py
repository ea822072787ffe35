"""The rule for the admin area, decided once from the settings, and `admin_required`, the one
guard for every editor route, present and future.

Administration fails closed. With a password, a signed-in session (or HTTP Basic for scripts) is
needed. Without one, the admin pages answer only when the server is bound to loopback, trusts no
proxy, and the request comes from this computer with no proxy header — a proxy on the same
machine would otherwise make every visitor look local. Anything else is refused with what to set.

Sign-in compares against a hash only (a plain ``KB_ADMIN_PASSWORD`` is hashed at start); failures
are throttled (`webapp.security.throttle`) and every attempt is logged.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec
from urllib.parse import urlencode

from flask import current_app, g, jsonify, redirect, request, session
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from indexer import ConfigError, Settings

from ..render import page, wants_json
from .clients import PROXY_HEADERS, client_key, is_loopback
from .csrf import check_csrf, forget_csrf_token
from .refused import Refused
from .sessions import AdminSessions
from .throttle import SignInThrottle

log = logging.getLogger(__name__)
P = ParamSpec("P")

_ADMIN_KEY = "_admin"
_TOKEN_KEY = "_admin_token"
#: A signed-in admin session lasts this long (seconds), whatever the browser keeps.
ADMIN_SESSION_SECONDS = 8 * 3600


def hash_password(plain: str) -> str:
    return generate_password_hash(plain)


def _checked_hash(value: str) -> str:
    method = value.split("$", 1)[0].split(":", 1)[0]
    if value.count("$") != 2 or method not in ("scrypt", "pbkdf2"):
        raise ConfigError(
            "KB_ADMIN_PASSWORD_HASH is not a password hash; make one with kb hash-password"
        )
    return value


class AdminAccess:
    """The rule for the admin area, decided once from the settings."""

    def __init__(self, settings: Settings, secret_key: str) -> None:
        if settings.admin_password_hash:
            self.password_hash: str | None = _checked_hash(settings.admin_password_hash)
        elif settings.admin_password:
            self.password_hash = hash_password(settings.admin_password)
        else:
            self.password_hash = None
        self.behind_proxy = bool(settings.trusted_proxies)
        self.loopback_only = is_loopback(settings.host)
        # Sessions carry this mark of the password: changing the password ends them. It is the
        # same in every server process (a plain password's hash is salted anew in each), and
        # keyed, so a stolen cookie tells nothing about the password.
        secret = settings.admin_password_hash or settings.admin_password or ""
        self.fingerprint = (
            hmac.new(secret_key.encode(), secret.encode(), hashlib.sha256).hexdigest()[:32]
            if self.password_hash
            else ""
        )
        throttle_path = settings.home / "sign-in.sqlite3" if self.password_hash else None
        self.throttle = SignInThrottle(throttle_path)
        self.sessions = AdminSessions(throttle_path)
        #: The secret `kb serve` prints on its terminal: without a password, the admin pages
        #: answer only requests (or sessions) that show it.
        self.token = settings.admin_token
        self._token_mark = hmac.new(
            secret_key.encode(), (self.token or "").encode(), "sha256"
        ).hexdigest()[:32]

    @property
    def mode(self) -> str:
        """``password``, ``local`` (no password, loopback only) or ``closed``."""
        if self.password_hash:
            return "password"
        if self.loopback_only and not self.behind_proxy:
            return "local"
        return "closed"

    def closed_reason(self) -> str:
        reason: str
        if self.behind_proxy:
            reason = _(
                "Administration behind a proxy needs a password: the administrator sets "
                "KB_ADMIN_PASSWORD (or KB_ADMIN_PASSWORD_HASH)."
            )
        else:
            reason = _(
                "Administration is open without a password only on a server bound to this "
                "computer; the administrator sets KB_ADMIN_PASSWORD to open it here."
            )
        return reason

    def local_request(self) -> bool:
        """From this computer, directly: loopback peer and no proxy's header."""
        if request.environ.get("kb.via_trusted_proxy"):
            return False
        return is_loopback(request.remote_addr) and not any(
            h in request.headers for h in PROXY_HEADERS
        )

    # The terminal's token (no password) -------------------------------------------------------
    def token_shown(self) -> bool:
        """Whether this request, or its session, showed the token (always, without one)."""
        if not self.token:
            return True
        if session.get(_TOKEN_KEY) == self._token_mark:
            return True
        auth = request.authorization
        given = auth.password if auth is not None and auth.type == "basic" else None
        given = given or request.args.get("token")
        return bool(given) and hmac.compare_digest(given or "", self.token)

    def keep_token(self) -> None:
        """Remember in the session that the token was shown."""
        session[_TOKEN_KEY] = self._token_mark

    # Signing in ------------------------------------------------------------------------------
    def signed_in(self) -> bool:
        if self.mode == "local":
            return self.token_shown()
        state = session.get(_ADMIN_KEY)
        return (
            isinstance(state, dict)
            and state.get("key") == self.fingerprint
            and time.time() - float(state.get("at", 0)) < ADMIN_SESSION_SECONDS
            and isinstance(state.get("id"), str)
            and self.sessions.alive(state["id"])
        )

    def attempt(self, password: str, how: str) -> bool:
        """Check one password against the throttle and the hash; log the attempt.

        Raises `Refused` (429) while the client or the server as a whole must wait.
        """
        client = client_key(request.remote_addr)
        wait = self.throttle.retry_after(client)
        if wait > 0:
            log.warning(
                "admin sign-in refused (throttled %.0f s) from %s via %s",
                wait,
                request.remote_addr,
                how,
            )
            raise Refused(
                429,
                "too_many_attempts",
                _(
                    "Too many wrong passwords. Try again in %(s)d seconds.",
                    s=max(1, round(wait)),
                ),
                {"Retry-After": str(max(1, round(wait)))},
            )
        assert self.password_hash is not None
        if password and check_password_hash(self.password_hash, password):
            self.throttle.succeeded(client)
            log.info("admin sign-in from %s via %s", request.remote_addr, how)
            return True
        counts = self.throttle.failed(client)
        log.warning(
            "admin sign-in failed from %s via %s (%d failures from this client, %d overall)",
            request.remote_addr,
            how,
            counts["client"],
            counts["overall"],
        )
        return False

    def sign_in(self) -> None:
        """Start an admin session (a fresh CSRF token too)."""
        lang = session.get("lang")
        session.clear()
        if lang:
            session["lang"] = lang
        now = time.time()
        session_id = self.sessions.begin(now + ADMIN_SESSION_SECONDS)
        session[_ADMIN_KEY] = {"key": self.fingerprint, "at": now, "id": session_id}

    def sign_out(self) -> None:
        """End the session here and in every copy of its cookie."""
        state = session.pop(_ADMIN_KEY, None)
        if isinstance(state, dict) and isinstance(state.get("id"), str):
            self.sessions.end(state["id"])
        session.pop(_TOKEN_KEY, None)
        forget_csrf_token()

    def basic_auth(self) -> bool | None:
        """None without Basic credentials; else whether they are right."""
        auth = request.authorization
        if auth is None or auth.type != "basic":
            return None
        return self.attempt(auth.password or "", "HTTP Basic")


def admin_access() -> AdminAccess:
    """The rule `webapp.security.init_app` decided for this app."""
    kept: AdminAccess = current_app.extensions["kb_admin"]
    return kept


def who() -> str:
    """Who does what, for the audit log."""
    if g.get("kb_admin_basic"):
        return "admin (script)"
    return "admin" if admin_access().mode == "password" else "local"


def _needs_sign_in() -> Any:
    """401: the sign-in form for browsers, a Basic challenge for scripts."""
    message = _("Sign in to use the administration pages.")
    if request.accept_mimetypes.accept_html and request.args.get("format") != "json":
        back = request.full_path.rstrip("?") if request.method == "GET" else "/admin"
        data = {"next": back, "error": None, "message": message}
        response, status = page("signin.html", data, 401)
        return response, status
    response = jsonify({"error": {"code": "sign_in_required", "message": message}})
    response.headers["WWW-Authenticate"] = 'Basic realm="Knowledge base administration"'
    return response, 401


def admin_required(view: Callable[P, Any]) -> Callable[P, Any]:
    """Guard for any route that shows or changes the knowledge base's administration.

    POSTs need the CSRF token, unless authenticated with HTTP Basic.
    """

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Any:
        access = admin_access()
        mode = access.mode
        if mode == "closed":
            raise Refused(403, "admin_closed", access.closed_reason())
        if mode == "local":
            if not access.local_request():
                raise Refused(
                    403,
                    "admin_local_only",
                    _(
                        "Administration is open only on this computer unless "
                        "KB_ADMIN_PASSWORD is set."
                    ),
                )
            if not access.token_shown():
                raise Refused(
                    403,
                    "admin_token_required",
                    _(
                        "Administration without a password opens at the address kb serve "
                        "printed on its terminal when it started (it ends with ?token=…)."
                    ),
                )
            if request.args.get("token") and request.method == "GET" and not wants_json():
                # Kept in the session; the address bar and the history lose the token.
                access.keep_token()
                rest = [(k, v) for k, v in request.args.items(multi=True) if k != "token"]
                return redirect(request.path + (f"?{urlencode(rest)}" if rest else ""))
        basic = None
        if mode == "password" and not access.signed_in():
            basic = access.basic_auth()
            if not basic:
                return _needs_sign_in()
        g.kb_admin_basic = bool(basic)
        if request.method == "POST" and not basic:
            check_csrf()
        return view(*args, **kwargs)

    return wrapper
