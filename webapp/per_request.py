"""A value found once per request and kept with the request it belongs to.

A page asks Flask's request globals for the same things many times (its language, its
translations, the app's kept paths), and each read through Flask's proxies costs some ten times
a read of the request object itself. A context variable keeps the value beside the request it
was found for, so a request inside another (a test client's, an error page's) finds its own."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Generic, TypeVar

from flask import Flask, Request, request

T = TypeVar("T")


class PerRequest(Generic[T]):
    """``find(request)``, called once per request; `get` gives the request's value."""

    def __init__(self, name: str, find: Callable[[Request], T]) -> None:
        self._find = find
        self._found: ContextVar[tuple[Request, T] | None] = ContextVar(name, default=None)

    def get(self) -> T:
        now = request._get_current_object()  # type: ignore[attr-defined]  # the proxied request
        found = self._found.get()
        if found is not None and found[0] is now:
            return found[1]
        value = self._find(now)
        self._found.set((now, value))
        return value

    def forget(self, *_: object) -> None:
        """Lets go of the request that ended (the next one would not match it anyway)."""
        self._found.set(None)

    def init_app(self, app: Flask) -> None:
        app.teardown_request(self.forget)
