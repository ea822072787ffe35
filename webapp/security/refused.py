"""The one error every security rule raises: hosts, CSRF, the admin rule and sign-in throttling
all turn a request away with it, and `webapp.errors` renders it as an error page or its JSON twin
with the status, code and headers it carries."""

from __future__ import annotations


class Refused(Exception):
    """A request the security rules turn away; rendered as an error page or JSON error."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
