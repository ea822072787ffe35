"""The names the app answers to. A request whose ``Host`` is not one of the allowed names is
refused: a page on another site whose name was re-pointed at this server (DNS rebinding) cannot
read it."""

from __future__ import annotations

import re
from collections.abc import Iterable

from indexer import Settings


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
