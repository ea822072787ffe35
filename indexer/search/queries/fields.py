"""The fields a reader may name in a query, by their names in the four interface languages.

"title:word" and "country:Bulgaria" narrow a search; so do "заглавие:", "τίτλος:", "país:"
— the names the interface shows beside the filters, in any case and with or without accents.
A language is named by its code or its name in any of them (language:Greek, език:гръцки).
Any other word before a colon is just a word: "economy: law" is two words, not a field
"economy" that nothing has.
"""

from __future__ import annotations

from functools import cache

from ...languages import LANGUAGES
from ...text.taxonomy import language_name
from ...text.terms import fold

#: The interface languages, in which a language may be named in a query.
INTERFACE_LANGUAGES = ("en", "bg", "el", "pt")

#: Each field's names: the product's own, then those of the interface in Bulgarian, Greek and
#: Portuguese (the labels of its filters), then common variants.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "title": ("title", "заглавие", "τίτλος", "título"),
    "country": ("country", "държава", "χώρα", "país"),
    "topic": ("topic", "тема", "θέμα", "tema"),
    "type": ("type", "тип", "τύπος", "tipo"),
    "year": ("year", "година", "έτος", "ano"),
    "language": ("language", "език", "γλώσσα", "língua", "lang", "idioma", "lingua"),
    "organisation": (
        "organisation",
        "организация",
        "οργανισμός",
        "organização",
        "organization",
        "org",
    ),
    "place": ("place", "място", "τόπος", "local", "places", "lugar"),
}
_BY_NAME = {fold(name): field for field, names in FIELD_NAMES.items() for name in names}


def field_named(name: str) -> str | None:
    """The field a typed name stands for (``País`` → ``country``), or None."""
    return _BY_NAME.get(fold(name))


def language_code(value: str) -> str:
    """The code of a language typed as a code or a name (``Ελληνικά`` → ``el``)."""
    folded = fold(value.strip())
    return _language_codes().get(folded, folded)


@cache
def _language_codes() -> dict[str, str]:
    return {
        fold(language_name(code, lang)): code for code in LANGUAGES for lang in INTERFACE_LANGUAGES
    }
