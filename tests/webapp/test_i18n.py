import io


def test_accept_language_picks_the_interface_language(app):
    client = app.test_client()
    html = client.get("/", headers={"Accept-Language": "bg-BG,bg;q=0.9,en;q=0.5"}).get_data(
        as_text=True
    )
    assert '<html lang="bg">' in html
    assert "Търсене" in html
    assert "България" in html  # country names localised


def test_switch_is_remembered(app):
    client = app.test_client()
    client.get("/?lang=el")
    html = client.get("/search?q=results").get_data(as_text=True)
    assert '<html lang="el">' in html and "Αναζήτηση" in html
    html = client.get("/search?q=results&lang=pt").get_data(as_text=True)
    assert '<html lang="pt">' in html and "Pesquisar" in html


def test_language_links_keep_the_search(app):
    html = app.test_client().get("/search?q=results&country=EU").get_data(as_text=True)
    assert 'href="?q=results&amp;country=EU&amp;lang=bg"' in html


def test_unknown_language_falls_back_to_english(app):
    html = app.test_client().get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="en">' in html


def test_every_message_of_the_interface_is_translated():
    """Every string the pages and their Python say, read from the sources as the translation
    tools read them, has a translation in Bulgarian, Greek and Portuguese — each plural form."""
    from pathlib import Path

    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg
    from babel.messages.pofile import read_po

    webapp = Path(__file__).resolve().parents[2] / "webapp"
    method_map, options_map = parse_mapping_cfg(io.StringIO((webapp / "babel.cfg").read_text()))
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2)}
    found = {
        message
        for _, _, message, _, _ in extract_from_dir(
            str(webapp), method_map, options_map, keywords=keywords
        )
    }
    assert len(found) > 200
    # The few words the engine says itself (``indexer.translated``).
    engine = {
        message
        for _, _, message, _, _ in extract_from_dir(
            str(webapp.parent / "indexer"), method_map, keywords={"translated": None}
        )
    }
    assert {"Undated", "European Union", "Undetermined"} <= engine
    found |= engine
    missing = {}
    for lang in ("bg", "el", "pt"):
        with (webapp / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
            catalog = read_po(f)
        for message in found:
            key = message if isinstance(message, str) else message[0]
            entry = catalog.get(key)
            strings = [] if entry is None else entry.string
            strings = [strings] if isinstance(strings, str) else list(strings)
            if not strings or not all(strings):
                missing.setdefault(lang, []).append(key)
    assert missing == {}


def test_each_request_speaks_its_own_language(app):
    """The language and translations a request found are kept for it alone: the next request
    finds its own, whichever language the one before spoke."""
    from webapp.i18n import current_language, texts

    said = {"bg": "Търсене", "el": "Αναζήτηση", "pt": "Pesquisar", "en": "Search"}
    for lang in ["bg", "el", "bg", "pt", "en", "el"]:
        with app.test_request_context(f"/?lang={lang}"):
            assert current_language() == lang
            assert texts()("Search") == said[lang]
            assert current_language() == lang  # read back
    client = app.test_client()
    for lang in ["el", "pt", "el"]:
        html = client.get(f"/search?q=results&lang={lang}").get_data(as_text=True)
        assert f'<html lang="{lang}">' in html and said[lang] in html
