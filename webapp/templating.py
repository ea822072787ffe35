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

from typing import Any

from flask.templating import Environment
from jinja2 import pass_context
from jinja2.runtime import Context
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


def gettext_for(translations: Any) -> Any:
    """Jinja's new-style ``gettext`` (format with the keyword arguments, escaped when the
    template escapes) for ``translations()``, the request's translations."""

    @pass_context
    def gettext(context: Context, string: str, **variables: Any) -> str:
        found = translations().ugettext(string)
        if context.eval_ctx.autoescape:
            found = Markup(found)
        if not variables and "%" not in found:
            # Formatting would give the same string back (half the strings of a page).
            return found  # type: ignore[no-any-return]  # a str or Markup
        return found % variables  # type: ignore[no-any-return]  # a str or Markup

    return gettext
