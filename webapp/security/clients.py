"""Who a request comes from. ``X-Forwarded-*`` headers are believed only from the addresses in
``KB_TRUSTED_PROXIES`` (werkzeug's ProxyFix, one hop); from anyone else they are ignored. Here
too: which addresses mean this computer, the headers that give a proxy away, and the key a
client's sign-in failures are counted under."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import TYPE_CHECKING

from werkzeug.middleware.proxy_fix import ProxyFix

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

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


def is_loopback(address: str | None) -> bool:
    """Whether an address (or a host name the server is bound to) means this computer only."""
    value = (address or "").strip("[]")
    if value == "localhost":
        return True
    try:
        return ipaddress.ip_address(value).is_loopback
    except ValueError:
        return False


def _networks(values: Iterable[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(v, strict=False) for v in values]


class TrustedProxies:
    """ProxyFix for requests that come from a trusted proxy; everyone else is taken literally."""

    def __init__(self, wsgi_app: WSGIApplication, proxies: Iterable[str]) -> None:
        self.direct = wsgi_app
        self.proxied = ProxyFix(wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1, x_prefix=1)
        self.networks = _networks(proxies)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
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
