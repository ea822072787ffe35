"""The fields a reader may name in a query, by their names in the four interface languages.

"title:word" and "country:Bulgaria" narrow a search; so do "заглавие:", "τίτλος:", "país:"
— the names the interface shows beside the filters, in any case and with or without accents.
Any other word before a colon is just a word: "economy: law" is two words, not a field
"economy" that nothing has.
"""

from __future__ import annotations

from ..text.terms import fold

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
}
_BY_NAME = {fold(name): field for field, names in FIELD_NAMES.items() for name in names}


def field_named(name: str) -> str | None:
    """The field a typed name stands for (``País`` → ``country``), or None."""
    return _BY_NAME.get(fold(name))
