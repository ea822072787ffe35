"""Interface languages. Chosen from ``?lang=`` (and then remembered in the session), else from
the browser's Accept-Language; English when nothing matches."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, cast

from flask import Flask, has_request_context, request, session
from flask_babel import Babel, get_locale, get_translations
from markupsafe import Markup

from .templating import KEPT_TRANSLATIONS, kept_gettext, template_gettext

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
    """The request's interface language (``en`` outside a request), kept for the request like
    its translations (see `_translations`): a search page asks for it several times."""
    found = _request_language.get()
    if found is None:
        locale: Locale | None = get_locale()  # flask_babel is untyped; it gives Babel's Locale
        found = locale.language if locale is not None else "en"
        if has_request_context():
            _request_language.set(found)
    return found


#: The request's translations and language, once looked up (see `_translations`); None
#: between requests.
_request_translations: ContextVar[Any] = ContextVar("kb_translations", default=None)
_request_language: ContextVar[str | None] = ContextVar("kb_language", default=None)


def _translations() -> Any:
    """The request's translations, looked up once per request: Flask-Babel looks them up again
    for every string a template translates (several context and locale look-ups each, a tenth
    of the processor time of a search page), and even Flask's request globals cost some twenty
    times a context variable's read, for each of the sixty strings of a search page. Kept in a
    context variable for the request (emptied when each request starts and ends)."""
    found = _request_translations.get()
    if found is None:
        found = get_translations()
        if has_request_context():  # its end empties it again
            _request_translations.set(found)
    return found


def _forget_translations(*_: object) -> None:
    _request_translations.set(None)
    _request_language.set(None)


#: The interface's strings, translated and formatted once per language and whole-number
#: arguments (`kept_gettext`): for the templates and for pages written in Python alike.
_translated = kept_gettext()


def texts() -> Callable[..., Markup]:
    """``_(string, **variables)`` as a template says it (translated, the variables escaped),
    in the request's language looked up once: for a page part that says many strings."""
    language = _translations()

    def said(string: str, **variables: Any) -> Markup:
        return cast(Markup, _translated(language, True, string, variables))

    return said


def plural(singular: str, plural: str, num: int, **variables: Any) -> Markup:
    """``ngettext(singular, plural, num, **variables)`` as a template says it; with no other
    variable than the number (a hit's "of 3 pages with hits"), said once per language and
    number."""
    language = _translations()
    key = (language, singular, plural, num) if not variables else None
    if key is not None and (said := _plurals.get(key)) is not None:
        return said
    variables.setdefault("num", num)
    said = Markup(language.ungettext(singular, plural, num)) % variables
    if key is not None:
        if len(_plurals) >= KEPT_TRANSLATIONS:
            _plurals.clear()
        _plurals[key] = said
    return said


_plurals: dict[tuple[Any, str, str, int], Markup] = {}


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale)
    app.before_request(_forget_translations)
    app.teardown_request(_forget_translations)
    # The templates' gettext as Flask-Babel installs it, with the translations kept per request
    # and the most used one, ``_``, in one call instead of three.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # jinja2.ext.i18n
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )
    fast = template_gettext(_translated, _translations)
    app.jinja_env.globals.update(gettext=fast, _=fast)
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["current_language"] = current_language
