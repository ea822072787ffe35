"""Who may reach the app and who may change the knowledge base.

- **Hosts.** A request whose ``Host`` is not one of the allowed names is refused: a page on
  another site whose name was re-pointed at this server (DNS rebinding) cannot read it.
- **Proxies.** ``X-Forwarded-*`` headers are believed only from the addresses in
  ``KB_TRUSTED_PROXIES`` (werkzeug's ProxyFix, one hop); from anyone else they are ignored.
- **Administration fails closed.** With a password, a signed-in session (or HTTP Basic for
  scripts) is needed. Without one, the admin pages answer only when the server is bound to
  loopback, trusts no proxy, and the request comes from this computer with no proxy header —
  a proxy on the same machine would otherwise make every visitor look local. Anything else is
  refused with what to set.
- **Sign-in** compares against a hash only (a plain ``KB_ADMIN_PASSWORD`` is hashed at start);
  failures are throttled per client and overall, with delays that double and a lock-out window,
  shared by the server's processes through a small SQLite file, and every attempt is logged.
- **Forms** that change something carry a CSRF token bound to the session (Flask has none of its
  own); requests authenticated with HTTP Basic need none, as browsers never get a Basic
  challenge from this app and so never send such credentials on their own.

`admin_required` is the one guard for every editor route, present and future.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, jsonify, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.security import check_password_hash, generate_password_hash

from indexer import ConfigError, Settings

from .render import page

log = logging.getLogger(__name__)

_CSRF_KEY = "_csrf"
_ADMIN_KEY = "_admin"
#: A signed-in admin session lasts this long (seconds), whatever the browser keeps.
ADMIN_SESSION_SECONDS = 8 * 3600
#: Headers a reverse proxy adds; their presence means the peer address is not the visitor's.
PROXY_HEADERS = (
    "Forwarded",
    "X-Forwarded-For",
    "X-Forwarded-Host",
    "X-Forwarded-Proto",
    "X-Forwarded-Port",
    "X-Forwarded-Prefix",
    "X-Real-IP",
    "X-Client-IP",
    "True-Client-IP",
    "CF-Connecting-IP",
    "Via",
)
#: No inline script or style anywhere; pages may not be framed.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


# CSRF ------------------------------------------------------------------------------------------
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


class Refused(Exception):
    """A request the security rules turn away; rendered as an error page or JSON error."""

    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


# Addresses -------------------------------------------------------------------------------------
def is_loopback(address: str | None) -> bool:
    """Whether an address (or a host name the server is bound to) means this computer only."""
    value = (address or "").strip("[]")
    if value == "localhost":
        return True
    try:
        return ipaddress.ip_address(value).is_loopback
    except ValueError:
        return False


def _bracketed(name: str) -> str:
    name = name.strip().lower().rstrip(".")
    return f"[{name}]" if ":" in name and not name.startswith("[") else name


def allowed_hosts(settings: Settings) -> list[str]:
    """Loopback names, the bound address (unless a wildcard) and ``KB_ALLOWED_HOSTS``."""
    hosts = ["localhost", "127.0.0.1", "[::1]"]
    bound = (settings.host or "").strip("[]")
    if bound and bound not in ("0.0.0.0", "::"):
        hosts.append(_bracketed(bound))
    return hosts + [_bracketed(h) for h in settings.allowed_hosts]


def host_name(host: str) -> str | None:
    """The name in a ``Host`` header without its port; None when it is not a host at all."""
    host = host.strip().lower()
    if host.startswith("["):
        name, bracket, port = host[1:].partition("]")
        name, port = f"[{name}]", port if bracket else "?"
    else:
        name, colon, port = host.partition(":")
        port = f":{port}" if colon else ""
    if port and not re.fullmatch(r":\d{1,5}", port):
        return None
    if not re.fullmatch(r"[a-z0-9.\-]+|\[[0-9a-f:.]+\]", name):
        return None
    return name.rstrip(".")


def host_allowed(host: str, allowed: Iterable[str]) -> bool:
    """``Host`` against the allowed names; ``.example.org`` allows its subdomains too, ``*``
    any name."""
    name = host_name(host)
    if name is None:
        return False
    for entry in allowed:
        if entry == "*" or entry == name:
            return True
        if entry.startswith(".") and (name == entry[1:] or name.endswith(entry)):
            return True
    return False


def _networks(values: Iterable[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(v, strict=False) for v in values]


class TrustedProxies:
    """ProxyFix for requests that come from a trusted proxy; everyone else is taken literally."""

    def __init__(self, wsgi_app: Any, proxies: Iterable[str]) -> None:
        self.direct = wsgi_app
        self.proxied = ProxyFix(wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1, x_prefix=1)
        self.networks = _networks(proxies)

    def __call__(self, environ: dict, start_response: Callable) -> Any:
        try:
            peer = ipaddress.ip_address(environ.get("REMOTE_ADDR", ""))
        except ValueError:
            peer = None
        if peer is not None and any(peer in n for n in self.networks):
            environ["kb.via_trusted_proxy"] = True
            return self.proxied(environ, start_response)
        return self.direct(environ, start_response)


def client_key(address: str | None) -> str:
    """Throttling key of a client: its IPv4 address, or its IPv6 /64 (one subscriber's net)."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return "client:?"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return f"client:{ip.ipv4_mapped}"
        return f"client:{ipaddress.ip_network(f'{ip}/64', strict=False)}"
    return f"client:{ip}"


# Throttling ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Limits:
    """Failed sign-ins allowed before delays start, and before the lock-out window."""

    free: int
    lock_after: int


class SignInThrottle:
    """Failed sign-ins per client and overall; each further attempt waits twice as long.

    After ``free`` failures each new one doubles the wait before the next attempt is even
    checked (1 s, 2 s, 4 s …); at ``lock_after`` failures the key is locked for the whole
    window. A key forgets its failures a window after its last one. Attempts made while a key
    must wait are refused unchecked (429 with Retry-After), so guessing gains nothing and no
    server thread sleeps. The state is a SQLite file in the data folder, shared by every
    process of the server; in memory when the folder is read-only.
    """

    CLIENT = Limits(free=3, lock_after=10)
    OVERALL = Limits(free=30, lock_after=200)
    BASE_DELAY = 1.0
    WINDOW = 15 * 60.0

    def __init__(self, path: Path | None) -> None:
        self._lock = threading.Lock()
        self.db = self._connect(path)

    @staticmethod
    def _connect(path: Path | None) -> sqlite3.Connection:
        target = ":memory:"
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                with open(path, "a"):
                    pass
                target = str(path)
            except OSError:
                log.warning("sign-in throttling kept in memory: %s is not writable", path.parent)
        db = sqlite3.connect(target, timeout=10, isolation_level=None, check_same_thread=False)
        try:
            db.execute(
                "CREATE TABLE IF NOT EXISTS failures (key TEXT PRIMARY KEY, count INTEGER, "
                "last REAL, wait_until REAL)"
            )
        except sqlite3.Error:
            db.close()
            db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            db.execute(
                "CREATE TABLE failures (key TEXT PRIMARY KEY, count INTEGER, last REAL, "
                "wait_until REAL)"
            )
        return db

    @classmethod
    def delay(cls, failures: int, limits: Limits) -> float:
        if failures <= limits.free:
            return 0.0
        if failures >= limits.lock_after:
            return cls.WINDOW
        return min(cls.BASE_DELAY * 2 ** (failures - limits.free - 1), cls.WINDOW)

    def _keys(self, client: str) -> list[tuple[str, Limits]]:
        return [(client, self.CLIENT), ("overall", self.OVERALL)]

    def retry_after(self, client: str, now: float | None = None) -> float:
        """Seconds before ``client`` may try again (0: now)."""
        now = time.time() if now is None else now
        wait = 0.0
        with self._lock:
            for key, _limits in self._keys(client):
                row = self.db.execute(
                    "SELECT wait_until FROM failures WHERE key = ?", (key,)
                ).fetchone()
                if row:
                    wait = max(wait, row[0] - now)
        return max(wait, 0.0)

    def failed(self, client: str, now: float | None = None) -> dict[str, int]:
        """Count a failure; return the failure counts now held against the client and overall."""
        now = time.time() if now is None else now
        counts: dict[str, int] = {}
        with self._lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                for key, limits in self._keys(client):
                    row = self.db.execute(
                        "SELECT count, last FROM failures WHERE key = ?", (key,)
                    ).fetchone()
                    count = 1 if row is None or now - row[1] > self.WINDOW else row[0] + 1
                    self.db.execute(
                        "INSERT OR REPLACE INTO failures VALUES (?, ?, ?, ?)",
                        (key, count, now, now + self.delay(count, limits)),
                    )
                    counts["overall" if key == "overall" else "client"] = count
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
        return counts

    def succeeded(self, client: str) -> None:
        with self._lock:
            self.db.execute("DELETE FROM failures WHERE key = ?", (client,))


# The policy ------------------------------------------------------------------------------------
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

    @property
    def mode(self) -> str:
        """``password``, ``local`` (no password, loopback only) or ``closed``."""
        if self.password_hash:
            return "password"
        if self.loopback_only and not self.behind_proxy:
            return "local"
        return "closed"

    def closed_reason(self) -> str:
        if self.behind_proxy:
            return _(
                "Administration behind a proxy needs a password: the administrator sets "
                "KB_ADMIN_PASSWORD (or KB_ADMIN_PASSWORD_HASH)."
            )
        return _(
            "Administration is open without a password only on a server bound to this "
            "computer; the administrator sets KB_ADMIN_PASSWORD to open it here."
        )

    def local_request(self) -> bool:
        """From this computer, directly: loopback peer and no proxy's header."""
        if request.environ.get("kb.via_trusted_proxy"):
            return False
        return is_loopback(request.remote_addr) and not any(
            h in request.headers for h in PROXY_HEADERS
        )

    # Signing in ------------------------------------------------------------------------------
    def signed_in(self) -> bool:
        if self.mode == "local":
            return True
        state = session.get(_ADMIN_KEY)
        return (
            isinstance(state, dict)
            and state.get("key") == self.fingerprint
            and time.time() - float(state.get("at", 0)) < ADMIN_SESSION_SECONDS
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
        session[_ADMIN_KEY] = {"key": self.fingerprint, "at": time.time()}

    @staticmethod
    def sign_out() -> None:
        session.pop(_ADMIN_KEY, None)
        session.pop(_CSRF_KEY, None)

    def basic_auth(self) -> bool | None:
        """None without Basic credentials; else whether they are right."""
        auth = request.authorization
        if auth is None or auth.type != "basic":
            return None
        return self.attempt(auth.password or "", "HTTP Basic")


def admin_access() -> AdminAccess:
    return current_app.extensions["kb_admin"]


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


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Guard for any route that shows or changes the knowledge base's administration.

    POSTs need the CSRF token, unless authenticated with HTTP Basic.
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        access = admin_access()
        mode = access.mode
        if mode == "closed":
            raise Refused(403, "admin_closed", access.closed_reason())
        if mode == "local" and not access.local_request():
            raise Refused(
                403,
                "admin_local_only",
                _("Administration is open only on this computer unless KB_ADMIN_PASSWORD is set."),
            )
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


# App wiring ------------------------------------------------------------------------------------
class SessionInterface(SecureCookieSessionInterface):
    """Session cookies marked Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def init_app(app: Flask, settings: Settings) -> None:
    """Hosts, proxies, headers, cookies and the admin rule for ``app``."""
    app.extensions["kb_admin"] = AdminAccess(settings, app.config["SECRET_KEY"])
    app.session_interface = SessionInterface()
    if settings.trusted_proxies:
        app.wsgi_app = TrustedProxies(  # type: ignore[method-assign]  # how WSGI middleware is added
            app.wsgi_app, settings.trusted_proxies
        )
    hosts = allowed_hosts(settings)
    app.jinja_env.globals["csrf_token"] = csrf_token

    @app.before_request
    def check_host() -> None:
        host = request.host
        if not host_allowed(host, hosts):
            raise Refused(
                400,
                "unknown_host",
                _(
                    "This server does not answer to the name %(host)s. If it should, the "
                    "administrator adds the name to KB_ALLOWED_HOSTS.",
                    host=host[:100],
                ),
            )

    @app.after_request
    def headers(response: Any) -> Any:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response
