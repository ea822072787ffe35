"""Interface languages. Chosen from ``?lang=`` (and then remembered in the session), else from
the browser's Accept-Language; English when nothing matches."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, request, session
from flask_babel import Babel, get_locale

if TYPE_CHECKING:
    from babel import Locale

LANGUAGES = {"en": "English", "bg": "Български", "el": "Ελληνικά", "pt": "Português"}


def select_locale() -> str:
    wanted = request.args.get("lang", "")
    if wanted in LANGUAGES:
        session["lang"] = wanted
        return wanted
    remembered: str | None = session.get("lang")
    if remembered in LANGUAGES:
        return remembered
    return request.accept_languages.best_match(list(LANGUAGES)) or "en"


def current_language() -> str:
    locale: Locale | None = get_locale()  # flask_babel is untyped; it gives Babel's Locale
    return locale.language if locale is not None else "en"


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale)
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["current_language"] = current_language
