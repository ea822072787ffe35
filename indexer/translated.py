"""The few words the engine itself says to readers (a facet value's name such as "Undated"), in
the interface language, from the same translation catalogues as the web app's pages.

The catalogues live with the web app (``webapp/translations``, compiled by Babel); they are read
as files here, without importing the web app. Each message is marked by a call to
``translated`` with its English text, which the catalogues' extraction command reads
(``-k translated``, see docs/admin.md). A language without a catalogue says the English text.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel.support import NullTranslations


def translated(message: str, lang: str) -> str:
    """``message`` (English) in the language ``lang``."""
    return _catalogue(lang).gettext(message)


@cache
def _catalogue(lang: str) -> NullTranslations:
    # Babel's catalogue code (and the time zone tables it loads) only once a word is said: an
    # indexing run that finds nothing changed says none.
    from babel.support import NullTranslations, Translations

    folder = _folder()
    if lang == "en" or folder is None:
        return NullTranslations()
    return Translations.load(str(folder), [lang], domain="messages")


def _folder() -> Path | None:
    spec = importlib.util.find_spec("webapp")
    locations = spec.submodule_search_locations if spec else None
    return Path(next(iter(locations))) / "translations" if locations else None
