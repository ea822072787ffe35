"""Who may reach the app and who may change the knowledge base; `init_app` wires it all in.

- **Hosts** (`.hosts`). A request whose ``Host`` is not one of the allowed names is refused.
- **Proxies** (`.clients`). ``X-Forwarded-*`` headers are believed only from the addresses in
  ``KB_TRUSTED_PROXIES``; from anyone else they are ignored.
- **Administration fails closed** (`.access`): a password and a signed-in session (or HTTP
  Basic), or else loopback only; `admin_required` guards every editor route.
- **Sign-in** compares against a hash only; failures are throttled per client and overall
  (`.throttle`), shared by the server's processes, and every attempt is logged.
- **Forms** that change something carry a CSRF token bound to the session (`.csrf`).
- **Headers and cookies** (here): a strict Content-Security-Policy and its companions on every
  response, session cookies marked Secure whenever the request came over HTTPS.

Whatever a rule turns away raises `.refused.Refused`.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _

from indexer import Settings

from .access import AdminAccess
from .clients import TrustedProxies
from .csrf import csrf_token
from .hosts import allowed_hosts, host_allowed
from .refused import Refused

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
    def headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response
