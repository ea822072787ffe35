"""The templates' environment: what a template does on every line, done with less work.

A search page reads its data — dicts, as every page's JSON twin — about a thousand times by
``hit.title``-style attribute access, which Jinja tries as an attribute first: for a dict that
is a raised and caught ``AttributeError`` each time, before the key is looked up. It also
translates well over a hundred strings (a label per snippet), each through three layers of
calls. Together these were half the time of turning a search's dict into its page. The answers
are the same: a plain dict's attributes are its methods, so its other names can only be keys,
and the translation function is Jinja's "new style" gettext written out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.templating import Environment
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

#: The attributes of a plain dict (its methods): ``d.items`` stays the method, as in Jinja.
_DICT_ATTRIBUTES = frozenset(dir(dict))


class PageEnvironment(Environment):
    """Flask's template environment, reading a dict's keys without trying attributes first."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


#: Translated strings a process keeps (the strings of the pages, each page number they show).
KEPT_TRANSLATIONS = 4096


#: ``translated(language, autoescape, string, variables)``: a string translated with
#: ``language`` (a request's translations) and formatted.
KeptGettext = Callable[[Any, bool, str, dict[str, Any]], str]


def gettext_for(translations: Any) -> Any:
    """Jinja's new-style ``gettext`` (format with the keyword arguments, escaped when the
    template escapes) for ``translations()``, the request's translations (see `kept_gettext`)."""
    return template_gettext(kept_gettext(), translations)


def template_gettext(translated: KeptGettext, translations: Any) -> Any:
    """The templates' ``gettext`` and ``_`` from ``translated`` (a `kept_gettext`) in the
    language of ``translations()``."""

    # Given the evaluation context (whether the template escapes), not the whole context:
    # Jinja copies the context for each call given it inside a block that sets variables
    # (every page's content), some thirty copies a page.
    @pass_eval_context
    def gettext(eval_ctx: EvalContext, string: str, **variables: Any) -> str:
        return translated(translations(), eval_ctx.autoescape, string, variables)

    return gettext


def kept_gettext() -> KeptGettext:
    """A string translated with ``language`` (the request's translations) and formatted
    with ``variables`` as Jinja's new-style ``gettext`` does: as markup whose arguments are
    escaped when ``autoescape``, else as plain text.

    A page asks for the same few strings again and again ("p. %(n)d" three times a snippet),
    so a string whose arguments are whole numbers (or none) is translated and formatted once
    per process and language; other arguments (titles, words searched) are formatted each
    time."""
    kept: dict[tuple[Any, ...], str] = {}

    def translated(language: Any, autoescape: bool, string: str, variables: dict[str, Any]) -> str:
        key = None
        if not variables:  # most strings of a page
            key = (language, string, autoescape)
            done = kept.get(key)
            if done is not None:
                return done
        elif all([type(v) is int for v in variables.values()]):
            key = (language, string, autoescape, *variables.items())
            done = kept.get(key)
            if done is not None:
                return done
        found = language.ugettext(string)
        if autoescape:
            found = Markup(found)
        if variables or "%" in found:
            found = found % variables
        if key is not None:
            if len(kept) >= KEPT_TRANSLATIONS:
                kept.clear()
            kept[key] = found
        return found  # type: ignore[no-any-return]  # a str or Markup

    return translated
