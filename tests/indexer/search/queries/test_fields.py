"""A field is named in a query as the interface names its filter, in every interface language."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from indexer.search.queries.fields import FIELD_NAMES, field_named, language_code
from indexer.store.schema import FACET_FIELDS

TRANSLATIONS = Path(__file__).resolve().parents[4] / "webapp" / "translations"
#: The interface's label of each field's filter (the title of the search's title field).
LABELS = {
    "title": "Title",
    "country": "Country",
    "topic": "Topic",
    "year": "Year",
    "language": "Language",
    "organisation": "Organisation",
    "place": "Place",
}


@pytest.mark.parametrize("lang", ["bg", "el", "pt"])
def test_every_translated_label_names_its_field(lang):
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f)
    for field, label in LABELS.items():
        translated = catalog[label].string
        assert translated, (lang, label)
        assert field_named(translated) == field, (lang, translated)
        assert field_named(translated.upper()) == field
    assert field_named("тип") == field_named("τύπος") == field_named("tipo") == "type"


def test_only_the_product_s_fields_are_fields():
    assert set(FIELD_NAMES) == {"title", *FACET_FIELDS}
    for word in ("economy", "http", "text", "ident", "path", "format", "pages", "added"):
        assert field_named(word) is None


@pytest.mark.parametrize("typed", ["el", "EL", "Greek", "Ελληνικά", "гръцки", "Grego"])
def test_a_language_is_named_by_its_code_or_its_name(typed):
    assert language_code(typed) == "el"
