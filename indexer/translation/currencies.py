"""Currencies as units of their own: a currency's name in any of the languages is one unit of a
query, written in each language by its name there and by its code.

An amount is language-neutral already (``text.numbers``); the word beside it is not, and the
dictionaries lack most currency names ("евро" has no English entry, "euros" is a plural the
Portuguese–English one does not list). A reader who asks for "960 000 евро" means euros
wherever the report is written: "EUR 960,000", "€960,000" (the index puts the code beside an
amount written with the sign), "960.000 euros" or "960 000 ευρώ".
"""

from __future__ import annotations

from ..text.terms import fold

#: Each currency's code (as the index has it) and its names, per language, base form first
#: (the analysers find the other inflected forms: "euros", "лева").
NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "eur": {"en": ("euro",), "bg": ("евро",), "el": ("ευρώ",), "pt": ("euro",)},
    "usd": {"en": ("dollar",), "bg": ("долар",), "el": ("δολάριο",), "pt": ("dólar",)},
    # Not "leva" in Latin letters: a Portuguese verb ("takes").
    "bgn": {"en": ("lev",), "bg": ("лев", "лева"), "el": ("λέβα",), "pt": ("lev",)},
}
#: Forms of the names a query may type, besides the names: plurals the analysers would find
#: in a document but a lookup by the typed word does not.
_OTHER_FORMS = {
    "eur": ("euros", "евра", "ευρω"),
    "usd": ("dollars", "dólares", "долара", "долари", "δολάρια", "δολαρίων"),
    "bgn": ("лв",),
}


def _folded() -> dict[str, str]:
    out: dict[str, str] = {}
    for code, names in NAMES.items():
        out[code] = code
        for forms in names.values():
            for name in forms:
                out[fold(name)] = code
        for form in _OTHER_FORMS.get(code, ()):
            out[fold(form)] = code
    return out


_BY_NAME = _folded()


def currency(word: str) -> str | None:
    """The code of the currency a word names or is (in any of the languages, any case and
    accents), None for another word."""
    return _BY_NAME.get(fold(word))


def names(code: str, lang: str) -> tuple[str, ...]:
    """The currency's names in a language (none when the table has none)."""
    return NAMES.get(code, {}).get(lang, ())


__all__ = ["NAMES", "currency", "names"]
