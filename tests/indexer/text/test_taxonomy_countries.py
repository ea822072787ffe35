"""The countries a query names, in any of the four languages and in inflected forms."""

from indexer.text.taxonomy import load_taxonomy


def test_names_and_adjectives_in_any_language_and_form_name_their_country():
    taxonomy = load_taxonomy()
    assert taxonomy.countries_named("национална политика в Ирландия") == {"IE"}
    # An inflected adjective (genitive plural) of the listed "κυπριακός".
    assert taxonomy.countries_named("νόμος των κυπριακών επιχειρήσεων") == {"CY"}
    # A capital stands for its country; Latin-script words are read as each language.
    assert taxonomy.countries_named("reunião em Lisboa") == {"PT"}
    assert taxonomy.countries_named("Bulgarian and Irish reports") == {"BG", "IE"}


def test_a_query_without_a_country_names_none():
    taxonomy = load_taxonomy()
    assert taxonomy.countries_named("social enterprises and their funding") == frozenset()
    assert taxonomy.countries_named("") == frozenset()
