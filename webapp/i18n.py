"""Interface languages. Chosen from ``?lang=`` (and then remembered in the session), else from
the browser's Accept-Language; English when nothing matches."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from flask import Flask, Request, current_app, has_request_context, request, session
from flask_babel import Babel, get_locale, get_translations
from markupsafe import Markup

from .per_request import PerRequest
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
    """The request's interface language (``en`` when there is none)."""
    if not has_request_context():
        locale: Locale | None = get_locale()  # flask_babel is untyped; it gives Babel's Locale
        return locale.language if locale is not None else "en"
    return _for_request()[0]


def _translations() -> Any:
    """The request's translations (Flask-Babel's for the request's language)."""
    if not has_request_context():
        return get_translations()
    return _for_request()[1]


def _language_of(_: Request) -> tuple[str, Any]:
    """The request's language and its translations (`_for_request`).

    A search page asks for them some seventy times (each string a template translates, each
    hit), and Flask-Babel finds them through a dozen look-ups of Flask's request globals: a
    tenth of the page's own time. So they are found once per request, and the app keeps each
    language's translations."""
    locale: Locale | None = get_locale()
    language = locale.language if locale is not None else "en"
    kept: dict[str, Any] = current_app.extensions.setdefault("kb_translations", {})
    translations = kept.get(language)
    if translations is None:
        translations = kept[language] = get_translations()
    return language, translations


_language = PerRequest("kb_language", _language_of)
_for_request = _language.get


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
    translations = _translations()
    key = (translations, singular, plural, num) if not variables else None
    if key is not None and (said := _plurals.get(key)) is not None:
        return said
    variables.setdefault("num", num)
    said = Markup(translations.ungettext(singular, plural, num)) % variables
    if key is not None:
        if len(_plurals) >= KEPT_TRANSLATIONS:
            _plurals.clear()
        _plurals[key] = said
    return said


_plurals: dict[tuple[Any, str, str, int], Markup] = {}


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale)
    _language.init_app(app)
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
